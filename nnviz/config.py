"""Config: one frozen, validated description of a whole training run.

    c = Config.defaults_for("spiral")          # the tuned defaults of a dataset
    c = dataclasses.replace(c, lr=0.1)         # validated again
    Config.from_query(c.to_query()) == (c, []) # share links
    Config.from_json(c.to_json()) == c

Every field is checked in `__post_init__`; a bad value raises `ConfigError` (a
`ValueError`) naming the field, the value and what is allowed. Nothing is clamped.
The limits it checks against live in `nnviz.limits`.
"""

import dataclasses
import json
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from nnviz import datasets
from nnviz.data import drawn
from nnviz.engine.activations import ACTIVATIONS
from nnviz.engine.activations import hidden_activations as hidden_activation_names
from nnviz.engine.init import INITIALIZERS
from nnviz.engine.losses import LOSSES, PairError, output_and_loss
from nnviz.engine.optimizers import OPTIMIZERS
from nnviz.limits import (
    LR_RANGE,
    MAX_BATCH,
    MAX_CONFIG_JSON,
    MAX_DRAWN_POINTS,
    MAX_HIDDEN_LAYERS,
    MAX_QUERY_VALUE,
    MAX_SAMPLES,
    MAX_SEED,
    MAX_UNITS,
    MIN_SAMPLES,
    MOMENTUM_RANGE,
    REG_RANGE,
    TEST_RATIO_RANGE,
)

# field name -> short query key (share links: a public format, keys keep their meaning)
QUERY_KEYS = {
    "dataset": "ds", "n_samples": "n", "noise": "noise", "n_classes": "k",
    "test_ratio": "test", "features": "feat", "standardize": "std", "hidden": "hidden",
    "activation": "act",
    "output_activation": "out", "loss": "loss", "init": "init", "optimizer": "opt",
    "lr": "lr", "momentum": "mom", "nesterov": "nest", "l1": "l1", "l2": "l2",
    "batch_size": "bs", "seed": "seed", "init_seed": "wseed", "points": "pts",
}
FIELD_OF_KEY = {k: f for f, k in QUERY_KEYS.items()}
# Values a link leaves out (as it leaves out None), so that links written before the
# field existed keep their meaning.
LEFT_OUT = {"init_seed": None, "standardize": True, "points": ""}

# Fields whose change needs new data or a new network (the trainer resets);
# the rest (lr, optimizer and its settings, l1/l2, batch size) keep the weights.
RESET_FIELDS = ("dataset", "n_samples", "noise", "n_classes", "test_ratio", "features",
                "standardize", "hidden", "activation", "output_activation", "loss", "init",
                "seed", "init_seed")
# Fields whose change makes new data but keeps the network (drawn points: training goes on)
DATA_FIELDS = ("points",)
# The longest value a link may give a field (the rest: MAX_QUERY_VALUE)
QUERY_VALUE_LIMITS = {"points": 2 * 3 * MAX_DRAWN_POINTS}     # hexadecimal, 3 bytes a point


