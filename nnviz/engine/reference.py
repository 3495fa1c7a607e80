"""The textbook network: read this file first.

A fully connected network in plain NumPy, one line per equation and one array
per symbol. `mlp.py` computes exactly the same numbers (equal to 1e-12, a test
holds it to that) with its arrays arranged for speed; this is the version to
learn from, and the one the exported script runs.

Samples are rows. For m samples, layer i (i = 0 .. L-1) maps A[i]: (m, n_i) to
A[i+1]: (m, n_(i+1)) with W[i]: (n_i, n_(i+1)) and b[i]: (n_(i+1),):

    forward    Z[i]  = A[i] @ W[i] + b[i]          A[0] = X
               A[i+1] = f_i(Z[i])                 f_i: the layer's activation

    loss       L = (1/m) sum over samples of l(A[L], Y)  +  l1 sum|W| + (l2/2) sum W²

    backward   dZ[i] = dl/dZ[i], one row per sample (the gradient of that sample's loss)
               output layer:  dZ[L-1] = c (A[L] - Y)               (fused pairs)
                         or   dZ[L-1] = dl/dA[L] * f'(Z[L-1])     (the chain rule)
               dW[i] = A[i].T @ dZ[i] / m  (+ l1 sign(W[i]) + l2 W[i])
               db[i] = sum of dZ[i] over the rows / m
               dA[i] = dZ[i] @ W[i].T
               dZ[i-1] = dA[i] * f'_(i-1)(Z[i-1])

`*` is the elementwise product. The functions f, f' and the losses are the
engine's own tables (activations.py, losses.py), so there is one definition of each.
"""

import numpy as np

from .activations import ACTIVATIONS, softmax_backward
from .init import INITIALIZERS
from .losses import LOSSES, fused


def init_params(layer_sizes, init="xavier", seed=0, dtype=np.float64):
    """[(W, b) for each layer]: W: (n_in, n_out) drawn by INITIALIZERS[init] from one
    random stream, layer after layer; b: (n_out,) all at the entry's bias (usually 0)."""
    rng = np.random.default_rng(seed)
    start = INITIALIZERS[init]
    params = []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:], strict=True):
        W = start.weights(n_in, n_out, rng, dtype)
        b = np.full(n_out, start.bias, dtype=dtype)
        params.append((W, b))
    return params


def forward(params, activations, X):
    """Zs = [Z[0], ..., Z[L-1]] and As = [A[0] = X, A[1], ..., A[L]]; backprop needs both.

        Z[i] = A[i] @ W[i] + b[i],    A[i+1] = f_i(Z[i])
    """
    Zs, As = [], [X]
    for (W, b), name in zip(params, activations, strict=True):
        Z = As[-1] @ W + b
        A = ACTIVATIONS[name].f(Z)
        Zs.append(Z)
        As.append(A)
    return Zs, As


def one_hot(labels, k, out=None):
    """Class labels 0..k-1, (m,) -> (m, k): row i has its 1 in column labels[i] and 0
    elsewhere (booleans, or written into `out` as its dtype's 1 and 0)."""
    return np.equal(labels[:, None], np.arange(k), out=out)


def targets(y, loss, k):
    """Y: (m, k), what the output layer is compared with. Class labels 0..k-1 become
    one-hot rows for cross_entropy and a 0/1 column for bce; regression targets
    (m, k) stay as they are."""
    if loss == "cross_entropy":
        return one_hot(y, k).astype(np.float64)
    return y.reshape(len(y), -1).astype(np.float64)


def n_outputs(loss, y, n_classes):
    """Units of the output layer: 1 for bce (P(class 1)), one per class for
    cross_entropy, one per target column for mse."""
    if loss == "bce":
        return 1
    if loss == "cross_entropy":
        return n_classes
    return y.shape[1]


def data_loss(Zs, As, Y, loss):
    """L: the mean over the m samples of each one's loss l."""
    return LOSSES[loss].value(Zs[-1], As[-1], Y)


def penalty(params, l1=0.0, l2=0.0):
    """l1 sum|W| + (l2 / 2) sum W², over every weight; biases are never penalised."""
    total = 0.0
    for W, _ in params:
        total += l1 * np.sum(np.abs(W)) + 0.5 * l2 * np.sum(W * W)
    return float(total)


def output_delta(Z, A, Y, activation, loss):
    """dZ = dl/dZ of the output layer, one row per sample.

    Fused pairs (sigmoid + bce, softmax + cross_entropy, linear + mse) cancel to
    c (A - Y); otherwise the chain rule: dA = dl/dA, then dZ = dA * f'(Z), or
    through softmax's Jacobian, row by row, for a softmax output.
    """
    pair = fused(activation, loss)
    if pair is not None:
        return pair.scale(Y.shape[1]) * (A - Y)
    dA = LOSSES[loss].delta(Z, A, Y)
    if ACTIVATIONS[activation].df is None:
        return softmax_backward(dA, A)
    return dA * ACTIVATIONS[activation].df(Z, A)


def backward(params, activations, Zs, As, Y, loss, l1=0.0, l2=0.0):
    """[(dW, db) for each layer]: the gradient of the mean loss plus the penalty.

        dW[i] = A[i].T @ dZ[i] / m + l1 sign(W[i]) + l2 W[i]
        db[i] = sum over rows of dZ[i] / m
        dA[i] = dZ[i] @ W[i].T,   dZ[i-1] = dA[i] * f'_(i-1)(Z[i-1])
    """
    m = Y.shape[0]
    dZ = output_delta(Zs[-1], As[-1], Y, activations[-1], loss)
    grads = [None] * len(params)
    for i in reversed(range(len(params))):       # from the output layer down
        W, b = params[i]
        dW = As[i].T @ dZ / m + l1 * np.sign(W) + l2 * W
        db = dZ.sum(axis=0) / m
        grads[i] = (dW, db)
        if i > 0:
            dA = dZ @ W.T
            dZ = dA * ACTIVATIONS[activations[i - 1]].df(Zs[i - 1], As[i])
    return grads


def loss_and_grads(params, activations, X, Y, loss, l1=0.0, l2=0.0):
    """(mean data loss, [(dW, db)]) for one batch: forward, loss, backward."""
    Zs, As = forward(params, activations, X)
    return data_loss(Zs, As, Y, loss), backward(params, activations, Zs, As, Y, loss, l1, l2)
