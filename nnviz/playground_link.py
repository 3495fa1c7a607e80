"""Open a TensorFlow Playground link: its run as an nnviz Config, and what could not come.

    config, notes = from_link("https://playground.tensorflow.org/#activation=tanh&...")

TensorFlow Playground keeps its whole state in the page's hash, `name=value` pairs
joined by `&`; a setting the hash lacks takes its default (src/state.ts). nnviz
rebuilds that run as faithfully as its engine allows:

- the data: its sets by their own formulas (circle, xor, gauss, spiral; reg-plane,
  reg-gauss), 500 points for classes and 1,200 for regression, its noise slider / 100,
  `percTrainData` as the share kept for training;
- the network: its inputs (x, y, x², y², xy, sin x, sin y) in its order, `networkShape`,
  one activation for every hidden layer, and its output: one tanh unit trained towards
  -1 and +1 for classes, a linear unit for regression, both with squared error;
- the training: plain SGD on minibatches of `batchSize`, raw inputs (no
  standardisation), weights U(-0.5, 0.5) and biases 0.1 (init "tfp"), L1 or L2 on the
  weights;
- its loss is ½(out − target)² per point where nnviz's mse is (out − target)²: the
  learning rate is carried as rate / 2 and the regularization rate as 2 · rate, which
  makes every update the same (tests/training/test_playground_link.py checks the algebra).

What cannot come (its Math.random streams, its fixed order of points, L1's clipping at
zero, ...) is said in the notes, one sentence each. Nothing here raises for a bad
value in a link: it is named in a note and TensorFlow Playground's default is used.
Only text that is not such a link at all raises ValueError.
"""

import math
import re
import urllib.parse
import zlib

from nnviz import datasets
from nnviz.config import Config
from nnviz.limits import (
    LR_RANGE,
    MAX_BATCH,
    MAX_HIDDEN_LAYERS,
    MAX_PLAYGROUND_LINK,
    MAX_UNITS,
    REG_RANGE,
    TEST_RATIO_RANGE,
)

HOST = "playground.tensorflow.org"

# Its data sets (src/state.ts: datasets, regDatasets) -> nnviz's, by problem
DATASETS = {
    "classification": {"circle": "tf_circle", "xor": "xor", "gauss": "tf_gauss",
                       "spiral": "tf_spiral"},
    "regression": {"reg-plane": "plane", "reg-gauss": "multigauss"},
}
DATASET_KEY = {"classification": "dataset", "regression": "regDataset"}
SAMPLES = {"classification": 500, "regression": 1200}   # NUM_SAMPLES_CLASSIFY, _REGRESS
OUTPUT = {"classification": "tanh", "regression": "linear"}
# Its inputs in the order of its network (src/playground.ts: INPUTS) -> nnviz's crosses
INPUTS = {"x": "x1", "y": "x2", "xSquared": "x1^2", "ySquared": "x2^2",
          "xTimesY": "x1*x2", "sinX": "sin(x1)", "sinY": "sin(x2)"}
UNUSED_INPUTS = ("cosX", "cosY")     # in its state, but not inputs of its network
# Its settings and their defaults (src/state.ts: State)
DEFAULTS = {
    "activation": "tanh", "regularization": "none", "batchSize": 10.0, "dataset": "circle",
    "regDataset": "reg-plane", "learningRate": 0.03, "regularizationRate": 0.0, "noise": 0.0,
    "networkShape": (4, 2), "seed": None, "showTestData": False, "discretize": False,
    "percTrainData": 50.0, "x": True, "y": True, "xTimesY": False, "xSquared": False,
    "ySquared": False, "cosX": False, "sinX": False, "cosY": False, "sinY": False,
    "collectStats": False, "tutorial": None, "problem": "classification", "initZero": False,
    "hideText": False,
}
CHOICES = {
    "activation": ("relu", "tanh", "sigmoid", "linear"),
    "regularization": ("none", "L1", "L2"),
    "dataset": tuple(DATASETS["classification"]),
    "regDataset": tuple(DATASETS["regression"]),
    "problem": tuple(DATASETS),
}
PAGE_ONLY = ("tutorial", "hideText", "collectStats")   # change its page, not its run
NOISE_LINK_MAX = 80      # its page turns a link's noise above 80 into 50, below 0 into 0
NOISE_OVER = 50


def from_link(text):
    """(Config, notes) of a TensorFlow Playground link (the whole URL, or its hash).

    `notes` are plain sentences: values of the link that were not usable, and what of
    TensorFlow Playground's run nnviz does differently. ValueError when `text` is not
    such a link."""
    state, notes = read_state(text)
    problem = state["problem"]
    dataset = DATASETS[problem][state[DATASET_KEY[problem]]]
    seed = nnviz_seed(state["seed"])
    lr, l1, l2 = _rates(state, notes)
    config = Config(
        dataset=dataset, n_samples=SAMPLES[problem], noise=_noise(state, dataset, notes),
        test_ratio=_test_ratio(state, notes), features=_features(state, notes),
        standardize=False, hidden=state["networkShape"], activation=state["activation"],
        output_activation=OUTPUT[problem], loss="mse", init="tfp", optimizer="sgd", lr=lr,
        l1=l1, l2=l2, batch_size=_batch_size(state, notes), seed=seed)
    return config, notes + _differences(state, config)