class ConfigError(ValueError):
    """A bad Config value; `field` names the culprit."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Config:
    """One training run. `None` in `n_samples`, `noise`, `n_classes`, `features`
    means "the dataset's default" and is filled in on construction (features stay
    None, meaning the raw inputs, for data that is not 2-D). `seed` draws the data,
    the split and the batch order; `init_seed` the first weights (None: `seed`).
    `standardize` False feeds the network the raw inputs (after the crosses) and raw
    regression targets instead of standardised ones."""

    dataset: str = "circles"
    n_samples: int | None = None
    noise: float | None = None
    n_classes: int | None = None
    test_ratio: float = 0.25
    features: tuple[str, ...] | None = None
    standardize: bool = True
    hidden: tuple[int, ...] = (8, 8)
    activation: str | tuple[str, ...] = "tanh"
    output_activation: str = "auto"
    loss: str = "auto"
    init: str = "xavier"
    optimizer: str = "adam"
    lr: float = 0.03
    momentum: float = 0.9
    nesterov: bool = False
    l1: float = 0.0
    l2: float = 0.0
    batch_size: int = 10
    seed: int = 0
    init_seed: int | None = None
    points: str = ""

    def __post_init__(self):
        set_ = object.__setattr__.__get__(self)
        info = _dataset(self.dataset)
        set_("n_samples", _n_samples(info, self.n_samples))
        set_("noise", _noise(info, self.noise))
        set_("n_classes", _n_classes(info, self.n_classes))
        set_("test_ratio", _number("test_ratio", self.test_ratio, *TEST_RATIO_RANGE))
        set_("features", _features(info, self.features))
        set_("standardize", _bool("standardize", self.standardize))
        set_("hidden", _hidden(self.hidden))
        set_("activation", _activation(self.activation, self.hidden))
        set_("output_activation", _choice("output_activation", self.output_activation,
                                          ("auto", *ACTIVATIONS)))
        set_("loss", _choice("loss", self.loss, ("auto", *LOSSES)))
        set_("init", _choice("init", self.init, tuple(INITIALIZERS)))
        set_("optimizer", _choice("optimizer", self.optimizer, tuple(OPTIMIZERS)))
        set_("lr", _number("lr", self.lr, *LR_RANGE))
        set_("momentum", _number("momentum", self.momentum, *MOMENTUM_RANGE))
        set_("nesterov", _bool("nesterov", self.nesterov))
        set_("l1", _number("l1", self.l1, *REG_RANGE))
        set_("l2", _number("l2", self.l2, *REG_RANGE))
        set_("batch_size", _integer("batch_size", self.batch_size, 1, MAX_BATCH))
        set_("seed", _integer("seed", self.seed, 0, MAX_SEED))
        if self.init_seed is not None:
            set_("init_seed", _integer("init_seed", self.init_seed, 0, MAX_SEED))
        set_("points", _points(info, self.points, self.n_classes))
        if info.task is not None:
            self.output_and_loss()      # the pair must fit the task

    # -- what the run is -------------------------------------------------------

    @property
    def task(self):
        """"classification" | "regression", or None for an uploaded table (it decides)."""
        return datasets.REGISTRY[self.dataset].task

    @property
    def weight_seed(self):
        """The seed of the first weights: `init_seed`, or `seed` when it is None."""
        return self.seed if self.init_seed is None else self.init_seed

    def dataset_options(self):
        """Extra keyword options for `datasets.load`: those of the dataset's own that a
        Config carries (n_classes, drawn points)."""
        takes = {o.name for o in datasets.REGISTRY[self.dataset].options}
        given = {"n_classes": self.n_classes, "points": self.points}
        return {k: v for k, v in given.items() if k in takes and v is not None}

    def hidden_activations(self):
        """One activation name per hidden layer."""
        if isinstance(self.activation, str):
            return [self.activation] * len(self.hidden)
        return list(self.activation)

    def optimizer_settings(self):
        """Keyword settings of `optimizers.make` beyond the learning rate."""
        if self.optimizer == "momentum":
            return {"momentum": self.momentum, "nesterov": self.nesterov}
        return {}

    def output_and_loss(self, task=None, n_classes=None):
        """The (output_activation, loss) pair with "auto" resolved from the task:
        sigmoid+bce for 2 classes, softmax+cross_entropy for more, linear+mse for
        regression. `task`/`n_classes` default to the dataset's (give them for a table)."""
        if task is None:
            task = self.task
        if task is None:
            raise ConfigError("dataset", f"the task of {self.dataset} data comes from its "
                                         "table: pass task= and n_classes=")
        if task == "classification" and n_classes is None:
            n_classes = self.n_classes or datasets.REGISTRY[self.dataset].n_classes
        try:
            return output_and_loss(task, n_classes, self.output_activation, self.loss)
        except PairError as e:
            raise ConfigError(e.field, str(e)) from None

    # -- JSON ------------------------------------------------------------------

    def to_dict(self):
        """Plain JSON-ready values (tuples become lists)."""
        d = dataclasses.asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}

    @classmethod
    def from_dict(cls, d):
        if not isinstance(d, Mapping):
            raise ConfigError("config", f"a config must be a JSON object, got {type(d).__name__}")
        unknown = [k for k in d if k not in QUERY_KEYS]
        if unknown:
            raise ConfigError(unknown[0], f"unknown config field {unknown[0]!r}; "
                              f"allowed: {', '.join(QUERY_KEYS)}")
        d = {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}
        return cls(**d)

    def to_json(self):
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text):
        """A Config from JSON text; bad JSON or values, or text over MAX_CONFIG_JSON
        characters, raise ConfigError."""
        if isinstance(text, str | bytes) and len(text) > MAX_CONFIG_JSON:
            raise ConfigError("config", f"the config is {len(text):,} characters of JSON; "
                              f"at most {MAX_CONFIG_JSON:,} are allowed")
        try:
            d = json.loads(text)
        except RecursionError:
            raise ConfigError("config", "the config's JSON is nested too deeply; a config "
                              "is one object of plain values and lists") from None
        except (ValueError, TypeError) as e:
            raise ConfigError("config", f"the config is not valid JSON: {e}") from None
        return cls.from_dict(d)

    # -- share links -------------------------------------------------------------

    def to_query(self):
        """A flat dict of short keys and short strings (see QUERY_KEYS)."""
        q = {}
        for field, key in QUERY_KEYS.items():
            value = getattr(self, field)
            if value is not None and not (field in LEFT_OUT and value == LEFT_OUT[field]):
                q[key] = _format(value)
        return q

    @classmethod
    def from_query(cls, query):
        """(config, warnings) from a query mapping; never raises. Unknown keys and
        bad values are dropped with a warning each and fall back to the defaults of
        the dataset (`defaults_for`), key by key."""
        warnings = []
        try:
            items = dict(query.items())
        except Exception:   # noqa: BLE001 - anything at all may come in
            return cls.defaults_for(DEFAULT_DATASET), [f"ignored a query that is not a "
                                                       f"mapping: {query!r:.60}"]
        given, last = {}, None
        for key, raw in items.items():
            key = str(key)
            if isinstance(raw, list | tuple):
                raw = raw[-1] if raw else ""
            raw = str(raw)
            last = (key, raw)
            field = FIELD_OF_KEY.get(key)
            if field is None:
                warnings.append(f"ignored unknown key {key!r:.40}")
                continue
            longest = QUERY_VALUE_LIMITS.get(field, MAX_QUERY_VALUE)
            if len(raw) > longest:
                warnings.append(f"ignored {key}: its value is {len(raw):,} characters long "
                                f"(at most {longest:,})")
                continue
            try:
                given[field] = _parse(field, raw)
            except ValueError as e:
                warnings.append(f"ignored {key}={raw!r:.40}: {e}")
        warnings += _cut_short(last, given)
        dataset = given.pop("dataset", DEFAULT_DATASET)
        try:
            base = cls.defaults_for(dataset)
        except ConfigError as e:
            warnings.append(f"ignored ds={dataset!r:.40}: {e}; using {DEFAULT_DATASET}")
            base = cls.defaults_for(DEFAULT_DATASET)
        values = {**dataclasses.asdict(base), **given}
        for _ in range(len(values) + 1):
            try:
                return cls(**values), warnings
            except ConfigError as e:
                if e.field not in given:
                    break
                key = QUERY_KEYS[e.field]
                warnings.append(f"ignored {key}={_format(given.pop(e.field))!r:.40}: {e}")
                values[e.field] = getattr(base, e.field)
            except Exception:   # noqa: BLE001 - a share link must never break the page
                break
        warnings.append("the query's values do not fit together; using the defaults")
        return base, warnings

    # -- tuned defaults ----------------------------------------------------------

    @classmethod
    def defaults_for(cls, dataset):
        """The tuned default Config of a dataset: what the app loads when a user
        picks it, and what the accuracy targets are measured with."""
        _dataset(dataset)       # raises with the allowed names
        return cls(dataset=dataset, **DEFAULTS.get(dataset, {}))

    def default_epochs(self):
        """Epochs a headless run of this dataset trains for by default."""
        return EPOCHS.get(self.dataset, 100)


