"""Regression with several outputs: predicted against true, one panel per output, with
the ideal line y = x and R² in each panel's title."""

import numpy as np

from nnviz.viz import theme as th
from nnviz.viz.typed import pack


def r2_score(y_true, y_pred):
    """Coefficient of determination of one output: 1 - SS_res / SS_tot (NaN if y is constant)."""
    y_true, y_pred = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    ss_tot = np.sum((y_true - y_true.mean()) ** 2) if y_true.size else 0.0
    if ss_tot == 0:
        return float("nan")
    return float(1 - np.sum((y_true - y_pred) ** 2) / ss_tot)


def parity_spec(y_true, y_pred, *, target_names=None, theme="light", title=None):
    """y_true, y_pred: (n, k) (or (n,)) in the targets' units -> k panels side by side."""
    t = th.theme_of(theme)
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    y_true = y_true[:, None] if y_true.ndim == 1 else y_true
    y_pred = y_pred[:, None] if y_pred.ndim == 1 else y_pred
    if y_true.ndim != 2 or y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must both be (n, k), got {np.shape(y_true)} "
                         f"and {np.shape(y_pred)}")
    k = y_true.shape[1]
    names = list(target_names or ([f"y{j + 1}" for j in range(k)] if k > 1 else ["y"]))
    if len(names) != k:
        raise ValueError(f"target_names needs {k} names, got {len(names)}")
    gap = 0.08 if k > 1 else 0.0
    width = (1 - gap * (k - 1)) / k
    data, lay, annotations = [], {}, []
    for j in range(k):
        ax = "" if j == 0 else str(j + 1)
        both = np.concatenate([y_true[:, j], y_pred[:, j]])
        both = both[np.isfinite(both)]
        lo, hi = (float(both.min()), float(both.max())) if both.size else (0.0, 1.0)
        pad = 0.05 * (hi - lo) or 0.5
        lo, hi = lo - pad, hi + pad
        data.append({"type": "scatter", "mode": "lines", "uid": f"parity-ideal-{j + 1}",
                     "x": [lo, hi], "y": [lo, hi], "xaxis": "x" + ax, "yaxis": "y" + ax,
                     "line": {"color": t.muted, "width": 1.5, "dash": "dash"},
                     "name": "ideal (predicted = true)", "showlegend": j == 0, "hoverinfo": "skip"})
        data.append({"type": "scatter", "mode": "markers", "uid": f"parity-points-{j + 1}",
                     "x": pack(y_true[:, j]), "y": pack(y_pred[:, j]), "name": names[j],
                     "xaxis": "x" + ax, "yaxis": "y" + ax, "showlegend": False,
                     "marker": {"size": 5, "color": th.BLUE, "opacity": 0.7,
                                "line": {"width": 0.5, "color": t.paper}},
                     "hovertemplate": f"true %{{x:.3g}}<br>predicted %{{y:.3g}}<extra>{names[j]}</extra>"})
        left = j * (width + gap)
        r2 = r2_score(y_true[:, j], y_pred[:, j])
        annotations.append({"text": f"<b>{names[j]}</b>   R² = {r2:.3f}" if np.isfinite(r2)
                            else f"<b>{names[j]}</b>   R² undefined (constant target)",
                            "x": left + width / 2, "y": 1.0, "xref": "paper", "yref": "paper",
                            "xanchor": "center", "yanchor": "bottom", "showarrow": False,
                            "font": {"size": th.FONT, "color": t.fg}})
        lay["xaxis" + ax] = th.axis(t, f"true {names[j]}", domain=th.domain(left, left + width),
                                    anchor="y" + ax, range=[lo, hi], constrain="domain")
        lay["yaxis" + ax] = th.axis(t, f"predicted {names[j]}" if j == 0 else None,
                                    anchor="x" + ax, range=[lo, hi], scaleanchor="x" + ax,
                                    constrain="domain")
    base = th.layout(t, title, uirevision="parity", annotations=annotations, **lay)
    base["margin"]["t"] = 70 if title else 40
    base["legend"].update(th.LEGEND_UNDER)
    base["margin"]["b"] = th.BOTTOM_WITH_LEGEND
    return {"data": data, "layout": base}


def parity_figure(y_true, y_pred, **kwargs):
    """`go.Figure` of `parity_spec` (same arguments)."""
    return th.to_figure(parity_spec(y_true, y_pred, **kwargs))
