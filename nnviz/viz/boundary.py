"""The decision boundary: what the network predicts over the input plane, with the data on top.

Binary: P(class 1) as a heatmap, orange -> neutral -> blue centred at 0.5, and the 0.5
contour. Several classes: each cell coloured by its predicted class, pale where the
network is unsure. Regression on 2 inputs: the predicted surface on a diverging scale
centred in the targets' range. One input: the fitted curve (`sine`), or for
classification each class's probability over the input, the points at the height
their own class's curve should reach (0 or 1 for one sigmoid output, 1 for softmax).

Traces carry stable `uid`s. Per frame only the prediction traces change
(`FRAME_UIDS`: heatmap or fitted curves, 0.5 contour, misclassified marks); the data
points (uids starting with `STATIC_PREFIXES`) change only with the data, `show_test` or the theme, and
`include_points=False` leaves them out so a live view can keep its copy.
"""

import numpy as np

from nnviz.data import registry
from nnviz.engine.metrics import predicted_classes
from nnviz.engine.reference import one_hot
from nnviz.viz import theme as th
from nnviz.viz.contour import level_segments
from nnviz.viz.typed import pack

DEFAULT_RESOLUTION = 100
TASKS = ("classification", "regression")
FRAME_UIDS = ("boundary-heat", "boundary-contour", "boundary-wrong", "boundary-fit",
              "boundary-prob-*")
STATIC_PREFIXES = ("boundary-train", "boundary-test", "boundary-legend-")


def discrete(out):
    """Outputs (n, n_out) as the predicted class alone: 1 for it, 0 for the others (one
    column, P(class 1), becomes 0 or 1), as the metrics count a prediction."""
    hard = predicted_classes(out)
    return (one_hot(hard, out.shape[1]) if out.shape[1] > 1 else hard[:, None]).astype(np.float64)


def _as_2d(name, a, width=None):
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2 or (width is not None and a.shape[1] != width):
        want = f"(n, {width})" if width is not None else "(n,) or (n, k)"
        raise ValueError(f"{name} must have shape {want}, got {np.shape(a)}")
    return a


def _check_grid(x1, x2, out, n_features):
    x1 = np.asarray(x1, dtype=np.float64).ravel()
    out = np.asarray(out, dtype=np.float64)
    if n_features == 1:
        out = out.reshape(len(x1), -1) if out.size % max(len(x1), 1) == 0 else out
        if out.ndim != 2 or out.shape[0] != len(x1):
            raise ValueError(f"out must have shape ({len(x1)}, n_out) for 1 input feature, "
                             f"got {np.shape(out)}")
        return x1, None, out
    x2 = np.asarray(x2, dtype=np.float64).ravel()
    if out.ndim == 2:
        out = out[:, :, None]
    if out.shape[:2] != (len(x2), len(x1)) or len(x1) < 2 or len(x2) < 2:
        raise ValueError(f"out must have shape (len(x2), len(x1), n_out) = ({len(x2)}, {len(x1)}, "
                         f"n_out) with out[i, j] at (x1[j], x2[i]), got {np.shape(out)}")
    return x1, x2, out


def _class_scale(t, k):
    """Bands of width 1 centred on 0..k-1: pale (unsure) at a band's left, strong at its right."""
    scale = []
    for c in range(k):
        color = th.class_color(c)
        scale.append([c / k, th.blend(color, t.neutral, 0.85)])
        scale.append([(c + 1) / k, th.blend(color, t.neutral, t.fade)])
    return scale


def _class_point_scale(k):
    scale = []
    for c in range(k):
        scale += [[c / k, th.class_color(c)], [(c + 1) / k, th.class_color(c)]]
    return scale


def class_surface(out, discretize=False):
    """out: (..., n_out) probabilities -> what the boundary heatmap shows, same leading shape.

    n_out == 1: P(class 1) (or 0/1 when discretized). n_out >= 2: class + shade in
    [class - 0.49, class + 0.49], shade growing with confidence (fixed when discretized),
    so rounding gives the predicted class.
    """
    out = np.asarray(out, dtype=np.float64)
    if out.shape[-1] == 1:
        p = out[..., 0]
        return (p >= 0.5).astype(np.float64) if discretize else p
    k = out.shape[-1]
    cls = np.argmax(out, axis=-1)
    if discretize:
        shade = np.full(cls.shape, 0.6)
    else:
        shade = np.clip((np.max(out, axis=-1) - 1 / k) / (1 - 1 / k), 0.0, 1.0)
    return cls - 0.49 + 0.98 * shade


