"""nnviz's NumPy engine against PyTorch CPU eager on the same workloads (W1-W5).

    python benchmarks/compare_torch.py [--rounds 3] [--repeats 5] [--dtype float64]

Runs only when torch is importable; torch is never a dependency of nnviz. Same data,
shapes, dtype and batches as `nnviz.bench`; a torch step is zero_grad, forward, loss
(BCEWithLogitsLoss / CrossEntropyLoss, the fused forms), backward and
`torch.optim.SGD.step`, on 2 threads. The two sides alternate in rounds (the machine
may be shared); the table shows the median over rounds of each side's median.
"""

import argparse
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
    run = _torch_unit(w, dtype)
    run()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(w.inner):
            run()
        times.append((time.perf_counter() - t0) / w.inner)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
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
    for r in range(args.rounds):
        for n in names:
            w = bench.WORKLOADS[n]
            if r % 2 == 0:
                ours[n].append(bench.time_workload(w, args.repeats, args.dtype))
                theirs[n].append(time_torch(w, args.repeats, args.dtype))
            else:
                theirs[n].append(time_torch(w, args.repeats, args.dtype))
                ours[n].append(bench.time_workload(w, args.repeats, args.dtype))
            print(f"round {r + 1} {n}: nnviz {ours[n][-1] * 1e3:.3f} ms, "
                  f"torch {theirs[n][-1] * 1e3:.3f} ms", file=sys.stderr)
    print(f"| workload | unit | nnviz ({args.dtype}) | PyTorch CPU eager | speed-up |")
    print("|---|---|---|---|---|")
    for n in names:
        w = bench.WORKLOADS[n]
        a, b = statistics.median(ours[n]), statistics.median(theirs[n])
        unit = {"step": "step", "epoch": f"epoch ({w.steps} steps)", "forward": "forward"}[w.kind]
        print(f"| {n} {w.description} | {unit} | {_fmt(a)} | {_fmt(b)} | {b / a:.1f}x |")
    return 0


def _fmt(seconds):
    return f"{seconds * 1e6:.0f} µs" if seconds < 1e-3 else f"{seconds * 1e3:.2f} ms"


if __name__ == "__main__":
    raise SystemExit(main())
