"""The network as TensorFlow Playground draws it: a column of nodes per layer, each node
a small map of what that unit computes over the input plane, edges coloured by the
weight's sign (blue +, orange -) and thickened by |w|; a colour key says so.

Few traces whatever the size: one heatmap per layer holds all its node maps (NaN rows
between them); edges are binned by sign and width into `2 * len(EDGE_WIDTHS)` line
traces (NaN between segments); one invisible marker trace gives each node a hover.
Layers wider than `max_units` show their first `max_units` units and say so.
"""

import numpy as np

from nnviz.viz import theme as th
from nnviz.viz.typed import pack
from nnviz.viz.weights import check_params, unit_names

DIAGRAM_RESOLUTION = 16
DIAGRAM_MAX_UNITS = 12
EDGE_WIDTHS = (0.6, 1.4, 2.6, 4.2)        # line widths of the |w| / max|w| quarters
CENTRED_AT_HALF = ("sigmoid", "softmax")   # maps of these units are centred at 0.5, others at 0
MIN_ASPECT = 1.4          # width / height of the drawing
# Deep nets draw narrow columns: their headers use short names from this many columns on.
COMPACT_FROM = 5
SHORT_NAMES = {"sigmoid": "σ", "leaky_relu": "lrelu"}
SIGN_KEY = ("negative", "0", "positive")   # the colour key: orange below, blue above


def grid_points(x1, x2):
    """x1: (r1,), x2: (r2,) -> (r2 * r1, 2) points, row k at (x1[k % r1], x2[k // r1]),
    the order `diagram_spec` expects of `activations`."""
    g1, g2 = np.meshgrid(np.asarray(x1, dtype=np.float64), np.asarray(x2, dtype=np.float64))
    return np.column_stack([g1.ravel(), g2.ravel()])


def _maps(A, r, n_show, centre, per_unit):
    """A: (r*r, n) -> (n_show, r, r) scaled to [-1, 1] around `centre`."""
    M = (np.asarray(A[:, :n_show], dtype=np.float64).T.reshape(n_show, r, r)) - centre
    spread = np.abs(np.where(np.isfinite(M), M, 0.0))
    s = spread.max(axis=(1, 2), keepdims=True) if per_unit else spread.max()
    return M / np.where(s > 0, s, 1.0)