def boundary_spec(x1, x2, out, X_train, y_train, X_test=None, y_test=None, *,
                  task="classification", pred_train=None, pred_test=None,
                  show_test=True, discretize=False, output=0,
                  feature_names=None, class_names=None, target_name=None,
                  include_points=True, theme="light", title=None):
    """The boundary figure as a plain dict.

    x1: (r1,), x2: (r2,) grid axes in the data's units; out: (r2, r1, n_out) the
    network's outputs with out[i, j] at (x1[j], x2[i]) (for 1 input feature: x2=None,
    out (r1, n_out)). X_*: (n, 2) or (n, 1) raw inputs; y_*: (n,) int labels or
    (n, n_outputs) targets. pred_*: (n, n_out) outputs at the points, used to mark
    misclassified points. output: which regression output to draw.
    """
    t = th.theme_of(theme)
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    X_train = _as_2d("X_train", X_train)
    n_features = X_train.shape[1]
    if n_features not in (1, 2):
        raise ValueError(f"the boundary needs 1 or 2 input features, got {n_features}")
    x1, x2, out = _check_grid(x1, x2, out, n_features)
    has_test = X_test is not None and y_test is not None and len(X_test) > 0
    X_test = _as_2d("X_test", X_test, n_features) if has_test else None
    names = list(feature_names or [f"x{i + 1}" for i in range(n_features)])

    if task == "regression":
        y_train = _as_2d("y_train", y_train)
        y_test = _as_2d("y_test", y_test) if has_test else None
        if not 0 <= output < out.shape[-1]:
            raise ValueError(f"output must be in 0..{out.shape[-1] - 1}, got {output}")
    else:
        y_train = np.asarray(y_train).astype(int).ravel()
        y_test = np.asarray(y_test).astype(int).ravel() if has_test else None
    if len(y_train) != len(X_train):
        raise ValueError(f"X_train has {len(X_train)} rows but y_train has {len(y_train)}")

    if n_features == 1 and task == "regression":
        data, lay = _curve_1d(t, x1, out[:, output], X_train, y_train[:, output],
                              X_test, y_test[:, output] if has_test else None,
                              show_test, include_points, names, target_name)
    elif n_features == 1:
        data, lay = _probability_1d(t, x1, out, X_train, y_train, X_test, y_test, pred_train,
                                    pred_test, show_test, discretize, include_points, names,
                                    class_names)
    else:
        data, lay = _plane(t, x1, x2, out, task, X_train, y_train, X_test, y_test,
                           pred_train, pred_test, show_test, discretize, output,
                           include_points, names, class_names, target_name)
    base = th.layout(t, title, uirevision="boundary", **lay)
    base["legend"].update(orientation="h", yanchor="bottom", y=1.01, xanchor="right", x=1)
    return {"data": data, "layout": base}


def boundary_figure(*args, **kwargs):
    """`go.Figure` of `boundary_spec` (same arguments)."""
    return th.to_figure(boundary_spec(*args, **kwargs))


def marker_size(n):
    """Point size and outline widths (train, test) for n points: smaller when crowded."""
    size = 6.0 if n <= 600 else max(3.0, 6.0 * (600 / n) ** 0.5)
    return size, (1.0 if size >= 5 else 0.5), (1.6 if size >= 5 else 1.0)


def _points(t, uid, name, X, color, marker_extra, hover, size):
    marker = {"size": size, "color": pack(color)} | marker_extra
    return {"type": "scatter", "mode": "markers", "uid": uid, "name": name, "showlegend": False,
            "x": pack(X[:, 0]), "y": pack(X[:, 1]), "marker": marker,
            "hovertemplate": hover + "<extra>" + name + "</extra>"}


def _legend(t, test, class_names):
    """Legend-only traces (the point traces colour each point, so they show no legend)."""
    def entry(i, name, color, line):
        return {"type": "scatter", "mode": "markers", "x": [None], "y": [None], "name": name,
                "uid": f"boundary-legend-{i}", "hoverinfo": "skip",
                "marker": {"size": 8, "color": color, "line": line}}
    grey = th.blend(t.fg, t.paper, 0.5)
    out = [entry(0, "train", grey, {"width": 1, "color": t.paper})]
    if test:
        out.append(entry(1, "test", grey, {"width": 1.6, "color": t.fg}))
    out += [entry(2 + c, name, th.class_color(c), {"width": 0}) for c, name in enumerate(class_names)]
    return out


