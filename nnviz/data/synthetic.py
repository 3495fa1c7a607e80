"""Two-dimensional classification sets, each a self-contained NumPy function.

Every generator has the signature `fn(n_samples, noise, seed, **options) -> (X, y)`
with `X: (n_samples, 2)` float64 and `y: (n_samples,)` int64 labels `0..k-1`, and
uses nothing but NumPy, so its source can be copied into a standalone script.
Samples are shuffled with the same generator, so equal arguments give equal arrays.
"""

import numpy as np


def flower(n_samples=400, noise=0.2, seed=0):
    """The planar "flower": two classes, each one set of petals of r = 4·sin(4t)."""
    rng = np.random.default_rng(seed)
    counts = [n_samples // 2 + (j < n_samples % 2) for j in range(2)]
    X, y = [], []
    for j, m in enumerate(counts):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, m) + noise * rng.standard_normal(m)
        r = 4.0 * np.sin(4.0 * t) + noise * rng.standard_normal(m)
        X.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        y.append(np.full(m, j, dtype=np.int64))
    X, y = np.concatenate(X), np.concatenate(y)
    p = rng.permutation(n_samples)
    return X[p], y[p]


def moons(n_samples=400, noise=0.2, seed=0):
    """Two interleaving half circles (scikit-learn's make_moons formulas)."""
    rng = np.random.default_rng(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.vstack([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        np.column_stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]),
    ])
    y = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    X = X + noise * rng.standard_normal(X.shape)
    p = rng.permutation(n_samples)
    return X[p], y[p]


def circles(n_samples=400, noise=0.1, seed=0, factor=0.5):
    """A circle of radius `factor` (class 1) inside one of radius 1 (class 0),
    scikit-learn's make_circles formulas."""
    rng = np.random.default_rng(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        factor * np.column_stack([np.cos(t_in), np.sin(t_in)]),
    ])
    y = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    X = X + noise * rng.standard_normal(X.shape)
    p = rng.permutation(n_samples)
    return X[p], y[p]


def xor(n_samples=400, noise=0.1, seed=0):
    """TensorFlow Playground's XOR: uniform in [-5, 5]², pushed 0.3 off the axes,
    class 1 where x1·x2 >= 0. Noise moves the point the label is read from by up to
    ±5·noise per axis, so labels near the axes flip."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-5, 5, size=(n_samples, 2))
    X = X + np.where(X > 0, 0.3, -0.3)
    shift = noise * rng.uniform(-5, 5, size=(n_samples, 2))
    seen = X + shift
    y = (seen[:, 0] * seen[:, 1] >= 0).astype(np.int64)
    return X, y


def gaussians(n_samples=400, noise=0.8, seed=0, n_classes=2):
    """`n_classes` round Gaussian blobs of standard deviation `noise`, centred
    evenly on a circle of radius 4 (two classes: at (2.83, 2.83) and (-2.83, -2.83))."""
    rng = np.random.default_rng(seed)
    counts = [n_samples // n_classes + (j < n_samples % n_classes) for j in range(n_classes)]
    X, y = [], []
    for j, m in enumerate(counts):
        angle = np.pi / 4 + 2 * np.pi * j / n_classes
        centre = 4.0 * np.array([np.cos(angle), np.sin(angle)])
        X.append(centre + noise * rng.standard_normal((m, 2)))
        y.append(np.full(m, j, dtype=np.int64))
    X, y = np.concatenate(X), np.concatenate(y)
    p = rng.permutation(n_samples)
    return X[p], y[p]


def spiral(n_samples=400, noise=0.2, seed=0, n_classes=2):
    """`n_classes` interleaved spiral arms in the unit disc: arm j at radius r has
    angle 2πj/k + 4r (+ noise·randn), r from 0.05 to 1."""
    rng = np.random.default_rng(seed)
    counts = [n_samples // n_classes + (j < n_samples % n_classes) for j in range(n_classes)]
    X, y = [], []
    for j, m in enumerate(counts):
        r = np.linspace(0.05, 1.0, m)
        t = 2 * np.pi * j / n_classes + 4.0 * r + noise * rng.standard_normal(m)
        X.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        y.append(np.full(m, j, dtype=np.int64))
    X, y = np.concatenate(X), np.concatenate(y)
    p = rng.permutation(n_samples)
    return X[p], y[p]
