"""Trainer: the one training loop behind the app, the Step button and the CLI.

    t = Trainer(Config.defaults_for("moons"))
    t.step(500)                     # 500 minibatch updates
    t.evaluate()                    # train/test loss and accuracy now
    t.predict_grid(100)             # the network over the input plane

Data are made by the Config's dataset (with the table or files it needs), split,
preprocessed (fitted on the training set only) and fed to an `MLP` in minibatches;
an epoch is one pass over the training set, reshuffled each epoch. Metrics are
computed at the history's rate, not every step. A NaN or infinite loss, or a
weight that is NaN, infinite or beyond MAX_WEIGHT, stops training, restores the
parameters of the last history point and sets `state = "diverged"`, with `reason`
(what happened), `fix` (what to try, in words) and `fix_lr` (the learning rate to try).

On a shared server a Trainer is given a `Budget` (nnviz.limits): then
- a batch whose work arrays would not fit the session's memory, or whose pass
  would not fit a redraw's time slice, is split into chunks whose gradients are
  summed, weighted by their rows (the same update, up to rounding);
- `advance(n, deadline)` stops at a deadline, even in the middle of such an
  update, and carries the rest over to its next call;
- the metrics, and so the history, are taken on a fixed random sample of at most
  `budget.eval_rows` rows (fewer for a network whose forward pass is slow), and
  `evaluate(exact=True)` computes them on every row;
- building never runs more than that sample through the network.
Without a budget (the CLI, scripts) every batch is one pass and every metric exact.
"""

import dataclasses
import math
import time
from dataclasses import dataclass

import numpy as np

from nnviz import cost, datasets, modelfile
from nnviz.config import DATA_FIELDS, RESET_FIELDS, Config
from nnviz.engine import optimizers
from nnviz.engine.losses import CLASS_OUTPUTS, LOSSES
from nnviz.engine.metrics import predicted_classes, r2_from_errors
from nnviz.engine.mlp import MLP
from nnviz.engine.reference import n_outputs, targets
from nnviz.history import History
from nnviz.limits import LR_RANGE, MAX_GRID
from nnviz.rundata import Data, make_data  # noqa: F401 - Data is part of this API

HISTORY_POINTS = 2000          # at most this many points per series, however long the run
MIN_HISTORY_EVERY = 4          # steps between history points, at the least
# Weights this large mean the updates have blown up, even while the loss stays
# finite (tanh saturates, bce is computed from logits): checked at the history rate.
MAX_WEIGHT = 1e5
EVAL_SHARE = 0.2               # of a time slice, what the live metrics may take
JOIN_BYTES = 4 << 20           # metric rows up to this size go through in one pass
BUFFER_SETS = 4                # the MLP keeps work arrays for up to this many batch sizes


@dataclass(frozen=True)
class Snapshot:
    """What a view needs: `params` copies [(W, b)], latest `metrics`, `history`."""

    params: list
    metrics: dict
    history: dict
    steps: int
    epoch: int
    state: str
    reason: str


@dataclass(frozen=True)
class Grid:
    """The network over the input plane, in the data's original units.

    2-D inputs: x1 (r,), x2 (r,), out (r, r, n_out) with out[i, j] at (x1[j], x2[i]).
    1-D inputs (sine): x1 (r,), x2 None, out (r, n_out).
    `out` holds probabilities (classification) or targets in original units."""

    x1: np.ndarray
    x2: np.ndarray | None
    out: np.ndarray


@dataclass
class _Partial:
    """An update whose batch is split into chunks, part of the way through:
    `rows` of the training set, `done` of them summed into `grads` and `loss`."""

    rows: np.ndarray
    advance: bool
    done: int
    grads: np.ndarray
    loss: float = 0.0


