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


# TensorFlow Playground's classification sets, by the formulas of its dataset.ts. Its
# noise is the slider's value / 100 (0 to 0.5); its points come from Math.random, so
# these draw the same shapes from NumPy's stream, not the same points.

def tf_circle(n_samples=500, noise=0.0, seed=0):
    """TensorFlow Playground's circle: half the points at a radius U(0, 2.5), half at
    U(3.5, 5), at uniform angles; class 1 inside radius 2.5. Noise moves the point the
    label is read from by up to ±5·noise per axis, so labels near the edge flip."""
    rng = np.random.default_rng(seed)
    n_in = n_samples - n_samples // 2
    r = np.concatenate([rng.uniform(0, 2.5, n_in), rng.uniform(3.5, 5, n_samples - n_in)])
    angle = rng.uniform(0, 2 * np.pi, n_samples)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    seen = X + noise * rng.uniform(-5, 5, size=(n_samples, 2))
    y = (np.hypot(seen[:, 0], seen[:, 1]) < 2.5).astype(np.int64)
    p = rng.permutation(n_samples)
    return X[p], y[p]


def tf_gauss(n_samples=500, noise=0.0, seed=0):
    """TensorFlow Playground's two Gaussians: class 1 around (2, 2), class 0 around
    (-2, -2), each coordinate normal with variance 0.5 + 7·noise (0.5 to 4)."""
    rng = np.random.default_rng(seed)
    counts = [n_samples // 2, n_samples - n_samples // 2]
    sd = np.sqrt(0.5 + 7.0 * noise)
    X = np.concatenate([c + sd * rng.standard_normal((m, 2))
                        for c, m in zip((-2.0, 2.0), counts, strict=True)])
    y = np.repeat(np.arange(2, dtype=np.int64), counts)
    p = rng.permutation(n_samples)
    return X[p], y[p]


def tf_spiral(n_samples=500, noise=0.0, seed=0):
    """TensorFlow Playground's spiral: two arms of m points; point i of an arm is at
    radius 5·i/m and angle 1.75·2π·i/m (class 1), or that angle + π (class 0), and each
    coordinate moves by U(-1, 1)·noise."""
    rng = np.random.default_rng(seed)
    counts = [n_samples // 2, n_samples - n_samples // 2]
    X = []
    for label, m in enumerate(counts):
        i = np.arange(m)
        r = 5.0 * i / m
        t = 1.75 * 2 * np.pi * i / m + np.pi * (1 - label)
        X.append(np.column_stack([r * np.sin(t), r * np.cos(t)])
                 + noise * rng.uniform(-1, 1, size=(m, 2)))
    X = np.concatenate(X)
    y = np.repeat(np.arange(2, dtype=np.int64), counts)
    p = rng.permutation(n_samples)
    return X[p], y[p]
