"""Export a run as one standalone Python file that needs only NumPy.

    text = standalone_script(Config.defaults_for("moons"), epochs=200)
    Path(script_filename(config)).write_text(text)
    # python nnviz_moons.py [--epochs N] [--dump run.npz]

The script rebuilds the run the Config describes, bit for bit where nnviz is
deterministic (data, split, standardisation, initial weights, minibatch order),
and trains it with the forward and backward passes written out for a student to
read. Every dataset exports:

- generated data (flower, moons, circles, xor, gaussians, spiral, arithmetic,
  plane, multigauss, sine): nnviz's generator is copied into the script, since
  each is a self-contained NumPy function;
- digits: scikit-learn's `load_digits`, the one marked line that is not NumPy;
- mnist: the IDX files, from a directory or file prefix given on the command line;
- csv: the CSV file given on the command line, read by the upload's rules.
"""

import inspect
import numbers
import string
import textwrap
import urllib.parse

from nnviz import datasets
from nnviz.config import Config
from nnviz.data.scale import TINY
from nnviz.data.table import MAX_CLASSES, TARGET_NAMES
from nnviz.engine.activations import LEAKY_SLOPE
from nnviz.engine.optimizers import Adam

CSV = "csv"                         # the uploaded table's dataset
GENERATED = ("flower", "moons", "circles", "xor", "gaussians", "spiral",
             "arithmetic", "plane", "multigauss", "sine")
FROM_FILE = ("mnist", CSV)          # the script reads these from a path it is given
EXPORTABLE = (*GENERATED, "digits", *FROM_FILE)
MAX_EPOCHS = 1_000_000


def script_filename(config):
    """A file name for the download: nnviz_<dataset>.py."""
    _check_config(config)
    return f"nnviz_{config.dataset}.py"


def standalone_script(config, epochs=None):
    """The text of one Python file (NumPy only) that reproduces the run of `config`.

    `epochs`: how many passes over the training set the script trains by default
    (None: `config.default_epochs()`); the script's `--epochs` flag overrides it.
    Raises ValueError for a dataset it cannot rebuild (see EXPORTABLE) or bad epochs.
    """
    _check_config(config)
    if epochs is None:
        epochs = config.default_epochs()
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) \
            or not 1 <= epochs <= MAX_EPOCHS:
        raise ValueError(f"epochs must be a whole number from 1 to {MAX_EPOCHS:,}, "
                         f"got {epochs!r}")
    if config.dataset not in EXPORTABLE:
        raise ValueError(f"dataset {config.dataset!r} cannot be exported as a script; "
                         f"exportable: {', '.join(EXPORTABLE)}")
    values = _header(config, int(epochs))
    values.update(_settings(config, int(epochs)))
    values.update(_data(config))
    values["preprocessing"] = _preprocessing(config)
    text = string.Template(TEMPLATE).substitute(values)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _check_config(config):
    if not isinstance(config, Config):
        raise ValueError(f"config must be an nnviz Config, got {type(config).__name__}")


# -- the pieces of the template ----------------------------------------------------------

def _architecture(config):
    """e.g. "2-8-8-1 network (tanh, sigmoid output)"; CSV sizes are known only at run time."""
    hidden = config.hidden_activations()
    acts = ", ".join(dict.fromkeys(hidden)) if hidden else "no hidden layer"
    if config.dataset == CSV:
        sizes = "-".join(["inputs", *map(str, config.hidden), "outputs"])
        return f"{sizes} network ({acts}; the table sets the output)"
    out, _ = config.output_and_loss()
    n_in = len(config.features) if config.features else datasets.REGISTRY[config.dataset].n_features
    sizes = "-".join(map(str, [n_in, *config.hidden, _n_outputs(config, out)]))
    return f"{sizes} network ({acts}, {out} output)"


def _n_outputs(config, out):
    info = datasets.info(config.dataset, **config.dataset_options())
    if info.task == "regression":
        return info.n_outputs
    return 1 if out == "sigmoid" else info.n_classes


