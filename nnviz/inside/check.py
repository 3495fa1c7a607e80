"""The gradient check of the step panel: the engine's `gradcheck` on the
current network and minibatch, arranged per layer for the view.

Central differences cost two forward passes per parameter, so a layer with
more than `max_per_layer` parameters is checked on a random subset of them,
and the result says so.
"""

import math
from dataclasses import dataclass

from nnviz import cost
from nnviz.engine.gradcheck import TOLERANCE, gradcheck
from nnviz.inside.step import batch_of
from nnviz.limits import MAX_CHECK_PARAMS, MAX_CHECK_PER_LAYER


@dataclass(frozen=True)
class CheckView:
    """layers: one dict per layer with name, relative_error, analytic (k,), numerical (k,),
    checked, total, ok; notes: sentences for the user (subsets, failures)."""

    layers: list
    notes: list
    result: object  # the engine's GradCheck, unchanged

    @property
    def ok(self):
        return all(layer["ok"] for layer in self.layers)

    @property
    def relative_errors(self):
        return [layer["relative_error"] for layer in self.layers]


def plan(layer_sizes, max_per_layer=MAX_CHECK_PER_LAYER):
    """(total, checked) parameters per layer for a net of `layer_sizes`."""
    if max_per_layer is not None and (not isinstance(max_per_layer, int) or max_per_layer < 1):
        raise ValueError(f"max_per_layer must be a whole number >= 1 or None, got {max_per_layer!r}")
    out = []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:], strict=True):
        total = (n_in + 1) * n_out
        out.append((total, total if max_per_layer is None else min(total, max_per_layer)))
    return out


def within(layer_sizes, rows, seconds):
    """The most parameters per layer a check on `rows` rows can take in `seconds`: each
    costs two forward passes (central differences)."""
    one = cost.seconds(layer_sizes, rows, "forward")
    total = seconds / (2 * one) if one > 0 else math.inf
    return max(1, int(total // (len(layer_sizes) - 1))) if math.isfinite(total) else None


def run(trainer, indices, max_per_layer=MAX_CHECK_PER_LAYER, seed=0, tolerance=TOLERANCE,
        seconds=None):
    """CheckView of the engine's gradcheck on the trainer's net for training rows `indices`;
    with `seconds`, a check that would take longer samples fewer parameters per layer."""
    notes = []
    if seconds is not None:
        fits = within(trainer.net.layer_sizes, len(indices), seconds)
        if fits is not None and (max_per_layer is None or fits < max_per_layer):
            max_per_layer = fits
            notes.append(f"The check is held to {seconds:g} s on this server: at most {fits} "
                         "parameters per layer.")
    counts = plan(trainer.net.layer_sizes, max_per_layer)
    if sum(c for _, c in counts) > MAX_CHECK_PARAMS:
        raise ValueError(f"checking {sum(c for _, c in counts)} parameters would be slow; "
                         f"use a subset of at most {MAX_CHECK_PARAMS // len(counts)} per layer")
    X, y = batch_of(trainer, indices)
    c = trainer.config
    result = gradcheck(trainer.net, X, y, trainer.loss, l1=c.l1, l2=c.l2,
                       max_per_layer=max_per_layer, seed=seed)
    layers = []
    for i, lc in enumerate(result.layers):
        ok = lc.relative_error < tolerance
        layers.append(dict(name=f"layer {i + 1}", relative_error=lc.relative_error,
                           analytic=lc.analytic, numerical=lc.numerical,
                           checked=lc.checked, total=lc.total, ok=ok))
        if lc.checked < lc.total:
            notes.append(f"Layer {i + 1} has {lc.total:,} parameters: checked a random "
                         f"{lc.checked} of them (seed {seed}).")
    if c.l1:
        notes.append("L1 is not differentiable where a weight is exactly 0; there the two "
                     "gradients may differ by the L1 rate.")
    bad = [layer["name"] for layer in layers if not layer["ok"]]
    if bad:
        notes.append(f"Relative error at or above {tolerance:g} in {', '.join(bad)}.")
    return CheckView(layers=layers, notes=notes, result=result)
