"""Seeded train/test split, stratified by class for classification."""

import numbers

import numpy as np


def split(X, y, test_ratio=0.2, seed=0, stratify=None):
    """X: (n, d), y: (n,) or (n, k) -> X_train, X_test, y_train, y_test.

    `stratify` None means "when y holds integer class labels (1-D)". Stratified,
    each class gives round(test_ratio·n_c) rows to the test set, clipped so that a
    class of two or more rows has at least one in each part.
    """
    X, y = np.asarray(X), np.asarray(y)
    if isinstance(test_ratio, bool) or not isinstance(test_ratio, numbers.Real) \
            or not 0 < test_ratio <= 0.9:
        raise ValueError(f"test_ratio must be a number in (0, 0.9], got {test_ratio!r}")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}; they must match")
    if len(X) < 2:
        raise ValueError(f"need at least 2 samples to split, got {len(X)}")
    if stratify is None:
        stratify = y.ndim == 1 and np.issubdtype(y.dtype, np.integer)
    rng = np.random.default_rng(seed)
    if stratify:
        if y.ndim != 1:
            raise ValueError(f"stratify needs class labels of shape (n,), got {y.shape}")
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
