"""The 8×8 handwritten digits that ship inside scikit-learn (no download)."""

import numpy as np


def digits(n_samples=None, seed=0):
    """X: (n, 64) pixels scaled to [0, 1]; y: (n,) int64 digits 0..9.

    All 1797 images by default; a smaller `n_samples` takes a seeded random subset.
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    X = data.data.astype(np.float64) / 16.0
    y = data.target.astype(np.int64)
    return subset(X, y, n_samples, seed)


def subset(X, y, n_samples, seed):
    """The first `n_samples` rows of a seeded permutation (all rows, in order, if None)."""
    if n_samples is None or n_samples == len(X):
        return X, y
    p = np.random.default_rng(seed).permutation(len(X))[:n_samples]
    return X[p], y[p]
