"""What the live view's fast charts draw, as plain data for the browser's canvases.

Each chart is a `*_setup`, what holds still during a run (axes and their ticks, the
data points, colour palettes, labels), sent when it changes, and a `*_frame`, what
moves with each step (an 8-bit image of the output over the plane, the weights,
the units' maps), sent with every frame. The browser only draws what it is sent:
every number on the screen is computed here, in NumPy.

Images are 8-bit: a value v in [lo, hi] travels as round(255 (v - lo) / (hi - lo))
and the browser colours it through the setup's palette, 256 RGBA colours sampled
from the same colour scales the Plotly figures use (`nnviz.viz.theme`), so a chart
looks the same whichever way it is drawn. Row i of an image is x2[i], column j x1[j].
"""

import math

import numpy as np

from nnviz.data import registry
from nnviz.limits import MAX_UNITS
from nnviz.viz import theme as th
from nnviz.viz.boundary import (
    _class_point_scale,
    _class_scale,
    class_surface,
    discrete,
    marker_size,
)
from nnviz.viz.contour import level_segments
from nnviz.viz.diagram import CENTRED_AT_HALF, DIAGRAM_MAX_UNITS, SHORT_NAMES
from nnviz.viz.weights import unit_names

LEVELS = 256
TICKS = 5               # about this many ticks on an axis


def palette(scale):
    """A Plotly colour scale ([[position 0..1, "#rrggbb"], ...]) sampled at LEVELS evenly
    spaced positions -> (LEVELS, 4) uint8 RGBA: level q is the colour at q / 255."""
    stops = np.array([float(p) for p, _ in scale])
    rgb = np.array([th.rgb(c) for _, c in scale], dtype=np.float64)
    at = np.linspace(0.0, 1.0, LEVELS)
    out = np.empty((LEVELS, 4), dtype=np.uint8)
    for c in range(3):
        out[:, c] = np.round(np.interp(at, stops, rgb[:, c]))
    out[:, 3] = 255
    return out


def quantize(values, lo, hi):
    """values in [lo, hi] -> uint8 0..255 (NaN to the middle, outside values clipped).

    Float32 throughout and ufuncs in place: this runs on every image of every frame."""
    v = np.subtract(values, lo, dtype=np.float32)
    v *= (LEVELS - 1) / max(hi - lo, 1e-30)
    np.minimum(v, LEVELS - 1, out=v)            # infinities clipped, NaN kept ...
    np.maximum(v, 0.0, out=v)
    nan = np.isnan(v)
    if nan.any():
        v[nan] = (LEVELS - 1) / 2               # ... and put in the middle
    return np.rint(v, out=v).astype(np.uint8)


def nice_ticks(lo, hi, target=TICKS):
    """Ticks for an axis over [lo, hi]: ([values], [labels]) at 1, 2 or 5 × 10^k apart,
    each label the full value (0.05, not 5e-2)."""
    lo, hi = float(lo), float(hi)
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo], [_label(lo, 1.0)]
    raw = (hi - lo) / max(target, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9)
    values = [round(k * step, 12) for k in range(first, math.floor(hi / step + 1e-9) + 1)]
    return values, [_label(v, step) for v in values]


def _label(v, step):
    digits = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
    text = f"{v:.{digits}f}"
    return "0" if float(text) == 0 else text


def _axis(title, lo, hi):
    values, labels = nice_ticks(lo, hi)
    return {"title": title, "range": [float(lo), float(hi)], "ticks": values, "labels": labels}


# -- the decision boundary over the plane -------------------------------------------------

