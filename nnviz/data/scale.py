"""Standardisation: per-column mean and standard deviation, fitted on training data."""

from dataclasses import dataclass

import numpy as np

TINY = 1e-12   # a column whose std is below this is treated as constant (std 1)


@dataclass(frozen=True)
class Standardizer:
    """mean, std: (d,). transform(X) = (X - mean) / std; inverse undoes it."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, X):
        """X: (n, d) training data only; constant columns get std 1, not 0."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or len(X) == 0:
            raise ValueError(f"fit needs a non-empty (n, d) array, got shape {X.shape}")
        std = X.std(axis=0)
        return cls(X.mean(axis=0), np.where(std < TINY, 1.0, std))

    @classmethod
    def identity(cls, d):
        """Mean 0 and std 1 for each of `d` columns: transform and inverse change nothing."""
        return cls(np.zeros(d), np.ones(d))

    def transform(self, X):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(self.mean):
            raise ValueError(f"expected an array of shape (n, {len(self.mean)}), "
                             f"got {X.shape}")
        return (X - self.mean) / self.std

    def inverse(self, Z):
        Z = np.asarray(Z, dtype=np.float64)
        if Z.ndim != 2 or Z.shape[1] != len(self.mean):
            raise ValueError(f"expected an array of shape (n, {len(self.mean)}), "
                             f"got {Z.shape}")
        return Z * self.std + self.mean
