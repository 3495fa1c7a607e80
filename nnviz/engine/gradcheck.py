"""Numerical gradient check: backprop against central differences.

For each checked parameter p, the numerical gradient is
    (L(p + eps) - L(p - eps)) / (2 eps),   L = data loss + penalty,
computed on a float64 copy of the net (the original is never touched).

Relative error of a layer (its W and b entries together):
    max |analytic - numerical| / max(max(|analytic| + |numerical|), tiny)
so a layer whose gradient is exactly zero everywhere reports 0, and one large
entry sets the scale for the whole layer. A layer passes below TOLERANCE.
"""

from dataclasses import dataclass

import numpy as np

TINY = np.finfo(np.float64).tiny
TOLERANCE = 1e-6       # a layer passes below this: in float64 backprop agrees far closer


@dataclass(frozen=True)
class LayerCheck:
    relative_error: float
    analytic: np.ndarray   # (checked,) float64, entries in flat order within the layer
    numerical: np.ndarray  # (checked,)
    index: np.ndarray      # (checked,) positions within the layer's (n_in + 1) * n_out block
    checked: int
    total: int


@dataclass(frozen=True)
class GradCheck:
    layers: list  # LayerCheck per layer

    @property
    def max_relative_error(self):
        return max(c.relative_error for c in self.layers)

    @property
    def relative_errors(self):
        return [c.relative_error for c in self.layers]


def relative_error(analytic, numerical):
    a, n = np.asarray(analytic, np.float64), np.asarray(numerical, np.float64)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - n)) / max(float(np.max(np.abs(a) + np.abs(n))), TINY))


def gradcheck(net, X, y, loss, l1=0.0, l2=0.0, eps=1e-5, max_per_layer=None, seed=0):
    """Check net's backprop on (X, y) for `loss`; returns GradCheck with one LayerCheck
    per layer. max_per_layer: check a random subset of that many entries per layer
    (chosen with np.random.default_rng(seed)); None checks every entry.
    """
    if not eps > 0:
        raise ValueError(f"eps must be > 0, got {eps!r}")
    if max_per_layer is not None and (int(max_per_layer) != max_per_layer or max_per_layer < 1):
        raise ValueError(f"max_per_layer must be a positive integer or None, got {max_per_layer!r}")
    net64 = net.copy(dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    net64.loss_and_grads(X, y, loss=loss, l1=l1, l2=l2)
    flat, grads = net64.flat_params, net64.flat_grads.copy()
    rng = np.random.default_rng(seed)

    layers, start = [], 0
    for n_in, n_out in zip(net64.layer_sizes[:-1], net64.layer_sizes[1:], strict=True):
        size = (n_in + 1) * n_out
        if max_per_layer is None or max_per_layer >= size:
            idx = np.arange(size)
        else:
            idx = np.sort(rng.choice(size, size=int(max_per_layer), replace=False))
        numerical = np.empty(idx.size)
        for j, k in enumerate(start + idx):
            keep = flat[k]
            flat[k] = keep + eps
            up = net64.loss(X, y, loss=loss, l1=l1, l2=l2)
            flat[k] = keep - eps
            down = net64.loss(X, y, loss=loss, l1=l1, l2=l2)
            flat[k] = keep
            numerical[j] = (up - down) / (2 * eps)
        analytic = grads[start + idx]
        layers.append(LayerCheck(relative_error(analytic, numerical), analytic, numerical,
                                 idx, int(idx.size), int(size)))
        start += size
    return GradCheck(layers)