def plane_setup(extent, X_train, y_train, X_test=None, y_test=None, *,
                task="classification", n_out=1, show_test=True, discretize=False,
                feature_names=("x1", "x2"), class_names=None, target_name=None,
                output=0, theme="light"):
    """The boundary chart's still parts for 2-D data.

    extent: ((x1 lo, hi), (x2 lo, hi)); X_*: (n, 2) raw points; y_*: (n,) labels or
    (n, k) targets; n_out: the network's outputs (1 for P(class 1)); output: the
    regression output drawn. Returns axes, the palette of the surface and of the
    points, the points themselves, the legend and the colour bar, and `scale`, the
    [lo, hi] the frames' images are quantised over."""
    t = th.theme_of(theme)
    (x_lo, x_hi), (y_lo, y_hi) = extent
    names = list(feature_names or ("x1", "x2"))
    has_test = X_test is not None and len(X_test) > 0 and show_test
    spec = {"kind": "plane", "x": _axis(names[0], x_lo, x_hi), "y": _axis(names[1], y_lo, y_hi),
            "fg": t.fg, "muted": t.muted, "grid": t.grid, "paper": t.paper}
    legend = [{"name": "train", "color": th.blend(t.fg, t.paper, 0.5), "edge": t.paper}]
    if has_test:
        legend.append({"name": "test", "color": th.blend(t.fg, t.paper, 0.5), "edge": t.fg})
    if task == "regression":
        lo, hi = float(np.min(y_train[:, output])), float(np.max(y_train[:, output]))
        mid, half = (lo + hi) / 2, max((hi - lo) / 2, 1e-12)
        scale = [mid - half, mid + half]
        spec["surface"] = palette(th.diverging(t, fade=t.fade))
        spec["points"] = palette(th.diverging(t))
        label = target_name or "y"
        spec["colorbar"] = {"title": label, **_bar_ticks(*scale)}
        spec["contour"] = False
        colours = (quantize(y_train[:, output], *scale),
                   quantize(y_test[:, output], *scale) if has_test else None)
    else:
        k = max(n_out, 2)
        cls = list(class_names or registry.class_names(k))
        legend += [{"name": name, "color": th.class_color(c), "edge": None}
                   for c, name in enumerate(cls)]
        if n_out == 1:
            scale = [0.0, 1.0]
            spec["surface"] = palette(th.diverging(t, fade=t.fade))
            spec["colorbar"] = {"title": f"P({cls[1]})", "ticks": [0.0, 0.5, 1.0],
                                "labels": ["0", "0.5", "1"]}
        else:
            scale = [-0.5, k - 0.5]
            spec["surface"] = palette(_class_scale(t, k))
            spec["colorbar"] = None
        spec["points"] = palette(_class_point_scale(k))
        spec["contour"] = n_out == 1 and not discretize
        colours = (quantize(y_train, *scale), quantize(y_test, *scale) if has_test else None)
    size, edge_train, edge_test = marker_size(len(X_train) + (len(X_test) if has_test else 0))
    spec["scale"] = scale
    spec["legend"] = legend
    spec["train"] = {"x": X_train[:, 0], "y": X_train[:, 1], "c": colours[0],
                     "edge": t.paper if task == "classification" else legend[0]["color"],
                     "width": edge_train}
    if has_test:
        spec["test"] = {"x": X_test[:, 0], "y": X_test[:, 1], "c": colours[1], "edge": t.fg,
                        "width": edge_test}
    spec["size"] = size
    spec["wrong"] = t.wrong if task == "classification" and n_out <= 3 else t.fg
    return spec


def _bar_ticks(lo, hi):
    values, labels = nice_ticks(lo, hi, 4)
    return {"ticks": [(v - lo) / (hi - lo) for v in values], "labels": labels}


SPAN = 65535           # segment ends travel as 16-bit fractions of the axes' ranges


def plane_frame(out, spec, *, task="classification", discretize=False, output=0, x1=None,
                x2=None, wrong=None):
    """One frame of the boundary chart: out (r2, r1, n_out) the network over the grid
    (probabilities or targets), quantised over spec["scale"]. For one probability
    output (not discretised) also the P = 0.5 line: `segments` (m, 4) uint16, each
    segment's ends (x, y, x, y) as fractions of the axes' ranges times SPAN (x1, x2:
    the grid's axes). wrong: (k, 2) points to mark as misclassified, if any."""
    if task == "regression":
        z = out[:, :, output]
    else:
        z = class_surface(out, discretize)
    frame = {"image": quantize(z, *spec["scale"])}
    if spec.get("contour") and x1 is not None:
        cx, cy = level_segments(x1, x2, z, 0.5)
        ends = np.column_stack([cx, cy]).reshape(-1, 3, 2)[:, :2].reshape(-1, 4)
        lo = np.array([spec["x"]["range"][0], spec["y"]["range"][0]] * 2)
        hi = np.array([spec["x"]["range"][1], spec["y"]["range"][1]] * 2)
        frame["segments"] = np.round(np.clip((ends - lo) / (hi - lo), 0, 1) * SPAN
                                     ).astype(np.uint16)
    if wrong is not None:
        frame["wrong"] = np.asarray(wrong, dtype=np.float32).reshape(-1, 2)
    return frame


