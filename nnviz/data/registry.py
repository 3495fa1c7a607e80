"""The dataset table the app, the CLI and the exporter list from, and `load`.

Every dataset is one entry, and its `kind` says where its rows come from and so
what it can do:

    generated  a NumPy function of the seed: a link rebuilds it, a script copies it
    bundled    real data shipped inside an installed package (no download)
    files      real data read from files the user or the server has (`path=`)
    table      a table the user uploads (`table=`, from `from_csv`)

Nothing outside this module decides by a dataset's name: it asks the entry
(`from_link`, `needs`, `drawn`, `is_plane`, `task`, `min_samples`, ...), or this
module (`drawn_set(task)`: the set the Draw tool turns a run into).
"""

import dataclasses
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnviz.data import drawn, regression, synthetic
from nnviz.data.digits import digits
from nnviz.data.mnist import DEFAULT_SAMPLES, PIXELS, mnist
from nnviz.data.table import Table, table_rows
from nnviz.limits import MAX_DRAWN_CLASSES, MAX_DRAWN_POINTS, MAX_SAMPLES, MIN_SAMPLES

TASKS = ("classification", "regression")
KINDS = ("generated", "drawn", "bundled", "files", "table")


@dataclass(frozen=True)
class Option:
    """An extra keyword option of one dataset: `kind` is "int", "float", "path",
    "table" or "points" (text, see nnviz.data.drawn); numbers must lie in [low, high];
    a path or table option with default None is required."""

    name: str
    kind: str
    default: object
    low: float | None = None
    high: float | None = None
    description: str = ""

    def allowed(self):
        if self.kind == "path":
            return f"{self.name} (a directory or file prefix)"
        if self.kind == "table":
            return f"{self.name} (a Table from from_csv)"
        if self.kind == "points":
            return f"{self.name} (text of drawn points)"
        return f"{self.name} ({self.kind}, {self.low:g} to {self.high:g})"


@dataclass(frozen=True)
class DatasetInfo:
    """What one dataset is. `kind`: see KINDS. `n_classes` is None for regression;
    `target_names` names the classes (classification) or the outputs (regression);
    `default_noise` is None for real data (no noise setting), whose `default_samples`
    is a cap (files with fewer rows give all of them; None: every row); `extent` is
    the usual input range per feature at the default noise (None for images). A
    table's task, sizes and names are None until `info(name, table=...)`."""

    name: str
    task: str | None
    n_features: int | None
    n_classes: int | None
    n_outputs: int | None
    default_samples: int | None
    default_noise: float | None
    options: tuple[Option, ...]
    description: str
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    generate: Callable = dataclasses.field(repr=False, compare=False)
    noise_range: tuple[float, float] | None = None
    max_samples: int | None = MAX_SAMPLES
    extent: tuple[tuple[float, float], ...] | None = None
    kind: str = "generated"
    labels: tuple[str, ...] | None = None

    @property
    def class_labels(self):
        """What each class index stands for in the data itself (a table's own labels;
        else 0, 1, ...), or None for regression."""
        if self.task != "classification":
            return None
        return self.labels or tuple(str(j) for j in range(self.n_classes))

    @property
    def is_plane(self):
        """Two inputs: a decision boundary / heat map and feature crosses make sense."""
        return self.n_features == 2

    @property
    def drawn(self):
        """True for points drawn by hand: the Config's `points` carry them, the boundary
        chart's Draw tool edits them while the same network trains on."""
        return self.kind == "drawn"

    @property
    def min_samples(self):
        """The fewest samples a run of it may ask for: two of each class at the least."""
        return max(MIN_SAMPLES, 2 * (self.n_classes or 1))

    @property
    def from_link(self):
        """True when a Config alone rebuilds the data (a share link carries it all)."""
        return self.needs is None

    @property
    def needs(self):
        """The option the data cannot be made without ("path", "table"), or None."""
        return next((o.name for o in self.options
                     if o.kind in ("path", "table") and o.default is None), None)

    def option(self, name):
        return next(o for o in self.options if o.name == name)


def class_names(k):
    """The names of k classes that have no names of their own: "class 0", "class 1", ..."""
    return tuple(f"class {j}" for j in range(k))


