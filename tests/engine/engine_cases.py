"""The cases the engine's tests share, read from the tables when collected: every
valid (output activation, loss) pair, and every hidden activation at each depth."""

from nnviz.engine import hidden_activations, valid_pairs

PAIRS = [(out, loss) for loss, outs in valid_pairs().items() for out in outs]
CASES = [(hidden, out, loss, depth)
         for depth in (0, 1, 3)
         for hidden in (hidden_activations() if depth else ("-",))
         for out, loss in PAIRS]
CASE_IDS = [f"{d}x{h}-{o}-{lo}" for h, o, lo, d in CASES]


def random_targets(loss, n, k, rng):
    """Labels or targets `loss` takes for n samples and k outputs."""
    if loss == "bce":
        return rng.integers(0, 2, n)
    if loss == "cross_entropy":
        return rng.integers(0, k, n)
    return rng.standard_normal((n, k))