# -- one input: the fitted curve, or each class's probability -----------------------------

def line_setup(x, extent, X_train, y_train, X_test=None, y_test=None, *,
               task="regression", n_out=1, show_test=True, feature_names=("x",),
               class_names=None, target_name=None, theme="light"):
    """The curve chart's still parts for 1-D data: axes, points (classification: at
    the height their own class's line should reach) and one line per output."""
    t = th.theme_of(theme)
    name = (list(feature_names) or ["x"])[0]
    has_test = X_test is not None and len(X_test) > 0 and show_test
    if task == "regression":
        ys = np.concatenate([y_train[:, 0], y_test[:, 0] if has_test else y_train[:, 0]])
        lo, hi = float(np.min(ys)), float(np.max(ys))
        pad = 0.1 * (hi - lo) or 1.0
        y_axis = _axis(target_name or "y", lo - pad, hi + pad)
        lines = [{"name": "network", "color": th.BLUE}]
        height = (y_train[:, 0], y_test[:, 0] if has_test else None)
        index = (np.zeros(len(y_train), np.uint8),
                 np.zeros(len(y_test), np.uint8) if has_test else None)
        colours = [th.ORANGE]
    else:
        k = max(n_out, 2)
        cls = list(class_names or registry.class_names(k))
        y_axis = {"title": "probability", "range": [-0.08, 1.08], "ticks": [0.0, 0.5, 1.0],
                  "labels": ["0", "0.5", "1"]}
        first = 1 if n_out == 1 else 0
        lines = [{"name": f"P({cls[c + first]})", "color": th.class_color(c + first)}
                 for c in range(n_out)]
        colours = [th.class_color(c) for c in range(k)]

        def at(y):
            return y.astype(np.float64) if n_out == 1 else np.ones(len(y))
        height = (at(y_train), at(y_test) if has_test else None)
        index = (y_train.astype(np.uint8), y_test.astype(np.uint8) if has_test else None)
    size, edge_train, edge_test = marker_size(len(X_train) + (len(X_test) if has_test else 0))
    spec = {"kind": "line", "x": _axis(name, *extent[0]), "y": y_axis, "grid_x": x,
            "lines": lines, "colors": colours, "size": size,
            "fg": t.fg, "muted": t.muted, "grid": t.grid, "paper": t.paper,
            "train": {"x": X_train[:, 0], "y": height[0], "i": index[0], "edge": t.paper,
                      "width": edge_train}}
    if has_test:
        spec["test"] = {"x": X_test[:, 0], "y": height[1], "i": index[1], "edge": t.fg,
                        "width": edge_test}
    return spec


def line_frame(out, *, task="regression", discretize=False):
    """One frame of the 1-D chart: out (r, n_out) -> {"y": (n_lines, r)}: the fit, or
    each output's probability (0/1 steps of the predicted class when discretised)."""
    out = np.asarray(out, dtype=np.float64)
    if task == "regression":
        return {"y": out[:, :1].T.astype(np.float32)}
    if discretize:
        out = discrete(out)
    return {"y": out.T.astype(np.float32)}


# -- the network diagram ------------------------------------------------------------------

def diagram_setup(layer_sizes, activation_names, *, input_names=None, output_names=None,
                  map_shape=(10, 10), smooth=True, max_units=DIAGRAM_MAX_UNITS,
                  theme="light"):
    """The diagram's still parts: per layer its size, how many units are drawn, its
    header and the units' names, the maps' shape (rows, columns: a grid over the
    plane, one row along a single input, or a square of sample rows, drawn unsmoothed)
    and palette."""
    t = th.theme_of(theme)
    names = unit_names(layer_sizes, input_names, output_names)
    compact = len(layer_sizes) >= 5
    layers = []
    for l, n in enumerate(layer_sizes):
        act = None if l == 0 else activation_names[l - 1]
        if l == 0:
            label = "in" if compact else "input"
        elif l == len(layer_sizes) - 1:
            label = "out" if compact else "output"
        else:
            label = f"h{l}" if compact else f"hidden {l}"
        short = SHORT_NAMES.get(act, act) if compact else act
        layers.append({"size": n, "shown": min(n, max_units), "label": label,
                       "detail": f"{n}" + (f" {short}" if act else ""),
                       "names": names[l][:max_units]})
    return {"kind": "diagram", "layers": layers, "map_shape": list(map_shape), "smooth": smooth,
            "max_units": MAX_UNITS,
            "palette": palette(th.diverging(t)), "fg": t.fg, "muted": t.muted,
            "paper": t.paper, "positive": th.BLUE, "negative": th.ORANGE}


