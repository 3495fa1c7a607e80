"""Regression sets, each a self-contained NumPy function.

Signature `fn(n_samples, noise, seed) -> (X, y)` with `X: (n_samples, d)` float64
and `y: (n_samples, n_outputs)` float64 (always 2-D). NumPy only, so the source
can be copied into a standalone script.
"""

import numpy as np


def arithmetic(n_samples=10_000, noise=0.0, seed=0):
    """Inputs a, b uniform in [0, 100]; targets a+b, a−b, |a−b| (+ noise·randn each)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 100, size=(n_samples, 2))
    a, b = X[:, 0], X[:, 1]
    y = np.column_stack([a + b, a - b, np.abs(a - b)])
    y = y + noise * rng.standard_normal(y.shape)
    return X, y


def plane(n_samples=400, noise=0.0, seed=0):
    """TensorFlow Playground's plane: x1, x2 uniform in [-6, 6]², z = (x1 + x2) / 10
    (its scale maps a sum of -10..10 to -1..1), so z spans [-1.2, 1.2]. Noise moves the
    point z is read from by up to ±6·noise."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-6, 6, size=(n_samples, 2))
    seen = X + noise * rng.uniform(-6, 6, size=(n_samples, 2))
    z = (seen[:, 0] + seen[:, 1]) / 10.0
    return X, z[:, None]


def multigauss(n_samples=400, noise=0.0, seed=0):
    """TensorFlow Playground's multi-Gaussian: six signed bumps on a 3×2 grid in
    [-6, 6]²; z is the bump of largest |value|, sign·max(0, 1 − distance/2).
    Noise moves the point z is read from by up to ±6·noise."""
    rng = np.random.default_rng(seed)
    bumps = np.array([
        [-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
        [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1],
    ])
    X = rng.uniform(-6, 6, size=(n_samples, 2))
    seen = X + noise * rng.uniform(-6, 6, size=(n_samples, 2))
    dist = np.hypot(seen[:, None, 0] - bumps[:, 0], seen[:, None, 1] - bumps[:, 1])
    values = bumps[:, 2] * np.clip(1 - dist / 2, 0, 1)   # (n_samples, 6)
    z = values[np.arange(n_samples), np.argmax(np.abs(values), axis=1)]
    return X, z[:, None]


def sine(n_samples=200, noise=0.1, seed=0):
    """One input x uniform in [-2π, 2π]; y = sin(x) + noise·randn."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2 * np.pi, 2 * np.pi, size=n_samples)
    y = np.sin(x) + noise * rng.standard_normal(n_samples)
    return x[:, None], y[:, None]