N_CLASSES = Option("n_classes", "int", 2, 2, 8, "number of classes")
XY = ("x1", "x2")
TF_EXTENT = ((-6.0, 6.0), (-6.0, 6.0))      # TensorFlow Playground draws every set on this


def _plane_set(name, fn, noise, noise_max, description, extent, options=(), n_classes=2,
               samples=400):
    return DatasetInfo(
        name=name, task="classification", n_features=2, n_classes=n_classes, n_outputs=1,
        default_samples=samples, default_noise=noise, options=options, description=description,
        feature_names=XY, target_names=class_names(n_classes), generate=fn,
        noise_range=(0.0, noise_max), extent=extent,
    )


ENTRIES = [
    _plane_set("flower", synthetic.flower, 0.2, 1.0,
               "Two interleaved sets of flower petals (the one-hidden-layer tutorial's data)",
               ((-5.0, 5.0), (-5.0, 5.0))),
    _plane_set("moons", synthetic.moons, 0.2, 1.0,
               "Two interleaving half circles",
               ((-1.5, 2.5), (-1.0, 1.5))),
    _plane_set("circles", synthetic.circles, 0.1, 1.0,
               "A small circle inside a large one",
               ((-1.5, 1.5), (-1.5, 1.5)),
               options=(Option("factor", "float", 0.5, 0.1, 0.9,
                               "inner radius / outer radius"),)),
    _plane_set("xor", synthetic.xor, 0.1, 0.5,
               "Four quadrants, class by the sign of x1·x2 (needs a hidden layer)",
               TF_EXTENT),
    _plane_set("gaussians", synthetic.gaussians, 0.8, 3.0,
               "Round Gaussian blobs, one per class (noise is their spread)",
               ((-7.0, 7.0), (-7.0, 7.0)), options=(N_CLASSES,)),
    _plane_set("spiral", synthetic.spiral, 0.2, 1.0,
               "Interleaved spiral arms, one per class",
               ((-1.2, 1.2), (-1.2, 1.2)), options=(N_CLASSES,)),
    # TensorFlow Playground's own sets (its xor is "xor" above): 500 points, noise 0 to 0.5
    _plane_set("tf_circle", synthetic.tf_circle, 0.0, 0.5,
               "TensorFlow Playground's circle: a disc of radius 2.5 in a ring from 3.5 to 5",
               TF_EXTENT, samples=500),
    _plane_set("tf_gauss", synthetic.tf_gauss, 0.0, 0.5,
               "TensorFlow Playground's two Gaussians, around (2, 2) and (-2, -2)",
               TF_EXTENT, samples=500),
    _plane_set("tf_spiral", synthetic.tf_spiral, 0.0, 0.5,
               "TensorFlow Playground's spiral: two arms out to radius 5",
               TF_EXTENT, samples=500),
    DatasetInfo(
        name="arithmetic", task="regression", n_features=2, n_classes=None, n_outputs=3,
        default_samples=10_000, default_noise=0.0, options=(),
        description="Learn a+b, a−b and |a−b| from a, b in [0, 100]",
        feature_names=("a", "b"), target_names=("a+b", "a-b", "|a-b|"),
        generate=regression.arithmetic, noise_range=(0.0, 50.0),
        extent=((0.0, 100.0), (0.0, 100.0)),
    ),
    DatasetInfo(
        name="plane", task="regression", n_features=2, n_classes=None, n_outputs=1,
        default_samples=400, default_noise=0.0, options=(),
        description="A tilted plane, z = (x1 + x2) / 10 (TensorFlow Playground's)",
        feature_names=XY, target_names=("z",), generate=regression.plane,
        noise_range=(0.0, 0.5), extent=TF_EXTENT,
    ),
    DatasetInfo(
        name="multigauss", task="regression", n_features=2, n_classes=None, n_outputs=1,
        default_samples=400, default_noise=0.0, options=(),
        description="Six signed Gaussian bumps (TensorFlow Playground's)",
        feature_names=XY, target_names=("z",), generate=regression.multigauss,
        noise_range=(0.0, 0.5), extent=TF_EXTENT,
    ),
    DatasetInfo(
        name="sine", task="regression", n_features=1, n_classes=None, n_outputs=1,
        default_samples=200, default_noise=0.1, options=(),
        description="One input, y = sin(x) + noise: a fit drawn as a curve",
        feature_names=("x",), target_names=("y",), generate=regression.sine,
        noise_range=(0.0, 1.0), extent=((-2 * math.pi, 2 * math.pi),),
    ),
    DatasetInfo(
        name="drawn", task="classification", n_features=2, n_classes=2, n_outputs=1,
        default_samples=None, default_noise=None,
        options=(Option("points", "points", "", description="the points, as drawn.encode "
                        "writes them"),
                 Option("n_classes", "int", 2, 2, MAX_DRAWN_CLASSES, "number of classes")),
        description="Points you draw on the plane, of two to four classes",
        feature_names=XY, target_names=class_names(2), generate=drawn.drawn, kind="drawn",
        max_samples=MAX_DRAWN_POINTS, extent=(drawn.PLANE, drawn.PLANE),
    ),
    DatasetInfo(
        name="drawn_values", task="regression", n_features=2, n_classes=None, n_outputs=1,
        default_samples=None, default_noise=None,
        options=(Option("points", "points", "", description="the points, as drawn.encode "
                        "writes them"),),
        description="Points you draw on the plane, each with a value from -1 to 1",
        feature_names=XY, target_names=("z",), generate=drawn.drawn, kind="drawn",
        max_samples=MAX_DRAWN_POINTS, extent=(drawn.PLANE, drawn.PLANE),
    ),
    DatasetInfo(
        name="digits", task="classification", n_features=64, n_classes=10, n_outputs=1,
        default_samples=1797, default_noise=None, options=(),
        description="8×8 handwritten digits (1797 images, shipped with scikit-learn)",
        feature_names=tuple(f"pixel {r},{c}" for r in range(8) for c in range(8)),
        target_names=tuple(str(d) for d in range(10)), generate=digits,
        max_samples=1797, kind="bundled",
    ),
    DatasetInfo(
        name="mnist", task="classification", n_features=784, n_classes=10, n_outputs=1,
        default_samples=DEFAULT_SAMPLES, default_noise=None,
        options=(Option("path", "path", None, description="directory or file prefix of "
                        "train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]"),),
        description="28×28 handwritten digits from MNIST IDX files you provide",
        feature_names=PIXELS, target_names=tuple(str(d) for d in range(10)), generate=mnist,
        max_samples=None, kind="files",
    ),
    DatasetInfo(
        name="csv", task=None, n_features=None, n_classes=None, n_outputs=None,
        default_samples=None, default_noise=None,
        options=(Option("table", "table", None, description="table read by from_csv"),),
        description="Your own table: a CSV of numbers with a header row (or MNIST images "
                    "uploaded as IDX files)",
        feature_names=(), target_names=(), generate=table_rows, kind="table",
    ),
]
REGISTRY = {d.name: d for d in ENTRIES}


