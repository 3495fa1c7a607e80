"""Image datasets (digits 8x8, MNIST 28x28): test images with their labels, the confusion
matrix, and the first layer's weights as images. The image side is sqrt(n_features)."""

import numpy as np

from nnviz.viz import theme as th
from nnviz.viz.typed import pack


def image_side(n_features):
    """n_features -> side of the square image; a ValueError if it is not a square."""
    side = int(round(np.sqrt(n_features)))
    if side * side != n_features or side < 1:
        raise ValueError(f"images need a square number of features (64 for 8x8, 784 for "
                         f"28x28), got {n_features}")
    return side


def label_gap(side):
    """NaN rows under each image, room for its label."""
    return max(3, -(-side * 4 // 9))


def tile(images, side, columns, row_gap=1):
    """images: (n, side*side) -> (rows*(side+row_gap), columns*(side+1)-1) canvas, NaN
    between images (one column, row_gap rows under each) and where the last row is short."""
    n = len(images)
    rows = max(-(-n // columns), 1)
    step_r, step_c = side + row_gap, side + 1
    canvas = np.full((rows * step_r, columns * step_c - 1), np.nan)
    for k, img in enumerate(images):
        r, c = divmod(k, columns)
        canvas[r * step_r:r * step_r + side, c * step_c:c * step_c + side] = np.reshape(img, (side, side))
    return canvas


def _image_axes(t, canvas):
    h, w = canvas.shape
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    return {"xaxis": hidden | {"range": [-0.5, w - 0.5], "constrain": "domain"},
            "yaxis": hidden | {"range": [h - 0.5, -0.5], "scaleanchor": "x", "constrain": "domain"}}


def digits_spec(images, y_true, y_pred, *, n_show=40, columns=10, class_names=None,
                wrong_first=False, theme="light", title=None):
    """images: (n, side*side) raw pixels; y_true, y_pred: (n,) labels. The first n_show
    images (wrong ones first if wrong_first), each titled "predicted/true"; wrong ones in
    red with a red frame."""
    t = th.theme_of(theme)
    images = np.asarray(images, dtype=np.float64)
    y_true, y_pred = np.asarray(y_true).astype(int).ravel(), np.asarray(y_pred).astype(int).ravel()
    if images.ndim != 2 or not len(images) == len(y_true) == len(y_pred):
        raise ValueError(f"images (n, d), y_true (n,), y_pred (n,) must agree, got "
                         f"{images.shape}, {y_true.shape}, {y_pred.shape}")
    if n_show < 1 or columns < 1:
        raise ValueError(f"n_show and columns must be at least 1, got {n_show} and {columns}")
    side = image_side(images.shape[1])
    order = np.arange(len(images))
    if wrong_first:
        order = np.concatenate([order[y_true != y_pred], order[y_true == y_pred]])
    order = order[:n_show]
    columns = min(columns, max(len(order), 1))
    shown = images[order]
    lo, hi = (float(shown.min()), float(shown.max())) if shown.size else (0.0, 1.0)
    gap = label_gap(side)
    canvas = tile((shown - lo) / ((hi - lo) or 1.0), side, columns, gap)
    names = [str(c) for c in (class_names or range(max(y_true.max(initial=0), y_pred.max(initial=0)) + 1))]
    annotations, shapes = [], []
    for k, i in enumerate(order):
        r, c = divmod(k, columns)
        wrong = y_true[i] != y_pred[i]
        x0, y0 = c * (side + 1) - 0.5, r * (side + gap) - 0.5
        annotations.append({"text": f"{names[y_pred[i]]}/{names[y_true[i]]}", "x": x0 + side / 2,
                            "y": y0 + side, "xref": "x", "yref": "y", "yanchor": "top",
                            "showarrow": False,
                            "font": {"size": th.FONT, "color": t.wrong if wrong else t.muted}})
        if wrong:
            shapes.append({"type": "rect", "xref": "x", "yref": "y", "x0": x0, "y0": y0,
                           "x1": x0 + side, "y1": y0 + side,
                           "line": {"color": t.wrong, "width": 2}})
    n_wrong = int(np.sum(y_true[order] != y_pred[order]))
    data = [{"type": "heatmap", "uid": "digits-images", "z": pack(canvas), "zmin": 0.0,
             "zmax": 1.0, "colorscale": [[0.0, t.paper], [1.0, t.fg]], "showscale": False,
             "hoverinfo": "skip", "ygap": 0}]
    lay = _image_axes(t, canvas)
    subtitle = f"predicted/true · {n_wrong} of {len(order)} wrong"
    base = th.layout(t, f"{title} · {subtitle}" if title else subtitle, uirevision="digits",
                     annotations=annotations, shapes=shapes, **lay)
    return {"data": data, "layout": base}


def confusion_matrix(y_true, y_pred, n_classes):
    """(n_classes, n_classes) counts, rows = true class, columns = predicted class."""
    m = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(m, (y_true, y_pred), 1)
    return m


def confusion_spec(y_true, y_pred, *, n_classes=None, class_names=None, theme="light", title=None):
    """y_true, y_pred: (n,) integer labels -> counts heatmap, rows true, columns predicted."""
    t = th.theme_of(theme)
    y_true, y_pred = np.asarray(y_true).astype(int).ravel(), np.asarray(y_pred).astype(int).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {len(y_true)} "
                         f"and {len(y_pred)}")
    k = n_classes or (int(max(y_true.max(initial=0), y_pred.max(initial=0))) + 1)
    if (y_true.size and (y_true.min() < 0 or y_pred.min() < 0)) or max(
            y_true.max(initial=0), y_pred.max(initial=0)) >= k:
        raise ValueError(f"labels must be in 0..{k - 1}")
    names = [str(c) for c in (class_names or range(k))]
    m = confusion_matrix(y_true, y_pred, k)
    accuracy = np.trace(m) / m.sum() if m.sum() else float("nan")
    data = [{"type": "heatmap", "uid": "confusion", "z": pack(m), "x": names, "y": names,
             "colorscale": th.sequential(t), "zmin": 0, "zmax": max(int(m.max()), 1),
             "texttemplate": "%{z}", "textfont": {"size": th.FONT}, "xgap": 1, "ygap": 1,
             "colorbar": th.colorbar(t, "count"),
             "hovertemplate": "true %{y}, predicted %{x}: %{z}<extra></extra>"}]
    lay = {"xaxis": th.axis(t, "predicted class", type="category", showgrid=False, side="bottom"),
           "yaxis": th.axis(t, "true class", type="category", autorange="reversed", showgrid=False,
                            scaleanchor="x", constrain="domain")}
    subtitle = f"accuracy {accuracy:.1%} on {int(m.sum())}" if m.sum() else "no samples"
    base = th.layout(t, f"{title} · {subtitle}" if title else subtitle, uirevision="confusion",
                     **lay)
    return {"data": data, "layout": base}


def first_layer_spec(W, *, max_units=32, columns=8, theme="light", title=None):
    """W: (side*side, n_units), the first layer's weights -> each unit's incoming weights as
    an image, one diverging scale centred at 0 for all."""
    t = th.theme_of(theme)
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2:
        raise ValueError(f"W must be (n_features, n_units), got {W.shape}")
    side = image_side(W.shape[0])
    if max_units < 1 or columns < 1:
        raise ValueError(f"max_units and columns must be at least 1, got {max_units}, {columns}")
    n = min(W.shape[1], max_units)
    columns = min(columns, max(n, 1))
    gap = label_gap(side)
    canvas = tile(W[:, :n].T, side, columns, gap)
    finite = np.abs(W[:, :n][np.isfinite(W[:, :n])])
    top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    annotations = []
    for j in range(n):
        r, c = divmod(j, columns)
        annotations.append({"text": f"h1.{j + 1}", "x": c * (side + 1) - 0.5 + side / 2,
                            "y": r * (side + gap) - 0.5 + side, "xref": "x", "yref": "y",
                            "yanchor": "top", "showarrow": False,
                            "font": {"size": th.FONT, "color": t.muted}})
    data = [{"type": "heatmap", "uid": "first-layer", "z": pack(canvas), "zmin": -top, "zmax": top,
             "colorscale": th.diverging(t), "colorbar": th.colorbar(t, "weight"),
             "hoverinfo": "skip"}]
    lay = _image_axes(t, canvas)
    subtitle = f"first-layer weights as {side}×{side} images" + (
        f" · {n} of {W.shape[1]} units" if n < W.shape[1] else "")
    base = th.layout(t, f"{title} · {subtitle}" if title else subtitle, uirevision="first-layer",
                     annotations=annotations, **lay)
    return {"data": data, "layout": base}


def digits_figure(images, y_true, y_pred, **kwargs):
    """`go.Figure` of `digits_spec` (same arguments)."""
    return th.to_figure(digits_spec(images, y_true, y_pred, **kwargs))


def confusion_figure(y_true, y_pred, **kwargs):
    """`go.Figure` of `confusion_spec` (same arguments)."""
    return th.to_figure(confusion_spec(y_true, y_pred, **kwargs))


def first_layer_figure(W, **kwargs):
    """`go.Figure` of `first_layer_spec` (same arguments)."""
    return th.to_figure(first_layer_spec(W, **kwargs))