# Tuned per dataset (tests/training/test_accuracy.py holds them to their targets,
# seeds 0-4); a playground user should also enjoy watching these learn.
DEFAULTS = {
    "flower": dict(n_samples=600, hidden=(16, 16)),
    "moons": dict(noise=0.1),
    "circles": dict(),
    "xor": dict(),
    "gaussians": dict(hidden=(4,)),
    "spiral": dict(n_classes=3, hidden=(16, 16)),
    "arithmetic": dict(hidden=(16,), activation="relu", lr=0.01, batch_size=32),
    "plane": dict(hidden=(4,), lr=0.01),
    "multigauss": dict(hidden=(16, 16), lr=0.01),
    "sine": dict(hidden=(16, 16), lr=0.01),
    "digits": dict(hidden=(64,), activation="relu", lr=0.01, batch_size=32),
    "mnist": dict(hidden=(128,), activation="relu", lr=0.001, batch_size=64),
    "csv": dict(lr=0.01, batch_size=32),
}
# Epochs of a headless run (`python -m nnviz train`) when none are given.
EPOCHS = {"flower": 60, "moons": 50, "circles": 100, "xor": 100, "gaussians": 50,
          "spiral": 50, "arithmetic": 15, "plane": 50, "multigauss": 200, "sine": 200,
          "digits": 10, "mnist": 5, "csv": 100}