def diagram_spec(params, activations, *, activation_names=None, input_names=None,
                 output_names=None, max_units=DIAGRAM_MAX_UNITS, theme="light", title=None):
    """params: list of (W (n_in, n_out), b (n_out,)); activations: [A0, ..., AL], A_l of
    shape (r*r, n_l) (or (r, r, n_l)), the units' values on the points `grid_points(x1, x2)`
    of an r x r grid (A0: the network's input features there). activation_names: one name
    per layer (centres sigmoid/softmax maps at 0.5). Input maps are scaled each on its
    own, the other layers' maps per layer, so a unit that does little looks faint.
    """
    t = th.theme_of(theme)
    sizes = check_params(params)
    if max_units < 1:
        raise ValueError(f"max_units must be at least 1, got {max_units}")
    if len(activations) != len(sizes):
        raise ValueError(f"activations must hold {len(sizes)} arrays (inputs and each layer), "
                         f"got {len(activations)}")
    acts = []
    for l, (A, n) in enumerate(zip(activations, sizes, strict=True)):
        A = np.asarray(A)
        A = A.reshape(-1, A.shape[-1]) if A.ndim == 3 else A
        r = int(round(np.sqrt(A.shape[0]))) if A.ndim == 2 else 0
        if A.ndim != 2 or A.shape[1] != n or r * r != A.shape[0] or r < 2:
            raise ValueError(f"activations[{l}] must be (r*r, {n}) for an r x r grid (r >= 2), "
                             f"got {np.shape(activations[l])}")
        acts.append(A)
    r = int(round(np.sqrt(acts[0].shape[0])))
    if any(A.shape[0] != r * r for A in acts):
        raise ValueError("all activations must come from the same grid")
    if activation_names is not None and len(activation_names) != len(params):
        raise ValueError(f"activation_names needs one name per layer ({len(params)}), "
                         f"got {len(activation_names)}")
    names = unit_names(sizes, input_names, output_names)
    shown = [min(n, max_units) for n in sizes]

    row_step = r + max(0.35 * r, 2.0)
    tallest = max(shown)
    # Columns at least 3.5 maps apart, and further when the layers are tall, so the
    # diagram stays wider than high (a tall one shrinks in a wide box until the column
    # headers run into each other).
    height = tallest * row_step + 3.6 * r
    col_step = max(3.5 * r, (MIN_ASPECT * height - 4.2 * r) / max(len(sizes) - 1, 1))

    def centre_y(n):  # tile centres of a column of n nodes, top first
        return [(n - 1) / 2 * row_step - i * row_step for i in range(n)]

    data, annotations = [], []
    # edges first, binned by sign and |w| quarter
    top = max((float(np.max(np.abs(W[:n_in, :n_out]))) for (W, _), n_in, n_out
               in zip(params, shown[:-1], shown[1:], strict=True) if np.size(W)), default=0.0)
    bins = {(sign, k): ([], []) for sign in (1, -1) for k in range(len(EDGE_WIDTHS))}
    for l, (W, _) in enumerate(params):
        W = np.asarray(W, dtype=np.float64)[:shown[l], :shown[l + 1]]
        ya, yb = np.array(centre_y(shown[l])), np.array(centre_y(shown[l + 1]))
        xa, xb = l * col_step + r, (l + 1) * col_step
        i, j = np.nonzero(np.isfinite(W) & (W != 0))
        w = W[i, j]
        k = np.minimum((np.abs(w) / (top or 1.0) * len(EDGE_WIDTHS)).astype(int), len(EDGE_WIDTHS) - 1)
        for sign in (1, -1):
            for q in range(len(EDGE_WIDTHS)):
                m = (np.sign(w) == sign) & (k == q)
                if not m.any():
                    continue
                xs, ys = bins[(sign, q)]
                nan = np.full(m.sum(), np.nan)
                xs.append(np.column_stack([np.full(m.sum(), xa), np.full(m.sum(), xb), nan]).ravel())
                ys.append(np.column_stack([ya[i[m]], yb[j[m]], nan]).ravel())
    for (sign, q), (xs, ys) in bins.items():
        color = th.BLUE if sign > 0 else th.ORANGE
        data.append({"type": "scatter", "mode": "lines", "uid": f"diagram-edges-{'pos' if sign > 0 else 'neg'}-{q}",
                     "x": pack(np.concatenate(xs) if xs else np.empty(0)),
                     "y": pack(np.concatenate(ys) if ys else np.empty(0)),
                     "line": {"color": th.rgba(color, 0.35 + 0.15 * q), "width": EDGE_WIDTHS[q]},
                     "hoverinfo": "skip", "showlegend": False})

    # one heatmap per layer: its node maps stacked bottom to top, two NaN rows between maps
    hover_x, hover_y, hover_text = [], [], []
    for l, A in enumerate(acts):
        n = shown[l]
        act = None if l == 0 else (activation_names[l - 1] if activation_names else None)
        maps = _maps(A, r, n, 0.5 if act in CENTRED_AT_HALF else 0.0, per_unit=l == 0)
        ys = centre_y(n)
        z_rows, y_rows = [], []
        for node in range(n - 1, -1, -1):           # bottom node first: y ascends
            bottom = ys[node] - r / 2
            z_rows.append(maps[node])
            y_rows.append(bottom + 0.5 + np.arange(r))
            if node:
                z_rows.append(np.full((2, r), np.nan))
                y_rows.append(np.array([bottom + r + 0.5, ys[node - 1] - r / 2 - 0.5]))
        x0 = l * col_step
        data.append({"type": "heatmap", "uid": f"diagram-maps-{l}", "name": f"layer {l}",
                     "x": pack(x0 + 0.5 + np.arange(r)), "y": pack(np.concatenate(y_rows)),
                     "z": pack(np.vstack(z_rows)), "coloraxis": "coloraxis", "hoverinfo": "skip"})
        bias = None if l == 0 else np.asarray(params[l - 1][1], dtype=np.float64)
        for node in range(n):
            hover_x.append(x0 + r / 2)
            hover_y.append(ys[node])
            hover_text.append(names[l][node] + ("" if bias is None else f"<br>bias {bias[node]:.3f}"))
        compact = len(sizes) >= COMPACT_FROM
        label = ("in" if compact else "input") if l == 0 else \
            (("out" if compact else "output") if l == len(params) else
             (f"h{l}" if compact else f"hidden {l}"))
        short = SHORT_NAMES.get(act, act) if compact else act
        detail = f"{sizes[l]}" + (f" {short}" if act else "")
        annotations.append({"text": f"<b>{label}</b><br>{detail}", "x": x0 + r / 2,
                            "y": tallest / 2 * row_step + 0.1 * r, "xref": "x", "yref": "y",
                            "yanchor": "bottom", "showarrow": False,
                            "font": {"size": 11, "color": t.fg}})
        if n < sizes[l]:
            annotations.append({"text": f"{n} of {sizes[l]}<br>shown", "x": x0 + r / 2,
                                "y": ys[-1] - r / 2 - 0.2 * r, "xref": "x", "yref": "y",
                                "yanchor": "top", "showarrow": False,
                                "font": {"size": 10, "color": t.muted}})
        if l in (0, len(params)):   # name the inputs and outputs beside their maps
            side = -1 if l == 0 else 1
            for node in range(n):
                annotations.append({"text": names[l][node], "y": ys[node], "xref": "x", "yref": "y",
                                    "x": x0 - 0.15 * r if side < 0 else x0 + 1.15 * r,
                                    "xanchor": "right" if side < 0 else "left",
                                    "showarrow": False, "font": {"size": 11, "color": t.fg}})
    data.append({"type": "scatter", "mode": "markers", "uid": "diagram-nodes",
                 "x": pack(hover_x), "y": pack(hover_y), "text": hover_text,
                 "hovertemplate": "%{text}<extra></extra>", "showlegend": False,
                 "marker": {"size": 1, "opacity": 0, "color": t.fg}})

    half = tallest / 2 * row_step
    hidden_axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    lay = {
        "xaxis": hidden_axis | {"range": [-1.6 * r, (len(sizes) - 1) * col_step + 2.6 * r]},
        # below: room for a two-line "12 of 16 shown" under a capped column
        "yaxis": hidden_axis | {"range": [-half - (2.6 if shown != sizes else 0.6) * r,
                                          half + 1.0 * r],
                                "scaleanchor": "x", "scaleratio": 1},
        # Maps are scaled per layer and edges by the largest |w|: the key names signs.
        "coloraxis": {"colorscale": th.diverging(t), "cmin": -1.0, "cmax": 1.0,
                      "colorbar": th.colorbar(t, tickvals=[-1, 0, 1], ticktext=list(SIGN_KEY),
                                              thickness=8, len=0.6)},
        "annotations": annotations,
    }
    base = th.layout(t, title, uirevision="diagram", **lay)
    base["margin"].update(l=10, r=10, b=10)
    return {"data": data, "layout": base}


def diagram_figure(params, activations, **kwargs):
    """`go.Figure` of `diagram_spec` (same arguments)."""
    return th.to_figure(diagram_spec(params, activations, **kwargs))