def _plane(t, x1, x2, out, task, X_train, y_train, X_test, y_test, pred_train, pred_test,
           show_test, discretize, output, include_points, names, class_names, target_name):
    n_out = out.shape[-1]
    data = []
    at = f"{names[0]}: %{{x:.3g}}<br>{names[1]}: %{{y:.3g}}"
    if task == "regression":
        z = out[:, :, output]
        lo, hi = float(np.min(y_train[:, output])), float(np.max(y_train[:, output]))
        mid, half = (lo + hi) / 2, max((hi - lo) / 2, 1e-12)
        label = target_name or "y"
        heat = {"zmin": mid - half, "zmax": mid + half, "colorscale": th.diverging(t, fade=t.fade),
                "colorbar": th.colorbar(t, label),
                "hovertemplate": f"{at}<br>{label}: %{{z:.3g}}<extra></extra>"}
        point_color = {"cmin": mid - half, "cmax": mid + half, "colorscale": th.diverging(t)}
        train_line = th.blend(t.fg, t.paper, 0.5)   # targets near the centre are neutral-coloured
        color_train = y_train[:, output]
        color_test = y_test[:, output] if X_test is not None else None
        k = 0
    else:
        k = max(n_out, 2)
        cls_names = list(class_names or registry.class_names(k))
        z = class_surface(out, discretize)
        if n_out == 1:
            heat = {"zmin": 0.0, "zmax": 1.0, "colorscale": th.diverging(t, fade=t.fade),
                    "colorbar": th.colorbar(t, f"P({cls_names[1]})", tickvals=[0, 0.5, 1]),
                    "hovertemplate": f"{at}<br>P({cls_names[1]}): %{{z:.3f}}<extra></extra>"}
        else:
            heat = {"zmin": -0.5, "zmax": k - 0.5, "colorscale": _class_scale(t, k),
                    "showscale": False,
                    "hovertemplate": f"{at}<br>predicted class %{{z:.0f}}<extra></extra>"}
        point_color = {"cmin": -0.5, "cmax": k - 0.5, "colorscale": _class_point_scale(k)}
        color_train, color_test = y_train, y_test
        train_line = t.paper
    data.append({"type": "heatmap", "uid": "boundary-heat", "name": "prediction",
                 "x": pack(x1), "y": pack(x2), "z": pack(z), "zsmooth": False,
                 "showscale": heat.pop("showscale", True)} | heat)
    if task == "classification" and n_out == 1 and not discretize:
        cx, cy = level_segments(x1, x2, z, 0.5)
        data.append({"type": "scatter", "mode": "lines", "uid": "boundary-contour",
                     "name": "P = 0.5", "x": pack(cx), "y": pack(cy), "hoverinfo": "skip",
                     "line": {"color": t.fg, "width": 1.5}, "showlegend": False})

    if include_points:
        size, w_train, w_test = marker_size(len(X_train) + (len(X_test) if X_test is not None else 0))
        data.append(_points(t, "boundary-train", "train", X_train, color_train,
                            point_color | {"line": {"width": w_train, "color": train_line}}, at, size))
        if X_test is not None and show_test:
            data.append(_points(t, "boundary-test", "test", X_test, color_test,
                                point_color | {"line": {"width": w_test, "color": t.fg}}, at, size))
        data += _legend(t, X_test is not None and show_test,
                        cls_names if task == "classification" else [])

    if task == "classification":
        data += _wrong_marks(t, k, n_out, ((X_train, y_train, pred_train, True),
                                           (X_test, y_test, pred_test, show_test)), at)

    lay = {
        "xaxis": th.axis(t, names[0], range=[float(x1[0]), float(x1[-1])], showgrid=False,
                         zeroline=False, constrain="domain"),
        "yaxis": th.axis(t, names[1], range=[float(x2[0]), float(x2[-1])], showgrid=False,
                         zeroline=False, scaleanchor="x", scaleratio=1, constrain="domain"),
    }
    return data, lay


def _wrong_marks(t, k, n_out, sets, at, height=None):
    """The misclassified-marks trace ([] when no predictions were given).

    sets: (X, y, pred, shown) for train and test; height: (X, y) -> (n,) y position
    of each point (None: the second input)."""
    wx, wy = [], []
    for X, y, pred, shown in sets:
        if X is None or pred is None or not shown:
            continue
        pred = _as_2d("pred", pred, n_out)
        if len(pred) != len(X):
            raise ValueError(f"predictions have {len(pred)} rows but the points {len(X)}")
        wrong = predicted_classes(np.asarray(pred, dtype=np.float64)) != y
        wx.append(X[wrong, 0])
        wy.append(X[wrong, 1] if height is None else height(X, y)[wrong])
    if not wx:
        return []
    n_wrong = sum(len(a) for a in wx)
    return [{"type": "scatter", "mode": "markers", "uid": "boundary-wrong",
             "name": f"misclassified ({n_wrong})",
             "x": pack(np.concatenate(wx)), "y": pack(np.concatenate(wy)),
             "marker": {"symbol": "x-thin", "size": 9,
                        # red marks vanish on a red class region: text colour then
                        "line": {"width": 2, "color": t.wrong if k <= 3 else t.fg}},
             "hovertemplate": at + "<extra>misclassified</extra>"}]