def names(task=None, kind=None):
    """Dataset names in display order, optionally only those of one task or kind."""
    if task is not None and task not in TASKS:
        raise ValueError(f"unknown task {task!r}; allowed: {', '.join(TASKS)}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; allowed: {', '.join(KINDS)}")
    return [n for n, d in REGISTRY.items()
            if (task is None or d.task == task) and (kind is None or d.kind == kind)]


def drawn_set(task):
    """The name of the drawn dataset of `task`: what the Draw tool turns a run into."""
    return next(n for n, d in REGISTRY.items() if d.drawn and d.task == task)


def drawn_classes(k):
    """How many classes a drawn set keeps of data with `k` (None: 2): 2 to MAX_DRAWN_CLASSES."""
    return min(max(k or 2, 2), MAX_DRAWN_CLASSES)


def info(name, **options):
    """The DatasetInfo of `name`; with options (n_classes=3, table=...) its task,
    counts and names match them."""
    d = _entry(name)
    opts = _options(d, options, require=False)
    if "n_classes" in opts:
        k = opts["n_classes"]
        d = dataclasses.replace(d, n_classes=k, target_names=class_names(k))
    table = opts.get("table")
    if table is not None:
        classes = table.task == "classification"
        d = dataclasses.replace(
            d, task=table.task, n_features=table.X.shape[1],
            n_classes=table.n_classes, n_outputs=1 if classes else table.y.shape[1],
            feature_names=tuple(table.feature_names),
            target_names=tuple(str(c) for c in table.classes) if classes
            else tuple(table.target_names),
            labels=tuple(str(c) for c in table.classes) if classes else None)
    return d


