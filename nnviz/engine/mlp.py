"""A multi-layer perceptron in plain NumPy: forward pass, backprop, penalties.

This is the tuned twin of `reference.py` (read that first): the same equations,
the same numbers to 1e-12, arranged for speed. Layout (samples are rows): layer i
maps A[i]: (n, n_i) to A[i+1] = f_i(Z[i]) with Z[i] = A[i] @ W_i + b_i,
W_i: (n_i, n_{i+1}), b_i: (n_{i+1},); A[0] is X.

Speed: every parameter lives in one flat buffer `flat_params`. Layer i is a block
of shape (n_i + 1, n_{i+1}) whose first n_i rows are W_i and whose last row is b_i,
and each layer's input carries an extra feature that is always 1, so a single matmul
gives Z = [A, 1] @ [W; b] and a single matmul gives [dW; db] = [A, 1]^T @ dZ.
Gradients live the same way in `flat_grads`; an optimizer updates everything in one
or two calls. Inside `loss_and_grads` the work arrays hold samples as columns (Z^T,
A^T, dZ^T: (units, n)), so that every elementwise step runs over contiguous memory;
the functions of the activation and loss tables see them as (n, units) views.
The 1/m of the mean loss is applied once, to the output delta, so here
dZ = reference dZ / m and no gradient divides by m again. Work buffers are made once
per batch size and reused (a small LRU).

Which statement of `loss_and_grads` computes which line of `reference.py`:

    reference.py                              mlp.py (loss_and_grads)
    Z = A @ W + b                             np.dot(block_T, AT[i], ZT[i])   [W; b]^T [A, 1]^T
    A = f(Z)                                  f(Z[i], A[i + 1])               in place
    data_loss: LOSSES[loss].value(Z, A, Y)    value_fn(Z[-1], A[-1], T)
    output_delta, fused: c (A - Y)            np.subtract(A[-1], T, dZ[-1]); *= c / m
    output_delta, chain: dl/dA * f'(Z)        delta_fn(...); *= df(...); *= 1 / m
    output_delta, softmax: Jacobian           delta_fn(...); softmax_backward(...); *= 1 / m
    dW = A.T @ dZ / m;  db = sum(dZ) / m      np.dot(AT[i], dZ[i], gblocks[i])  [A, 1]^T dZ
    dA = dZ @ W.T                             np.dot(params[i][0], dZT[i], dZT[i - 1])
    dZ = dA * f'(Z)                           np.multiply(dZ[i - 1], dfs[i - 1](...), ...)
    + l2 W                                    reg = l2 * flat_params * weight_mask
    + l1 sign(W)                              reg = l1 * sign(flat_params) * weight_mask
    init_params, penalty                      called as they are
"""

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, hidden_activations, softmax_backward
from .init import INITIALIZERS
from .losses import LOSSES, fused, valid_pairs
from .reference import init_params, one_hot, penalty

DTYPES = (np.float32, np.float64)
_BUFFER_SLOTS = 4
_ROWS = 8192


@dataclass(frozen=True)
class StepTrace:
    """Copies of what one `loss_and_grads` call computed (L = number of layers).

    X: (n, n_0); y: the targets as used, (n, n_L) (one-hot for cross_entropy);
    A: L+1 arrays, A[0] = X, A[i+1] = f_i(Z[i]); Z, dZ: L arrays, dZ[i] = dL/dZ[i]
    (data loss + penalty gradient enters only through grads); grads: L pairs (dW, db).
    """

    X: np.ndarray
    y: np.ndarray
    Z: list
    A: list
    dZ: list
    grads: list
    loss: float
    loss_name: str
    l1: float
    l2: float


