"""Figure benchmark: `python -m nnviz bench --viz` (or `python -m nnviz.viz.bench`).

Times what the live view does each frame: build the spec of each figure and serialise
it with `plotly.io.to_json(spec, validate=False, remove_uids=False)` (by default to_json
drops the traces' uids, in place), and reports the payload in bytes: as to_json writes it
(it escapes every "/" of base64 as \u002f) and as plain orjson writes it (`wire_bytes`,
what the live element sends).
The default frame: a 2-8-8-1 tanh net trained briefly on 400 moons points (80% train),
the boundary at `DEFAULT_RESOLUTION`, the learning curves (1000 points), the weights and
the network diagram at `DIAGRAM_RESOLUTION`. For comparison, the validated path
(`*_figure(...)` then `fig.to_json()`). Medians over repeats, after a warm-up.
"""

import argparse
import json
import statistics
import sys
import time

import numpy as np
import orjson
import plotly.io as pio

from nnviz.viz.boundary import DEFAULT_RESOLUTION, boundary_spec, split_static
from nnviz.viz.curves import curves_spec
from nnviz.viz.diagram import DIAGRAM_RESOLUTION, diagram_spec, grid_points
from nnviz.viz.theme import to_figure
from nnviz.viz.weights import weights_spec

N_POINTS = 400
TRAIN_STEPS = 1000
ACTIVATIONS = ("tanh", "tanh", "sigmoid")


def default_frame(resolution=DEFAULT_RESOLUTION, seed=0):
    """Inputs of one default frame: {figure name: (spec builder, args, kwargs)}."""
    from nnviz import datasets
    from nnviz.engine import MLP, optimizers

    X, y = datasets.load("moons", n_samples=N_POINTS, noise=0.2, seed=seed)
    n_train = int(0.8 * N_POINTS)
    Xtr, ytr, Xte, yte = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
    net = MLP([2, 8, 8, 1], activations=list(ACTIVATIONS), seed=seed)
    opt = optimizers.make("adam", lr=0.03)
    hist = {k: np.empty(TRAIN_STEPS) for k in
            ("step", "train_loss", "test_loss", "train_accuracy", "test_accuracy")}
    for s in range(TRAIN_STEPS):
        loss, _ = net.loss_and_grads(Xtr, ytr, loss="bce")
        opt.step(net)
        p_te = net.predict(Xte)[:, 0]
        hist["step"][s] = s + 1
        hist["train_loss"][s] = loss
        hist["test_loss"][s] = -np.mean(yte * np.log(p_te + 1e-12) + (1 - yte) * np.log(1 - p_te + 1e-12))
        hist["train_accuracy"][s] = np.mean((net.predict(Xtr)[:, 0] >= 0.5) == ytr)
        hist["test_accuracy"][s] = np.mean((p_te >= 0.5) == yte)

    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    x1, x2 = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    out = net.predict(grid_points(x1, x2)).reshape(resolution, resolution, -1)
    d1 = np.linspace(lo[0], hi[0], DIAGRAM_RESOLUTION)
    d2 = np.linspace(lo[1], hi[1], DIAGRAM_RESOLUTION)
    acts = net.activations_of(grid_points(d1, d2))
    params = [(W.copy(), b.copy()) for W, b in net.params]
    return {
        "boundary": (boundary_spec, (x1, x2, out, Xtr, ytr, Xte, yte),
                     {"pred_train": net.predict(Xtr), "pred_test": net.predict(Xte)}),
        "curves": (curves_spec, (hist,), {}),
        "weights": (weights_spec, (params,), {}),
        "diagram": (diagram_spec, (params, acts), {"activation_names": list(ACTIVATIONS)}),
    }


def _median_ms(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def to_json(spec):
    return pio.to_json(spec, validate=False, remove_uids=False)


def run(repeats=20, resolution=DEFAULT_RESOLUTION):
    """-> {"figures": {name: {build_ms, json_ms, ms, bytes, figure_ms, figure_bytes}},
    "frame": totals, "boundary_frame_only": the boundary without its static points, ...}."""
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    frame = default_frame(resolution)
    figures = {}
    for name, (build, args, kwargs) in frame.items():
        spec = build(*args, **kwargs)
        build_ms = _median_ms(lambda b=build, a=args, k=kwargs: b(*a, **k), repeats)
        json_ms = _median_ms(lambda s=spec: to_json(s), repeats)
        both_ms = _median_ms(lambda b=build, a=args, k=kwargs: to_json(b(*a, **k)), repeats)
        figure_ms = _median_ms(lambda b=build, a=args, k=kwargs:
                               to_figure(b(*a, **k)).to_json(), max(1, repeats // 4))
        figures[name] = {
            "build_ms": round(build_ms, 3), "json_ms": round(json_ms, 3), "ms": round(both_ms, 3),
            "bytes": len(to_json(spec).encode()),
            "wire_bytes": len(orjson.dumps(spec, option=orjson.OPT_SERIALIZE_NUMPY)),
            "figure_ms": round(figure_ms, 3),
            "figure_bytes": len(to_figure(spec).to_json().encode()),
        }
    moving, static = split_static(frame["boundary"][0](*frame["boundary"][1], **frame["boundary"][2]))
    total = {k: round(sum(f[k] for f in figures.values()), 3)
             for k in ("build_ms", "json_ms", "ms", "bytes", "wire_bytes", "figure_ms",
                       "figure_bytes")}
    return {
        "resolution": resolution, "diagram_resolution": DIAGRAM_RESOLUTION, "repeats": repeats,
        "net": "2-8-8-1 " + "/".join(ACTIVATIONS), "points": N_POINTS,
        "figures": figures, "frame": total,
        "boundary_frame_only_wire_bytes": len(orjson.dumps(moving)),
        "boundary_static_wire_bytes": len(orjson.dumps(static)),
    }


def main(argv=None):
    p = argparse.ArgumentParser(prog="nnviz bench --viz",
                                description="Time building and serialising one live frame.")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--repeats", type=int, default=20, help="timed repeats (default 20)")
    p.add_argument("--resolution", type=int, default=DEFAULT_RESOLUTION,
                   help=f"boundary grid side (default {DEFAULT_RESOLUTION})")
    a = p.parse_args(argv)
    if a.repeats < 1 or not 2 <= a.resolution <= 1000:
        p.error("--repeats must be at least 1 and --resolution from 2 to 1000")
    r = run(a.repeats, a.resolution)
    if a.json:
        print(json.dumps(r))
        return 0
    print(f"one frame: {r['net']}, {r['points']} points, boundary {r['resolution']}x"
          f"{r['resolution']}, diagram maps {r['diagram_resolution']}x{r['diagram_resolution']}; "
          f"medians of {r['repeats']}")
    print(f"{'figure':10} {'build ms':>9} {'json ms':>8} {'spec ms':>8} {'bytes':>8} {'orjson':>8}"
          f" | {'go.Figure ms':>12} {'bytes':>8}")
    for name, f in [*r["figures"].items(), ("frame", r["frame"])]:
        print(f"{name:10} {f['build_ms']:9.2f} {f['json_ms']:8.2f} {f['ms']:8.2f} {f['bytes']:8d}"
              f" {f['wire_bytes']:8d} | {f['figure_ms']:12.2f} {f['figure_bytes']:8d}")
    print(f"boundary without its static points: {r['boundary_frame_only_wire_bytes']} bytes "
          f"by orjson (the points, sent once: {r['boundary_static_wire_bytes']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
