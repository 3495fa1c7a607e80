"""One browser session's state, in one place.

`get()` is this session's `Session`: its Config, the trainer that follows it, the
uploaded table, what it is doing (paused, playing, stepping: `play()`, `pause()`,
`step_through(n)`, `took(n)` set it, nowhere else), and the memory of the live view
and the Inside tab. It lives in `st.session_state` under the one key `KEY`; the only
other keys are the widgets' own, read and set through `widget`, `set_widget` and
`forget_widget`: the sidebar's are `w_*` (`nnviz.ui.controls`), the page's are named
here (SPEED, DETAIL_VIEW, PRESET_PICK, PLAYGROUND_LINK, PAGE_TAB), and an element's value is
under its own key (`nnviz.ui.player`).

Every change of settings goes through `propose`, whoever makes it (a sidebar
control, a preset, the divergence fix, a link): the Config changes, the trainer
follows (keeping its weights when only the rates, optimizer or batch size change),
and the widgets and the address bar are set from the Config on the next full run
of the page, so the four never drift apart.

A session whose tab has closed gives its memory back (`nnviz.ui.server`): its
trainer is released, keeping the Config and the weights, so a tab that reconnects
goes on from them.
"""

import dataclasses
from dataclasses import dataclass, field

import streamlit as st

from nnviz import datasets, limits
from nnviz.config import RESET_FIELDS, Config
from nnviz.limits import BUDGET, MAX_SEED
from nnviz.training import Trainer
from nnviz.ui import server

KEY = "nnviz"
PLAY = "play"                       # Session.job while playing

# The page's widgets whose values code reads or sets (the sidebar's are w_*, in controls)
SPEED = "speed"                     # the transport bar's steps per frame
DETAIL_VIEW = "detail_view"         # the further view under the main charts
PRESET_PICK = "preset_pick"         # the presets' pills
PLAYGROUND_LINK = "playground_link"  # the TensorFlow Playground link box
PAGE_TAB = "page_tab"               # the open tab: Playground or Inside a step (transport.TABS)

# A human name for each field whose change resets the network.
FIELD_NAMES = {
    "dataset": "the dataset", "n_samples": "the number of samples", "noise": "the noise",
    "n_classes": "the number of classes", "test_ratio": "the test ratio",
    "features": "the input features", "standardize": "the input scaling",
    "hidden": "the hidden layers",
    "activation": "the activations", "output_activation": "the output activation",
    "loss": "the loss", "init": "the initialisation", "seed": "the data seed",
    "init_seed": "the weight seed",
}


@dataclass(frozen=True)
class Steps:
    """A job of `left` training steps (the Step button: one epoch), then pause."""

    left: int


@dataclass(eq=False)
class Session:
    """config: the run; table/table_name: an uploaded table, and csv/csv_columns the
    CSV it was read from (None for images), to read it again with other targets;
    preset: the preset whose paragraph is shown; trainer: built from config on first
    use (None when released); job: None (paused), PLAY, or Steps, set by the methods
    below; notes: (kind, text) shown once on the next
    full run; link_notes: what the page's link could not use; player, inside: the
    live view's and the Inside tab's memory; themes: the page theme each element saw;
    clicks: button clicks acted on; whole_page: a change made inside the live fragment
    needs a full run of the page."""

    config: Config
    table: object = None
    table_name: str | None = None
    csv: bytes | None = None
    csv_columns: tuple = ()
    preset: str | None = None
    trainer: Trainer | None = None
    job: object = None
    notes: list = field(default_factory=list)
    link_notes: list = field(default_factory=list)
    player: dict = field(default_factory=dict)
    inside: dict = field(default_factory=dict)
    themes: dict = field(default_factory=dict)
    clicks: dict = field(default_factory=dict)
    whole_page: bool = False
    kept: tuple | None = None          # (flat params, steps, epoch) of a released trainer

    @property
    def playing(self):
        return self.job == PLAY

    def play(self):
        """Train continuously (the live view's timer runs while there is a job)."""
        self.job = PLAY

    def pause(self):
        self.job = None

    def step_through(self, n):
        """Train `n` steps (the Step button: one epoch), then pause."""
        self.job = Steps(n) if n > 0 else None

    def took(self, n):
        """`n` steps of a Steps job are done: fewer are left, or none and it pauses."""
        if isinstance(self.job, Steps):
            self.step_through(self.job.left - n)

    def note(self, kind, text):
        """A message ("info" | "warning" | "error") shown once above the charts."""
        self.notes.append((kind, text))

    def take_notes(self):
        notes, self.notes = self.notes, []
        return notes

    def release(self):
        """Drop the trainer (its arrays are most of a session's memory), keeping the
        Config and the weights, so a tab that comes back goes on from them."""
        t = self.trainer
        if t is None:
            return False
        self.kept = (t.net.flat_params.copy(), t.steps, t.epoch)
        self.trainer = None
        self.pause()
        self.player.clear()
        self.inside.clear()
        return True