def load(name, n_samples=None, noise=None, seed=0, **options):
    """X: (n_samples, n_features) float64; y: (n_samples,) int64 labels 0..k-1 for
    classification, (n_samples, n_outputs) float64 for regression.

    None takes the dataset's default; bad names or values raise ValueError.
    """
    d = info(name, **options)
    opts = _options(d, options)
    if seed is None or isinstance(seed, bool) or not isinstance(seed, numbers.Integral) \
            or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if n_samples is None:   # real data applies its own default: it knows its row count
        n = None if d.default_noise is None else d.default_samples
    else:
        n = _n_samples(d, n_samples)
    kwargs = dict(n_samples=n, seed=int(seed), **opts)
    if d.default_noise is None:
        if noise is not None and not (isinstance(noise, numbers.Real) and noise == 0):
            raise ValueError(f"{name} is real data and has no noise setting; "
                             f"got noise={noise!r}, leave it None")
    else:
        kwargs["noise"] = d.default_noise if noise is None else _noise(d, noise)
    X, y = d.generate(**kwargs)
    X = np.ascontiguousarray(X, dtype=np.float64)
    y = np.ascontiguousarray(y, dtype=np.int64 if d.task == "classification" else np.float64)
    return X, y


def _entry(name):
    if not isinstance(name, str) or name not in REGISTRY:
        raise ValueError(f"unknown dataset {name!r}; choose one of: {', '.join(REGISTRY)}")
    return REGISTRY[name]


def _options(d, options, require=True):
    """Validated options with defaults filled in; `require`: a path must be given."""
    allowed = {o.name: o for o in d.options}
    for key in options:
        if key not in allowed:
            what = ", ".join(o.allowed() for o in d.options) or "none"
            raise ValueError(f"unknown option {key!r} for dataset {d.name!r}; allowed: {what}")
    out = {}
    for o in d.options:
        value = options.get(o.name, o.default)
        if o.kind in ("path", "table"):
            if value is None and not require:
                continue
            if value is None:
                raise ValueError(f"dataset {d.name!r} needs {o.name}=: the {o.description}")
            if o.kind == "path" and not isinstance(value, str) \
                    and not hasattr(value, "__fspath__"):
                raise ValueError(f"{o.name} must be a path, got {value!r}")
            if o.kind == "table" and not isinstance(value, Table):
                raise ValueError(f"{o.name} must be a Table (from_csv), got "
                                 f"{type(value).__name__}")
        elif o.kind == "points":
            if not isinstance(value, str):
                raise ValueError(f"{o.name} must be the text of drawn points, got {value!r:.40}")
        elif o.kind == "int":
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) \
                    or not o.low <= value <= o.high:
                raise ValueError(f"{o.name} for {d.name} must be an integer from "
                                 f"{o.low:g} to {o.high:g}, got {value!r}")
            value = int(value)
        else:
            if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                    or not o.low <= value <= o.high:
                raise ValueError(f"{o.name} for {d.name} must be a number from "
                                 f"{o.low:g} to {o.high:g}, got {value!r}")
            value = float(value)
        out[o.name] = value
    return out


def _n_samples(d, n):
    low, high = d.min_samples, d.max_samples
    ok = not isinstance(n, bool) and isinstance(n, numbers.Integral) and n >= low \
        and (high is None or n <= high)
    if not ok:
        upto = f"{high:,}" if high is not None else "the number of rows in the files"
        raise ValueError(f"n_samples for {d.name} must be an integer from {low} to {upto}, "
                         f"got {n!r}")
    return int(n)


def _noise(d, noise):
    low, high = d.noise_range
    ok = not isinstance(noise, bool) and isinstance(noise, numbers.Real) \
        and math.isfinite(noise) and low <= noise <= high
    if not ok:
        raise ValueError(f"noise for {d.name} must be a number from {low:g} to {high:g}, "
                         f"got {noise!r}")
    return float(noise)