class _Buffers:
    """Work arrays for one batch size n, samples as columns.

    AT[i]: (n_i + 1, n), layer i's input with a last row of ones (AT[0] is a transposed
    view of a row-major (n, n_0 + 1) array, so copying X in is a plain row copy), and
    AT[L]: (n_L, n) the output; ZT[i], dZT[i]: (n_{i+1}, n); TT: (n_L, n) the targets.
    A, Z, dZ, tmp, T are the same memory seen as (n, units).
    """

    def __init__(self, sizes, n, dtype):
        X1 = np.empty((n, sizes[0] + 1), dtype=dtype)
        X1[:, -1] = 1.0
        self.AT = [X1.T]
        for width in sizes[1:-1]:
            a = np.empty((width + 1, n), dtype=dtype)
            a[-1] = 1.0
            self.AT.append(a)
        self.AT.append(np.empty((sizes[-1], n), dtype=dtype))  # the output, no ones
        self.ZT = [np.empty((s, n), dtype=dtype) for s in sizes[1:]]
        self.dZT = [np.empty((s, n), dtype=dtype) for s in sizes[1:]]
        self.TT = np.empty((sizes[-1], n), dtype=dtype)
        self.A = [X1[:, :-1]] + [a[:-1].T for a in self.AT[1:-1]] + [self.AT[-1].T]
        self.Z = [z.T for z in self.ZT]
        self.dZ = [d.T for d in self.dZT]
        self.tmp = [np.empty((s, n), dtype=dtype).T for s in sizes[1:]]
        self.T = self.TT.T
        # dZ of the output layer again, row-major, for its [dW; db] (see loss_and_grads).
        self.dZ_out = np.empty((n, sizes[-1]), dtype=dtype)


def _check_name(kind, name, table):
    if not isinstance(name, str) or name not in table:
        raise ValueError(f"unknown {kind} {name!r}; allowed: {', '.join(table)}")


