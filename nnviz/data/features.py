"""Feature crosses of 2-D inputs: the seven inputs of TensorFlow Playground."""

import numpy as np

FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] ** 2,
    "x2^2": lambda X: X[:, 1] ** 2,
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin(x1)": lambda X: np.sin(X[:, 0]),
    "sin(x2)": lambda X: np.sin(X[:, 1]),
}


def check_features(names):
    """The names as a tuple, or ValueError naming the bad one and what is allowed."""
    if isinstance(names, str):
        names = (names,)
    names = tuple(names)
    if not names:
        raise ValueError(f"choose at least one feature from: {', '.join(FEATURES)}")
    for name in names:
        if name not in FEATURES:
            raise ValueError(f"unknown feature {name!r}; allowed: {', '.join(FEATURES)}")
    if len(set(names)) != len(names):
        raise ValueError(f"features repeat a name: {list(names)}; list each once")
    return names


def cross(X, names):
    """X: (n, 2) raw inputs -> (n, len(names)) columns named by `names`, in that order."""
    names = check_features(names)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"feature crosses need inputs of shape (n, 2), got {X.shape}; "
                         "use them only with two-input datasets")
    return np.column_stack([FEATURES[name](X) for name in names])
