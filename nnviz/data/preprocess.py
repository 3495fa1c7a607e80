"""The preprocessing every run goes through, fitted on the training set only:
feature crosses (optional, 2-D inputs), standardised inputs and, for regression,
standardised targets (or, with `standardize=False`, the raw numbers: an identity
scaling of mean 0 and std 1). It travels with a saved model as plain arrays."""

from dataclasses import dataclass

import numpy as np

from nnviz.data.features import check_features, cross
from nnviz.data.scale import Standardizer

TASKS = ("classification", "regression")
KEYS = ("task", "features", "n_inputs", "x_mean", "x_std", "y_mean", "y_std")


@dataclass(frozen=True)
class Preprocessor:
    """task; n_inputs: raw input columns; features: cross names (() = raw inputs);
    x: Standardizer of the network inputs; y: Standardizer of regression targets
    (None for classification)."""

    task: str
    n_inputs: int
    features: tuple[str, ...]
    x: Standardizer
    y: Standardizer | None

    @classmethod
    def fit(cls, X_train, y_train, features=None, task=None, standardize=True):
        """X_train: (n, d) raw inputs; y_train: (n,) labels or (n, k) targets.
        `task` None infers it: 1-D integer labels mean classification. `standardize`
        False keeps the inputs (after the crosses) and the targets as they are."""
        X_train, y_train = np.asarray(X_train), np.asarray(y_train)
        if task is None:
            is_labels = y_train.ndim == 1 and np.issubdtype(y_train.dtype, np.integer)
            task = "classification" if is_labels else "regression"
        if task not in TASKS:
            raise ValueError(f"unknown task {task!r}; allowed: {', '.join(TASKS)}")
        if X_train.ndim != 2 or len(X_train) == 0:
            raise ValueError(f"X_train must be a non-empty (n, d) array, got {X_train.shape}")
        if len(y_train) != len(X_train):
            raise ValueError(f"X_train has {len(X_train)} rows but y_train has "
                             f"{len(y_train)}; they must match")
        if not isinstance(standardize, bool | np.bool_):
            raise ValueError(f"standardize must be True or False, got {standardize!r}")
        features = () if features is None else check_features(features)
        inputs = cross(X_train, features) if features else X_train

        def scaler(A):
            return Standardizer.fit(A) if standardize else Standardizer.identity(A.shape[1])
        y = None
        if task == "regression":
            if y_train.ndim != 2:
                raise ValueError(f"regression targets must have shape (n, n_outputs), "
                                 f"got {y_train.shape}")
            y = scaler(y_train)
        return cls(task, X_train.shape[1], features, scaler(inputs), y)

    @property
    def n_features(self):
        """Number of network inputs after the crosses."""
        return len(self.x.mean)

    def transform(self, X_raw):
        """X_raw: (n, n_inputs) in original units -> (n, n_features) network inputs."""
        X_raw = np.asarray(X_raw, dtype=np.float64)
        if X_raw.ndim != 2 or X_raw.shape[1] != self.n_inputs:
            raise ValueError(f"expected raw inputs of shape (n, {self.n_inputs}), "
                             f"got {X_raw.shape}")
        return self.x.transform(cross(X_raw, self.features) if self.features else X_raw)

    def transform_y(self, y):
        """Targets as the network sees them: standardised for regression, labels as given."""
        return y if self.y is None else self.y.transform(y)

    def inverse_y(self, y_std):
        """Network outputs back in the targets' original units (identity for classification)."""
        return y_std if self.y is None else self.y.inverse(y_std)

    def to_arrays(self, prefix=""):
        """Plain arrays (str, int64, float64) for np.savez; load with allow_pickle=False."""
        empty = np.zeros(0)
        arrays = {
            "task": np.array(self.task),
            "features": np.array(self.features, dtype=str).reshape(-1),
            "n_inputs": np.array(self.n_inputs, dtype=np.int64),
            "x_mean": self.x.mean.copy(),
            "x_std": self.x.std.copy(),
            "y_mean": empty if self.y is None else self.y.mean.copy(),
            "y_std": empty if self.y is None else self.y.std.copy(),
        }
        return {prefix + k: v for k, v in arrays.items()}

    @classmethod
    def from_arrays(cls, arrays, prefix=""):
        """Rebuild from `to_arrays` output (a dict or an NpzFile), checking every field."""
        missing = [prefix + k for k in KEYS if prefix + k not in arrays]
        if missing:
            raise ValueError(f"preprocessing arrays are missing {', '.join(missing)}")
        a = {k: np.asarray(arrays[prefix + k]) for k in KEYS}
        if a["task"].shape != () or str(a["task"]) not in TASKS:
            raise ValueError(f"preprocessing task must be one of {', '.join(TASKS)}, "
                             f"got {a['task']!r}")
        task = str(a["task"])
        if a["features"].ndim != 1 or (a["features"].size and a["features"].dtype.kind != "U"):
            raise ValueError(f"preprocessing features must be a 1-D array of names, "
                             f"got {a['features']!r}")
        features = tuple(str(f) for f in a["features"])
        if features:
            check_features(features)
        n = a["n_inputs"]
        if n.shape != () or n.dtype.kind not in "iu" or int(n) < 1:
            raise ValueError(f"preprocessing n_inputs must be a positive integer, got {n!r}")
        n_inputs = int(n)
        if features and n_inputs != 2:
            raise ValueError(f"feature crosses need 2 raw inputs, the arrays say {n_inputs}")
        width = len(features) or n_inputs
        x = _standardizer(a["x_mean"], a["x_std"], width, "x")
        y = None
        if task == "regression":
            y = _standardizer(a["y_mean"], a["y_std"], None, "y")
        elif a["y_mean"].size or a["y_std"].size:
            raise ValueError("classification preprocessing must have empty y_mean and y_std")
        return cls(task, n_inputs, features, x, y)


def _standardizer(mean, std, width, what):
    for name, v in ((f"{what}_mean", mean), (f"{what}_std", std)):
        if v.ndim != 1 or v.dtype.kind != "f" or not np.all(np.isfinite(v)) or v.size == 0:
            raise ValueError(f"preprocessing {name} must be a non-empty 1-D array of "
                             f"finite floats, got {v!r}")
    if len(mean) != len(std) or (width is not None and len(mean) != width):
        raise ValueError(f"preprocessing {what}_mean and {what}_std have lengths "
                         f"{len(mean)} and {len(std)}, expected {width or 'equal lengths'}")
    if np.any(std <= 0):
        raise ValueError(f"preprocessing {what}_std must be positive, got {std!r}")
    return Standardizer(mean.astype(np.float64), std.astype(np.float64))
