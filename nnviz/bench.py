"""Engine benchmark: `python -m nnviz bench` (or `python -m nnviz.bench`).

Each training workload times SGD steps on the public path: `net.loss_and_grads`
followed by `opt.step(net)`, which updates the arrays in `net.params` in place.

    W1  500 2-D points, 2-8-8-1 tanh/tanh/sigmoid, bce, full-batch step
    W2  same data, 2-32-32-32-1, minibatch 32, one epoch
    W3  1797 x 64 inputs, 64-128-10 relu/softmax, minibatch 64, one epoch
    W4  10000 x 784 random inputs, 784-256-128-10 relu/softmax, minibatch 128, one epoch
    W5  forward pass of the W1 net over a 200 x 200 grid

Inputs are random (W3 has the shape of the scikit-learn digits), so the benchmark
needs nothing beyond NumPy. Times are medians over repeats, after a warm-up.
"""

import argparse
import json
import math
import time
from dataclasses import dataclass

import numpy as np

from nnviz.engine import MLP, optimizers

LR = 0.01


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    sizes: tuple
    activations: tuple
    loss: str
    n_samples: int
    batch: int | None  # None: full batch; for "forward", the whole grid
    kind: str          # "step" (one step), "epoch" (one pass in minibatches), "forward"
    inner: int         # units per timed repeat, so that a repeat is not too short

    @property
    def steps(self):
        """Steps (or forward passes) in one unit."""
        if self.kind == "epoch":
            return math.ceil(self.n_samples / self.batch)
        return 1


WORKLOADS = {
    "W1": Workload("W1", "2-8-8-1 tanh, 500 pts, full-batch step", (2, 8, 8, 1),
                   ("tanh", "tanh", "sigmoid"), "bce", 500, None, "step", 200),
    "W2": Workload("W2", "2-32-32-32-1 tanh, batch 32, epoch", (2, 32, 32, 32, 1),
                   ("tanh", "tanh", "tanh", "sigmoid"), "bce", 500, 32, "epoch", 20),
    "W3": Workload("W3", "64-128-10 relu/softmax, batch 64, epoch", (64, 128, 10),
                   ("relu", "softmax"), "cross_entropy", 1797, 64, "epoch", 5),
    "W4": Workload("W4", "784-256-128-10 relu/softmax, batch 128, epoch", (784, 256, 128, 10),
                   ("relu", "relu", "softmax"), "cross_entropy", 10000, 128, "epoch", 1),
    "W5": Workload("W5", "W1 net forward over a 200x200 grid", (2, 8, 8, 1),
                   ("tanh", "tanh", "sigmoid"), "bce", 200 * 200, None, "forward", 10),
}


def make_data(w, seed=0):
    """(X, y) for workload w: float64 X (n, n_in) and labels for w.loss."""
    rng = np.random.default_rng(seed)
    n, d = w.n_samples, w.sizes[0]
    if w.kind == "forward":
        g = np.linspace(-3.0, 3.0, 200)
        x1, x2 = np.meshgrid(g, g)
        return np.column_stack([x1.ravel(), x2.ravel()]), None
    if d == 2:
        X = rng.standard_normal((n, 2))
        return X, (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    X = rng.random((n, d))
    return X, rng.integers(0, w.sizes[-1], n)


def batches(n, batch):
    """Slices covering range(n) in order, the last one possibly shorter."""
    if batch is None:
        return [slice(0, n)]
    return [slice(i, min(i + batch, n)) for i in range(0, n, batch)]


def _unit(w, net, opt, X, y):
    """A function running one unit of workload w (a step, an epoch or a forward pass)."""
    if w.kind == "forward":
        return lambda: net.predict(X)
    parts = [(X[s], y[s]) for s in batches(len(X), w.batch)]
    if len(parts) == 1:
        (Xb, yb), = parts

        def step():
            net.loss_and_grads(Xb, yb, loss=w.loss)
            opt.step(net)
        return step

    def epoch():
        for Xb, yb in parts:
            net.loss_and_grads(Xb, yb, loss=w.loss)
            opt.step(net)
    return epoch


def time_workload(w, repeats=5, dtype=np.float64, inner=None):
    """Median seconds for one unit of w, over `repeats` timed repeats after a warm-up."""
    X, y = make_data(w)
    X = X.astype(dtype)
    net = MLP(list(w.sizes), list(w.activations), init="xavier", seed=0, dtype=dtype)
    start = net.flat_params.copy()
    opt = optimizers.make("sgd", lr=LR)
    run = _unit(w, net, opt, X, y)
    inner = inner or w.inner
    run()  # warm-up: buffers, caches
    times = []
    for _ in range(repeats):
        net.flat_params[:] = start  # same weights every repeat
        t0 = time.perf_counter()
        for _ in range(inner):
            run()
        times.append((time.perf_counter() - t0) / inner)
    return float(np.median(times))


def run(repeats=5, dtype="float64", workloads=None, quick=False):
    """Time the workloads; a list of dicts, one row per workload."""
    dtype = np.dtype(dtype).type
    names = list(WORKLOADS) if workloads is None else list(workloads)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        raise ValueError(f"unknown workload(s) {unknown}; allowed: {', '.join(WORKLOADS)}")
    rows = []
    for name in names:
        w = WORKLOADS[name]
        inner = max(1, w.inner // 5) if quick else None
        seconds = time_workload(w, repeats=repeats, dtype=dtype, inner=inner)
        ms = seconds * 1e3
        rows.append({
            "workload": name,
            "description": w.description,
            "shape": "-".join(map(str, w.sizes)),
            "batch": w.batch if w.batch is not None else w.n_samples,
            "dtype": np.dtype(dtype).name,
            "unit": w.kind,
            "steps": w.steps,
            "median_ms": ms,
            "steps_per_s": w.steps / seconds,
            "ms_per_step": ms / w.steps,
            "repeats": repeats,
        })
    return rows


def format_table(rows):
    """The rows as a plain-text table."""
    head = ("workload", "shape", "batch", "dtype", "unit", "median ms", "steps/s", "ms/step")
    body = [(r["workload"], r["shape"], str(r["batch"]), r["dtype"], r["unit"],
             f"{r['median_ms']:.3f}", f"{r['steps_per_s']:,.0f}", f"{r['ms_per_step']:.4f}")
            for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    line = lambda cells: "  ".join(  # noqa: E731
        c.ljust(wd) if i < 5 else c.rjust(wd) for i, (c, wd) in enumerate(zip(cells, widths, strict=True)))
    return "\n".join([line(head), line(["-" * wd for wd in widths])] + [line(b) for b in body])


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m nnviz bench",
        description="Time SGD steps of the NumPy engine on workloads W1-W5 (medians).")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats per workload (default 5)")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--workloads", default=None,
                        help=f"comma-separated subset of {','.join(WORKLOADS)}")
    parser.add_argument("--quick", action="store_true", help="fewer iterations per repeat")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {args.repeats}")
    names = None
    if args.workloads:
        names = [n.strip().upper() for n in args.workloads.split(",") if n.strip()]
        bad = [n for n in names if n not in WORKLOADS]
        if bad:
            parser.error(f"--workloads: unknown {', '.join(bad)}; allowed: {', '.join(WORKLOADS)}")
    rows = run(repeats=args.repeats, dtype=args.dtype, workloads=names, quick=args.quick)
    print(json.dumps(rows) if args.json else format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
