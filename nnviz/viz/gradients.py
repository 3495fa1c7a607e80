"""Gradient health: each layer's gradient norm and weight norm over steps, on log axes,
so vanishing (norms falling layer by layer toward the input) and exploding gradients show.
"""

import numpy as np

from nnviz.viz import theme as th
from nnviz.viz.curves import thin
from nnviz.viz.typed import pack

PANELS = (("grad_norm", "gradient norm ‖∂L/∂W‖"), ("weight_norm", "weight norm ‖W‖"))


def gradients_spec(history, *, layer_names=None, max_points=500, theme="light", title=None):
    """history: `step` (n,), `grad_norm` and `weight_norm` (n, n_layers). One line per layer
    in each panel; clicking a layer in the legend hides both of its lines."""
    t = th.theme_of(theme)
    if "step" not in history:
        raise ValueError(f"history needs a 'step' array; it has {sorted(history)}")
    steps = np.asarray(history["step"], dtype=np.float64).ravel()
    n = len(steps)
    series = {}
    for key, _ in PANELS:
        a = np.asarray(history.get(key, np.empty((n, 0))), dtype=np.float64)
        if a.ndim == 1 and len(a) == n:   # one layer
            a = a[:, None]
        if a.ndim != 2 or a.shape[0] != n:
            raise ValueError(f"history[{key!r}] must be (n_points, n_layers) with n_points = "
                             f"{n}, got {np.shape(history.get(key))}")
        series[key] = a
    n_layers = max(a.shape[1] for a in series.values())
    names = list(layer_names or [f"layer {l + 1}" for l in range(n_layers)])
    if len(names) != n_layers:
        raise ValueError(f"layer_names needs {n_layers} names, got {len(names)}")
    idx = thin(n, max_points)
    x = pack(steps[idx])
    data, lay, annotations = [], {}, []
    gap, width = 0.1, 0.45
    for p, (key, label) in enumerate(PANELS):
        ax = "" if p == 0 else str(p + 1)
        a = series[key]
        for l in range(a.shape[1]):
            data.append({"type": "scatter", "mode": "lines", "uid": f"gradients-{key}-{l + 1}",
                         "name": names[l], "legendgroup": names[l], "showlegend": p == 0,
                         "x": x, "y": pack(a[idx, l]), "xaxis": "x" + ax, "yaxis": "y" + ax,
                         "line": {"color": th.class_color(l), "width": 2},
                         "hovertemplate": f"step %{{x}}<br>{names[l]}: %{{y:.3g}}<extra></extra>"})
        left = p * (width + gap)
        lay["xaxis" + ax] = th.axis(t, "step", domain=th.domain(left, left + width), anchor="y" + ax)
        lay["yaxis" + ax] = th.axis(t, label, anchor="x" + ax, **th.LOG_AXIS)
        annotations.append({"text": f"<b>{label}</b>", "x": left, "y": 1.0, "xref": "paper",
                            "yref": "paper", "xanchor": "left", "yanchor": "bottom",
                            "showarrow": False, "font": {"size": th.FONT, "color": t.fg}})
    if n == 0 or n_layers == 0:
        annotations.append({"text": "no steps yet", "x": 0.5, "y": 0.5, "xref": "paper",
                            "yref": "paper", "showarrow": False,
                            "font": {"size": th.FONT, "color": t.muted}})
    base = th.layout(t, title, uirevision="gradients", annotations=annotations, **lay)
    base["margin"]["t"] = 70 if title else 40
    base["legend"].update(th.LEGEND_UNDER)
    base["margin"]["b"] = th.BOTTOM_WITH_LEGEND
    return {"data": data, "layout": base}


def gradients_figure(history, **kwargs):
    """`go.Figure` of `gradients_spec` (same arguments)."""
    return th.to_figure(gradients_spec(history, **kwargs))