def read_state(text):
    """({setting: value} with its defaults filled in, notes): a link's hash read as
    TensorFlow Playground reads it, each unusable value named in a note."""
    pairs = hash_pairs(text)
    state, notes, unknown, page = dict(DEFAULTS), [], [], []
    for name, raw in pairs.items():
        if name.endswith("_hide") or name in PAGE_ONLY:
            if raw.strip() not in ("", "false"):      # its page, set to something
                page.append(name)
        elif name not in DEFAULTS:
            unknown.append(name)
        elif raw.strip() or name == "networkShape":    # empty: no hidden layer
            _read(state, notes, name, raw)
    if unknown:
        notes.append(f"Ignored what TensorFlow Playground does not have: "
                     f"{_names(unknown)}.")
    if page:
        notes.append(f"Ignored settings of its page that do not change the run: "
                     f"{_names(page)}.")
    return state, notes


def hash_pairs(text):
    """{name: value} of the link's hash (after '#'; a hash alone may be given; a link
    copied from a web page's source, with &amp; between its pairs, is read too)."""
    if not isinstance(text, str):
        raise ValueError(f"a TensorFlow Playground link is text, got {type(text).__name__}")
    text = text.strip().replace("&amp;", "&")     # not html.unescape: "&reg" is ®
    if len(text) > MAX_PLAYGROUND_LINK:
        raise ValueError(f"the link is {len(text):,} characters long; a TensorFlow "
                         f"Playground link has at most {MAX_PLAYGROUND_LINK:,}")
    before, mark, fragment = text.partition("#")
    if not mark:
        before, fragment = text, (text.lstrip("?") if "=" in text else "")
    pairs = {}
    for item in fragment.split("&"):
        name, _, value = item.partition("=")
        name = urllib.parse.unquote(name).strip()
        if name:
            pairs[name] = urllib.parse.unquote(value)
    if not any(name in DEFAULTS for name in pairs) and HOST not in before:
        raise ValueError("this is not a TensorFlow Playground link: it names none of its "
                         f"settings (such as activation=, dataset=, networkShape=) after "
                         f"the '#' of {HOST}/#...")
    return pairs


def nnviz_seed(tf_seed):
    """nnviz's whole-number seed for TensorFlow Playground's seed text: the digits of its
    usual form 0.ddddd (0.80370 -> 80370), else the CRC-32 of the text; 0 for none."""
    if tf_seed is None:
        return 0
    digits = re.fullmatch(r"0\.(\d{1,9})", tf_seed.strip())
    return int(digits.group(1)) if digits else zlib.crc32(tf_seed.encode("utf-8"))


# -- reading one value as its page does --------------------------------------------------

def _read(state, notes, name, raw):
    """state[name] = raw read by the setting's type, or a note and its default."""
    default = DEFAULTS[name]
    reader = _choice if name in CHOICES else _shape if name == "networkShape" else \
        _READERS[type(default)]
    try:
        state[name] = reader(raw, name)
    except ValueError as e:
        notes.append(f"Ignored {name}={raw!r:.40}: {e}; its default {_shown(default)} "
                     "is used.")


def _choice(raw, name):
    if raw not in CHOICES[name]:
        raise ValueError(f"TensorFlow Playground knows {', '.join(CHOICES[name])}")
    return raw


def _number(raw, name):
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("not a number") from None
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def _switch(raw, name):
    return raw != "false"      # its rule: anything but "false" is on


def _text(raw, name):
    return raw


def _shape(raw, name):
    parts = [p.strip() for p in raw.split(",")] if raw.strip() else []
    if not all(p.isdigit() and 1 <= int(p) <= MAX_UNITS for p in parts) \
            or len(parts) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"nnviz takes up to {MAX_HIDDEN_LAYERS} hidden layers of 1 to "
                         f"{MAX_UNITS} units, e.g. networkShape=4,2")
    return tuple(int(p) for p in parts)


_READERS = {float: _number, bool: _switch, type(None): _text}


# -- its settings as nnviz's ----------------------------------------------------------------

def _features(state, notes):
    features = tuple(f for name, f in INPUTS.items() if state[name])
    if not features:
        notes.append("The link turns every input off; nnviz needs at least one, so x and y "
                     "are on.")
        return ("x1", "x2")
    return features


