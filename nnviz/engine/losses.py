"""Losses, kept as one table: LOSSES[name] = Loss(value, delta, outputs, fused, title, tex, tex_delta).

All take the output layer's pre-activation `z`, its activation `a` and the target
`t`, each `(n_samples, n_outputs)` (targets already one-hot / reshaped, see
`reference.targets`). The loss of the batch is the mean of the per-sample losses,
L = (1/m) sum_i l_i:

- `value(z, a, t) -> float`: that mean, `a` being the output activation of `z`.
  bce and cross_entropy are computed from the logits (and cross_entropy from the
  largest probability, never below 1/k), so no log ever sees 0 and no exp overflows.
- `delta(z, a, t, out=None) -> dl/da`: the derivative of each sample's own loss l_i
  (row i), for the general chain rule; the mean's derivative is that over m.
- `outputs`: the output activations the loss may follow (None: any).
- `fused`: a `Fused(activation, scale, tex, why)` when that output activation and
  this loss simplify, dl/dz = scale(k) * (a - t), or None.
- `title`, and `tex` (the batch loss L) and `tex_delta` (dl/dA) in LaTeX with the
  symbols `A` (output), `Y` (targets), `m` (samples) and `k` (outputs).

`CLASS_OUTPUTS[activation] = ClassOutput(loss, per_class, encode, proba, about)` says how
an output layer answers a classification: the loss it trains with, the targets it is
compared with, and the class probabilities its activations stand for.
`output_and_loss(task, n_classes)` picks the pair a task calls for.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .activations import hidden_activations, output_activations

TINY = 1e-12


def _sum(x):
    return np.add.reduce(x, axis=None)


def _dot(a, b):
    """sum(a * b) over all elements. The MLP passes transposed views of (k, n)
    buffers; .T of both keeps the pairing and lets vdot read them without a copy."""
    return np.vdot(a.T, b.T)


class Fused(NamedTuple):
    """With output activation `activation`, dl/dz of a sample is scale(k) * (a - t)."""

    activation: str
    scale: Callable        # scale(k) for k outputs
    tex: str               # dl/dZ in LaTeX
    why: str               # why the two derivatives cancel, in words


class Loss(NamedTuple):
    value: Callable        # value(z, a, t) -> mean loss
    delta: Callable        # delta(z, a, t, out=None) -> dl/da per sample
    outputs: tuple | None  # output activations it may follow; None: any
    fused: Fused | None
    title: str
    tex: str
    tex_delta: str


def bce(z, a, t):
    """mean over samples of -t log a - (1-t) log(1-a), with a = sigmoid(z): (n, 1).

    Per sample this is softplus(z) - t z, and softplus(z) = log(1 + e^z) is
    np.logaddexp(0, z), which neither overflows nor takes the log of 0, whatever z is.
    """
    return float((_sum(np.logaddexp(0.0, z)) - _dot(t, z)) / z.shape[0])


def bce_delta(z, a, t, out=None):
    # (a - t) / (a (1 - a)); only used through the chain rule (sigmoid fuses it away).
    denom = np.clip(a * (1.0 - a), TINY, None)
    out = np.subtract(a, t, out=out)
    return np.divide(out, denom, out=out)


def cross_entropy(z, a, t):
    """mean over samples of -sum_k t_k log a_k, with a = softmax(z): (n, k).

    Per row, log-sum-exp(z) = max(z) - log(max(a)) and max(a) >= 1/k, so the log
    never sees 0: the loss is max(z) - t·z - log(max(a)), exact for any logits.
    """
    top = _sum(np.log(np.maximum.reduce(a, axis=1)))
    return float((_sum(np.maximum.reduce(z, axis=1)) - _dot(t, z) - top) / z.shape[0])


def cross_entropy_delta(z, a, t, out=None):
    out = np.divide(t, np.clip(a, TINY, None), out=out)
    return np.negative(out, out=out)


def mse(z, a, t):
    """mean over all elements of (a - t)²."""
    d = a - t
    return float(_dot(d, d) / d.size)


def mse_delta(z, a, t, out=None):
    # a sample's loss is the mean of its k squared errors: dl/da = 2 (a - t) / k
    out = np.subtract(a, t, out=out)
    return np.multiply(out, 2.0 / a.shape[1], out=out)


LOSSES = {
    "bce": Loss(
        bce, bce_delta, ("sigmoid",),
        Fused("sigmoid", lambda k: 1.0, r"\big(A - Y\big)",
              "Sigmoid with binary cross-entropy: the loss's slope −y/a + (1−y)/(1−a) "
              "times the sigmoid's slope a(1−a) cancels to a − y, so the output delta "
              "is just the error."),
        "binary cross-entropy",
        r"-\frac{1}{m}\sum_{i=1}^{m}\Big[Y_i \log A_i + (1 - Y_i)\log\big(1 - A_i\big)\Big]",
        r"\frac{A - Y}{A \odot (1 - A)}"),
    "cross_entropy": Loss(
        cross_entropy, cross_entropy_delta, ("softmax",),
        Fused("softmax", lambda k: 1.0, r"\big(A - Y\big)",
              "Softmax with cross-entropy: the softmax Jacobian and −Y/A collapse to "
              "A − Y (Y one-hot)."),
        "cross-entropy",
        r"-\frac{1}{m}\sum_{i=1}^{m}\sum_{c=1}^{k} Y_{ic} \log A_{ic}",
        r"-\frac{Y}{A}"),
    "mse": Loss(
        mse, mse_delta, None,
        Fused("linear", lambda k: 2.0 / k, r"\frac{2}{k}\big(A - Y\big)",
              "A linear output with mean squared error: the derivative of the mean of "
              "(A − Y)² is 2(A − Y) over the number of terms, and a linear output "
              "passes it through."),
        "mean squared error",
        r"\frac{1}{m \cdot k}\sum_{i=1}^{m}\sum_{j=1}^{k}\big(A_{ij} - Y_{ij}\big)^2",
        r"\frac{2}{k}\big(A - Y\big)"),
}


def _as_given(x):
    return x


def _plus_minus_one(labels):
    """Labels 0/1 (m,) -> targets -1/+1 (m, 1)."""
    return 2.0 * np.reshape(labels, (-1, 1)) - 1.0


def _half_up(a):
    """A tanh output in [-1, 1] -> P(class 1) = (A + 1) / 2: class 1 where A > 0."""
    return (a + 1.0) / 2.0


class ClassOutput(NamedTuple):
    """How an output activation answers a classification task.

    loss: the loss it trains with; per_class: one unit per class (else a single unit,
    for two classes); encode(labels) -> the targets that loss takes, from class labels
    0..k-1 of shape (m,); proba(A) -> the probabilities A stands for (P(class 1) in one
    column, or one column per class); about: in words."""

    loss: str
    per_class: bool
    encode: Callable
    proba: Callable
    about: str


# In order of preference: "auto" takes the first that fits the number of classes.
CLASS_OUTPUTS = {
    "sigmoid": ClassOutput("bce", False, _as_given, _as_given,
                           "one unit, P(class 1), trained on labels 0 and 1"),
    "softmax": ClassOutput("cross_entropy", True, _as_given, _as_given,
                           "one unit per class, the probabilities of the classes"),
    "tanh": ClassOutput("mse", False, _plus_minus_one, _half_up,
                        "one unit trained towards -1 (class 0) and +1 (class 1) with squared "
                        "error, as TensorFlow Playground does; P(class 1) = (A + 1) / 2"),
}


def valid_pairs():
    """{loss: the output activations it may follow}, read from the tables now."""
    return {name: loss.outputs or output_activations() for name, loss in LOSSES.items()}


def fused(output_activation, loss):
    """The loss's Fused entry when it simplifies with this output activation, else None."""
    f = LOSSES[loss].fused
    return f if f is not None and f.activation == output_activation else None


