"""The data of one run: made by its dataset (generated, bundled, read from files or
an uploaded table), split, and preprocessed with scaling fitted on the training part
only (or none, when the Config says `standardize=False`)."""

from dataclasses import dataclass

import numpy as np

from nnviz import datasets
from nnviz.config import ConfigError


@dataclass(frozen=True)
class Data:
    """Raw (original units) train/test arrays and the preprocessing fitted on train.

    X_*: (n, n_inputs); y_*: (n,) int labels or (n, n_outputs) targets.
    target_names: the class names (classification) or the outputs' names (regression);
    class_labels: what each class index stands for in the source data (0, 1, ... or a
    table's own labels). extent: ((lo, hi) per raw input) of the plot, for data with 1 or 2 inputs."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    preprocessor: datasets.Preprocessor
    task: str
    n_classes: int | None
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    extent: tuple | None = None
    class_labels: tuple[str, ...] | None = None

    @property
    def n_inputs(self):
        return self.X_train.shape[1]

    @property
    def class_names(self):
        """The class names, or None for regression."""
        return list(self.target_names) if self.task == "classification" else None


def source_options(config, table=None, path=None):
    """The options `datasets.load` needs for `config`: its own (e.g. n_classes) and the
    table or path its dataset cannot be made without."""
    given = {"table": table, "path": path}
    options = dict(config.dataset_options())
    need = datasets.info(config.dataset).needs
    if need is not None:
        options[need] = given[need]
    return options


def make_data(c, table=None, path=None, preprocessor=None):
    """Data of Config `c` (with the `table` or `path` its dataset needs), split with the
    config's seed, and the preprocessing fitted on the training part (or the given
    one, e.g. a saved model's)."""
    options = source_options(c, table, path)
    info = datasets.info(c.dataset, **options)
    X, y = datasets.load(c.dataset, n_samples=c.n_samples, noise=c.noise, seed=c.seed,
                         **options)
    if c.features is not None and X.shape[1] != 2:
        raise ConfigError("features", f"features={c.features!r} need data with two inputs; "
                          f"this one has {X.shape[1]}")
    X_train, X_test, y_train, y_test = datasets.split(
        X, y, test_ratio=c.test_ratio, seed=c.seed, stratify=info.task == "classification")
    if preprocessor is None:
        preprocessor = datasets.Preprocessor.fit(X_train, y_train, c.features, info.task,
                                                 standardize=c.standardize)
    elif preprocessor.task != info.task or preprocessor.n_inputs != X.shape[1]:
        raise ValueError("the saved preprocessing does not fit the data")
    return Data(X_train, y_train, X_test, y_test, preprocessor, info.task, info.n_classes,
                tuple(info.feature_names), tuple(info.target_names),
                _extent(X, info.extent), info.class_labels)


def _extent(X, usual):
    """The plot's range for data with 1 or 2 inputs: the data's, padded, and at least
    the dataset's usual range."""
    if X.shape[1] > 2:
        return None
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.05 * np.where(hi > lo, hi - lo, 1.0)
    lo, hi = lo - pad, hi + pad
    if usual is not None:
        lo = np.minimum(lo, [a for a, _ in usual])
        hi = np.maximum(hi, [b for _, b in usual])
    return tuple((float(a), float(b)) for a, b in zip(lo, hi, strict=True))
