"""The sidebar controls -> Config, grouped Data / Features / Network / Training.

Each widget has a key `w_<name>`; `widget_values(config)` is the widget state a
Config stands for and `config_from_values(values, base)` reads it back, so the
Config stays the single truth (presets and share links only call `load_config`).
"""

import dataclasses

import streamlit as st

from nnviz import datasets
from nnviz.config import (
    CSV,
    MAX_BATCH,
    MAX_HIDDEN_LAYERS,
    MAX_SEED,
    MAX_UNITS,
    MOMENTUM_RANGE,
    TEST_RATIO_RANGE,
    Config,
    ConfigError,
)
from nnviz.engine.activations import hidden_activations
from nnviz.engine.init import INITIALIZERS
from nnviz.engine.optimizers import OPTIMIZERS
from nnviz.ui import session

LR_CHOICES = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_CHOICES = (0.0, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD with momentum", "adam": "Adam"}
NEW_LAYER_UNITS = 4          # the first hidden layer of a net that had none


def app_datasets(has_table=False):
    """Dataset names the app offers: every registry entry that needs no file
    path, plus "csv" once a table was uploaded."""
    names = [n for n, info in datasets.REGISTRY.items()
             if not any(o.kind == "path" and o.default is None for o in info.options)]
    return names + ([CSV] if has_table else [])


def with_choice(choices, value):
    """`choices` with `value` added (sorted) when a link brings one not listed."""
    return tuple(sorted({*choices, value})) if value not in choices else tuple(choices)


def widget_values(c):
    """Config -> {widget key: value} for every widget that applies to it."""
    v = {"w_dataset": c.dataset, "w_test_ratio": c.test_ratio,
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
    fields = {"test_ratio": g("w_test_ratio", base.test_ratio), "init": g("w_init", base.init),
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


def load_config(c):
    """Make `c` the session's Config and set every widget to show it. Call it from
    a callback or before the widgets are drawn."""
    ss = st.session_state
    for key in [k for k in ss if isinstance(k, str) and k.startswith(("w_units_", "w_act_"))]:
        del ss[key]
    for key, value in widget_values(c).items():
        ss[key] = value
    session.apply(c)


def _ensure(key, value):
    if key not in st.session_state:
        st.session_state[key] = value


def _on_dataset():
    name = st.session_state["w_dataset"]
    st.session_state["preset"] = None         # its paragraph is about other data
    load_config(Config.defaults_for(name))
    session.note(("info", f"Loaded the {name} data with its tuned defaults."))


def _on_regenerate(drawn_seed):
    # From the seed the button was drawn with, so a click that reaches the script twice
    # still moves the seed by one.
    c = session.config()
    seed = (drawn_seed + 1) % (MAX_SEED + 1)
    st.session_state["w_seed"] = seed
    session.apply(dataclasses.replace(c, seed=seed))


def _on_csv():
    """A CSV was chosen (or removed): read it with `datasets.from_csv`, or say why not."""
    ss = st.session_state
    f = ss.get("w_csv")
    if f is None:
        return
    try:
        table = datasets.from_csv(f.getvalue())
    except ValueError as e:
        session.note(("error", f"Could not use {f.name}: {e}"))
        return
    ss["table"], ss["table_name"] = table, f.name
    ss["trainer"] = None            # the next Config (csv) gets a trainer on this table
    ss["preset"] = None
    load_config(Config.defaults_for(CSV))
    what = (f"{table.n_classes} classes" if table.task == "classification"
            else "regression")
    session.note(("info", f"Loaded {f.name}: {len(table.X):,} rows, {table.X.shape[1]} "
                          f"features, target {table.target_name!r} ({what})."))


def _fmt_rate(x):
    return "0" if x == 0 else f"{x:g}"


def sidebar(c, has_table=False):
    """Draw the controls for Config `c`; returns the Config they now show, or `c`
    (with the reason shown) when they do not make a valid one."""
    for key, value in widget_values(c).items():
        _ensure(key, value)
    sb = st.sidebar
    names = app_datasets(has_table or c.dataset == CSV)

    sb.header("Data")
    sb.selectbox("Dataset", names, key="w_dataset", on_change=_on_dataset,
                 format_func=lambda n: "uploaded CSV" if n == CSV else n,
                 help=datasets.REGISTRY[c.dataset].description if c.dataset != CSV else None)
    info = datasets.REGISTRY.get(c.dataset)
    if info is not None:
        low = max(10, 2 * (info.n_classes or 1))
        high = min(info.max_samples or 100_000, 100_000)
        sb.number_input("Samples", min_value=low, max_value=high, step=50, key="w_n_samples")
        if c.noise is not None:
            lo, hi = info.noise_range
            sb.slider("Noise", float(lo), float(hi), step=float(hi - lo) / 50, key="w_noise")
        if c.n_classes is not None:
            opt = info.option("n_classes")
            sb.slider("Classes", int(opt.low), int(opt.high), step=1, key="w_n_classes")
    sb.slider("Test ratio", *TEST_RATIO_RANGE, step=0.05, key="w_test_ratio")
    sb.file_uploader("Or upload a CSV (numbers; target: a column named label, target or y, "
                     "else the last)", type=["csv"], key="w_csv", on_change=_on_csv)
    sb.button("Regenerate data", on_click=_on_regenerate, args=(c.seed,), width="stretch",
              help="New random data and new initial weights (the seed goes up by one).")

    if c.features is not None:
        sb.header("Features")
        cols = sb.columns(2)
        for i, f in enumerate(datasets.FEATURES):
            cols[i % 2].checkbox(f, key=f"w_feat_{f}")

    sb.header("Network")
    sb.number_input("Hidden layers", min_value=0, max_value=MAX_HIDDEN_LAYERS, step=1,
                    key="w_layers")
    n_layers = int(st.session_state["w_layers"])
    last_units = c.hidden[-1] if c.hidden else NEW_LAYER_UNITS
    acts = c.hidden_activations()
    last_act = acts[-1] if acts else "tanh"
    for i in range(n_layers):
        _ensure(f"w_units_{i}", c.hidden[i] if i < len(c.hidden) else last_units)
        _ensure(f"w_act_{i}", acts[i] if i < len(acts) else last_act)
        left, right = sb.columns([1, 1])
        left.number_input(f"Layer {i + 1} units", min_value=1, max_value=MAX_UNITS, step=1,
                          key=f"w_units_{i}")
        right.selectbox(f"Layer {i + 1} activation", hidden_activations(), key=f"w_act_{i}")
    sb.selectbox("Initialisation", tuple(INITIALIZERS), key="w_init")

    sb.header("Training")
    sb.selectbox("Optimizer", tuple(OPTIMIZERS), key="w_optimizer",
                 format_func=lambda n: OPTIMIZER_NAMES.get(n, n))
    if st.session_state["w_optimizer"] == "momentum":
        sb.slider("Momentum", *MOMENTUM_RANGE, step=0.01, key="w_momentum")
        sb.checkbox("Nesterov", key="w_nesterov")
    sb.select_slider("Learning rate", with_choice(LR_CHOICES, c.lr), key="w_lr",
                     format_func=_fmt_rate)
    left, right = sb.columns(2)
    left.select_slider("L1 rate", with_choice(REG_CHOICES, c.l1), key="w_l1",
                       format_func=_fmt_rate)
    right.select_slider("L2 rate", with_choice(REG_CHOICES, c.l2), key="w_l2",
                        format_func=_fmt_rate)
    sb.number_input("Batch size", min_value=1, max_value=MAX_BATCH, step=1, key="w_batch")
    sb.number_input("Seed", min_value=0, max_value=MAX_SEED, step=1, key="w_seed")

    values = {k: v for k, v in st.session_state.items() if isinstance(k, str)
              and k.startswith("w_")}
    try:
        return config_from_values(values, c)
    except ConfigError as e:
        sb.error(str(e))
        return c


def describe_output(trainer):
    """One line: what the output layer and loss are, and why."""
    task = trainer.data.task
    k = trainer.data.n_classes
    why = (f"{k} classes" if task == "classification" else
           f"regression with {trainer.data.y_train.shape[1]} output(s)")
    return f"Output **{trainer.output_activation}**, loss **{trainer.loss}** ({why})."