def _noise(state, dataset, notes):
    noise = state["noise"]
    if noise > NOISE_LINK_MAX:
        noise = NOISE_OVER
    noise = max(noise, 0.0) / 100
    high = datasets.REGISTRY[dataset].noise_range[1]
    if noise > high:
        notes.append(f"Its noise {100 * noise:g} is above its slider's {100 * high:g}; "
                     f"nnviz uses {100 * high:g}.")
        noise = high
    return noise


def _test_ratio(state, notes):
    ratio = round(1 - state["percTrainData"] / 100, 12)
    low, high = TEST_RATIO_RANGE
    if low <= ratio <= high:
        return ratio
    notes.append(f"Ignored percTrainData={state['percTrainData']:g}: nnviz keeps "
                 f"{100 * (1 - high):g} to {100 * (1 - low):g}% for training; its default "
                 "50 is used.")
    return round(1 - DEFAULTS["percTrainData"] / 100, 12)


def _batch_size(state, notes):
    size = state["batchSize"]
    if size != int(size) or size < 1:
        notes.append(f"Ignored batchSize={size:g}: a batch is a whole number of points; "
                     f"its default {DEFAULTS['batchSize']:g} is used.")
        size = DEFAULTS["batchSize"]
    return min(int(size), MAX_BATCH)        # any size past the training set is full batch


def _rates(state, notes):
    """(lr, l1, l2) of nnviz: its learning rate / 2, its regularization rate * 2."""
    lr = state["learningRate"] / 2
    low, high = LR_RANGE
    if not low <= lr <= high:
        use = min(max(lr, low), high)
        notes.append(f"Its learning rate {state['learningRate']:g} would be {lr:g} in nnviz, "
                     f"which takes {low:g} to {high:g}; {use:g} is used.")
        lr = use
    reg = 2 * state["regularizationRate"] if state["regularization"] != "none" else 0.0
    if not REG_RANGE[0] <= reg <= REG_RANGE[1]:
        use = min(max(reg, REG_RANGE[0]), REG_RANGE[1])
        notes.append(f"Its regularization rate {state['regularizationRate']:g} would be "
                     f"{reg:g} in nnviz, which takes {REG_RANGE[0]:g} to {REG_RANGE[1]:g}; "
                     f"{use:g} is used.")
        reg = use
    return lr, (reg if state["regularization"] == "L1" else 0.0), \
        (reg if state["regularization"] == "L2" else 0.0)


def _differences(state, config):
    """What of TensorFlow Playground's run nnviz does differently, one sentence each."""
    origin = "the link has no seed" if state["seed"] is None else \
        f"from its seed {state['seed']!r:.20}"
    split = " (nnviz's is stratified by class)" if state["problem"] == "classification" \
        else ""
    notes = [
        f"The points follow TensorFlow Playground's own formulas but come from nnviz's "
        f"random stream, seeded {config.seed} ({origin}), not from its Math.random: not "
        f"the same points, nor the same first weights or train/test split{split}."]
    order = ("nnviz reshuffles the training points every epoch; TensorFlow Playground goes "
             "through them in one fixed order")
    n_train = math.floor(SAMPLES[state["problem"]] * state["percTrainData"] / 100)
    if config.batch_size < n_train and n_train % config.batch_size:
        order += " and carries its last, shorter batch over into the next pass"
    notes.append(order + ".")
    rates = f"the learning rate {state['learningRate']:g} is carried as {config.lr:g}"
    reg = state["regularization"]
    if reg != "none":
        rates += f" and the {reg} rate {state['regularizationRate']:g} as " \
                 f"{config.l1 or config.l2:g}"
    notes.append(f"Its loss is ½(output − target)² per point and nnviz's is "
                 f"(output − target)², twice that: {rates}, which makes every update the "
                 "same; the losses nnviz shows are twice its.")
    if reg == "L1":
        notes.append("TensorFlow Playground sets a weight that L1 pushes across zero to "
                     "exactly 0 and freezes it there; nnviz lets it cross.")
    if state["initZero"]:
        notes.append("initZero: TensorFlow Playground would start every weight and bias at "
                     "0; nnviz starts from its usual U(-0.5, 0.5) weights and 0.1 biases.")
    unused = [name for name in UNUSED_INPUTS if state[name]]
    if unused:
        notes.append(f"Ignored {' and '.join(unused)}: TensorFlow Playground's network has "
                     "no such input (its own page ignores it too).")
    views = [label for name, label in (("showTestData", "Show test data"),
                                       ("discretize", "Discretize output")) if state[name]]
    if len(views) == 1:
        notes.append(f"{views[0]} is a switch under nnviz's charts: turn it on there.")
    elif views:
        notes.append(f"{' and '.join(views)} are switches under nnviz's charts: turn them "
                     "on there.")
    return notes


def _names(names):
    shown = ", ".join(f"{n!r:.30}" for n in names[:8])
    return shown + (f" and {len(names) - 8} more" if len(names) > 8 else "")


def _shown(value):
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return f"{value:g}" if isinstance(value, float) else str(value)
