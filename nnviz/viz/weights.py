"""Weights: one heatmap per layer (rows = inputs, columns = units) with its biases as the
last row, all on one diverging scale centred at 0, so magnitudes compare across layers.

Hover names the connection: "x1 → h1.3: 0.214". Every heatmap changes each frame;
the axis labels do not.
"""

import numpy as np

from nnviz.viz import theme as th
from nnviz.viz.typed import pack


def unit_names(layer_sizes, input_names=None, output_names=None):
    """Names of every layer's units: inputs x1..xd (or input_names), hidden h{l}.{j}
    (1-based), outputs "out" or out.{j} (or output_names). -> list of lists of str."""
    d, *hidden, n_out = layer_sizes
    names = [list(input_names) if input_names is not None else [f"x{i + 1}" for i in range(d)]]
    names += [[f"h{l + 1}.{j + 1}" for j in range(n)] for l, n in enumerate(hidden)]
    if output_names is not None:
        names.append(list(output_names))
    else:
        names.append(["out"] if n_out == 1 else [f"out.{j + 1}" for j in range(n_out)])
    for n, given in zip(layer_sizes, names, strict=True):
        if len(given) != n:
            raise ValueError(f"expected {n} names for a layer of {n} units, got {len(given)}")
    return names


def check_params(params):
    """params: list of (W (n_in, n_out), b (n_out,)) chained -> layer sizes [d, ..., n_out]."""
    params = list(params)
    if not params:
        raise ValueError("params is empty: a network needs at least one layer")
    sizes = [np.shape(params[0][0])[0]]
    for l, (W, b) in enumerate(params):
        if np.ndim(W) != 2 or np.shape(b) != (np.shape(W)[1],) or np.shape(W)[0] != sizes[-1]:
            raise ValueError(f"layer {l + 1}: W must be ({sizes[-1]}, n_out) and b (n_out,), "
                             f"got W {np.shape(W)} and b {np.shape(b)}")
        sizes.append(np.shape(W)[1])
    return sizes


def weights_spec(params, *, input_names=None, output_names=None, theme="light", title=None):
    """params: list of (W (n_in, n_out), b (n_out,)). One heatmap per layer."""
    t = th.theme_of(theme)
    sizes = check_params(params)
    names = unit_names(sizes, input_names, output_names)
    finite = [np.abs(a[np.isfinite(a)]) for W, b in params for a in (np.asarray(W), np.asarray(b))]
    top = max((float(a.max()) for a in finite if a.size), default=0.0)
    top = top if top > 0 else 1.0

    n = len(params)
    gap = 0.07 if n > 1 else 0.0
    widest = max(W.shape[1] for W, _ in params)
    widths = np.array([max(W.shape[1], 0.25 * widest, 2) for W, _ in params], dtype=float)
    widths = [float(w) for w in (1 - gap * (n - 1)) * widths / widths.sum()]
    data, lay, annotations, left = [], {}, [], 0.0
    for l, (W, b) in enumerate(params):
        ax = "" if l == 0 else str(l + 1)
        rows = names[l] + ["bias"]
        z = np.vstack([np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)[None, :]])
        small = z.size <= 400
        data.append({"type": "heatmap", "uid": f"weights-{l + 1}", "name": f"layer {l + 1}",
                     "z": pack(z), "x": names[l + 1], "y": rows, "coloraxis": "coloraxis",
                     "xaxis": "x" + ax, "yaxis": "y" + ax, "xgap": 1 if small else 0,
                     "ygap": 1 if small else 0,
                     "hovertemplate": "%{y} → %{x}: %{z:.3f}<extra></extra>"})
        right = left + widths[l]
        lay["xaxis" + ax] = th.axis(t, f"layer {l + 1} units", domain=th.domain(left, right),
                                    anchor="y" + ax, type="category", showgrid=False,
                                    tickangle=-90 if sum(map(len, names[l + 1])) > 12 else 0)
        lay["yaxis" + ax] = th.axis(t, "inputs" if l == 0 else None, anchor="x" + ax,
                                    type="category", autorange="reversed", showgrid=False)
        annotations.append({"text": f"W{l + 1}, b{l + 1}  ({sizes[l]}→{sizes[l + 1]})",
                            "x": (left + right) / 2, "y": 1.0, "xref": "paper", "yref": "paper",
                            "xanchor": "center", "yanchor": "bottom", "showarrow": False,
                            "font": {"size": th.FONT, "color": t.fg}})
        left = right + gap
    lay["coloraxis"] = {"colorscale": th.diverging(t), "cmin": -top, "cmax": top,
                        "colorbar": th.colorbar(t, "weight")}
    base = th.layout(t, title, uirevision="weights", annotations=annotations, **lay)
    base["margin"]["t"] += 20
    return {"data": data, "layout": base}


def weights_figure(params, **kwargs):
    """`go.Figure` of `weights_spec` (same arguments)."""
    return th.to_figure(weights_spec(params, **kwargs))