class MLP:
    """Fully connected network.

    layer_sizes: [n_inputs, hidden..., n_outputs], hidden layers of at least 1 unit (a
    run's limits are nnviz.limits', which Config checks; the engine keeps none).
    activations: one name per layer (len(layer_sizes) - 1); softmax only for the output.
    init: a name of INITIALIZERS ("small", "xavier", "he", "tfp"), which also says where
    the biases start (0, or 0.1 for "tfp"). seed: int for the weights.
    dtype: np.float64 (default) or np.float32; every array the net makes has it.
    """

    def __init__(self, layer_sizes, activations, init="xavier", seed=0, dtype=np.float64):
        sizes = self._check_sizes(layer_sizes)
        acts = self._check_activations(activations, len(sizes) - 1, sizes[-1])
        _check_name("init", init, INITIALIZERS)
        try:
            dt = np.dtype(dtype)
        except TypeError:
            dt = None
        if dt is None or dt.type not in DTYPES:
            raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")

        self.layer_sizes = sizes
        self.activations = acts
        self.init = init
        self.seed = int(seed)
        self.dtype = dt.type
        self.n_layers = len(sizes) - 1

        shapes = [(n_in + 1, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
        total = sum(r * c for r, c in shapes)
        self._flat_params = np.zeros(total, dtype=dt)
        self._flat_grads = np.zeros(total, dtype=dt)
        self._blocks, self._gblocks = [], []
        self._weight_mask = np.zeros(total, dtype=dt)
        start = 0
        for r, c in shapes:
            stop = start + r * c
            self._blocks.append(self._flat_params[start:stop].reshape(r, c))
            self._gblocks.append(self._flat_grads[start:stop].reshape(r, c))
            self._weight_mask[start:stop - c] = 1.0
            start = stop
        self._params = [(B[:-1], B[-1]) for B in self._blocks]
        self._blocks_T = [B.T for B in self._blocks]
        self._grads = [(G[:-1], G[-1]) for G in self._gblocks]
        self._reg = np.empty(total, dtype=dt)

        for (W, b), (W0, b0) in zip(self._params,
                                    init_params(sizes, init, self.seed, self.dtype), strict=True):
            W[...] = W0
            b[...] = b0

        self._f = [ACTIVATIONS[a].f for a in acts]
        self._df = [None if a == "linear" else ACTIVATIONS[a].df for a in acts]  # None: f' = 1
        self._buffers = OrderedDict()
        self._plans = {}
        self._last = None

    # ----- validation at the public edge -------------------------------------------------

    @staticmethod
    def _check_sizes(layer_sizes):
        try:
            sizes = [int(s) for s in layer_sizes]
            ok = all(int(s) == s and not isinstance(s, bool) for s in layer_sizes)
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ValueError(f"layer_sizes must be a list of integers, got {layer_sizes!r}")
        if len(sizes) < 2:
            raise ValueError(
                f"layer_sizes needs at least [n_inputs, n_outputs], got {layer_sizes!r}")
        if sizes[0] < 1 or sizes[-1] < 1:
            raise ValueError(f"input and output sizes must be at least 1, got {sizes}")
        for w in sizes[1:-1]:
            if w < 1:
                raise ValueError(f"hidden layer width {w} given; a layer needs at least 1 unit")
        return sizes

    @staticmethod
    def _check_activations(activations, n_layers, n_out):
        if isinstance(activations, str) or not hasattr(activations, "__len__"):
            raise ValueError(
                f"activations must be a list of {n_layers} names, one per layer, "
                f"got {activations!r}")
        acts = list(activations)
        if len(acts) != n_layers:
            raise ValueError(
                f"{len(acts)} activations given for {n_layers} layers; "
                f"give one per layer (hidden layers then output)")
        hidden = hidden_activations()
        for i, a in enumerate(acts):
            _check_name("activation", a, ACTIVATIONS)
            if i < n_layers - 1 and a not in hidden:
                raise ValueError(
                    f"activation {a!r} is for the output layer only (got it at hidden "
                    f"layer {i + 1}); hidden layers allow: {', '.join(hidden)}")
        if acts[-1] == "softmax" and n_out < 2:
            raise ValueError(
                f"softmax output needs at least 2 units, got {n_out}; "
                f"for one output use sigmoid (with bce)")
        return acts

    def _input(self, X):
        if not isinstance(X, np.ndarray):
            X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self.layer_sizes[0]:
            raise ValueError(
                f"X must have shape (n_samples, {self.layer_sizes[0]}), got {X.shape}")
        if X.dtype.kind not in "biuf":
            raise ValueError(f"X must be numeric, got dtype {X.dtype}")
        if X.shape[0] == 0:
            raise ValueError("X has no rows")
        return X

    def _check_loss(self, loss):
        _check_name("loss", loss, LOSSES)
        out, allowed = self.activations[-1], valid_pairs()[loss]
        if out not in allowed:
            raise ValueError(
                f"loss {loss!r} does not fit a {out!r} output layer; {loss!r} needs "
                f"output activation {' or '.join(allowed)}")
        if loss == "bce" and self.layer_sizes[-1] != 1:
            raise ValueError(
                f"bce needs exactly 1 output unit, the net has {self.layer_sizes[-1]}; "
                f"for several classes use softmax with cross_entropy")

    def _plan(self, loss):
        """How the output delta is formed for `loss`, validated once per loss name."""
        plan = self._plans.get(loss)
        if plan is None:
            self._check_loss(loss)
            out = self.activations[-1]
            pair = fused(out, loss)
            kind = "fused" if pair else "softmax" if ACTIVATIONS[out].df is None else "chain"
            c = pair.scale(self.layer_sizes[-1]) if pair else 1.0
            plan = self._plans[loss] = (LOSSES[loss].value, LOSSES[loss].delta, c, kind)
        return plan

    def _targets(self, y, loss, n, T=None):
        """y as a float array T: (n, n_out) of the net's dtype, validated for the loss
        (written into T when given)."""
        y = np.asarray(y)
        k = self.layer_sizes[-1]
        if y.shape[:1] != (n,):
            raise ValueError(f"y has shape {y.shape} but X has {n} rows")
        if y.dtype.kind not in "biuf":
            raise ValueError(f"y must be numeric, got dtype {y.dtype}")
        if T is None:
            T = np.empty((n, k), dtype=self.dtype)
        if loss == "bce":
            if y.shape not in ((n,), (n, 1)):
                raise ValueError(f"bce labels must have shape ({n},) or ({n}, 1), got {y.shape}")
            y = y.reshape(n, 1)
            if y.dtype.kind in "iu":
                # 0/1 exactly when the largest value seen as unsigned is at most 1.
                ok = np.maximum.reduce(y.view(f"u{y.itemsize}"), axis=None) <= 1
                np.copyto(T, y)
            else:
                np.equal(y, 1, out=T)
                ok = np.count_nonzero(T) + np.count_nonzero(y == 0) == n
            if not ok:
                bad = np.unique(y[(y != 0) & (y != 1)])[:5]
                raise ValueError(f"bce labels must be 0 or 1, got {bad.tolist()}")
        elif loss == "cross_entropy":
            if y.ndim == 1:
                one_hot(y, k, out=T)
                if np.count_nonzero(T) != n:
                    bad = np.unique(y[~T.any(axis=1)])[:5]
                    raise ValueError(
                        f"cross_entropy labels must be integers 0 to {k - 1} "
                        f"(the {k} classes), got {bad.tolist()}")
            elif y.shape == (n, k):
                np.copyto(T, y)
                if not (np.all(T >= 0) and np.allclose(T.sum(axis=1), 1.0, atol=1e-6)):
                    raise ValueError(
                        "cross_entropy one-hot labels must be rows of non-negative "
                        "numbers that sum to 1")
            else:
                raise ValueError(
                    f"cross_entropy labels must be integers of shape ({n},) or one-hot "
                    f"of shape ({n}, {k}), got {y.shape}")
        else:
            if y.shape == (n,) and k == 1:
                y = y.reshape(n, 1)
            if y.shape != (n, k):
                allowed = f"({n}, {k})" + (f" or ({n},)" if k == 1 else "")
                raise ValueError(f"mse targets must have shape {allowed}, got {y.shape}")
            np.copyto(T, y)
        return T

    @staticmethod
    def _check_penalty(l1, l2):
        for name, lam in (("l1", l1), ("l2", l2)):
            if not (isinstance(lam, (int, float, np.floating, np.integer))
                    and 0 <= lam < float("inf")):
                raise ValueError(f"{name} must be a finite number >= 0, got {lam!r}")

    def _buffers_for(self, n):
        B = self._buffers.get(n)
        if B is None:
            B = self._buffers[n] = _Buffers(self.layer_sizes, n, self.dtype)
            if len(self._buffers) > _BUFFER_SLOTS:
                self._buffers.popitem(last=False)
        else:
            self._buffers.move_to_end(n)
        return B

    # ----- parameters --------------------------------------------------------------------

    @property
    def flat_params(self):
        """All parameters, 1-D; W and b of every layer are views into it."""
        return self._flat_params

    @property
    def flat_grads(self):
        """All gradients of the last loss_and_grads, 1-D, same layout as flat_params."""
        return self._flat_grads

    @property
    def weight_mask(self):
        """1 where flat_params holds a weight, 0 where it holds a bias."""
        return self._weight_mask

    @property
    def n_params(self):
        return self._flat_params.size

    @property
    def params(self):
        """List of (W: (n_in, n_out), b: (n_out,)) per layer, live views into flat_params."""
        return list(self._params)

    @params.setter
    def params(self, new_params):
        new_params = list(new_params)
        if len(new_params) != self.n_layers:
            raise ValueError(
                f"params needs {self.n_layers} (W, b) pairs, got {len(new_params)}")
        arrays = []
        for i, (pair, (W, b)) in enumerate(zip(new_params, self._params, strict=True)):
            try:
                W_new, b_new = (np.asarray(p) for p in pair)
            except (TypeError, ValueError):
                raise ValueError(f"params[{i}] must be a pair (W, b)") from None
            if W_new.shape != W.shape or b_new.shape != b.shape:
                raise ValueError(
                    f"params[{i}] has shapes W {W_new.shape}, b {b_new.shape}; "
                    f"expected W {W.shape}, b {b.shape}")
            if W_new.dtype.kind not in "biuf" or b_new.dtype.kind not in "biuf":
                raise ValueError(f"params[{i}] must be numeric arrays")
            arrays.append((W_new, b_new))
        for (W, b), (W_new, b_new) in zip(self._params, arrays, strict=True):
            np.copyto(W, W_new, casting="unsafe")
            np.copyto(b, b_new, casting="unsafe")

    def copy(self, dtype=None):
        """A new net with the same architecture and parameters (optionally another dtype)."""
        net = MLP(self.layer_sizes, self.activations, init=self.init, seed=self.seed,
                  dtype=self.dtype if dtype is None else dtype)
        np.copyto(net._flat_params, self._flat_params, casting="unsafe")
        return net

    # ----- forward -----------------------------------------------------------------------

    def predict(self, X):
        """Output activations for X: (n, n_inputs) -> (n, n_outputs), a fresh array."""
        return self._forward(self._input(X))[1][-1]

    def activations_of(self, X):
        """[A0 = X, A1, ..., AL]: fresh arrays of the net's dtype, A[i]: (n, layer_sizes[i])."""
        return self._forward(self._input(X), keep=True)[1]

    def _forward(self, X, keep=False):
        """(Z list, A list) of fresh arrays; with keep=False only the last A and Z.

        Big inputs (a decision-boundary grid) go through the whole net in blocks of
        _ROWS rows: each block's activations stay in cache, and small-inner-dimension
        matmuls are much faster on blocks than on one tall matrix.
        """
        n, dt = X.shape[0], self.dtype
        if X.dtype != dt:
            X = X.astype(dt)
        widths = self.layer_sizes[1:]
        if keep:
            X = X.copy()
            Zs = [np.empty((n, w), dtype=dt) for w in widths]
            As = [X] + [np.empty((n, w), dtype=dt) for w in widths]
        else:
            rows = min(n, _ROWS)
            Zs = [np.empty((rows, w), dtype=dt) for w in widths]
            As = [X] + [np.empty((rows, w), dtype=dt) for w in widths[:-1]]
            As.append(np.empty((n, widths[-1]), dtype=dt))
        last = self.n_layers - 1
        for start in range(0, n, _ROWS):
            block = slice(start, min(start + _ROWS, n))
            here = block if keep else slice(0, block.stop - block.start)
            A = X[block]
            for i, ((W, b), f) in enumerate(zip(self._params, self._f, strict=True)):
                Z = np.matmul(A, W, out=Zs[i][here])
                Z += b
                A = f(Z, As[i + 1][block if keep or i == last else here])
        if keep:
            return Zs, As
        return [Z], [As[-1]]

    # ----- loss and gradients ------------------------------------------------------------

    def penalty(self, l1=0.0, l2=0.0):
        """l1 * sum|W| + 0.5 * l2 * sum W² over all weights (never biases)."""
        self._check_penalty(l1, l2)
        return penalty(self._params, l1, l2) if l1 or l2 else 0.0

    def loss(self, X, y, loss="bce", l1=0.0, l2=0.0):
        """Mean data loss plus penalty, without gradients (what gradcheck differentiates)."""
        self._check_loss(loss)
        self._check_penalty(l1, l2)
        X = self._input(X)
        T = self._targets(y, loss, X.shape[0])
        Zs, As = self._forward(X, keep=True)
        return LOSSES[loss].value(Zs[-1], As[-1], T) + self.penalty(l1, l2)

    def loss_and_grads(self, X, y, loss="bce", l1=0.0, l2=0.0):
        """Mean data loss and gradients of (data loss + penalty) for a batch.

        X: (n, n_inputs); y: labels/targets for `loss` (bce: 0/1 of shape (n,) or (n, 1);
        cross_entropy: ints 0..k-1 of shape (n,) or one-hot (n, k); mse: (n, k)).
        Returns (loss, grads): grads is a list of (dW, db) views into flat_grads,
        overwritten by the next call (copy them to keep them).
        """
        value_fn, delta_fn, c, kind = self._plan(loss)
        if l1 or l2:
            self._check_penalty(l1, l2)
        X = self._input(X)
        n = X.shape[0]
        B = self._buffers_for(n)
        T = self._targets(y, loss, n, B.T)
        AT, A, ZT, Z, dZT, dZ, tmp = B.AT, B.A, B.ZT, B.Z, B.dZT, B.dZ, B.tmp

        # Forward: Z^T = [W; b]^T [A, 1]^T, A = f(Z).
        np.copyto(A[0], X)
        for i, (f, block_T) in enumerate(zip(self._f, self._blocks_T, strict=True)):
            np.dot(block_T, AT[i], ZT[i])
            f(Z[i], A[i + 1])
        value = value_fn(Z[-1], A[-1], T)

        # Output delta dZ = dL/dZ[L-1] of the mean loss: fused (A - T) * c / m, or the
        # chain rule on each sample's dl/dA, then / m.
        if kind == "fused":
            np.subtract(A[-1], T, dZ[-1])
            np.multiply(dZ[-1], c / n, dZ[-1])
        else:
            if kind == "softmax":
                delta_fn(Z[-1], A[-1], T, tmp[-1])
                softmax_backward(tmp[-1], A[-1], dZ[-1])
            else:  # dl/dA, times f'(Z) unless f is linear
                delta_fn(Z[-1], A[-1], T, dZ[-1])
                if self._df[-1] is not None:
                    np.multiply(dZ[-1], self._df[-1](Z[-1], A[-1], tmp[-1]), dZ[-1])
            np.multiply(dZ[-1], 1.0 / n, dZ[-1])

        # Backward: [dW; db] = [A, 1]^T dZ;  dA^T = W dZ^T;  dZ = dA * f'(Z).
        gblocks, params, dfs = self._gblocks, self._params, self._df
        if T.shape[1] > 1:
            # The output layer's [dW; db] reads a row-major copy of its dZ: OpenBLAS was
            # measured up to twice as slow on the transposed view when it has 10 to 30
            # columns (10 classes), and the copy is one small call.
            np.copyto(B.dZ_out, dZ[-1])
            dZ = dZ[:-1] + [B.dZ_out]
        for i in range(self.n_layers - 1, 0, -1):
            np.dot(AT[i], dZ[i], gblocks[i])
            np.dot(params[i][0], dZT[i], dZT[i - 1])
            if dfs[i - 1] is not None:
                np.multiply(dZ[i - 1], dfs[i - 1](Z[i - 1], A[i], tmp[i - 1]), dZ[i - 1])
        np.dot(AT[0], dZ[0], gblocks[0])

        if l2:
            reg = self._reg
            np.multiply(self._flat_params, self._weight_mask, out=reg)
            np.multiply(reg, l2, out=reg)
            np.add(self._flat_grads, reg, out=self._flat_grads)
        if l1:
            reg = self._reg
            np.sign(self._flat_params, out=reg)
            np.multiply(reg, self._weight_mask, out=reg)
            np.multiply(reg, l1, out=reg)
            np.add(self._flat_grads, reg, out=self._flat_grads)

        self._last = (B, value, loss, l1, l2)
        return value, list(self._grads)

    def last_trace(self):
        """StepTrace of the last loss_and_grads call (copies), or None before any call."""
        if self._last is None:
            return None
        B, value, loss, l1, l2 = self._last
        return StepTrace(
            X=B.A[0].copy(), y=B.T.copy(),
            Z=[z.copy() for z in B.Z], A=[a.copy() for a in B.A],
            dZ=[d.copy() for d in B.dZ],
            grads=[(dW.copy(), db.copy()) for dW, db in self._grads],
            loss=value, loss_name=loss, l1=l1, l2=l2)

    def __repr__(self):
        return (f"MLP({self.layer_sizes}, activations={self.activations}, "
                f"init={self.init!r}, seed={self.seed}, dtype=np.{self.dtype.__name__})")