def unit_image(values, activation):
    """One unit's values over a grid (r2, r1) -> uint8 image on the diagram's scale:
    centred at 0.5 for sigmoid and softmax units, else at 0, scaled by its largest
    distance from the centre."""
    centre = 0.5 if activation in CENTRED_AT_HALF else 0.0
    M = np.asarray(values, dtype=np.float64) - centre
    top = float(np.max(np.abs(np.where(np.isfinite(M), M, 0.0)))) or 1.0
    return quantize(M / top, -1.0, 1.0)


def diagram_frame(params, activations, activation_names, spec):
    """One frame of the diagram: every drawn unit's map (uint8, (units, rows, cols),
    layer by layer: its values at the probe points the setup's map_shape arranges,
    scaled as `nnviz.viz.diagram` scales them: inputs each on its own, other layers
    per layer, sigmoid and softmax centred at 0.5), and the drawn part of each layer's
    W and b. activations: [A0, ..., AL], A_l (rows * cols, n_l) at the probe points."""
    rows, cols = spec["map_shape"]
    shown = [layer["shown"] for layer in spec["layers"]]
    # every drawn unit's values side by side: (points, units), centred
    M = np.concatenate([A[:, :n] for A, n in zip(activations, shown, strict=True)], axis=1,
                       dtype=np.float32)
    layer = np.repeat(np.arange(len(shown)), shown)
    centre = np.array([0.0] + [0.5 if a in CENTRED_AT_HALF else 0.0 for a in activation_names],
                      dtype=np.float32)
    M -= centre[layer]
    spread = np.abs(M)
    spread[~np.isfinite(spread)] = 0.0
    unit_top = spread.max(axis=0)                          # each unit's largest |value|
    top = np.maximum.reduceat(unit_top, np.cumsum([0] + shown[:-1]))[layer]
    top[:shown[0]] = unit_top[:shown[0]]                   # inputs: each on its own
    M /= np.where(top > 0, top, 1.0)
    return {"maps": quantize(M.T.reshape(-1, rows, cols), -1.0, 1.0),
            "weights": [np.asarray(W, dtype=np.float32)[:shown[l], :shown[l + 1]]
                        for l, (W, _) in enumerate(params)],
            "biases": [np.asarray(b, dtype=np.float32)[:shown[l + 1]]
                       for l, (_, b) in enumerate(params)]}


# -- the learning curves ------------------------------------------------------------------

CURVE_KEYS = {"accuracy": ("train_accuracy", "test_accuracy"), "R²": ("train_r2", "test_r2")}


def curves_setup(metric, *, log_y=False, theme="light"):
    """The curves chart: a loss panel (log scale if asked) and a `metric` panel
    ("accuracy" as a percentage, "R²"), train in grey and test in the text colour."""
    t = th.theme_of(theme)
    return {"kind": "curves", "fg": t.fg, "muted": t.muted, "grid": t.grid, "paper": t.paper,
            "train": th.blend(t.fg, t.paper, 0.45), "test": t.fg,
            "panels": [{"name": "loss", "log": bool(log_y)},
                       {"name": metric, "percent": metric == "accuracy"}]}


def curve_points(history, keys, start=0, stop=None):
    """Points start..stop of a history as five float32 rows: step, train loss, test loss,
    train and test metric (`keys`: their history names)."""
    order = ("step", "train_loss", "test_loss", *keys)
    return np.array([np.asarray(history[k], dtype=np.float64)[start:stop] for k in order],
                    dtype=np.float32)
