"""Initializers: INITIALIZERS[name] = Init(weights, bias).

`weights(n_in, n_out, rng, dtype) -> W: (n_in, n_out)` draws a layer's weights;
`bias` is the value every bias starts at (0 unless an entry says otherwise). Draws are
made in float64 and then cast, so a float32 net starts from the same numbers
(rounded) as its float64 twin.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


def small(n_in, n_out, rng, dtype=np.float64):
    """0.01 * N(0, 1): the classic tutorial start; shows symmetry and vanishing signals."""
    return (0.01 * rng.standard_normal((n_in, n_out))).astype(dtype)


def xavier(n_in, n_out, rng, dtype=np.float64):
    """Glorot & Bengio (2010): U(-r, r) with r = sqrt(6 / (n_in + n_out))."""
    r = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-r, r, size=(n_in, n_out)).astype(dtype)


def he(n_in, n_out, rng, dtype=np.float64):
    """He et al. (2015): N(0, 2 / n_in), for ReLU layers."""
    return (np.sqrt(2.0 / n_in) * rng.standard_normal((n_in, n_out))).astype(dtype)


def uniform_half(n_in, n_out, rng, dtype=np.float64):
    """U(-0.5, 0.5) whatever the layer's size: TensorFlow Playground's start."""
    return rng.uniform(-0.5, 0.5, size=(n_in, n_out)).astype(dtype)


class Init(NamedTuple):
    """How a layer starts: `weights(n_in, n_out, rng, dtype)` draws W; every b is `bias`."""

    weights: Callable
    bias: float = 0.0


INITIALIZERS = {
    "small": Init(small),
    "xavier": Init(xavier),
    "he": Init(he),
    "tfp": Init(uniform_half, bias=0.1),    # TensorFlow Playground: U(-0.5, 0.5), biases 0.1
}
