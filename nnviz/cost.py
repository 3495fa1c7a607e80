"""What a piece of network work costs, estimated before it runs.

The work of a fully connected network is its matrix products plus its elementwise
steps, per row of data:

    forward:  2 · Σ n_in · n_out  flops,  and each unit once through f
    one step: 3 × the products of forward (Z = A W, then dA = dZ Wᵀ and dW = Aᵀ dZ),
              and each unit a few times (f, f', the products with dZ)

Seconds follow from rates measured once on this machine (`machine()`): the
matrix-product rate, the elementwise rate and the fixed cost of one NumPy call,
which is what a tiny network's step is made of. The estimates choose sample sizes,
grid resolutions and chunk sizes; what actually runs is still held to wall-clock
time by its caller.

Memory is the work arrays of a pass: per row, a forward pass keeps two layers'
activations, a step keeps Z, A, dZ and a scratch array of every layer. A run's data
is held DATA_COPIES times: as loaded, split into train and test, standardised, and one
more while a run is built.
"""

import math
import time
from dataclasses import dataclass

import numpy as np

BYTES = 8                       # float64
STEP_PASSES = 3                 # matrix products of a step, in forwards
STEP_ELEMENTWISE = 6            # elementwise passes over each unit in a step
CALLS_PER_LAYER = {"forward": 3, "step": 8}
DATA_COPIES = 4                 # a run's data as loaded, split, standardised, and building


@dataclass(frozen=True)
class Machine:
    """flops: matrix-product flops per second; elements: elementwise results per
    second (a tanh); call: seconds of one small NumPy call."""

    flops: float
    elements: float
    call: float


_machine = None


def machine():
    """This machine's rates, measured once (about 20 ms) and kept."""
    global _machine
    if _machine is None:
        _machine = _measure()
    return _machine


def _best(fn, repeats=5):
    fn()
    best = math.inf
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _measure():
    rng = np.random.default_rng(0)
    A, W = rng.standard_normal((256, 256)), rng.standard_normal((256, 256))
    out = np.empty((256, 256))
    product = _best(lambda: np.matmul(A, W, out=out))
    tanh = _best(lambda: np.tanh(A, out=out))
    a, w = rng.standard_normal((2, 2)), rng.standard_normal((2, 2))
    small = _best(lambda: [np.dot(a, w) for _ in range(100)]) / 100
    return Machine(flops=2 * 256**3 / product, elements=A.size / tanh, call=small)


def forward_flops(sizes):
    """Flops of the matrix products of a forward pass, per row."""
    return 2 * sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=False))


def seconds(sizes, rows, kind="step"):
    """Estimated seconds of `kind` ("forward" or "step") on `rows` rows of a network
    with layer sizes `sizes` ([n_inputs, hidden..., n_outputs])."""
    m = machine()
    units = sum(sizes[1:])
    if kind == "forward":
        work = rows * (forward_flops(sizes) / m.flops + units / m.elements)
    elif kind == "step":
        work = rows * (STEP_PASSES * forward_flops(sizes) / m.flops
                       + STEP_ELEMENTWISE * units / m.elements)
    else:
        raise ValueError(f"kind must be 'forward' or 'step', got {kind!r}")
    return work + CALLS_PER_LAYER[kind] * (len(sizes) - 1) * m.call


def rows_within_seconds(sizes, limit, kind="step"):
    """The most rows `kind` can take within `limit` seconds (at least 1)."""
    fixed = seconds(sizes, 0, kind)
    per_row = seconds(sizes, 1, kind) - fixed
    return max(1, int((limit - fixed) / per_row)) if per_row > 0 else 1


def work_bytes(sizes, rows, kind="step"):
    """Bytes of the work arrays of `kind` on `rows` rows."""
    if kind == "forward":
        per_row = 2 * max(sizes) + sizes[-1]
    elif kind == "step":
        per_row = sizes[0] + 1 + 4 * sum(s + 1 for s in sizes[1:]) + 2 * sizes[-1]
    else:
        raise ValueError(f"kind must be 'forward' or 'step', got {kind!r}")
    return BYTES * rows * per_row


def rows_within_bytes(sizes, limit, kind="step"):
    """The most rows whose work arrays of `kind` fit in `limit` bytes (at least 1)."""
    return max(1, int(limit // work_bytes(sizes, 1, kind)))


def data_rows_within_bytes(n_columns, limit):
    """The most rows of `n_columns` float64 inputs whose copies in a run fit in `limit`
    bytes (at least 1)."""
    return max(1, int(limit // (DATA_COPIES * BYTES * n_columns)))
