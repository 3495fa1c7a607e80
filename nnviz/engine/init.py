"""Weight initializers: INITIALIZERS[name](n_in, n_out, rng, dtype) -> W: (n_in, n_out).

Biases always start at zero. Draws are made in float64 and then cast, so a float32
net starts from the same numbers (rounded) as its float64 twin.
"""

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


INITIALIZERS = {"small": small, "xavier": xavier, "he": he}
