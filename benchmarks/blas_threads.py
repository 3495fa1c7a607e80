"""BLAS threads: one training step with NumPy's BLAS on 1 thread and on its default.

    python benchmarks/blas_threads.py [--steps 400] [--json]

Why the server runs BLAS on one thread (nnviz/ui/server.py): a server plays many
sessions at once, so its cores are always busy, and a multi-threaded matrix product
then waits for a thread the other work holds. The workload is a step a playground
session makes: SGD on a 2-16-16-1 tanh net, full batch of 4,000 rows
(`net.loss_and_grads`, then `opt.step(net)`). Each thread count is timed on a quiet
machine and with every core kept busy by a spinning process; median and worst step.
"""

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nnviz.engine import MLP, optimizers  # noqa: E402

ROWS = 4000
SIZES = (2, 16, 16, 1)
ACTIVATIONS = ("tanh", "tanh", "sigmoid")


def spin(stop):
    while not stop.is_set():
        pass


def step_times(threads, steps):
    """Seconds of each of `steps` SGD steps with BLAS on `threads` threads (None: default)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((ROWS, SIZES[0]))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    net = MLP(list(SIZES), list(ACTIVATIONS), seed=0)
    opt = optimizers.SGD(lr=0.01)
    with threadpool_limits(threads, user_api="blas"):
        for _ in range(20):                                     # warm-up
            net.loss_and_grads(X, y, loss="bce")
            opt.step(net)
        times = []
        for _ in range(steps):
            t0 = time.perf_counter()
            net.loss_and_grads(X, y, loss="bce")
            opt.step(net)
            times.append(time.perf_counter() - t0)
    return times


def measure(steps):
    default = max(info["num_threads"] for info in threadpool_info()
                  if info["user_api"] == "blas")
    rows = []
    for load in ("quiet", "busy"):
        stop = multiprocessing.Event()
        spinners = [multiprocessing.Process(target=spin, args=(stop,), daemon=True)
                    for _ in range(os.cpu_count() if load == "busy" else 0)]
        for p in spinners:
            p.start()
        try:
            for threads in (1, default):
                times = step_times(threads, steps)
                rows.append({"load": load, "threads": threads,
                             "median_ms": 1000 * statistics.median(times),
                             "max_ms": 1000 * max(times)})
        finally:
            stop.set()
            for p in spinners:
                p.join()
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=400, help="steps timed per case")
    ap.add_argument("--json", action="store_true", help="print one JSON list")
    args = ap.parse_args(argv)
    if args.steps < 1:
        ap.error("--steps must be at least 1")
    rows = measure(args.steps)
    if args.json:
        print(json.dumps(rows))
        return 0
    print(f"one step of a {'-'.join(map(str, SIZES))} tanh net on {ROWS:,} rows "
          f"({os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before)")
    print(f"{'machine':8s}{'BLAS threads':>14s}{'median ms':>12s}{'worst ms':>10s}")
    for r in rows:
        print(f"{r['load']:8s}{r['threads']:>14d}{r['median_ms']:>12.2f}{r['max_ms']:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
