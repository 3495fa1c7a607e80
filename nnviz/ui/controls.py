"""The sidebar controls -> Config, grouped Data / Features / Network / Training.

Each widget has a key `w_<name>`. The Config is the truth: `sync` sets every widget
from it at the start of each full run, and a widget's change calls back with its
own key alone, so the Config changes in that one field (`config_from_values`) and
the change goes through `state.propose` like any other. A widget never reads a
stale neighbour, whatever ran in between (a timed redraw, a preset, a link).
Above them, a TensorFlow Playground link pasted in opens that whole run
(`nnviz.playground_link`), through `state.propose` too.
"""

import dataclasses

import numpy as np
import streamlit as st

from nnviz import datasets
from nnviz.config import Config, ConfigError
from nnviz.engine.activations import hidden_activations
from nnviz.engine.init import INITIALIZERS
from nnviz.engine.optimizers import OPTIMIZERS
from nnviz.limits import (
    MAX_BATCH,
    MAX_HIDDEN_LAYERS,
    MAX_SEED,
    MAX_UNITS,
    MOMENTUM_RANGE,
    TEST_RATIO_RANGE,
)
from nnviz.playground_link import from_link
from nnviz.ui import player, state, uploads
from nnviz.viz import theme as th

LR_CHOICES = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_CHOICES = (0.0, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD with momentum", "adam": "Adam"}
NEW_LAYER_UNITS = 4          # the first hidden layer of a net that had none
THUMB_POINTS = 150           # points in a dataset's thumbnail


def app_datasets(s):
    """Dataset names the app offers: those a link rebuilds, an uploaded table once
    there is one, data files once the server has them; drawn data (made with the
    boundary chart's Draw tool) once the run is drawn."""
    have = state.source(s)
    return [n for n, info in datasets.REGISTRY.items()
            if (info.from_link and (not info.drawn or n == s.config.dataset))
            or (info.needs is not None and have[info.needs] is not None)]


def with_choice(choices, value):
    """`choices` with `value` added (sorted) when a link brings one not listed."""
    return tuple(sorted({*choices, value})) if value not in choices else tuple(choices)


def widget_values(c):
    """Config -> {widget key: value} for every widget that applies to it."""
    v = {"w_dataset": c.dataset, "w_test_ratio": c.test_ratio, "w_standardize": c.standardize,
         "w_layers": len(c.hidden), "w_init": c.init, "w_optimizer": c.optimizer,
         "w_momentum": c.momentum, "w_nesterov": c.nesterov, "w_lr": c.lr,
         "w_l1": c.l1, "w_l2": c.l2, "w_batch": c.batch_size, "w_seed": c.seed}
    if c.n_samples is not None:
        v["w_n_samples"] = c.n_samples
    if c.noise is not None:
        v["w_noise"] = c.noise
    if c.n_classes is not None:
        v["w_n_classes"] = c.n_classes
    if c.features is not None:
        for f in datasets.FEATURES:
            v[f"w_feat_{f}"] = f in c.features
    for i, (units, act) in enumerate(zip(c.hidden, c.hidden_activations(), strict=True)):
        v[f"w_units_{i}"] = units
        v[f"w_act_{i}"] = act
    return v


def config_from_values(values, base):
    """{widget key: value} -> Config, starting from `base` (fields without a widget
    keep base's value). Raises ConfigError when the values do not make a Config."""
    g = values.get
    fields = {"test_ratio": g("w_test_ratio", base.test_ratio),
              "standardize": bool(g("w_standardize", base.standardize)),
              "init": g("w_init", base.init),
              "optimizer": g("w_optimizer", base.optimizer),
              "momentum": g("w_momentum", base.momentum),
              "nesterov": g("w_nesterov", base.nesterov), "lr": g("w_lr", base.lr),
              "l1": g("w_l1", base.l1), "l2": g("w_l2", base.l2),
              "batch_size": int(g("w_batch", base.batch_size)),
              "seed": int(g("w_seed", base.seed))}
    if base.n_samples is not None:
        fields["n_samples"] = int(g("w_n_samples", base.n_samples))
    if base.noise is not None:
        fields["noise"] = float(g("w_noise", base.noise))
    if base.n_classes is not None:
        fields["n_classes"] = int(g("w_n_classes", base.n_classes))
    if base.features is not None:
        picked = tuple(f for f in datasets.FEATURES
                       if g(f"w_feat_{f}", f in base.features))
        if not picked:
            raise ConfigError("features", "Choose at least one input feature.")
        fields["features"] = picked
    n_layers = int(g("w_layers", len(base.hidden)))
    old_units = list(base.hidden)
    old_acts = base.hidden_activations()
    units, acts = [], []
    for i in range(n_layers):
        fallback_units = old_units[i] if i < len(old_units) else \
            (old_units[-1] if old_units else NEW_LAYER_UNITS)
        fallback_act = old_acts[i] if i < len(old_acts) else (old_acts[-1] if old_acts
                                                              else "tanh")
        units.append(int(g(f"w_units_{i}", fallback_units)))
        acts.append(g(f"w_act_{i}", fallback_act))
    fields["hidden"] = tuple(units)
    fields["activation"] = acts[0] if len(set(acts)) == 1 else tuple(acts)
    if not acts:
        fields["activation"] = base.activation if isinstance(base.activation, str) else "tanh"
    return dataclasses.replace(base, **fields)


def sync(c):
    """Set every widget to what Config `c` says (before the widgets are drawn)."""
    for key, value in widget_values(c).items():
        if state.widget(key) != value:
            state.set_widget(key, value)


def _changed(key):
    """A widget moved: its one value, applied to the Config."""
    s = state.get()
    values = widget_values(s.config)
    values[key] = state.widget(key)
    try:
        new = config_from_values(values, s.config)
    except ConfigError as e:
        s.note("error", str(e))
        return
    state.propose(s, new)


def _on_dataset():
    _load_dataset(state.widget("w_dataset"))


def _on_pick():
    name = (state.widget("w_picker") or {}).get("pick")
    if name in datasets.REGISTRY:
        _load_dataset(name)


def _load_dataset(name):
    s = state.get()
    s.preset = None                 # its paragraph is about other data
    if state.propose(s, Config.defaults_for(name), quiet=True):
        s.note("info", f"Loaded the {name} data with its tuned defaults.")


def _on_regenerate(drawn_seed):
    # From the seed the button was drawn with, so a click that reaches the script twice
    # still moves the seed by one.
    s = state.get()
    seed = (drawn_seed + 1) % (MAX_SEED + 1)
    state.propose(s, dataclasses.replace(s.config, seed=seed, init_seed=None))


_picker_element = player.element("nnviz_picker", "nnviz-picker.js")


@st.cache_data(max_entries=4, show_spinner=False)
def thumbnails(names, theme):
    """The picker's items: each dataset drawn on a plane, a few of its points at its
    default settings, as bytes across the plane and a colour per class (or a shade of
    the target)."""
    t = th.theme_of(theme)
    items = []
    for name in names:
        info = datasets.REGISTRY[name]
        if not (info.kind == "generated" and info.is_plane):
            continue
        X, y = datasets.load(name, n_samples=min(info.default_samples, THUMB_POINTS), seed=0)
        lo, hi = X.min(axis=0), X.max(axis=0)
        xy = np.round((X - lo) / np.where(hi > lo, hi - lo, 1) * 255).astype(int)
        if info.task == "classification":
            index = y
            colors = [th.class_color(k) for k in range(info.n_classes)]
        else:
            v = y[:, 0]
            index = np.round((v - v.min()) / max(np.ptp(v), 1e-12) * 4).astype(int)
            colors = [th.blend(th.ORANGE, th.BLUE, k / 4) for k in range(5)]
        items.append({"name": name, "description": info.description, "colors": colors,
                      "background": t.neutral,
                      "points": np.column_stack([xy, index]).ravel().tolist()})
    return items


def _picker(names, current):
    """The datasets on a plane as a grid of thumbnails (keyboard-usable buttons)."""
    theme = st.context.theme.type if st.context.theme.type in ("light", "dark") else "light"
    items = thumbnails(tuple(names), theme)
    if items:
        _picker_element(key="w_picker", data={"items": items, "current": current},
                        on_pick_change=_on_pick, height="content")


def _on_playground_link():
    """A TensorFlow Playground link was pasted: open its run, paused at step 0, and say
    what of it could not come (or why the text is not such a link)."""
    text = state.widget(state.PLAYGROUND_LINK, "")
    state.set_widget(state.PLAYGROUND_LINK, "")
    if not text.strip():
        return
    s = state.get()
    try:
        config, notes = from_link(text)
    except ValueError as e:
        s.note("error", f"Could not open that link: {e}.")
        return
    if state.propose(s, config, fresh=True, quiet=True):
        s.preset = None
        s.pause()
        s.note("info", " ".join(["Opened the TensorFlow Playground run.", *notes]))


def _fmt_rate(x):
    return "0" if x == 0 else f"{x:g}"


def _label(name):
    """How the dataset picker names `name`. (A label never changes while the page is
    open: the picker in the browser matches its choice by label.)"""
    info = datasets.REGISTRY[name]
    return {"table": "your upload", "files": f"{name} (server files)"}.get(info.kind, name)


def _about(s, info):
    """The dataset picker's help: the dataset's description (an upload's: its file)."""
    if info.kind == "table" and s.table_name:
        return f"{s.table_name}, uploaded. {info.description}."
    return info.description


def sidebar(s):
    """Draw the controls for the session's Config."""
    c = s.config
    sync(c)
    sb = st.sidebar

    def on(key):
        return {"key": key, "on_change": _changed, "args": (key,)}

    # (no help button: its name, "Help for ... Playground link", would match "Play")
    sb.text_input("Open a TensorFlow Playground link", key=state.PLAYGROUND_LINK,
                  on_change=_on_playground_link,
                  placeholder="https://playground.tensorflow.org/#activation=…")

    sb.header("Data")
    with sb:
        _picker(app_datasets(s), c.dataset)
    info = datasets.REGISTRY[c.dataset]
    sb.selectbox("Dataset", app_datasets(s), key="w_dataset", on_change=_on_dataset,
                 format_func=_label, help=_about(s, info))
    if c.n_samples is not None and info.default_samples is not None:
        high = min(info.max_samples or MAX_BATCH, MAX_BATCH)
        sb.number_input("Samples", min_value=info.min_samples, max_value=high, step=50,
                        **on("w_n_samples"))
    if c.noise is not None:
        lo, hi = info.noise_range
        sb.slider("Noise", float(lo), float(hi), step=float(hi - lo) / 50, **on("w_noise"))
    if c.n_classes is not None:
        opt = info.option("n_classes")
        sb.slider("Classes", int(opt.low), int(opt.high), step=1, **on("w_n_classes"))
    sb.slider("Test ratio", *TEST_RATIO_RANGE, step=0.05, **on("w_test_ratio"))
    sb.toggle("Standardize inputs", **on("w_standardize"),
              help="Scale each input (and a regression target) to mean 0 and standard "
                   "deviation 1 on the training set. Off: the network sees the raw numbers.")
    uploads.sidebar(s, sb)
    sb.button("Regenerate data", on_click=_on_regenerate, args=(c.seed,), width="stretch",
              help="New random data and new initial weights (the seed goes up by one).")

    if c.features is not None:
        sb.header("Features")
        cols = sb.columns(2)
        for i, f in enumerate(datasets.FEATURES):
            cols[i % 2].checkbox(f, **on(f"w_feat_{f}"))

    sb.header("Network")
    sb.number_input("Hidden layers", min_value=0, max_value=MAX_HIDDEN_LAYERS, step=1,
                    **on("w_layers"))
    for i in range(len(c.hidden)):
        left, right = sb.columns([1, 1])
        left.number_input(f"Layer {i + 1} units", min_value=1, max_value=MAX_UNITS, step=1,
                          **on(f"w_units_{i}"))
        right.selectbox(f"Layer {i + 1} activation", hidden_activations(),
                        **on(f"w_act_{i}"))
    sb.selectbox("Initialisation", tuple(INITIALIZERS), **on("w_init"))

    sb.header("Training")
    sb.selectbox("Optimizer", tuple(OPTIMIZERS), format_func=lambda n: OPTIMIZER_NAMES.get(n, n),
                 **on("w_optimizer"))
    if c.optimizer == "momentum":
        sb.slider("Momentum", *MOMENTUM_RANGE, step=0.01, **on("w_momentum"))
        sb.checkbox("Nesterov", **on("w_nesterov"))
    sb.select_slider("Learning rate", with_choice(LR_CHOICES, c.lr), format_func=_fmt_rate,
                     **on("w_lr"))
    left, right = sb.columns(2)
    left.select_slider("L1 rate", with_choice(REG_CHOICES, c.l1), format_func=_fmt_rate,
                       **on("w_l1"))
    right.select_slider("L2 rate", with_choice(REG_CHOICES, c.l2), format_func=_fmt_rate,
                        **on("w_l2"))
    sb.number_input("Batch size", min_value=1, max_value=MAX_BATCH, step=1, **on("w_batch"))
    sb.number_input("Seed", min_value=0, max_value=MAX_SEED, step=1, **on("w_seed"),
                    help="Draws the data, the split and the batch order (and the first "
                         "weights until Reset draws new ones).")


def describe_output(trainer):
    """One line: what the output layer and loss are, and why."""
    task = trainer.data.task
    k = trainer.data.n_classes
    why = (f"{k} classes" if task == "classification" else
           f"regression with {trainer.data.y_train.shape[1]} output(s)")
    return f"Output **{trainer.output_activation}**, loss **{trainer.loss}** ({why})."
