"""One training step, laid out layer by layer with the engine's own numbers.

`walk(trainer, indices)` runs the trainer's step on a copy of its network and
optimizer — the same `loss_and_grads` and `optimizer.step` calls the trainer
makes — and keeps the engine's trace: Z, A of the forward pass, dZ, dW, db of
the backward pass, the parameters before and after the update, and the loss on
the batch before and after. `trainer.step_on(indices)` then applies exactly
that update to the live network.
"""

import copy
import math
from dataclasses import dataclass

import numpy as np

from nnviz.engine.losses import fused


@dataclass(frozen=True)
class LayerStep:
    """Layer l (1-based) of one step; m = batch size.

    A_in: (m, n_in) its input; W: (n_in, n_out), b: (n_out,) before the update;
    Z, A: (m, n_out); dZ: (m, n_out) = dL/dZ; dW, db: gradients as the optimizer
    gets them (penalty included); W_after, b_after: after the update.
    """

    index: int
    activation: str
    A_in: np.ndarray
    W: np.ndarray
    b: np.ndarray
    Z: np.ndarray
    A: np.ndarray
    dZ: np.ndarray
    dW: np.ndarray
    db: np.ndarray
    W_after: np.ndarray
    b_after: np.ndarray

    @property
    def step_W(self):
        return self.W_after - self.W

    @property
    def step_b(self):
        return self.b_after - self.b


@dataclass(frozen=True)
class StepWalk:
    """The whole step on one minibatch.

    indices: (m,) training rows; X: (m, n_inputs) as the network sees them
    (features crossed, standardised); Y: (m, n_out) the targets as the loss uses
    them (one-hot for cross_entropy). Losses are means over the batch; `penalty`
    is the L1/L2 term (0 without regularization).
    """

    indices: np.ndarray
    X: np.ndarray
    Y: np.ndarray
    layers: list
    loss_name: str
    output_activation: str
    optimizer: str
    lr: float
    l1: float
    l2: float
    data_loss: float
    penalty: float
    data_loss_after: float
    penalty_after: float
    step_number: int  # the step this update would be (trainer.steps + 1)
    diverged: bool  # the trainer is stopped; Next step does nothing

    @property
    def loss_before(self):
        return self.data_loss + self.penalty

    @property
    def loss_after(self):
        return self.data_loss_after + self.penalty_after

    @property
    def fused(self):
        """True when the output delta simplifies to scale·(A − Y)."""
        return fused(self.output_activation, self.loss_name) is not None

    @property
    def delta_scale(self):
        """The scale of the fused output delta: 1/m (bce, cross_entropy) or 2/(m·k) (mse)."""
        m, k = self.Y.shape
        return fused(self.output_activation, self.loss_name).scale(k) / m

    @property
    def loss_dropped(self):
        return math.isfinite(self.loss_after) and self.loss_after < self.loss_before


def check_indices(indices, n_train):
    """indices -> 1-D int64 array of training rows; ValueError naming what is allowed."""
    try:
        idx = np.asarray(indices)
    except (TypeError, ValueError):
        idx = None
    if idx is None or idx.ndim != 1 or idx.size == 0 or idx.dtype.kind not in "iu":
        raise ValueError(f"a minibatch is a non-empty list of training-row numbers, got {indices!r:.80}")
    if idx.min() < 0 or idx.max() >= n_train:
        raise ValueError(f"training rows run from 0 to {n_train - 1}; got {int(idx.min())}..{int(idx.max())}")
    return idx.astype(np.int64)


def batch_of(trainer, indices):
    """The minibatch as the network sees it: (X (m, n_inputs), y) for training rows `indices`."""
    d = trainer.data
    idx = check_indices(indices, len(d.X_train))
    return (np.ascontiguousarray(d.preprocessor.transform(d.X_train[idx])),
            np.ascontiguousarray(trainer.targets_of(d.y_train[idx])))


def walk(trainer, indices):
    """StepWalk of one optimizer update on training rows `indices`; the trainer is untouched."""
    idx = check_indices(indices, len(trainer.data.X_train))
    X, y = batch_of(trainer, idx)
    c = trainer.config
    net = trainer.net.copy()
    opt = copy.deepcopy(trainer.optimizer)
    with np.errstate(all="ignore"):
        data_loss, _ = net.loss_and_grads(X, y, loss=trainer.loss, l1=c.l1, l2=c.l2)
        trace = net.last_trace()
        penalty = net.penalty(c.l1, c.l2)
        before = [(W.copy(), b.copy()) for W, b in net.params]
        opt.step(net)
        after = [(W.copy(), b.copy()) for W, b in net.params]
        data_loss_after = net.loss(X, y, loss=trainer.loss)
        penalty_after = net.penalty(c.l1, c.l2)
    layers = []
    for i in range(net.n_layers):
        (W, b), (W2, b2), (dW, db) = before[i], after[i], trace.grads[i]
        layers.append(LayerStep(
            index=i + 1, activation=net.activations[i], A_in=trace.A[i], W=W, b=b,
            Z=trace.Z[i], A=trace.A[i + 1], dZ=trace.dZ[i], dW=dW, db=db,
            W_after=W2, b_after=b2))
    return StepWalk(
        indices=idx, X=trace.X, Y=trace.y, layers=layers, loss_name=trace.loss_name,
        output_activation=net.activations[-1], optimizer=c.optimizer, lr=float(opt.lr),
        l1=c.l1, l2=c.l2, data_loss=float(data_loss), penalty=float(penalty),
        data_loss_after=float(data_loss_after), penalty_after=float(penalty_after),
        step_number=trainer.steps + 1, diverged=trainer.state == "diverged")


def random_batch(n_train, size, seed):
    """`size` distinct training rows (all of them when size >= n_train), sorted."""
    if not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"batch size must be a whole number >= 1, got {size!r}")
    rng = np.random.default_rng(seed)
    return np.sort(rng.permutation(n_train)[:min(int(size), n_train)])
