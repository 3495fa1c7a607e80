"""Activation functions, kept as one table: ACTIVATIONS[name] = Activation(f, df, tex, tex_df).

`f(z, out=None) -> a` and `df(z, a, out=None) -> f'(z)` work elementwise on
`z: (n_samples, n_units)`; `df` gets both `z` and `a = f(z)` and uses whichever is
cheaper (tanh' = 1 - a², relu' = [z > 0]). With `out` given they write into it
and make no new arrays, which is how the MLP calls them on its hot path; `f` may
write over `z` itself (out=z), `df`'s out must not overlap `z` or `a`.

`tex` and `tex_df` are f and f' in LaTeX (KaTeX), written with the symbols `Z`
(the pre-activation) and `A` (= f(Z)); the Inside tab puts the layer on them
(Z -> Z^{[2]}). softmax works on rows and is for the output layer only; its
derivative is a Jacobian, not elementwise, so its `df` and `tex_df` are None and
`softmax_backward` applies it.

Adding an activation is one function pair and one entry in ACTIVATIONS, which may
be appended at the end of this file (docs/architecture.md shows one): every list
of names (`hidden_activations()`, `output_activations()`) is read from the table
when it is asked for.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

LEAKY_SLOPE = 0.01


class Activation(NamedTuple):
    f: Callable            # f(z, out=None) -> a
    df: Callable | None    # df(z, a, out=None) -> f'(z); None: not elementwise (softmax)
    tex: str               # f in LaTeX, in terms of Z
    tex_df: str | None     # f' in LaTeX, in terms of Z and A


def sigmoid(z, out=None):
    # 1/(1+e^-z) = (1 + tanh(z/2)) / 2: never overflows, for any z, and tanh is far
    # cheaper than a stable exp/log form (this runs on every layer and every step).
    out = np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    np.multiply(out, 0.5, out=out)
    return np.add(out, 0.5, out=out)


def sigmoid_df(z, a, out=None):
    out = np.subtract(1.0, a, out=out)
    return np.multiply(out, a, out=out)


def tanh_df(z, a, out=None):
    out = np.multiply(a, a, out=out)
    return np.subtract(1.0, out, out=out)


def relu(z, out=None):
    return np.maximum(z, 0.0, out=out)


def relu_df(z, a, out=None):
    if out is None:
        out = np.empty_like(z)
    return np.greater(z, 0.0, out=out)


def leaky_relu(z, out=None):
    # max(z, 0.01 z) is z for z > 0 and 0.01 z otherwise.
    if out is None or np.may_share_memory(z, out):
        return np.maximum(z, LEAKY_SLOPE * z, out=out)
    np.multiply(z, LEAKY_SLOPE, out=out)
    return np.maximum(z, out, out=out)


def leaky_relu_df(z, a, out=None):
    if out is None:
        out = np.empty_like(z)
    np.greater(z, 0.0, out=out)
    np.multiply(out, 1.0 - LEAKY_SLOPE, out=out)
    return np.add(out, LEAKY_SLOPE, out=out)


def linear(z, out=None):
    if out is None:
        return z.copy()
    if out is not z:
        np.copyto(out, z)
    return out


def linear_df(z, a, out=None):
    if out is None:
        return np.ones_like(z)
    out.fill(1.0)
    return out


def softmax(z, out=None):
    """Row-wise softmax of z: (n, k); shifting by the row max keeps exp <= 1."""
    # ufunc.reduce directly: the .max()/.sum() methods add a Python layer per call.
    out = np.subtract(z, np.maximum.reduce(z, axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    return np.divide(out, np.add.reduce(out, axis=1, keepdims=True), out=out)


def softmax_backward(da, a, out=None):
    """dL/dz from dL/da through softmax: a * (da - sum(da * a, rows))."""
    out = np.multiply(da, a, out=out)
    s = out.sum(axis=1, keepdims=True)
    np.subtract(da, s, out=out)
    return np.multiply(out, a, out=out)


def hidden_activations():
    """Names a hidden layer may use: those with an elementwise derivative (all but softmax)."""
    return tuple(name for name, act in ACTIVATIONS.items() if act.df is not None)


def output_activations():
    """Names an output layer may use: all of them."""
    return tuple(ACTIVATIONS)


ACTIVATIONS = {
    "sigmoid": Activation(sigmoid, sigmoid_df, r"\frac{1}{1 + e^{-Z}}", r"A \odot (1 - A)"),
    # tanh is the ufunc itself: np.tanh(z, out=None)
    "tanh": Activation(np.tanh, tanh_df, r"\tanh(Z)", r"1 - A^{2}"),
    "relu": Activation(relu, relu_df, r"\max(0,\, Z)", r"\mathbb{1}[Z > 0]"),
    "leaky_relu": Activation(
        leaky_relu, leaky_relu_df, rf"\max({LEAKY_SLOPE:g}\,Z,\; Z)",
        rf"\mathbb{{1}}[Z > 0] + {LEAKY_SLOPE:g}\,\mathbb{{1}}[Z \le 0]"),
    "linear": Activation(linear, linear_df, r"Z", r"1"),
    "softmax": Activation(softmax, None, r"\operatorname{softmax}(Z)", None),
}
