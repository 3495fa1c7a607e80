"""The data of one run: generated (or taken from a CSV table), split, and
preprocessed with scaling fitted on the training part only."""

from dataclasses import dataclass

import numpy as np

from nnviz import datasets
from nnviz.config import CSV, ConfigError
from nnviz.data.table import sample_rows


@dataclass(frozen=True)
class Data:
    """Raw (original units) train/test arrays and the preprocessing fitted on train.

    X_*: (n, n_inputs); y_*: (n,) int labels or (n, n_outputs) targets."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    preprocessor: datasets.Preprocessor
    task: str
    n_classes: int | None
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    classes: np.ndarray | None = None      # original labels of CSV classes
    extent: tuple | None = None            # ((lo, hi) per raw input) of the plot

    @property
    def n_inputs(self):
        return self.X_train.shape[1]



def make_data(c, table=None, path=None, preprocessor=None):
    """Data of Config `c`: generated (or `table`, or the MNIST files at `path`), split
    with the config's seed, and the preprocessing fitted on the training part (or the
    given one, e.g. a saved model's)."""
    if c.dataset == CSV:
        X, y, task = table.X, table.y, table.task
        n_classes, classes = table.n_classes, table.classes
        feature_names, target_names = tuple(table.feature_names), (table.target_name,)
        X, y = sample_rows(X, y, c.n_samples, c.seed)
        if c.features is not None and X.shape[1] != 2:
            raise ConfigError("features", f"features={c.features!r} need a table with two "
                              f"input columns; this one has {X.shape[1]}")
    else:
        options = {"path": path} if c.dataset == "mnist" else c.dataset_options()
        info = datasets.info(c.dataset, **options)
        X, y = datasets.load(c.dataset, n_samples=c.n_samples, noise=c.noise, seed=c.seed,
                             **options)
        task, n_classes, classes = info.task, info.n_classes, None
        feature_names, target_names = info.feature_names, info.target_names
    classification = task == "classification"
    X_train, X_test, y_train, y_test = datasets.split(
        X, y, test_ratio=c.test_ratio, seed=c.seed, stratify=classification)
    if preprocessor is None:
        preprocessor = datasets.Preprocessor.fit(X_train, y_train, c.features, task)
    elif preprocessor.task != task or preprocessor.n_inputs != X.shape[1]:
        raise ValueError("the saved preprocessing does not fit the data")
    extent = None
    if X.shape[1] <= 2:     # the plot's range: the data's, padded, and the dataset's usual
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = 0.05 * np.where(hi > lo, hi - lo, 1.0)
        lo, hi = lo - pad, hi + pad
        usual = None if c.dataset == CSV else datasets.REGISTRY[c.dataset].extent
        if usual is not None:
            lo = np.minimum(lo, [a for a, _ in usual])
            hi = np.maximum(hi, [b for _, b in usual])
        extent = tuple((float(a), float(b)) for a, b in zip(lo, hi, strict=True))
    return Data(X_train, y_train, X_test, y_test, preprocessor, task, n_classes,
                tuple(feature_names), tuple(target_names), classes, extent)
