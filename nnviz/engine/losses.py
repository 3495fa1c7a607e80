"""Losses, kept as a table: LOSSES[name] = Loss(value, delta, scale).

All take the output layer's pre-activation `z`, its activation `a` and the target
`t`, each `(n_samples, n_outputs)` (targets already one-hot / reshaped by the MLP).

- `value(z, a, t) -> float`: the mean loss over samples, `a` being the output
  activation of `z`. bce and cross_entropy are computed from the logits (and
  cross_entropy from the largest probability, never below 1/k), so no log ever
  sees 0 and no exp overflows.
- `delta(z, a, t, out=None) -> dL/da`, for the general chain rule.
- `scale(n, k)`: for the canonical pairs (sigmoid+bce, softmax+cross_entropy,
  linear+mse) the output delta fuses to dL/dz = scale * (a - t).

VALID_PAIRS[loss] lists the output activations that loss may follow.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .activations import OUTPUT_ACTIVATIONS

TINY = 1e-12


def _sum(x):
    return np.add.reduce(x, axis=None)


def _dot(a, b):
    """sum(a * b) over all elements. The MLP passes transposed views of (k, n)
    buffers; .T of both keeps the pairing and lets vdot read them without a copy."""
    return np.vdot(a.T, b.T)


class Loss(NamedTuple):
    value: Callable
    delta: Callable
    scale: Callable


def bce(z, a, t):
    """mean over samples of -t log a - (1-t) log(1-a), with a = sigmoid(z): (n, 1).

    Per sample this is softplus(z) - t z, and softplus(z) = log(1 + e^z) is
    np.logaddexp(0, z), which neither overflows nor takes the log of 0, whatever z is.
    """
    return float((_sum(np.logaddexp(0.0, z)) - _dot(t, z)) / z.shape[0])


def bce_delta(z, a, t, out=None):
    # d/da of the mean bce; only used through the chain rule (sigmoid fuses it away).
    denom = np.clip(a * (1.0 - a), TINY, None)
    out = np.subtract(a, t, out=out)
    np.divide(out, denom, out=out)
    return np.divide(out, z.shape[0], out=out)


def cross_entropy(z, a, t):
    """mean over samples of -sum_k t_k log a_k, with a = softmax(z): (n, k).

    Per row, log-sum-exp(z) = max(z) - log(max(a)) and max(a) >= 1/k, so the log
    never sees 0: the loss is max(z) - t·z - log(max(a)), exact for any logits.
    """
    top = _sum(np.log(np.maximum.reduce(a, axis=1)))
    return float((_sum(np.maximum.reduce(z, axis=1)) - _dot(t, z) - top) / z.shape[0])


def cross_entropy_delta(z, a, t, out=None):
    out = np.divide(t, np.clip(a, TINY, None), out=out)
    return np.multiply(out, -1.0 / z.shape[0], out=out)


def mse(z, a, t):
    """mean over all elements of (a - t)²."""
    d = a - t
    return float(_dot(d, d) / d.size)


def mse_delta(z, a, t, out=None):
    out = np.subtract(a, t, out=out)
    return np.multiply(out, 2.0 / a.size, out=out)


LOSSES = {
    "bce": Loss(bce, bce_delta, lambda n, k: 1.0 / n),
    "cross_entropy": Loss(cross_entropy, cross_entropy_delta, lambda n, k: 1.0 / n),
    "mse": Loss(mse, mse_delta, lambda n, k: 2.0 / (n * k)),
}

VALID_PAIRS = {
    "bce": ("sigmoid",),
    "cross_entropy": ("softmax",),
    "mse": OUTPUT_ACTIVATIONS,
}

# (output activation, loss) pairs whose output delta is scale * (a - t).
FUSED = {("sigmoid", "bce"), ("softmax", "cross_entropy"), ("linear", "mse")}