def _probability_1d(t, x1, out, X_train, y_train, X_test, y_test, pred_train, pred_test,
                    show_test, discretize, include_points, names, class_names):
    """Classification on one input: P(class) over x1, one line per output (one
    sigmoid output: P(class 1)); discretize draws the predicted class as 0/1 steps.
    Points sit where their own class's line should be: at their label (0 or 1)
    for one sigmoid output, at 1 for softmax outputs."""
    n_out = out.shape[1]
    k = max(n_out, 2)
    cls_names = list(class_names or registry.class_names(k))
    probs = discrete(out) if discretize else out
    data = []
    for c in range(n_out):
        cls = 1 if n_out == 1 else c
        name = f"P({cls_names[cls]})"
        data.append({"type": "scatter", "mode": "lines",
                     "uid": "boundary-fit" if n_out == 1 else f"boundary-prob-{c}",
                     "name": name, "x": pack(x1), "y": pack(probs[:, c]),
                     "line": {"color": th.class_color(cls), "width": 3},
                     "hovertemplate": f"{names[0]}: %{{x:.3g}}<br>{name}: %{{y:.3f}}"
                                      f"<extra></extra>"})

    def height(X, y):
        return y.astype(np.float64) if n_out == 1 else np.ones(len(X))

    at = f"{names[0]}: %{{x:.3g}}"
    if include_points:
        size, w_train, w_test = marker_size(len(X_train) + (len(X_test) if X_test is not None else 0))
        color = {"cmin": -0.5, "cmax": k - 0.5, "colorscale": _class_point_scale(k)}
        data.append(_points(t, "boundary-train", "train",
                            np.column_stack([X_train[:, 0], height(X_train, y_train)]), y_train,
                            color | {"line": {"width": w_train, "color": t.paper}}, at, size))
        if X_test is not None and show_test:
            data.append(_points(t, "boundary-test", "test",
                                np.column_stack([X_test[:, 0], height(X_test, y_test)]), y_test,
                                color | {"line": {"width": w_test, "color": t.fg}}, at, size))
        data += _legend(t, X_test is not None and show_test, cls_names)
    data += _wrong_marks(t, k, n_out, ((X_train, y_train, pred_train, True),
                                       (X_test, y_test, pred_test, show_test)), at, height)
    lay = {"xaxis": th.axis(t, names[0], range=[float(x1[0]), float(x1[-1])], zeroline=False),
           "yaxis": th.axis(t, "probability", range=[-0.08, 1.08], zeroline=False,
                            tickvals=[0, 0.5, 1])}
    return data, lay


def _curve_1d(t, x1, fit, X_train, y_train, X_test, y_test, show_test, include_points,
              names, target_name):
    label = target_name or "y"
    at = f"{names[0]}: %{{x:.3g}}<br>{label}: %{{y:.3g}}"
    data = []
    size, w_train, w_test = marker_size(len(X_train) + (len(X_test) if X_test is not None else 0))
    if include_points:
        data.append({"type": "scatter", "mode": "markers", "uid": "boundary-train", "name": "train",
                     "x": pack(X_train[:, 0]), "y": pack(y_train),
                     "marker": {"size": size, "color": th.ORANGE,
                                "line": {"width": w_train, "color": t.paper}},
                     "hovertemplate": at + "<extra>train</extra>"})
        if X_test is not None and show_test:
            data.append({"type": "scatter", "mode": "markers", "uid": "boundary-test", "name": "test",
                         "x": pack(X_test[:, 0]), "y": pack(y_test),
                         "marker": {"size": size, "color": th.ORANGE,
                                    "line": {"width": w_test, "color": t.fg}},
                         "hovertemplate": at + "<extra>test</extra>"})
    data.append({"type": "scatter", "mode": "lines", "uid": "boundary-fit", "name": "network",
                 "x": pack(x1), "y": pack(fit), "line": {"color": th.BLUE, "width": 3},
                 "hovertemplate": at + "<extra>network</extra>"})
    ys = np.concatenate([y_train, y_test if y_test is not None else y_train])
    lo, hi = float(np.min(ys)), float(np.max(ys))
    pad = 0.1 * (hi - lo) or 1.0   # a fixed range, so the axis holds still while the fit moves
    lay = {"xaxis": th.axis(t, names[0], range=[float(x1[0]), float(x1[-1])], zeroline=False),
           "yaxis": th.axis(t, label, range=[lo - pad, hi + pad], zeroline=False)}
    return data, lay


def split_static(spec):
    """spec -> (spec without the static point traces, [static traces]), for a live view
    that draws the points once (e.g. on an overlay) and resends only what changes."""
    static = [d for d in spec["data"] if str(d.get("uid", "")).startswith(STATIC_PREFIXES)]
    moving = [d for d in spec["data"] if not str(d.get("uid", "")).startswith(STATIC_PREFIXES)]
    return {"data": moving, "layout": spec["layout"]}, static