def start(config, link_notes=()):
    """This session's Session: made on its first run from `config` (the link's, or the
    default), with the notes about what the link could not use."""
    ss = st.session_state
    if KEY not in ss:
        ss[KEY] = Session(config=config, link_notes=list(link_notes))
        server.register(ss[KEY])
    return ss[KEY]


def started():
    """True once this session has its Session."""
    return KEY in st.session_state


def get():
    """This session's Session (after `start`)."""
    return st.session_state[KEY]


def widget(key, default=None):
    """The value of the widget (or element) under `key` in this session, or `default`."""
    return st.session_state.get(key, default)


def set_widget(key, value):
    """Set the widget under `key` (it shows `value` when it is drawn next)."""
    st.session_state[key] = value


def forget_widget(key):
    """Drop the widget's value: it starts from its default when it is drawn next."""
    st.session_state.pop(key, None)


def source(s):
    """{"table": ..., "path": ...}: what this session can give its dataset besides the
    Config: its uploaded table, and the directory of data files this server has."""
    return {"table": s.table, "path": limits.FILES_DIR}


def can_build(s, config):
    """None if this session can make `config`'s data, else a sentence saying why not."""
    info = datasets.info(config.dataset)
    need = info.needs
    if need is None or source(s)[need] is not None:
        return None
    if need == "table":
        return (f"This run used an uploaded file ({config.dataset}); upload it to continue. "
                "Its link carries the settings but not the data.")
    return (f"This run reads {config.dataset} files from a directory this server does not "
            "have; its link carries the settings but not the data.")


def make(s, config):
    """A Trainer of `config` for session `s`, within the server's budget."""
    need = datasets.info(config.dataset).needs
    data = {need: source(s)[need]} if need else {}
    return Trainer(config, budget=BUDGET, **data)


def trainer(s):
    """The session's Trainer, built on first use from its Config (and the weights it
    kept, if it was released while its tab was away)."""
    if s.trainer is None:
        t = make(s, s.config)
        if s.kept is not None:
            flat, steps, epoch = s.kept
            if flat.shape == t.net.flat_params.shape:
                t.net.flat_params[...] = flat
                t.steps, t.epoch = steps, epoch
                s.note("info", f"The run goes on from step {steps:,}: the server set it aside "
                               "while the tab was away (its curves start again here).")
            s.kept = None
        s.trainer = t
    return s.trainer


def changed_resets(old, new):
    """Names of the reset fields that differ between two Configs."""
    return [FIELD_NAMES[f] for f in RESET_FIELDS if getattr(old, f) != getattr(new, f)]


def propose(s, new, fresh=False, quiet=False):
    """Switch the session to Config `new`: keeps the weights for learning-rate,
    regularisation, optimizer and batch changes, rebuilds for the rest (and says so),
    rebuilds anyway when `fresh`. A Config that cannot be used (data that cannot be
    made, a table that does not fit) is reported and the current one kept. Returns
    True when `new` is the session's Config now."""
    old, t = s.config, s.trainer
    if new == old and t is not None and not fresh:
        return True
    why = can_build(s, new)
    if why is not None:
        s.note("error", why)
        return False
    try:
        if t is None or fresh or new.dataset != old.dataset:
            fresh_trainer = make(s, new)
            reset = t is not None
            s.trainer = fresh_trainer
        else:
            reset = t.update(new)
    except (ValueError, TypeError) as e:
        s.note("error", f"That setting could not be used: {e}")
        return False
    if new.dataset != old.dataset:
        s.player.pop("draft", None)            # drawn points of other data
    if new != old:
        s.link_notes = []          # the link's note is about the link, not what came after
        s.config = new
        s.player.pop("curves", None)
    s.kept = None
    if reset:
        s.player["stream"] = s.player.get("stream", 0) + 1
        if s.job is not None and not s.playing:
            s.pause()              # a Step in progress belonged to the old network
        what = changed_resets(old, new)
        if what and not quiet:
            s.note("info", f"Changed {_join(what)}: the network was reset (new weights, step 0).")
    s.whole_page = True
    return True


def new_weights(s):
    """Reset: the same data, new first weights (the weight seed moves on by one)."""
    c = s.config
    seed = (c.weight_seed + 1) % (MAX_SEED + 1)
    if propose(s, dataclasses.replace(c, init_seed=seed), fresh=True, quiet=True):
        s.note("info", f"Reset: new initial weights (weight seed {seed}), step 0; the same "
                       f"data (data seed {c.seed}).")


def _join(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
