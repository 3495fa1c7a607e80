"""nnviz's NumPy engine against PyTorch CPU eager on the same workloads (W1-W5).

    python benchmarks/compare_torch.py [--rounds 5] [--repeats 5] [--dtype float64]

Runs only when torch is importable; torch is never a dependency of nnviz. Same data,
shapes, dtype and batches as `nnviz.bench`; an nnviz step is `loss_and_grads` and
an SGD update of `params` in place, a torch step is zero_grad, forward, loss
(BCEWithLogitsLoss / CrossEntropyLoss, the fused forms), backward and
`torch.optim.SGD.step`, on 2 threads. The two sides alternate in rounds (the machine
may be shared): each round times both, one right after the other. The table shows,
per workload, the median over rounds of each side's median time per step, and the
median of the rounds' speed-ups; the load average is printed before and after.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nnviz import bench  # noqa: E402

try:
    import torch
except ImportError:  # pragma: no cover - depends on the machine
    torch = None

ACT = {"tanh": "Tanh", "relu": "ReLU"}
# The speed-ups over PyTorch that the engine is held to (float64, one SGD step).
TARGETS = {"W1": 5.0, "W2": 8.0, "W3": 3.5, "W4": 1.25}


def _torch_unit(w, dtype):
    X, y = bench.make_data(w)
    tdtype = getattr(torch, dtype)
    X = torch.tensor(X, dtype=tdtype)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(w.sizes[:-1], w.sizes[1:], strict=True)):
        layers.append(torch.nn.Linear(n_in, n_out, dtype=tdtype))
        if i < len(w.sizes) - 2:
            layers.append(getattr(torch.nn, ACT[w.activations[i]])())
    model = torch.nn.Sequential(*layers)
    if w.kind == "forward":
        head = torch.nn.Sigmoid()

        def forward():
            with torch.no_grad():
                head(model(X))
        return forward
    if w.loss == "bce":
        loss_fn = torch.nn.BCEWithLogitsLoss()
        y = torch.tensor(y, dtype=tdtype).reshape(-1, 1)
    else:
        loss_fn = torch.nn.CrossEntropyLoss()
        y = torch.tensor(y, dtype=torch.int64)
    opt = torch.optim.SGD(model.parameters(), lr=bench.LR)
    parts = [(X[s], y[s]) for s in bench.batches(len(X), w.batch)]

    def epoch():
        for Xb, yb in parts:
            opt.zero_grad()
            loss_fn(model(Xb), yb).backward()
            opt.step()
    return epoch


def time_torch(w, repeats, dtype):
    """Median seconds for one unit of w in PyTorch, like bench.time_workload."""
    run = _torch_unit(w, dtype)
    run()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(w.inner):
            run()
        times.append((time.perf_counter() - t0) / w.inner)
    return statistics.median(times)


def _load():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--workloads", default=",".join(bench.WORKLOADS))
    args = parser.parse_args(argv)
    if torch is None:
        print("torch is not installed; nothing to compare", file=sys.stderr)
        return 0
    torch.set_num_threads(2)
    names = [n.strip().upper() for n in args.workloads.split(",")]
    ours = {n: [] for n in names}
    theirs = {n: [] for n in names}
    print(f"start: {_load()}", file=sys.stderr)
    for r in range(args.rounds):
        for n in names:
            w = bench.WORKLOADS[n]
            sides = [(ours[n], lambda w=w: bench.time_workload(w, args.repeats, args.dtype)),
                     (theirs[n], lambda w=w: time_torch(w, args.repeats, args.dtype))]
            for times, run in sides if r % 2 == 0 else sides[::-1]:
                times.append(run() / w.steps)
            print(f"round {r + 1} {n}: nnviz {ours[n][-1] * 1e6:.1f} µs/step, "
                  f"torch {theirs[n][-1] * 1e6:.1f} µs/step, "
                  f"{theirs[n][-1] / ours[n][-1]:.2f}x", file=sys.stderr)
    print(f"end: {_load()}", file=sys.stderr)
    print(f"| workload | unit | nnviz µs/step ({args.dtype}) | PyTorch µs/step | "
          f"speed-up (median of rounds) | target |")
    print("|---|---|---|---|---|---|")
    for n in names:
        w = bench.WORKLOADS[n]
        a, b = statistics.median(ours[n]), statistics.median(theirs[n])
        ratio = statistics.median(t / o for o, t in zip(ours[n], theirs[n], strict=True))
        unit = {"step": "step", "epoch": f"epoch of {w.steps} steps",
                "forward": "forward pass"}[w.kind]
        target = f"≥ {TARGETS[n]}x" if n in TARGETS and args.dtype == "float64" else "-"
        print(f"| {n} {w.description} | {unit} | {a * 1e6:.1f} | {b * 1e6:.1f} | "
              f"{ratio:.2f}x | {target} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