DEFAULT_DATASET = "circles"


# -- field checks (each returns the normalised value or raises ConfigError) --------

def _dataset(name):
    if not isinstance(name, str) or name not in datasets.REGISTRY:
        raise ConfigError("dataset", f"dataset={name!r} is not known; allowed: "
                          f"{', '.join(datasets.REGISTRY)}")
    return datasets.REGISTRY[name]


def _integer(field, value, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ConfigError(field, f"{field}={value!r} must be a whole number from {low:,} "
                          f"to {high:,}")
    if not low <= value <= high:
        raise ConfigError(field, f"{field}={value!r} is out of range: allowed {low:,} "
                          f"to {high:,}")
    return int(value)


def _number(field, value, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(field, f"{field}={value!r} must be a number from {low:g} to {high:g}")
    if not (math.isfinite(value) and low <= value <= high):
        raise ConfigError(field, f"{field}={value!r} is out of range: allowed {low:g} "
                          f"to {high:g}")
    return float(value)


def _bool(field, value):
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise ConfigError(field, f"{field}={value!r} must be True or False")


def _choice(field, value, allowed):
    """`value` if it is one of `allowed`."""
    if not isinstance(value, str) or value not in allowed:
        raise ConfigError(field, f"{field}={value!r} is not known; allowed: {', '.join(allowed)}")
    return value


def _n_samples(info, n):
    if info.default_samples is None or info.max_samples is None:
        # a table, or files: their rows are known only once read, so None means every
        # row (files: up to their default_samples)
        return None if n is None else _integer("n_samples", n, MIN_SAMPLES, MAX_SAMPLES)
    if n is None:
        n = min(info.default_samples, MAX_SAMPLES)
    high = min(info.max_samples or MAX_SAMPLES, MAX_SAMPLES)
    return _integer("n_samples", n, info.min_samples, high)


def _noise(info, noise):
    if info.default_noise is None:
        what = f"{info.name} (real data)"
        if noise not in (None, 0, 0.0):
            raise ConfigError("noise", f"noise={noise!r} does not apply to {what}; "
                              "leave it None")
        return None
    if noise is None:
        return float(info.default_noise)
    return _number("noise", noise, *info.noise_range)


def _n_classes(info, k):
    option = next((o for o in info.options if o.name == "n_classes"), None)
    if option is None:
        if k is not None:
            takes = [d.name for d in datasets.REGISTRY.values()
                     if any(o.name == "n_classes" for o in d.options)]
            raise ConfigError("n_classes", f"n_classes={k!r} does not apply to {info.name}; "
                              f"only {', '.join(takes)} take it (leave it None)")
        return None
    if k is None:
        return int(option.default)
    return _integer("n_classes", k, int(option.low), int(option.high))


def _points(info, points, n_classes):
    """Drawn points: the text of a set for a dataset that takes them, "" for any other."""
    takes = any(o.kind == "points" for o in info.options)
    if not takes:
        if points not in ("", None):
            raise ConfigError("points", f"points apply only to drawn data; {info.name} takes "
                              "none (leave them empty)")
        return ""
    if points is None:
        return ""
    task = "classification" if info.task == "classification" else "regression"
    try:
        drawn.decode(points, task, n_classes)
    except ValueError as e:
        raise ConfigError("points", f"points={points!r:.40}: {e}") from None
    return points


def _features(info, features):
    plane = info.n_features in (None, 2)      # None: a table, whose width is not known yet
    if features is None:
        return ("x1", "x2") if info.is_plane else None
    if not plane:
        raise ConfigError("features", f"features={features!r} apply only to data with two "
                          f"inputs; {info.name} has {info.n_features}: leave it None")
    if isinstance(features, str):
        features = tuple(f.strip() for f in features.split(","))
    if not isinstance(features, tuple | list):
        raise ConfigError("features", f"features={features!r} must be a list of names from: "
                          f"{', '.join(datasets.FEATURES)}")
    features = tuple(features)
    if not features:
        raise ConfigError("features", "features=() is empty; choose at least one of: "
                          f"{', '.join(datasets.FEATURES)}")
    for f in features:
        if f not in datasets.FEATURES:
            raise ConfigError("features", f"features={features!r} contains {f!r}, which is "
                              "not known; "
                              f"allowed: {', '.join(datasets.FEATURES)}")
    if len(set(features)) != len(features):
        raise ConfigError("features", f"features={features!r} repeats a name; list each once")
    return features


def _hidden(hidden):
    if isinstance(hidden, numbers.Integral) and not isinstance(hidden, bool):
        hidden = (hidden,)
    if not isinstance(hidden, tuple | list):
        raise ConfigError("hidden", f"hidden={hidden!r} must be a list of layer widths, "
                          f"e.g. (8, 8)")
    if len(hidden) > MAX_HIDDEN_LAYERS:
        raise ConfigError("hidden", f"hidden={tuple(hidden)!r} has {len(hidden)} layers; "
                          f"allowed: 0 to {MAX_HIDDEN_LAYERS}")
    for h in hidden:
        if isinstance(h, bool) or not isinstance(h, numbers.Integral) or not 1 <= h <= MAX_UNITS:
            raise ConfigError("hidden", f"hidden={tuple(hidden)!r} has a layer of width {h!r}; "
                              f"allowed: whole numbers from 1 to {MAX_UNITS}")
    return tuple(int(h) for h in hidden)


def _activation(activation, hidden):
    allowed = hidden_activation_names()
    names = ", ".join(allowed)
    if isinstance(activation, str):
        return _choice("activation", activation, allowed)
    if not isinstance(activation, tuple | list) or not activation:
        raise ConfigError("activation", f"activation={activation!r} must be one name for "
                          f"every hidden layer or one per layer; allowed names: {names}")
    for a in activation:
        _choice("activation", a, allowed)
    if len(activation) != len(hidden):
        raise ConfigError("activation", f"activation={tuple(activation)!r} names "
                          f"{len(activation)} layers but hidden={hidden!r} has {len(hidden)}; "
                          "give one name for all, or one per hidden layer")
    if len(set(activation)) == 1:
        return activation[0]     # one name for all layers: a single canonical form
    return tuple(activation)


# -- query strings -----------------------------------------------------------------

def _cut_short(last, given):
    """A note naming the keys a link lacks when it looks cut short: it ends in a key
    with no value, or in a key that is the start of a known one (links are written in
    QUERY_KEYS order, so what is missing is what would have come after)."""
    if last is None:
        return []
    key, raw = last
    field = FIELD_OF_KEY.get(key)
    partial = field is None and any(k.startswith(key) for k in FIELD_OF_KEY)
    if not (partial or (field is not None and raw.strip() == "")):
        return []
    fields = list(QUERY_KEYS)
    after = fields.index(field) + 1 if field is not None else \
        min(fields.index(FIELD_OF_KEY[k]) for k in FIELD_OF_KEY if k.startswith(key))
    missing = [QUERY_KEYS[f] for f in fields[after:] if f not in given
               and f not in LEFT_OUT]
    if not missing:
        return []
    return [f"the link ends at {key!r:.40}, as if cut short: {', '.join(missing)} "
            "were not in it and take their defaults"]


def _format(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value) if value else "none"
    return str(value)


def _parse(field, raw):
    """One query string -> a Python value of the field's type (ValueError if malformed)."""
    raw = raw.strip()
    if field in ("dataset", "output_activation", "loss", "init", "optimizer", "points"):
        return raw
    if field in ("n_samples", "n_classes", "batch_size", "seed", "init_seed"):
        if field in ("n_classes", "init_seed") and raw.lower() in ("", "none"):
            return None
        return _parse_int(raw)
    if field in ("noise", "test_ratio", "lr", "momentum", "l1", "l2"):
        if field == "noise" and raw.lower() in ("", "none"):
            return None
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return value
    if field in ("nesterov", "standardize"):
        flags = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
        if raw.lower() not in flags:
            raise ValueError("expected 1 or 0")
        return flags[raw.lower()]
    parts = [] if raw.lower() in ("", "none") else [p.strip() for p in raw.split(",")]
    if field == "hidden":
        return tuple(_parse_int(p) for p in parts)
    if field == "features":
        return tuple(parts) if parts else None
    if field == "activation":
        if not parts:
            raise ValueError("expected one activation name or one per hidden layer")
        return parts[0] if len(parts) == 1 else tuple(parts)
    raise ValueError(f"no parser for {field}")


def _parse_int(raw):
    if len(raw) > 12 or not raw.lstrip("-").isdigit():
        raise ValueError("expected a whole number")
    return int(raw)