class Trainer:
    """Steppable training of `config`, with the `table` (datasets.from_csv) or the
    `path` (files) its dataset needs, within `budget` (nnviz.limits.Budget) if given."""

    def __init__(self, config, table=None, path=None, budget=None):
        if not isinstance(config, Config):
            raise TypeError(f"config must be a Config, got {type(config).__name__}")
        need = datasets.info(config.dataset).needs
        given = {"table": table, "path": path}
        if need is not None and given[need] is None:
            raise ValueError(f"dataset {config.dataset!r} needs the {need}: "
                             f"Trainer(config, {need}=...)")
        for name, value in given.items():
            if value is not None and name != need:
                raise ValueError(f"{name}= does not apply to dataset {config.dataset!r}")
        self.config = config
        self.budget = budget
        self._table = table
        self._path = None if path is None else str(path)
        self._build()

    # -- building ------------------------------------------------------------------

    def _build(self, params=None, preprocessor=None):
        """(Re)build data, network, optimizer and history from self.config. What can
        fail (bad data, an output/loss that does not fit a table, params of the wrong
        shape) runs first, so a failure leaves the trainer as it was."""
        c = self.config
        d = make_data(c, self._table, self._path, preprocessor)
        out_act, loss = c.output_and_loss(d.task, d.n_classes)
        ytr = network_targets(d.y_train, d.task, d.preprocessor, out_act)
        n_out = n_outputs(loss, ytr, d.n_classes)
        net = MLP([d.preprocessor.n_features, *c.hidden, n_out],
                  activations=[*c.hidden_activations(), out_act], init=c.init,
                  seed=c.weight_seed)
        if params is not None:
            net.params = params
        self.data, self.net, self.loss, self.output_activation = d, net, loss, out_act
        pre = d.preprocessor
        self._Xtr = np.ascontiguousarray(pre.transform(d.X_train))
        self._Xte = np.ascontiguousarray(pre.transform(d.X_test))
        self._ytr = np.ascontiguousarray(ytr)
        self._yte = np.ascontiguousarray(self.targets_of(d.y_test))
        self.optimizer = self._make_optimizer()
        self.steps = 0
        self.epoch = 0
        self.state = "ready"
        self.reason = ""
        self.fix = ""
        self.fix_lr = None
        n = len(self._Xtr)
        self._all = np.arange(n)
        self._rng = np.random.default_rng([c.seed, 1])     # batches: their own stream
        self._perm = self._rng.permutation(n)
        self._pos = 0
        self._partial = None
        self._twin = None
        self._grid_cache = {}
        self._metrics_at = -1
        self._metrics = {}
        self._plan_work()
        names = ("train_loss", "test_loss", *self._score_names())
        self._history = History(names, self.net.n_layers, HISTORY_POINTS, self._history_every())
        self._checkpoint = self.net.flat_params.copy()
        self._checkpoint_step = 0
        self._grads = None              # (dW, db) of the last step: none has run yet
        with np.errstate(all="ignore"):
            self._record()

    def _new_data(self):
        """New data for the same network (drawn points added or removed): the network,
        its optimizer, the counters and the history go on; the preprocessing is fitted
        to the new training part."""
        d = make_data(self.config, self._table, self._path)
        if (d.preprocessor.n_features, d.task, d.n_classes) != \
                (self.data.preprocessor.n_features, self.data.task, self.data.n_classes):
            raise ValueError("the new data does not fit the network")
        pre = d.preprocessor
        self.data = d
        self._Xtr = np.ascontiguousarray(pre.transform(d.X_train))
        self._Xte = np.ascontiguousarray(pre.transform(d.X_test))
        self._ytr = np.ascontiguousarray(self.targets_of(d.y_train))
        self._yte = np.ascontiguousarray(self.targets_of(d.y_test))
        n = len(self._Xtr)
        self._all = np.arange(n)
        self._perm = self._rng.permutation(n)
        self._pos = 0
        self._partial = None
        self._grid_cache = {}
        self._metrics_at = -1
        self._plan_work()

    def _make_optimizer(self):
        c = self.config
        return optimizers.make(c.optimizer, lr=c.lr, **c.optimizer_settings())

    def _score_names(self):
        if self.data.task == "classification":
            return ("train_accuracy", "test_accuracy")
        return ("train_r2", "test_r2")

    def _plan_work(self):
        """Chunk size of a gradient pass and the rows behind the metrics, from the budget."""
        sizes = self.net.layer_sizes
        n_train, n_test = len(self._Xtr), len(self._Xte)
        self._joined = None             # the metric rows (joined), made on first use
        b = self.budget
        if b is None:
            self.chunk_rows = None
            self._eval = (None, None)
            return
        self.chunk_rows = min(
            cost.rows_within_bytes(sizes, b.session_bytes // BUFFER_SETS, "step"),
            cost.rows_within_seconds(sizes, b.slice_seconds, "step"))
        rows = min(b.eval_rows, cost.rows_within_seconds(sizes, EVAL_SHARE * b.slice_seconds,
                                                         "forward"))
        rows = max(rows, 2)
        if rows >= n_train + n_test:
            self._eval = (None, None)
            return
        k_train = min(n_train, max(1, round(rows * n_train / (n_train + n_test))))
        k_test = min(n_test, max(1, rows - k_train))
        rng = np.random.default_rng([self.config.seed, 2])
        self._eval = (np.sort(rng.permutation(n_train)[:k_train]),
                      np.sort(rng.permutation(n_test)[:k_test]))

    def _history_every(self):
        """Steps between history points: a point's metrics cost about as much as the
        steps between two points, and at least MIN_HISTORY_EVERY steps apart."""
        rows = self.eval_rows
        return max(MIN_HISTORY_EVERY, math.ceil(rows / (cost.STEP_PASSES * self.batch_size)))

    # -- counters ----------------------------------------------------------------------

    @property
    def batch_size(self):
        """The effective batch size (the configured one, at most the training set)."""
        return min(self.config.batch_size, len(self._Xtr))

    @property
    def steps_per_epoch(self):
        return math.ceil(len(self._Xtr) / self.batch_size)

    @property
    def eval_rows(self):
        """Rows behind `evaluate()`: every row, or the budget's sample."""
        train, test = self._eval
        return (len(self._Xtr) if train is None else len(train)) + \
            (len(self._Xte) if test is None else len(test))

    @property
    def sampled(self):
        """True when the metrics are taken on a sample of the rows (see the budget)."""
        return self._eval[0] is not None

    def step_seconds(self):
        """Estimated seconds of one update of this run on this machine."""
        return cost.seconds(self.net.layer_sizes, self.batch_size, "step")

    # -- stepping ----------------------------------------------------------------------

    def next_batch_indices(self):
        """Indices into the training set that the next `step(1)` uses: (batch,)."""
        if self.batch_size >= len(self._Xtr):
            return self._all.copy()
        return self._perm[self._pos:self._pos + self.batch_size].copy()

    def step(self, n=1):
        """Run up to `n` minibatch updates; returns how many ran (fewer when training
        diverges, none once it has)."""
        return self.advance(n)

    def advance(self, n, deadline=None):
        """Run up to `n` minibatch updates, stopping once time.perf_counter() has passed
        `deadline` (None: no deadline). An update split into chunks may stop part-way;
        the next call finishes it. Returns the number of updates completed."""
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
            raise ValueError(f"n must be a non-negative whole number of steps, got {n!r}")
        done = 0
        with np.errstate(all="ignore"):
            while done < n and self.state != "diverged":
                if deadline is not None and time.perf_counter() >= deadline:
                    break
                done += self._work(deadline)
                if self._partial is not None:       # stopped mid-update at the deadline
                    break
        return done

    @property
    def in_progress(self):
        """The fraction of a split update done so far, or None."""
        p = self._partial
        return None if p is None else p.done / len(p.rows)

    def _work(self, deadline):
        """Run (or continue) the next update; 1 when one completed."""
        if self._partial is None:
            full = self.batch_size >= len(self._Xtr)
            rows = self._all if full else self._perm[self._pos:self._pos + self.batch_size]
            if self.chunk_rows is None or len(rows) <= self.chunk_rows:
                if full:
                    return self._update(self._Xtr, self._ytr)
                return self._update(self._Xtr[rows], self._ytr[rows])
            self._partial = _Partial(rows.copy(), True, 0, np.zeros_like(self.net.flat_grads))
        return self._continue(deadline)

    def _continue(self, deadline):
        """Sum the next chunks of the split update; apply it when every chunk is in."""
        p, c = self._partial, self.config
        while p.done < len(p.rows):
            chunk = p.rows[p.done:p.done + self.chunk_rows]
            loss, self._grads = self.net.loss_and_grads(self._Xtr[chunk], self._ytr[chunk],
                                                        loss=self.loss, l1=c.l1, l2=c.l2)
            # mean over the batch = Σ (rows of chunk / rows of batch) · mean over chunk;
            # each chunk's penalty gradient carries the same weight, so they sum to one.
            weight = len(chunk) / len(p.rows)
            p.loss += weight * loss
            p.grads += weight * self.net.flat_grads
            p.done += len(chunk)
            if p.done < len(p.rows) and deadline is not None \
                    and time.perf_counter() >= deadline:
                return 0
        self._partial = None
        np.copyto(self.net.flat_grads, p.grads)       # self._grads are views of these
        return self._apply(p.loss, len(p.rows), p.advance)

    def step_on(self, indices):
        """Exactly one optimizer update on the training rows `indices`, counted as a
        step. `step_on(next_batch_indices())` is the same update as `step(1)` and moves
        on through the epoch like it; other rows leave the epoch's batch order alone.
        Returns 1, or 0 when training has diverged (or does now)."""
        idx = np.asarray(indices)
        n = len(self._Xtr)
        if idx.ndim != 1 or idx.size == 0 or idx.dtype.kind not in "iu" \
                or idx.min() < 0 or idx.max() >= n:
            raise ValueError(f"indices must be a non-empty 1-D array of training rows "
                             f"0..{n - 1}, got {indices!r:.80}")
        if self.state == "diverged":
            return 0
        self._partial = None
        next_batch = np.array_equal(idx, self.next_batch_indices())
        with np.errstate(all="ignore"):
            if len(idx) == n and np.array_equal(idx, self._all):
                return self._update(self._Xtr, self._ytr, next_batch)
            return self._update(self._Xtr[idx], self._ytr[idx], next_batch)

    def _update(self, X, y, advance=True):
        """One optimizer step on the batch (X, y) in one pass; see `_apply`."""
        c = self.config
        loss, self._grads = self.net.loss_and_grads(X, y, loss=self.loss, l1=c.l1, l2=c.l2)
        return self._apply(loss, len(X), advance)

    def _apply(self, loss, rows, advance=True):
        """The optimizer step from the gradients in net.flat_grads, then (if `advance`)
        move `rows` on through the epoch, and record history when due. Returns 1 if
        the step ran, 0 if the loss was not finite."""
        if not math.isfinite(loss):
            self._diverge(self.steps + 1, "the loss became " + _word(loss))
            return 0
        self.optimizer.step(self.net)
        # NaN weights make the next loss NaN; infinite or huge ones are caught by
        # _weights_ok at the history rate (and before any metrics or grid).
        self.steps += 1
        self.state = "running"
        n = len(self._Xtr)
        self._pos += rows if advance else 0
        if self._pos >= n:             # epoch done: reshuffle for the next one
            self.epoch += 1
            self._pos = 0
            if self.batch_size < n:
                self._perm = self._rng.permutation(n)
        if self._history.due(self.steps):
            self._record()
        return 1

    # -- metrics and history -----------------------------------------------------------

    def _blocks(self, X):
        """Row slices of X small enough for one pass in the budget (all of X without one)."""
        size = len(X) if self.chunk_rows is None else max(self.chunk_rows, 1)
        return [slice(i, min(i + size, len(X))) for i in range(0, len(X), size)]

    def _output(self, X):
        """(Z, A) of the output layer over X, block by block within the budget."""
        W, b = self.net.params[-1]
        Z, A = [], []
        for rows in self._blocks(X):
            *_, H, out = self.net.activations_of(X[rows])
            Z.append(H @ W + b)
            A.append(out)
        return (Z[0], A[0]) if len(Z) == 1 else (np.concatenate(Z), np.concatenate(A))

    def _scores(self, Z, out, y, labels):
        """(data loss, accuracy or mean R², per-output R² or None) from the output
        layer's Z and A on one set: the targets y the loss compares with (the engine's
        own loss formula), and the raw labels (classes)."""
        loss = LOSSES[self.loss].value(Z, out, targets(y, self.loss, out.shape[1]))
        if self.data.task == "classification":
            right = np.count_nonzero(predicted_classes(self.answers(out)) == labels)
            return loss, right / len(y), None
        per_output = r2_from_errors(((out - y) ** 2).sum(axis=0), y)
        return loss, float(per_output.mean()), per_output

    def _sets(self, exact):
        """((X, y, labels) of the training set, the same of the test set): the rows the
        metrics are taken on, as `_scores` takes them."""
        d = self.data
        train, test = (None, None) if exact else self._eval
        return tuple((X, y, labels) if rows is None else (X[rows], y[rows], labels[rows])
                     for X, y, labels, rows in ((self._Xtr, self._ytr, d.y_train, train),
                                                (self._Xte, self._yte, d.y_test, test)))

    def _evaluate(self, exact=False):
        if exact or self._joined is None:
            (Xtr, *train), (Xte, *test) = self._sets(exact)
            # small sets go through in one forward pass, training rows first
            joined = np.concatenate([Xtr, Xte]) if Xtr.nbytes + Xte.nbytes <= JOIN_BYTES \
                else None
            sets = (joined, (Xtr, *train), (Xte, *test))
            if not exact and joined is not None:
                self._joined = sets                 # kept: the same rows every time
        else:
            sets = self._joined
        joined, (Xtr, *train), (Xte, *test) = sets
        with np.errstate(all="ignore"):
            if joined is not None:
                Z, out = self._output(joined)
                n = len(Xtr)
                tr = self._scores(Z[:n], out[:n], *train)
                te = self._scores(Z[n:], out[n:], *test)
            else:
                tr = self._scores(*self._output(Xtr), *train)
                te = self._scores(*self._output(Xte), *test)
        a, b = self._score_names()
        m = {"step": self.steps, "epoch": self.epoch,
             "train_loss": tr[0], "test_loss": te[0], a: tr[1], b: te[1],
             "penalty": float(self.net.penalty(self.config.l1, self.config.l2)),
             "rows": len(train[0]) + len(test[0])}
        if tr[2] is not None:
            m["train_r2_per_output"] = tr[2].tolist()
            m["test_r2_per_output"] = te[2].tolist()
        return m

    def evaluate(self, exact=False):
        """Metrics now: train_loss, test_loss (data loss, without the L1/L2 penalty, which
        is `penalty`), train/test_accuracy or train/test_r2 (mean over outputs; per output
        in *_r2_per_output), step, epoch, and `rows`, how many rows they were taken on:
        every row, or with a budget its fixed sample (`exact=True`: every row)."""
        if exact and self.sampled:
            self._weights_ok()
            return self._evaluate(exact=True)
        if self._metrics_at != self.steps:
            self._weights_ok()
            self._metrics = self._evaluate()
            self._metrics_at = self.steps
        return dict(self._metrics)

    def record(self):
        """A history point at this step (unless there is one) and its metrics: a live
        view calls it at each frame it draws, whose metrics it computes anyway, so its
        curves get a point per frame however far apart the regular points are."""
        if self.state != "diverged" and self._history.last_step != self.steps:
            self._record()
        return self.evaluate()

    def _weights_ok(self):
        """False (and diverged, last good weights restored) if a weight is NaN,
        infinite or beyond MAX_WEIGHT."""
        size = float(np.abs(self.net.flat_params).max())
        if size <= MAX_WEIGHT:         # NaN fails this too
            return True
        what = "a weight became NaN" if math.isnan(size) else \
            f"the weights grew past {MAX_WEIGHT:g} in size"
        self._diverge(self.steps, what)
        return False

    def _record(self):
        m = self.evaluate()            # checks the weights first
        if self.state == "diverged":
            return
        if not (math.isfinite(m["train_loss"]) and math.isfinite(m["test_loss"])):
            bad = m["train_loss"] if not math.isfinite(m["train_loss"]) else m["test_loss"]
            return self._diverge(self.steps, "the loss became " + _word(bad))
        w = [float(np.linalg.norm(W)) for W, _ in self.net.params]
        g = [math.nan] * len(w) if self._grads is None else \
            [float(np.linalg.norm(dW)) for dW, _ in self._grads]
        self._history.record(self.steps, w, g,
                             **{**{k: m[k] for k in self._history.scalar_names[2:]},
                                "epoch": self.epoch + self._pos / len(self._Xtr)})
        np.copyto(self._checkpoint, self.net.flat_params)
        self._checkpoint_step = self.steps

    def _diverge(self, step, what):
        lr = self.optimizer.lr
        np.copyto(self.net.flat_params, self._checkpoint)
        self.optimizer.reset()      # its moments may hold NaN
        self._partial = None
        self._metrics_at = -1
        self.state = "diverged"
        smaller = smaller_lr(lr)
        self.fix_lr = smaller
        self.fix = f"try a learning rate of {smaller:g} or lower"
        self.reason = (f"Training diverged by step {step}: {what} with learning rate "
                       f"{lr:g} ({self.config.optimizer}); the weights from step "
                       f"{self._checkpoint_step} were restored — {self.fix}.")

    def snapshot(self):
        """Copies of the parameters, the latest metrics and the history."""
        return Snapshot(
            params=[(W.copy(), b.copy()) for W, b in self.net.params],
            metrics=self.evaluate(), history=self._history.as_dict(),
            steps=self.steps, epoch=self.epoch, state=self.state, reason=self.reason)

    @property
    def history(self):
        return self._history

    # -- changing settings -----------------------------------------------------------------

    def set_lr(self, lr):
        """Change the learning rate; weights and optimizer state are kept."""
        self.update(dataclasses.replace(self.config, lr=lr))

    def update(self, config):
        """Switch to `config`. Returns True when that needed a reset (data, features,
        architecture, init or seeds changed); otherwise the weights are kept and the
        learning rate, L1/L2, optimizer settings and batch size apply from the next
        step. A diverged trainer becomes runnable again either way."""
        if not isinstance(config, Config):
            raise TypeError(f"config must be a Config, got {type(config).__name__}")
        old, self.config = self.config, config
        if any(getattr(old, f) != getattr(config, f) for f in RESET_FIELDS):
            need = datasets.info(config.dataset).needs
            given = {"table": self._table, "path": self._path}
            if need is not None and given[need] is None:
                self.config = old
                raise ValueError(f"dataset {config.dataset!r} needs the {need}: make a new "
                                 f"Trainer(config, {need}=...)")
            try:
                self._build()
            except Exception:
                self.config = old       # _build changed nothing before it failed
                raise
            return True
        if any(getattr(old, f) != getattr(config, f) for f in DATA_FIELDS):
            try:
                self._new_data()
            except Exception:
                self.config = old
                raise
        if old.optimizer != config.optimizer:
            self.optimizer = self._make_optimizer()
        else:       # same optimizer: keep its state (moments, velocity)
            self.optimizer.lr = config.lr
            if config.optimizer == "momentum":
                self.optimizer.momentum = config.momentum
                self.optimizer.nesterov = config.nesterov
        if old.batch_size != config.batch_size:
            self._partial = None
        if self.state == "diverged":
            self.state = "running" if self.steps else "ready"
            self.reason = self.fix = ""
            self.fix_lr = None
        self._metrics_at = -1          # the penalty may have changed
        return False

    def set_weight(self, layer, i, j, value):
        """W[i, j] of layer `layer` (0-based) = value, in the live network: a weight set by
        hand (the diagram). Raises ValueError for a weight that does not exist or a value
        that is not finite or beyond MAX_WEIGHT."""
        params = self.net.params
        if not 0 <= layer < len(params):
            raise ValueError(f"layer {layer} does not exist; this network has "
                             f"{len(params)} (0 to {len(params) - 1})")
        W, _ = params[layer]
        if not (0 <= i < W.shape[0] and 0 <= j < W.shape[1]):
            raise ValueError(f"W of layer {layer} is {W.shape[0]} x {W.shape[1]}; "
                             f"there is no weight ({i}, {j})")
        if not (math.isfinite(value) and abs(value) <= MAX_WEIGHT):
            raise ValueError(f"a weight must be a finite number of at most {MAX_WEIGHT:g} "
                             f"in size, got {value!r}")
        W[i, j] = value
        self._metrics_at = -1

    # -- predictions -----------------------------------------------------------------------

    def targets_of(self, y):
        """Raw labels or targets (n, ...) -> what the loss compares the output with."""
        d = self.data
        return network_targets(y, d.task, d.preprocessor, self.output_activation)

    def answers(self, out):
        """Network outputs (n, n_out) -> what they stand for: class probabilities (one
        column, P(class 1), for a single output unit) or targets in original units."""
        if self.data.task == "classification":
            return CLASS_OUTPUTS[self.output_activation].proba(out)
        return self.data.preprocessor.inverse_y(out)

    def predict(self, X_raw):
        """X_raw: (n, n_inputs) in original units -> (n, n_out): class probabilities
        (one column, P(class 1), for a single output unit) or targets in original units."""
        with np.errstate(all="ignore"):
            out = self.net.predict(self.data.preprocessor.transform(X_raw))
            return np.array(self.answers(out), dtype=np.float64)

    def classify(self, X_raw):
        """X_raw: (n, n_inputs) -> (n,) class indices (classification only)."""
        if self.data.task != "classification":
            raise ValueError("classify needs a classification task; use predict")
        p = self.predict(X_raw)
        return predicted_classes(p)

    def display_net(self):
        """A float32 copy of the network with its weights now: what the charts draw with
        (a float32 tanh is several times faster, and a screen needs no more digits)."""
        if self._twin is None:
            self._twin = self.net.copy(dtype=np.float32)
        np.copyto(self._twin.flat_params, self.net.flat_params, casting="same_kind")
        return self._twin

    def grid_inputs(self, resolution):
        """(axes, X, X32) of a resolution-point grid over the data's extent: the axes in
        raw units (one for 1-D data, two for a plane; the points run along the first
        axis fastest) and the points preprocessed as the network takes them, float64
        and float32. Made once per resolution (the last two are kept)."""
        if isinstance(resolution, bool) or not isinstance(resolution, int | np.integer) \
                or not 2 <= resolution <= MAX_GRID:
            raise ValueError(f"resolution must be a whole number from 2 to {MAX_GRID}, "
                             f"got {resolution!r}")
        if self.data.n_inputs > 2:
            raise ValueError(f"a grid needs data with 1 or 2 inputs; this data has "
                             f"{self.data.n_inputs}")
        resolution = int(resolution)
        if resolution not in self._grid_cache:
            axes = [np.linspace(lo, hi, resolution) for lo, hi in self.data.extent]
            if len(axes) == 1:
                points = axes[0][:, None]
            else:
                g1, g2 = np.meshgrid(*axes)
                points = np.column_stack([g1.ravel(), g2.ravel()])
            if len(self._grid_cache) >= 2:
                self._grid_cache.pop(next(iter(self._grid_cache)))
            Xg = self.data.preprocessor.transform(points)
            self._grid_cache[resolution] = (axes, Xg, Xg.astype(np.float32))
        return self._grid_cache[resolution]

    def predict_grid(self, resolution=100, fast=False):
        """The network's output over the input plane (a line for 1-D data); see Grid.
        `fast`: computed in float32 by `display_net` (to about 1e-6), for drawing."""
        axes, Xg, Xg32 = self.grid_inputs(resolution)
        self._weights_ok()
        with np.errstate(all="ignore"):
            out = self.display_net().predict(Xg32) if fast else self.net.predict(Xg)
            out = np.asarray(self.answers(out))
        if len(axes) == 1:
            return Grid(axes[0].copy(), None, out)
        r = len(axes[0])
        return Grid(axes[0].copy(), axes[1].copy(), out.reshape(r, r, -1))

    # -- models on disk ----------------------------------------------------------------------

    def save(self, path):
        """Write the model to `path` (.npz; see nnviz.modelfile): parameters,
        preprocessing, the Config, counters, and the table or path its data needs."""
        modelfile.write(path, modelfile.Saved(
            self.config, self.net.params, self.data.preprocessor, self.steps, self.epoch,
            self._table, self._path))

    @classmethod
    def load(cls, path):
        """A Trainer with the saved weights, preprocessing, config and counters
        (optimizer state and history start afresh). A damaged or foreign file
        raises ValueError saying what is wrong."""
        s = modelfile.read(path)
        self = cls.__new__(cls)
        self.config, self._table, self._path = s.config, s.table, s.data_path
        self.budget = None
        try:
            self._build(params=s.params, preprocessor=s.preprocessor)
        except ValueError as e:
            raise ValueError(f"{path} does not fit its own config: {e}") from None
        self.steps, self.epoch = s.steps, s.epoch
        self._metrics_at = -1
        return self


# -- helpers -------------------------------------------------------------------------------

def network_targets(y, task, preprocessor, output_activation):
    """What the loss compares the network's output with, for raw `y`: regression
    targets as the preprocessing scales them, class labels as the output layer takes
    them (CLASS_OUTPUTS: as they are, or -1/+1 for a tanh output)."""
    if task == "classification":
        return CLASS_OUTPUTS[output_activation].encode(y)
    return preprocessor.transform_y(y)


def smaller_lr(lr):
    """The learning rate to try after `lr` diverged: a tenth of it, at most 1."""
    return max(min(lr / 10, 1.0), LR_RANGE[0])


def _word(x):
    return "NaN" if math.isnan(x) else "infinite"