class PairError(ValueError):
    """An output activation or loss that does not fit the task; `field` names which."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def output_and_loss(task, n_classes=None, output="auto", loss="auto"):
    """The (output activation, loss) a task calls for, with "auto" resolved: sigmoid +
    bce for 2 classes, softmax + cross_entropy for more, linear + mse for regression
    (whose output may be any activation with an elementwise derivative). Two classes
    may also take softmax + cross_entropy, or tanh + mse on targets ±1 (CLASS_OUTPUTS).
    A choice that does not fit raises PairError naming the field, the value and what is
    allowed."""
    if task == "regression":
        _fits("output_activation", output, ("auto", *hidden_activations()), "a regression task")
        _fits("loss", loss, ("auto", "mse"), "a regression task")
        return ("linear" if output == "auto" else output), "mse"
    # output activation -> its loss; a single output unit serves exactly 2 classes
    pairs = {out: c.loss for out, c in CLASS_OUTPUTS.items() if c.per_class or n_classes == 2}
    what = f"a classification task with {n_classes} classes"
    _fits("output_activation", output, ("auto", *pairs), what)
    _fits("loss", loss, ("auto", *pairs.values()), what)
    if output == "auto":
        output = next(iter(pairs)) if loss == "auto" else \
            next(o for o, paired in pairs.items() if paired == loss)
    if loss not in ("auto", pairs[output]):
        raise PairError("loss", f"loss={loss!r} does not pair with output_activation="
                        f"{output!r}; use {pairs[output]!r} (or 'auto')")
    return output, pairs[output]


def _fits(field, value, allowed, what):
    if not isinstance(value, str) or value not in allowed:
        raise PairError(field, f"{field}={value!r} does not fit {what}; "
                        f"allowed: {', '.join(allowed)}")
