"""One browser session's state: its Config, its Trainer, whether it is playing.

Everything lives in `st.session_state`, so sessions never share a model. The
Config is the truth; widgets are set from it (`load_config`) and read back into
it by `nnviz.ui.controls`.
"""

import dataclasses

import streamlit as st

from nnviz.config import CSV, RESET_FIELDS
from nnviz.training import Trainer

# A human name for each field whose change resets the network.
FIELD_NAMES = {
    "dataset": "the dataset", "n_samples": "the number of samples", "noise": "the noise",
    "n_classes": "the number of classes", "test_ratio": "the test ratio",
    "features": "the input features", "hidden": "the hidden layers",
    "activation": "the activations", "output_activation": "the output activation",
    "loss": "the loss", "init": "the initialisation", "seed": "the seed",
}


def state():
    return st.session_state


def config():
    """The session's current Config."""
    return st.session_state["config"]


def trainer():
    """The session's Trainer, built on first use from the current Config."""
    ss = st.session_state
    t = ss.get("trainer")
    if t is None:
        t = Trainer(ss["config"], table=ss.get("table") if ss["config"].dataset == CSV else None)
        ss["trainer"] = t
    return t


def start(default, url_config=None, url_warnings=()):
    """First run of a session: the Config from the link, else `default`."""
    ss = st.session_state
    if "config" in ss:
        return
    ss["config"] = url_config if url_config is not None else default
    ss["url_warnings"] = list(url_warnings)
    ss["playing"] = False
    ss["notes"] = []
    ss["preset"] = None
    ss["trainer"] = None


def note(text):
    """A message shown once, above the charts, on the next run."""
    st.session_state.setdefault("notes", []).append(text)


def take_notes():
    ss = st.session_state
    notes, ss["notes"] = ss.get("notes", []), []
    return notes


def changed_resets(old, new):
    """Names of the reset fields that differ between two Configs."""
    return [FIELD_NAMES[f] for f in RESET_FIELDS if getattr(old, f) != getattr(new, f)]


def apply(new):
    """Switch the session to Config `new`: keeps the weights for learning-rate,
    regularisation, optimizer and batch changes, rebuilds for the rest (and says
    so). A config the trainer refuses (e.g. data that cannot be made) is
    reported and the previous one kept. Returns True when it was applied."""
    ss = st.session_state
    old = ss["config"]
    if new == old and ss.get("trainer") is not None:
        return True
    t = ss.get("trainer")
    try:
        if t is None or (new.dataset == CSV) != (old.dataset == CSV):
            fresh = Trainer(new, table=ss.get("table") if new.dataset == CSV else None)
            ss["trainer"], reset = fresh, t is not None
        else:
            reset = t.update(new)
    except (ValueError, TypeError) as e:
        note(("error", f"That setting could not be used: {e}"))
        if t is not None and t.config is not old:
            ss["trainer"] = None        # half-switched: rebuilt from the old Config
        return False
    if new != old:
        ss["url_warnings"] = []      # the link's note is about the link, not what came after
    ss["config"] = new
    if reset:
        what = changed_resets(old, new)
        if what:
            note(("info", f"Changed {_join(what)}: the network was reset (new weights, step 0)."))
    return True


def reset():
    """New weights and data for the same Config (the Reset button)."""
    ss = st.session_state
    c = ss["config"]
    ss["trainer"] = Trainer(c, table=ss.get("table") if c.dataset == CSV else None)


def replace(**changes):
    """The current Config with some fields changed (validated)."""
    return dataclasses.replace(config(), **changes)


def _join(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