def _header(config, epochs):
    name = script_filename(config)
    data_arg = {"mnist": " MNIST_DIR", CSV: " data.csv"}.get(config.dataset, "")
    usage = "\n".join([
        f"    python {name}{data_arg}                 # train and print the metrics",
        f"    python {name}{data_arg} --epochs 20     # a shorter run",
        f"    python {name}{data_arg} --dump run.npz  # also save the data and the weights",
    ])
    if config.dataset in GENERATED:
        info = datasets.REGISTRY[config.dataset]
        about = (f"The data: {info.description[0].lower() + info.description[1:]}, made "
                 "by nnviz's own generator (section 2, copied verbatim), so the same seed "
                 "gives the same points.")
        needs = "Needs only NumPy."
    elif config.dataset == "digits":
        about = ("The data: the 8x8 handwritten digits that ship with scikit-learn. Loading "
                 "them is the one line that needs more than NumPy (marked in section 2).")
        needs = "Needs NumPy, and scikit-learn for the images."
    elif config.dataset == "mnist":
        about = ("The data: MNIST from the IDX files you have (train-images-idx3-ubyte and "
                 "train-labels-idx1-ubyte, raw or .gz): give their directory, or a file "
                 "prefix such as data/train, on the command line.")
        needs = "Needs only NumPy."
    else:
        about = ("The data: the CSV file you give on the command line, read as nnviz reads "
                 "an upload: a header row, then numbers; the target is the column named "
                 "label, target or y, else the last one; whole numbers with at most "
                 f"{MAX_CLASSES} distinct values are classes, anything else a regression.")
        needs = "Needs only NumPy."
    query = urllib.parse.urlencode(config.to_query(), safe=",")
    title = (f"{config.dataset}: {_architecture(config)} trained with "
             f"{config.optimizer}, {epochs} epochs.")
    return dict(title=title, needs=needs, usage=usage, about=textwrap.fill(about, 78),
                query=query)


def _settings(config, epochs):
    """The settings block: one aligned `NAME = value  # comment` line each."""
    adam = Adam()
    rows = [("DATASET", config.dataset, "")]
    if config.dataset in GENERATED:
        info = datasets.REGISTRY[config.dataset]
        options = {o.name: o.default for o in info.options}
        options.update(config.dataset_options())
        rows += [("N_SAMPLES", config.n_samples, "samples before the split"),
                 ("NOISE", config.noise, ""),
                 ("DATASET_OPTIONS", options, "more settings of the generator")]
    elif config.dataset == CSV:
        rows.append(("N_SAMPLES", config.n_samples, "None: every row; else a random subset"))
    else:
        rows.append(("N_SAMPLES", config.n_samples, "images, before the split"))
    rows += [
        ("TEST_RATIO", config.test_ratio, "share of the samples held out for testing"),
        ("FEATURES", list(config.features) if config.features else None,
         "network inputs (section 3); None: the raw inputs"),
        ("HIDDEN", list(config.hidden), "units in each hidden layer"),
        ("HIDDEN_ACTIVATIONS", config.hidden_activations(), "one per hidden layer (section 4)"),
    ]
    if config.dataset == CSV:
        rows += [("OUTPUT_ACTIVATION", config.output_activation, "\"auto\": follows the table"),
                 ("LOSS", config.loss, "\"auto\": follows the output (section 2)")]
    else:
        out, loss = config.output_and_loss()
        info = datasets.info(config.dataset, **config.dataset_options())
        rows += [("OUTPUT_ACTIVATION", out, ""), ("LOSS", loss, "section 5"),
                 ("TASK", info.task, ""), ("N_CLASSES", info.n_classes,
                                           "None for regression")]
    rows += [
        ("INIT", config.init, "how the first weights are drawn (section 4)"),
        ("OPTIMIZER", config.optimizer, "\"sgd\", \"momentum\" or \"adam\" (section 7)"),
        ("LEARNING_RATE", config.lr, ""),
        ("MOMENTUM", config.momentum, "\"momentum\" only"),
        ("NESTEROV", config.nesterov, "\"momentum\" only"),
        ("BETA1", adam.beta1, "\"adam\" only"),
        ("BETA2", adam.beta2, "\"adam\" only"),
        ("EPSILON", adam.eps, "\"adam\" only"),
        ("L1", config.l1, "penalties on the weights, never the biases"),
        ("L2", config.l2, ""),
        ("BATCH_SIZE", config.batch_size, ""),
        ("SEED", config.seed, "data, split, first weights and batch order"),
        ("EPOCHS", epochs, "passes over the training set (or --epochs N)"),
    ]
    lines = []
    for name, value, comment in rows:
        line = f"{name} = {_literal(value)}"
        lines.append(f"{line:<40}# {comment}" if comment else line)
    return dict(settings="\n".join(lines), tiny=repr(TINY), leaky=repr(LEAKY_SLOPE))


