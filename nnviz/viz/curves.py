"""Learning curves: train and test loss over steps, accuracy (or R²) beside it.

Every trace changes each frame. Long histories are thinned to `max_points` per
curve (evenly, keeping the last point), so a frame stays small however long a run is.
"""

import math

import numpy as np

from nnviz.viz import theme as th
from nnviz.viz.typed import pack

METRICS = {"accuracy": ("train_accuracy", "test_accuracy"), "R²": ("train_r2", "test_r2")}


def thin(n, max_points):
    """Indices of at most max_points of n evenly spaced samples, always keeping the last."""
    if n <= max_points:
        return np.arange(n)
    stride = math.ceil(n / max_points)
    idx = np.arange(0, n, stride)
    return idx if idx[-1] == n - 1 else np.append(idx, n - 1)


def last_finite(a):
    """The last finite value of a 1-D array, or None."""
    a = np.asarray(a, dtype=np.float64)
    finite = np.flatnonzero(np.isfinite(a))
    return float(a[finite[-1]]) if finite.size else None


def _fmt(v, percent=False):
    if v is None:
        return "–"
    return f"{100 * v:.1f}%" if percent else f"{v:.4g}"


def curves_spec(history, *, log_y=False, max_points=500, theme="light", title=None):
    """Curves as a plain dict.

    history: dict of 1-D arrays, all the same length: `step`, `train_loss`, `test_loss`,
    and `train_accuracy`/`test_accuracy` or `train_r2`/`test_r2` (either may be absent).

    Left: loss (log y when log_y). Right: the metric. The panel titles give the current
    (last finite) values and name the lines: train grey, test in the text colour.
    """
    t = th.theme_of(theme)
    if max_points < 2:
        raise ValueError(f"max_points must be at least 2, got {max_points}")
    if "step" not in history:
        raise ValueError(f"history needs a 'step' array; it has {sorted(history)}")
    steps = np.asarray(history["step"], dtype=np.float64).ravel()
    n = len(steps)
    for key, value in history.items():
        if key in ("weight_norm", "grad_norm"):
            continue
        if len(np.atleast_1d(value)) != n:
            raise ValueError(f"history[{key!r}] has {len(np.atleast_1d(value))} values, "
                             f"history['step'] has {n}")
    idx = thin(n, max_points)
    x = pack(steps[idx])
    metric = next((m for m, keys in METRICS.items() if keys[0] in history), None)
    panels = [("loss", ("train_loss", "test_loss"))]
    if metric is not None:
        panels.append((metric, METRICS[metric]))

    style = {"train": {"color": th.blend(t.fg, t.paper, 0.45), "width": 2},
             "test": {"color": t.fg, "width": 2}}
    data, annotations = [], []
    gap = 0.1
    width = (1 - gap * (len(panels) - 1)) / len(panels)
    lay = {}
    for p, (name, keys) in enumerate(panels):
        ax = "" if p == 0 else str(p + 1)
        percent = name == "accuracy"
        now = []
        for split, key in zip(("train", "test"), keys, strict=True):
            if key not in history:
                continue
            y = np.asarray(history[key], dtype=np.float64).ravel()
            value = last_finite(y)
            color = style[split]["color"]
            now.append(f"<span style='color:{color}'>━ {split}</span> {_fmt(value, percent)}")
            fmt = ".1%" if percent else ".4g"
            data.append({"type": "scatter", "mode": "lines", "uid": f"curves-{key}",
                         "name": split, "showlegend": False,
                         "x": x, "y": pack(y[idx]), "xaxis": "x" + ax, "yaxis": "y" + ax,
                         "line": style[split],
                         "hovertemplate": f"step %{{x}}<br>{split} {name}: %{{y:{fmt}}}<extra></extra>"})
        left = p * (width + gap)
        # name above the values: one line of both overflows a narrow panel
        annotations.append({"text": f"<b>{name}</b><br>" + "   ".join(now),
                            "x": left, "y": 1.0, "xref": "paper", "yref": "paper",
                            "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                            "align": "left", "font": {"size": th.FONT, "color": t.fg}})
        yaxis = th.axis(t, name, anchor="x" + ax)
        if name == "loss" and log_y:
            yaxis.update(th.LOG_AXIS, dtick="D2")
        elif percent:
            yaxis.update(range=[0, 1.02], tickformat=".0%")
        elif name == "R²":
            values = np.concatenate([np.asarray(history[k], dtype=np.float64).ravel()
                                     for k in keys if k in history])
            low = np.nanmin(values) if np.isfinite(values).any() else 0.0
            yaxis["range"] = [max(min(float(low), 0.0), -1.0) - 0.02, 1.02]
        lay["xaxis" + ax] = th.axis(t, "step", domain=th.domain(left, left + width), anchor="y" + ax,
                                    rangemode="nonnegative")
        lay["yaxis" + ax] = yaxis
    if n == 0:
        annotations.append({"text": "no steps yet", "x": 0.5, "y": 0.5, "xref": "paper",
                            "yref": "paper", "showarrow": False,
                            "font": {"size": th.FONT, "color": t.muted}})
    base = th.layout(t, title, uirevision="curves", annotations=annotations, **lay)
    base["margin"]["t"] = 84 if title else 52
    return {"data": data, "layout": base}


def curves_figure(history, **kwargs):
    """`go.Figure` of `curves_spec` (same arguments)."""
    return th.to_figure(curves_spec(history, **kwargs))
