"""Hidden space: the training points as a hidden layer sees them.

A layer with 1, 2 or 3 units is shown directly (its activations are the
coordinates); a wider one is projected to 2-D with PCA (NumPy SVD). When the
last hidden layer has 2 units, the output layer is linear in that space, so its
decision boundary is a straight line (one output) or a set of straight-edged
regions (softmax), drawn by `boundary_line` / `boundary_regions`.
"""

from dataclasses import dataclass

import numpy as np

DIRECT_MAX_UNITS = 3


@dataclass(frozen=True)
class Projection:
    """points: (n_samples, k) with k = 1, 2 or 3; method: "direct" | "pca".

    components: (k, n_units) PCA directions (None when direct);
    explained: (k,) share of the variance each PCA axis keeps (None when direct).
    """

    points: np.ndarray
    method: str
    axis_titles: tuple
    components: np.ndarray | None = None
    explained: np.ndarray | None = None


def project(A, n_components=2, reference=None):
    """A: (n_samples, n_units) activations of one layer -> Projection.

    Layers of up to 3 units come back unchanged ("direct"). Wider layers are
    centred and projected on their first `n_components` principal axes.
    `reference`: the components of a previous projection of the same layer;
    each axis is flipped to agree with it, so redraws during training do not
    mirror the picture back and forth.
    """
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] == 0 or A.shape[1] == 0:
        raise ValueError(f"A must be (n_samples, n_units) with both > 0, got shape {A.shape}")
    if n_components not in (2, 3):
        raise ValueError(f"n_components must be 2 or 3, got {n_components!r}")
    n, units = A.shape
    if units <= DIRECT_MAX_UNITS:
        titles = tuple(f"h{j + 1}" for j in range(units))
        return Projection(points=A.copy(), method="direct", axis_titles=titles)

    centred = A - A.mean(axis=0)
    _, S, Vt = np.linalg.svd(centred, full_matrices=False)
    k = min(n_components, Vt.shape[0])
    components = Vt[:k].copy()
    if reference is not None and np.shape(reference) == components.shape:
        flip = np.sum(components * reference, axis=1) < 0
    else:
        # A fixed convention: the largest entry of each axis is positive.
        biggest = components[np.arange(k), np.argmax(np.abs(components), axis=1)]
        flip = biggest < 0
    components[flip] *= -1
    var = S**2
    total = var.sum()
    explained = var[:k] / total if total > 0 else np.zeros(k)
    titles = tuple(f"PC{j + 1} ({100 * e:.0f}%)" for j, e in enumerate(explained))
    return Projection(
        points=centred @ components.T,
        method="pca",
        axis_titles=titles,
        components=components,
        explained=explained,
    )


def box_around(points, pad=0.1):
    """points: (n, 2) -> (x0, x1, y0, y1), the bounding box grown by `pad` of its size."""
    P = np.asarray(points, dtype=np.float64)
    lo, hi = P.min(axis=0), P.max(axis=0)
    span = np.where(hi - lo > 1e-9, hi - lo, 1.0)
    lo, hi = lo - pad * span, hi + pad * span
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def boundary_line(W, b, box):
    """Where a single output is undecided, in a 2-unit hidden space.

    W: (2, 1), b: (1,) of the output layer; the boundary is W[0]·h1 + W[1]·h2 + b = 0
    (sigmoid 0.5, tanh 0). box: (x0, x1, y0, y1). Returns (xs (2,), ys (2,)), the segment
    inside the box, or None when the line misses it or the weights are zero.
    """
    W = np.asarray(W, dtype=np.float64).reshape(-1)
    if W.shape != (2,):
        raise ValueError(f"boundary_line needs a layer with 2 inputs and 1 output, got W {np.shape(W)}")
    w1, w2 = W
    c = float(np.asarray(b, dtype=np.float64).reshape(-1)[0])
    x0, x1, y0, y1 = box
    hits = []
    if abs(w2) > 1e-12:
        for x in (x0, x1):
            y = -(w1 * x + c) / w2
            if y0 - 1e-12 <= y <= y1 + 1e-12:
                hits.append((x, y))
    if abs(w1) > 1e-12:
        for y in (y0, y1):
            x = -(w2 * y + c) / w1
            if x0 - 1e-12 <= x <= x1 + 1e-12:
                hits.append((x, y))
    unique = []
    for p in hits:
        if all(abs(p[0] - q[0]) + abs(p[1] - q[1]) > 1e-9 for q in unique):
            unique.append(p)
    if len(unique) < 2:
        return None
    (xa, ya), (xb, yb) = unique[0], unique[1]
    return np.array([xa, xb]), np.array([ya, yb])


def boundary_regions(W, b, box, resolution=80):
    """The class the output layer picks at each point of a 2-unit hidden space.

    W: (2, n_classes), b: (n_classes,). Softmax is monotone, so the class is the
    argmax of the linear output Z = h·W + b. Returns (h1 (r,), h2 (r,), labels (r, r)),
    labels indexed [h2, h1].
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != 2:
        raise ValueError(f"boundary_regions needs an output layer with 2 inputs, got W {W.shape}")
    x0, x1, y0, y1 = box
    h1 = np.linspace(x0, x1, resolution)
    h2 = np.linspace(y0, y1, resolution)
    H1, H2 = np.meshgrid(h1, h2)
    Z = np.stack([H1.ravel(), H2.ravel()], axis=1) @ W + np.asarray(b, dtype=np.float64)
    return h1, h2, np.argmax(Z, axis=1).reshape(resolution, resolution)


@dataclass(frozen=True)
class HiddenView:
    """Hidden layer `layer` (1-based) of a trainer's net over its training points.

    projection: see `project`; labels: (n,) classes or (n, k) targets of the same
    points; line / regions: the output's boundary when `layer` is the last hidden
    layer and has 2 units (else None); box: (x0, x1, y0, y1) of the plot.
    """

    layer: int
    units: int
    activation: str
    projection: Projection
    labels: np.ndarray
    line: tuple | None
    regions: tuple | None
    box: tuple


def sample_rows(n, max_points, seed=0):
    """At most `max_points` of range(n): all of them, or a fixed random subset, sorted."""
    if n <= max_points:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).permutation(n)[:max_points])


def hidden_space(trainer, layer, reference=None, max_points=1500):
    """HiddenView of hidden layer `layer` (1 .. n_layers - 1) on the training points
    (a fixed subset of `max_points` when there are more)."""
    net = trainer.net
    n_hidden = net.n_layers - 1
    if n_hidden < 1:
        raise ValueError("this network has no hidden layer: add one to see its space")
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 1 <= layer <= n_hidden:
        raise ValueError(f"layer must be a hidden layer from 1 to {n_hidden}, got {layer!r}")
    d = trainer.data
    rows = sample_rows(len(d.X_train), max_points)
    X = d.preprocessor.transform(d.X_train[rows])
    with np.errstate(all="ignore"):
        A = net.activations_of(X)[layer]
    A = np.where(np.isfinite(A), A, 0.0)
    p = project(A, reference=reference)
    box = box_around(p.points[:, :2]) if p.points.shape[1] >= 2 else None
    line = regions = None
    units = net.layer_sizes[layer]
    if layer == n_hidden and units == 2 and d.task == "classification":
        W, b = net.params[-1]
        if W.shape[1] == 1:
            line = boundary_line(W, b, box)
        else:
            regions = boundary_regions(W, b, box)
    return HiddenView(layer=int(layer), units=units, activation=net.activations[layer - 1],
                      projection=p, labels=d.y_train[rows], line=line, regions=regions, box=box)