def _literal(value):
    """Python source for a setting, strings in double quotes."""
    if isinstance(value, str):
        return '"' + value + '"' if value.isprintable() and not set(value) & set('"\\') \
            else repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(_literal, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _data(config):
    if config.dataset in GENERATED:
        fn = datasets.REGISTRY[config.dataset].generate
        source = _self_contained_source(fn)
        section = (DATA_GENERATED.replace("@@SOURCE@@", source.strip())
                   .replace("@@NAME@@", fn.__name__))
        return dict(data=section, imports="", data_arg="",
                    describe=DESCRIBE_FIXED.format(call="load_data()"))
    if config.dataset == "digits":
        return dict(data=DATA_DIGITS, imports="", data_arg="",
                    describe=DESCRIBE_FIXED.format(call="load_data()"))
    if config.dataset == "mnist":
        return dict(data=DATA_MNIST, imports="import gzip\nimport os\n", data_arg=ARG_MNIST,
                    describe=DESCRIBE_FIXED.format(call="load_data(args.data)"))
    data = string.Template(DATA_CSV).substitute(
        target_names=_literal(list(TARGET_NAMES)), max_classes=repr(MAX_CLASSES))
    return dict(data=data, imports="import csv\nimport io\n", data_arg=ARG_CSV,
                describe=DESCRIBE_CSV)


def _self_contained_source(fn):
    """The source of a generator that uses nothing but NumPy (as `np`) and builtins."""
    closure = inspect.getclosurevars(fn)
    foreign = set(closure.globals) - {"np"}
    if closure.nonlocals or foreign:
        raise ValueError(f"the generator {fn.__name__!r} uses {sorted(foreign)} besides "
                         "NumPy, so it cannot be copied into a standalone script")
    return inspect.getsource(fn)


def _preprocessing(config):
    if config.features:
        return PRE_CROSSES
    return PRE_RAW


# -- the script -------------------------------------------------------------------------
# string.Template placeholders are $name; the code inside has no dollar signs.

TEMPLATE = '''\
"""$title

Exported from nnviz, the neural-network playground. $needs

$usage

$about

Same as in nnviz, bit for bit: the data, the train/test split, the
standardisation (fitted on the training set only), the initial weights and the
order of the minibatches. Training is the same arithmetic written out for
reading; nnviz computes Z = [A, 1] @ [W; b] in one product for speed, which
rounds differently in the last digit, so the two drift apart very slowly: the
losses agree to about 14 digits after a few hundred steps, and to 7 or more
after a few thousand.

Open the same run in nnviz by adding this to the app's address:
    ?$query
"""

import argparse
${imports}from itertools import pairwise

import numpy as np

# =============================================================================
# 1. Settings of the run (change them and run again)
# =============================================================================

$settings

# =============================================================================
# 2. The data
# =============================================================================
$data

# =============================================================================
# 3. Train/test split and preprocessing
# =============================================================================

def split(X, y, test_ratio, seed, stratify):
    """Shuffle the rows with `seed` and hold out round(test_ratio * n) for testing.

    Stratified (classification), each class is split on its own, so both parts
    keep the class balance (a class of two or more rows has one in each part).
    """
    rng = np.random.default_rng(seed)
    if stratify:
        train, test = [], []
        for c in np.unique(y):
            rows = rng.permutation(np.flatnonzero(y == c))
            m = len(rows)
            k = min(max(round(test_ratio * m), 1), m - 1) if m >= 2 else 0
            test.append(rows[:k])
            train.append(rows[k:])
        train = rng.permutation(np.concatenate(train))
        test = rng.permutation(np.concatenate(test))
    else:
        rows = rng.permutation(len(X))
        k = min(max(round(test_ratio * len(X)), 1), len(X) - 1)
        test, train = rows[:k], rows[k:]
    return X[train], X[test], y[train], y[test]


def fit_standardizer(X):
    """Mean and standard deviation of each column: (d,), (d,).

    Fitted on the training set only, so the test set stays unseen. A constant
    column keeps std 1 instead of dividing by zero.
    """
    mean, std = X.mean(axis=0), X.std(axis=0)
    return mean, np.where(std < $tiny, 1.0, std)

$preprocessing
# =============================================================================
# 4. The network: activations, first weights, forward pass
# =============================================================================
# Samples are rows. Layer i takes A[i]: (m, n_i) to A[i+1]: (m, n_(i+1)) with
#     Z[i] = A[i] @ W[i] + b[i]       W[i]: (n_i, n_(i+1)),  b[i]: (n_(i+1),)
#     A[i+1] = f_i(Z[i])
# and A[0] is the input X.

def softmax(Z):
    """Each row becomes probabilities: e^z / sum(e^z). Subtracting the row's
    maximum first keeps e^z <= 1 (no overflow) and does not change the result."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


ACTIVATIONS = {                      # f(Z)
    "sigmoid": lambda Z: np.exp(Z - np.logaddexp(0.0, Z)),   # = 1 / (1 + e^-Z), see below
    "tanh": np.tanh,
    "relu": lambda Z: np.maximum(Z, 0.0),
    "leaky_relu": lambda Z: np.maximum(Z, $leaky * Z),
    "linear": lambda Z: Z,
    "softmax": softmax,              # output layer only
}

DERIVATIVES = {                      # f'(Z), given Z and A = f(Z)
    "sigmoid": lambda Z, A: A * (1 - A),
    "tanh": lambda Z, A: 1 - A * A,
    "relu": lambda Z, A: (Z > 0).astype(float),
    "leaky_relu": lambda Z, A: np.where(Z > 0, 1.0, $leaky),
    "linear": lambda Z, A: np.ones_like(Z),
}                                    # (softmax's derivative is folded into its loss)
# The sigmoid is written as e^(z - log(1 + e^z)), which equals 1 / (1 + e^-z) but
# never overflows: np.logaddexp(0, z) = log(e^0 + e^z) is computed safely for any z.


def init_small(n_in, n_out, rng):
    """0.01 * N(0, 1): tiny weights, the classic first try."""
    return 0.01 * rng.standard_normal((n_in, n_out))


def init_xavier(n_in, n_out, rng):
    """Glorot & Bengio (2010): uniform in [-r, r], r = sqrt(6 / (n_in + n_out))."""
    r = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-r, r, size=(n_in, n_out))


def init_he(n_in, n_out, rng):
    """He et al. (2015): N(0, 2 / n_in), made for ReLU layers."""
    return np.sqrt(2.0 / n_in) * rng.standard_normal((n_in, n_out))


INITIALIZERS = {"small": init_small, "xavier": init_xavier, "he": init_he}


def init_params(layer_sizes, seed):
    """[(W, b) for each layer]: W drawn by INIT, b zeros; one random stream,
    drawn layer by layer."""
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in pairwise(layer_sizes):      # (n_0, n_1), (n_1, n_2), ...
        W = INITIALIZERS[INIT](n_in, n_out, rng)
        b = np.zeros(n_out)
        params.append((W, b))
    return params


def forward(params, activations, X):
    """Run X: (m, n_0) through the layers. Returns Zs (one per layer) and
    As = [X, A1, ..., AL]; backprop needs both."""
    Zs, As = [], [X]
    for (W, b), name in zip(params, activations, strict=True):
        Z = As[-1] @ W + b
        Zs.append(Z)
        As.append(ACTIVATIONS[name](Z))
    return Zs, As


# =============================================================================
# 5. Loss, penalty and score
# =============================================================================

def as_targets(y, n_out, loss):
    """What the output layer should produce: (m, n_out). Class labels become
    one-hot rows for cross-entropy and a 0/1 column for bce."""
    if loss == "cross_entropy":
        return (y[:, None] == np.arange(n_out)).astype(float)
    return y.reshape(len(y), -1).astype(float)


def data_loss(Z, A, Y, loss):
    """Mean loss over the m samples; Z, A: the output layer's (m, n_out)."""
    m = len(Y)
    if loss == "bce":
        # -[y log(a) + (1 - y) log(1 - a)] with a = sigmoid(z) simplifies to
        # log(1 + e^z) - y z; np.logaddexp(0, z) = log(e^0 + e^z) never overflows.
        return (np.logaddexp(0.0, Z).sum() - (Y * Z).sum()) / m
    if loss == "cross_entropy":
        # -sum_k y_k log softmax(z)_k = log(sum_k e^z_k) - z_(true class)
        return (np.logaddexp.reduce(Z, axis=1).sum() - (Y * Z).sum()) / m
    return ((A - Y) ** 2).mean()     # mse: mean over every sample and output


def penalty(params):
    """L1 * sum|W| + 0.5 * L2 * sum W^2 over every weight (biases are free)."""
    total = 0.0
    for W, _ in params:
        total += L1 * np.abs(W).sum() + 0.5 * L2 * (W * W).sum()
    return total


def score(A, y, task):
    """Accuracy (classification) or R^2 averaged over the outputs (regression)."""
    if task == "classification":
        predicted = (A[:, 0] > 0.5) if A.shape[1] == 1 else A.argmax(axis=1)
        return np.mean(predicted == y)
    ss_res = ((A - y) ** 2).sum(axis=0)
    ss_tot = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
    return np.mean(1 - ss_res / np.where(ss_tot > 0, ss_tot, 1.0))


# =============================================================================
# 6. Backpropagation
# =============================================================================
# dZ[i] holds dLoss_s/dZ[i] for each sample s (one row per sample). From it:
#     dW[i] = A[i].T @ dZ[i] / m        db[i] = mean of dZ[i] over the rows
#     dA[i] = dZ[i] @ W[i].T            dZ[i-1] = dA[i] * f'(Z[i-1])
# (the chain rule, one layer down at a time).

# Output layer and loss whose derivatives cancel to dLoss/dZ = A - Y
# (times 2/k for the mean squared error over k outputs).
CANONICAL_PAIRS = {("sigmoid", "bce"), ("softmax", "cross_entropy"), ("linear", "mse")}


def backward(params, activations, loss, Zs, As, Y):
    """Gradients [(dW, db) for each layer] of the mean loss plus the penalty."""
    m, k = Y.shape
    A_out, Z_out = As[-1], Zs[-1]
    if (activations[-1], loss) in CANONICAL_PAIRS:
        dZ = A_out - Y if loss != "mse" else 2 * (A_out - Y) / k
    else:
        # Only mse can follow another output function (bce needs sigmoid, and
        # cross-entropy softmax): dLoss/dA = 2 (A - Y) / k, times f'(Z).
        dA = 2 * (A_out - Y) / k
        dZ = dA * DERIVATIVES[activations[-1]](Z_out, A_out)
    grads = [None] * len(params)
    for i in reversed(range(len(params))):     # layer i: from the output down
        W, _ = params[i]
        dW = As[i].T @ dZ / m
        db = dZ.sum(axis=0) / m
        if L2:
            dW = dW + L2 * W             # d/dW of 0.5 * L2 * W^2
        if L1:
            dW = dW + L1 * np.sign(W)    # d/dW of L1 * |W|
        grads[i] = (dW, db)
        if i > 0:
            dA = dZ @ W.T                # back through the weights...
            dZ = dA * DERIVATIVES[activations[i - 1]](Zs[i - 1], As[i])   # ...and f'
    return grads


# =============================================================================
# 7. The optimizer: one update of every W and b from its gradient g
# =============================================================================

def unpack(pairs):
    """[(W0, b0), (W1, b1), ...] -> [W0, b0, W1, b1, ...] (the same arrays)."""
    return [array for pair in pairs for array in pair]


def new_optimizer_state(params):
    """The step count, and zeros shaped like each parameter for the velocity
    (momentum) and the running means m and v (adam)."""
    return {"t": 0,
            "velocity": [np.zeros_like(p) for p in unpack(params)],
            "m": [np.zeros_like(p) for p in unpack(params)],
            "v": [np.zeros_like(p) for p in unpack(params)]}


def optimizer_step(params, grads, state):
    """Update every W and b in place (p -= ... changes the arrays in params)."""
    state["t"] += 1
    t = state["t"]
    for j, (p, g) in enumerate(zip(unpack(params), unpack(grads), strict=True)):
        if OPTIMIZER == "sgd":                          # p <- p - lr g
            p -= LEARNING_RATE * g
        elif OPTIMIZER == "momentum":
            v = state["velocity"][j]                    # v <- mu v + g
            v *= MOMENTUM
            v += g
            if NESTEROV:                                # p <- p - lr (g + mu v)
                p -= LEARNING_RATE * (g + MOMENTUM * v)
            else:                                       # p <- p - lr v
                p -= LEARNING_RATE * v
        else:                                           # adam (Kingma & Ba, 2015)
            m, v = state["m"][j], state["v"][j]
            m[...] = BETA1 * m + (1 - BETA1) * g        # running mean of g
            v[...] = BETA2 * v + (1 - BETA2) * g * g    # running mean of g^2
            m_hat = m / (1 - BETA1 ** t)                # both start at 0: undo that bias
            v_hat = v / (1 - BETA2 ** t)
            p -= LEARNING_RATE * m_hat / (np.sqrt(v_hat) + EPSILON)


# =============================================================================
# 8. Training
# =============================================================================

def evaluate(params, activations, loss, task, X, Y, y):
    """(mean data loss, accuracy or R^2) on a whole set."""
    Zs, As = forward(params, activations, X)
    return data_loss(Zs[-1], As[-1], Y, loss), score(As[-1], y, task)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
$data_arg    parser.add_argument("--epochs", type=int, default=EPOCHS,
                        help=f"passes over the training set (default {EPOCHS})")
    parser.add_argument("--dump", metavar="PATH",
                        help="save the data, the first and the last weights to an .npz")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    return args


def main(argv=None):
    args = parse_args(argv)

    # The data, split, and scaled with statistics of the training set only.
$describe
    X_train_raw, X_test_raw, y_train_raw, y_test_raw = split(
        X, y, TEST_RATIO, SEED, stratify=task == "classification")
    inputs_train, inputs_test = make_inputs(X_train_raw), make_inputs(X_test_raw)
    x_mean, x_std = fit_standardizer(inputs_train)
    X_train = (inputs_train - x_mean) / x_std
    X_test = (inputs_test - x_mean) / x_std
    if task == "regression":         # targets are standardised too
        y_mean, y_std = fit_standardizer(y_train_raw)
        y_train, y_test = (y_train_raw - y_mean) / y_std, (y_test_raw - y_mean) / y_std
        n_out = y.shape[1]
    else:                            # class labels 0..k-1 stay as they are
        y_train, y_test = y_train_raw, y_test_raw
        n_out = 1 if output_activation == "sigmoid" else n_classes
    Y_train = as_targets(y_train, n_out, loss)
    Y_test = as_targets(y_test, n_out, loss)

    # The network.
    layer_sizes = [X_train.shape[1], *HIDDEN, n_out]
    activations = [*HIDDEN_ACTIVATIONS, output_activation]
    params = init_params(layer_sizes, SEED)
    first_params = [(W.copy(), b.copy()) for W, b in params]
    state = new_optimizer_state(params)
    print(f"{DATASET}: {len(X_train)} training and {len(X_test)} test samples; layers "
          f"{layer_sizes}, {', '.join(activations)}; {loss} loss; {OPTIMIZER}, "
          f"learning rate {LEARNING_RATE:g}")

    # Minibatch gradient descent. Each epoch visits the training set in a new
    # random order (the batch order has its own random stream), one batch at a time.
    n = len(X_train)
    batch_size = min(BATCH_SIZE, n)
    rng = np.random.default_rng([SEED, 1])
    name = "accuracy" if task == "classification" else "R^2"
    print(f"{'epoch':>7} {'step':>8} {'train loss':>11} {'test loss':>10} "
          f"{'train ' + name:>15} {'test ' + name:>14}")
    report_every = max(1, args.epochs // 10)
    step, diverged = 0, False
    for epoch in range(1, args.epochs + 1):
        order = rng.permutation(n) if batch_size < n else np.arange(n)
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            Zs, As = forward(params, activations, X_train[rows])
            batch_loss = data_loss(Zs[-1], As[-1], Y_train[rows], loss)
            if not np.isfinite(batch_loss):
                diverged = True
                break
            grads = backward(params, activations, loss, Zs, As, Y_train[rows])
            optimizer_step(params, grads, state)
            step += 1
        if diverged:
            print(f"Training diverged at step {step + 1}: the loss became {batch_loss}. "
                  f"Try a learning rate of {LEARNING_RATE / 10:g} or lower.")
            break
        if epoch % report_every == 0 or epoch == args.epochs:
            train_loss, train_score = evaluate(params, activations, loss, task,
                                               X_train, Y_train, y_train)
            test_loss, test_score = evaluate(params, activations, loss, task,
                                             X_test, Y_test, y_test)
            print(f"{epoch:>7} {step:>8} {train_loss:>11.5f} {test_loss:>10.5f} "
                  f"{train_score:>15.4f} {test_score:>14.4f}")

    train_loss, train_score = evaluate(params, activations, loss, task, X_train, Y_train, y_train)
    test_loss, test_score = evaluate(params, activations, loss, task, X_test, Y_test, y_test)
    print(f"final after {step} steps: train loss {train_loss:.6f}, test loss {test_loss:.6f}, "
          f"train {name} {train_score:.4f}, test {name} {test_score:.4f}"
          + (f" (penalty {penalty(params):.6f})" if L1 or L2 else ""))

    if args.dump:
        arrays = {"X": X, "y": y, "X_train_raw": X_train_raw, "X_test_raw": X_test_raw,
                  "y_train_raw": y_train_raw, "y_test_raw": y_test_raw,
                  "X_train": X_train, "X_test": X_test, "y_train": y_train, "y_test": y_test,
                  "steps": step, "train_loss": train_loss, "test_loss": test_loss,
                  "train_score": train_score, "test_score": test_score}
        for i, ((W0, b0), (W, b)) in enumerate(zip(first_params, params, strict=True)):
            arrays.update({f"W{i}_first": W0, f"b{i}_first": b0, f"W{i}": W, f"b{i}": b})
        np.savez(args.dump, **arrays)
        print(f"saved {args.dump}")


if __name__ == "__main__":
    main()
'''

DESCRIBE_FIXED = '''\
    X, y = {call}
    task, n_classes = TASK, N_CLASSES
    output_activation, loss = OUTPUT_ACTIVATION, LOSS'''

DESCRIBE_CSV = '''\
    X, y, task, n_classes = load_data(args.data)
    output_activation, loss = output_and_loss(task, n_classes)'''

ARG_MNIST = '''\
    parser.add_argument("data", help="directory (or file prefix) of the MNIST IDX files")
'''

ARG_CSV = '''\
    parser.add_argument("data", help="the CSV file: a header row, then numbers")
'''

DATA_GENERATED = '''\
# nnviz's own generator, copied verbatim: the same formulas and the same random
# draws, so the same seed gives the same arrays.

@@SOURCE@@


def load_data():
    """X: (n_samples, n_inputs) raw inputs; y: (n_samples,) class labels 0..k-1,
    or (n_samples, n_outputs) regression targets."""
    return @@NAME@@(n_samples=N_SAMPLES, noise=NOISE, seed=SEED, **DATASET_OPTIONS)
'''

DATA_DIGITS = '''\

def load_data():
    """X: (n, 64) pixels scaled to [0, 1]; y: (n,) digits 0..9. All 1797 images,
    or a random subset of N_SAMPLES of them (drawn with SEED)."""
    from sklearn.datasets import load_digits  # the only line that needs more than NumPy

    data = load_digits()
    X = data.data.astype(np.float64) / 16.0
    y = data.target.astype(np.int64)
    if N_SAMPLES < len(X):
        rows = np.random.default_rng(SEED).permutation(len(X))[:N_SAMPLES]
        X, y = X[rows], y[rows]
    return X, y
'''

DATA_MNIST = '''\

def read_idx(path):
    """An IDX file (MNIST's format, raw or gzip) as a uint8 array. Layout: two zero
    bytes, a type code (0x08 = unsigned bytes), the number of dimensions, one
    big-endian uint32 size per dimension, then the data."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\\x1f\\x8b":                  # gzip's magic number
        raw = gzip.decompress(raw)
    if raw[:3] != b"\\x00\\x00\\x08":
        raise SystemExit(f"{path} is not an IDX file of unsigned bytes")
    ndim = raw[3]
    shape = tuple(int(s) for s in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def find(path, kind):
    """The images or labels file in a directory, or next to a prefix (data/train)."""
    stems = {"images": ["train-images-idx3-ubyte", "train-images.idx3-ubyte"],
             "labels": ["train-labels-idx1-ubyte", "train-labels.idx1-ubyte"]}[kind]
    if os.path.isdir(path):
        candidates = [os.path.join(path, stem) for stem in stems]
    else:
        candidates = [path + ("-images-idx3-ubyte" if kind == "images" else "-labels-idx1-ubyte")]
    for candidate in candidates:
        for name in (candidate, candidate + ".gz"):
            if os.path.isfile(name):
                return name
    raise SystemExit(f"no MNIST {kind} file at {path}; looked for {', '.join(candidates)}[.gz]")


def load_data(path):
    """X: (n, 784) pixels scaled to [0, 1]; y: (n,) digits 0..9: N_SAMPLES images
    drawn with SEED (all of them, in order, if the files hold exactly N_SAMPLES)."""
    images, labels = read_idx(find(path, "images")), read_idx(find(path, "labels"))
    X, y = images.reshape(len(images), -1), labels
    if N_SAMPLES > len(X):
        raise SystemExit(f"N_SAMPLES is {N_SAMPLES} but the files hold {len(X)} images")
    if N_SAMPLES < len(X):
        rows = np.random.default_rng(SEED).permutation(len(X))[:N_SAMPLES]
        X, y = X[rows], y[rows]
    return X.astype(np.float64) / 255.0, y.astype(np.int64)
'''

DATA_CSV = '''\

def load_data(path):
    """Read the CSV: X: (n, d) inputs; y: (n,) class labels 0..k-1 or (n, 1)
    targets; the task; the number of classes (None for regression).

    The separator is the most common of , ; and tab in the first line. The
    target is the column named label, target or y (any case), else the last.
    Whole-number targets with at most $max_classes distinct values are classes,
    numbered 0..k-1 in sorted order; anything else is a regression.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except OSError as e:
        raise SystemExit(f"cannot read {path}: {e.strerror}") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\\t", key=first.count)
    rows = [cells for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                                          skipinitialspace=True) if "".join(cells).strip()]
    header = [name.strip().lower() for name in rows[0]]
    values = np.array(rows[1:], dtype=np.float64)
    targets = [name for name in $target_names if name in header]
    j = header.index(targets[0]) if targets else len(header) - 1
    X, t = np.delete(values, j, axis=1), values[:, j]
    if N_SAMPLES is not None and N_SAMPLES < len(X):   # a random subset, in file order
        rows = np.sort(np.random.default_rng(SEED).permutation(len(X))[:N_SAMPLES])
        X, t = X[rows], t[rows]
    classes = np.unique(t)
    if np.all(t == np.round(t)) and len(classes) <= $max_classes:
        if len(classes) < 2:
            raise SystemExit(f"the target column holds a single class ({classes[0]:g})")
        return X, np.searchsorted(classes, t).astype(np.int64), "classification", len(classes)
    return X, t.reshape(-1, 1), "regression", None


def output_and_loss(task, n_classes):
    """The output activation and loss ("auto": sigmoid + bce for two classes,
    softmax + cross-entropy for more, linear + mse for regression)."""
    if task == "regression":
        return ("linear" if OUTPUT_ACTIVATION == "auto" else OUTPUT_ACTIVATION), "mse"
    if n_classes > 2 or OUTPUT_ACTIVATION == "softmax" or LOSS == "cross_entropy":
        return "softmax", "cross_entropy"
    return "sigmoid", "bce"
'''

PRE_CROSSES = '''\

# The network's inputs are features of the raw inputs x1, x2 (TensorFlow
# Playground's seven), the columns named in FEATURES, in that order.
CROSSES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] ** 2,
    "x2^2": lambda X: X[:, 1] ** 2,
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin(x1)": lambda X: np.sin(X[:, 0]),
    "sin(x2)": lambda X: np.sin(X[:, 1]),
}


def make_inputs(X_raw):
    """X_raw: (m, 2) -> (m, len(FEATURES)), one column per feature."""
    if X_raw.shape[1] != 2:
        raise SystemExit(f"FEATURES need data with two inputs, this has {X_raw.shape[1]}")
    return np.column_stack([CROSSES[name](X_raw) for name in FEATURES])

'''

PRE_RAW = '''\

def make_inputs(X_raw):
    """The network's inputs are the raw inputs themselves."""
    return X_raw

'''
