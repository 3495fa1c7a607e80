"""Figures for looking inside the network: arrays in, go.Figure out.

Small heatmaps of one step's matrices, the gradient check, the hidden space,
a replay frame of the boundary and the compare overlay. These are drawn on
demand (not in the live loop), so they are plain validated `go.Figure`s.
"""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nnviz.viz.theme import BLUE, CLASS_COLORS, ORANGE

# As in TensorFlow Playground: orange negative (class 0), blue positive (class 1).
DIVERGING = [[0.0, ORANGE], [0.5, "#f5f5f5"], [1.0, BLUE]]
GOOD, BAD = "#1a9850", "#d73027"
GRADCHECK_TOLERANCE = 1e-6
MARGIN = dict(l=50, r=20, t=40, b=40)


def matrix_figure(M, title="", row_name="sample", col_name="unit", row_labels=None,
                  col_labels=None, height=None, annotate=None):
    """M: (rows, cols) -> heatmap, blue negative, orange positive, white at 0.

    Shows values in the cells when the matrix is small (`annotate=None` decides).
    row_labels / col_labels: tick labels (default 1..n).
    """
    M = np.asarray(M, dtype=np.float64)
    if M.ndim == 1:
        M = M[None, :]
    if M.ndim != 2:
        raise ValueError(f"matrix_figure needs a 1-D or 2-D array, got shape {M.shape}")
    rows, cols = M.shape
    ys = [str(v) for v in (row_labels if row_labels is not None else range(1, rows + 1))]
    xs = [str(v) for v in (col_labels if col_labels is not None else range(1, cols + 1))]
    finite = np.abs(M[np.isfinite(M)])
    zmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    if annotate is None:
        annotate = rows * cols <= 120
    heat = go.Heatmap(
        z=M, x=xs, y=ys, zmin=-zmax, zmax=zmax, colorscale=DIVERGING,
        colorbar=dict(thickness=10, len=1.0, nticks=3, tickformat=".2~g"),
        hovertemplate=f"{row_name} %{{y}}, {col_name} %{{x}}: %{{z:.4g}}<extra></extra>",
        # Significant digits, not decimals: a step of 0.004 must not read as 0.00.
        texttemplate=("%{z:.3~g}" if cols <= 4 else "%{z:.2~g}") if annotate else None,
        textfont=dict(size=10),
    )
    fig = go.Figure(heat)
    fig.update_layout(
        title=dict(text=title, font=dict(size=13)),
        height=height or int(min(420, max(140, 60 + 22 * rows))),
        margin=dict(l=60, r=10, t=30 if title else 10, b=35),
        xaxis=dict(title=col_name, type="category"),
        yaxis=dict(title=row_name, type="category", autorange="reversed"),
    )
    return fig


def matrices_figure(panels, height=None):
    """Several small heatmaps side by side in one figure (one plot is far lighter
    for the browser than one per matrix).

    panels: list of dicts with `M` (rows, cols) (or (cols,)), `title`, and optional
    `row_labels`, `col_labels`, `row_name` ("sample"), `col_name` ("unit").
    Each panel has its own colour range, centred on 0; values are written in the
    cells when they fit, and every cell shows its value on hover.
    """
    if not panels:
        raise ValueError("matrices_figure needs at least one panel")
    mats = []
    for p in panels:
        M = np.asarray(p["M"], dtype=np.float64)
        M = M[None, :] if M.ndim == 1 else M
        if M.ndim != 2:
            raise ValueError(f"panel {p.get('title', '')!r} needs a 1-D or 2-D array, got {M.shape}")
        mats.append(M)
    widths = [max(M.shape[1], 1.5) + 1.2 for M in mats]
    # Numbers in the cells only while they have room: few columns across the whole figure.
    annotate = sum(M.shape[1] for M in mats) <= 16 and max(M.shape[0] for M in mats) <= 16
    fig = make_subplots(rows=1, cols=len(mats), subplot_titles=[p.get("title", "") for p in panels],
                        column_widths=[w / sum(widths) for w in widths], horizontal_spacing=0.06)
    for j, (p, M) in enumerate(zip(panels, mats, strict=True)):
        rows, cols = M.shape
        finite = np.abs(M[np.isfinite(M)])
        zmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        ys = [str(v) for v in p.get("row_labels", range(1, rows + 1))][:rows]
        xs = [str(v) for v in p.get("col_labels", range(1, cols + 1))][:cols]
        row_name, col_name = p.get("row_name", "sample"), p.get("col_name", "unit")
        fig.add_trace(go.Heatmap(
            z=M, x=xs, y=ys, zmin=-zmax, zmax=zmax, colorscale=DIVERGING, showscale=False,
            hovertemplate=f"{row_name} %{{y}}, {col_name} %{{x}}: %{{z:.5g}}<extra>{p.get('title', '')}</extra>",
            texttemplate=("%{z:.3~g}" if cols <= 4 else "%{z:.2~g}") if annotate else None,
            textfont=dict(size=10)), row=1, col=j + 1)
        fig.update_xaxes(type="category", title_text=col_name, title_standoff=4, row=1, col=j + 1)
        # Only the first panel has room for a y title; the others say it in their title.
        fig.update_yaxes(type="category", autorange="reversed", row=1, col=j + 1,
                         title_text=row_name if j == 0 else None)
    n_rows = max(M.shape[0] for M in mats)
    fig.update_annotations(font_size=13)
    fig.update_layout(height=height or int(min(460, max(150, 90 + 21 * n_rows))),
                      margin=dict(l=55, r=10, t=30, b=40))
    return fig


def gradcheck_figure(layers, tolerance=GRADCHECK_TOLERANCE):
    """Analytic against numerical gradient, one panel per layer.

    layers: list of dicts with `name`, `analytic` (k,), `numerical` (k,),
    `relative_error` (float), `checked`, `total`. The dashed line is where the
    two agree; each panel's title shows the relative error, green below `tolerance`.
    """
    if not layers:
        raise ValueError("gradcheck_figure needs at least one layer")
    n = len(layers)
    per_row = min(n, 3)
    n_rows = -(-n // per_row)
    titles = []
    for layer in layers:
        err = float(layer["relative_error"])
        ok = err < tolerance
        subset = "" if layer["checked"] == layer["total"] else f", {layer['checked']} of {layer['total']}"
        color = GOOD if ok else BAD
        titles.append(f"{layer['name']}: <span style='color:{color}'>rel. error {err:.1e}</span>{subset}")
    fig = make_subplots(rows=n_rows, cols=per_row, subplot_titles=titles,
                        horizontal_spacing=0.08, vertical_spacing=0.18)
    for i, layer in enumerate(layers):
        r, c = i // per_row + 1, i % per_row + 1
        a = np.asarray(layer["analytic"], dtype=np.float64)
        g = np.asarray(layer["numerical"], dtype=np.float64)
        ok = float(layer["relative_error"]) < tolerance
        both = np.concatenate([a, g])
        both = both[np.isfinite(both)]
        lo, hi = (float(both.min()), float(both.max())) if both.size else (-1.0, 1.0)
        if hi - lo < 1e-12:
            lo, hi = lo - 1, hi + 1
        fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", showlegend=False,
                                 line=dict(color="#999", dash="dash", width=1),
                                 hoverinfo="skip"), row=r, col=c)
        fig.add_trace(go.Scatter(
            x=a, y=g, mode="markers", name=layer["name"], showlegend=False,
            marker=dict(color=GOOD if ok else BAD, size=6, opacity=0.8),
            hovertemplate="analytic %{x:.6g}<br>numerical %{y:.6g}<extra></extra>",
        ), row=r, col=c)
        fig.update_xaxes(title_text="analytic", row=r, col=c)
        fig.update_yaxes(title_text="numerical", row=r, col=c)
    fig.update_annotations(font_size=12)
    fig.update_layout(height=300 * n_rows, margin=dict(l=50, r=20, t=50, b=40))
    return fig


def _class_traces(P, labels, class_names, is3d=False, size=6):
    labels = np.asarray(labels)
    if labels.ndim > 1 or labels.dtype.kind == "f":
        # Regression: colour by the (first) target.
        value = labels.reshape(len(labels), -1)[:, 0].astype(np.float64)
        marker = dict(color=value, colorscale="Viridis", size=size, showscale=True,
                      colorbar=dict(title="target", thickness=10))
        cls = go.Scatter3d if is3d else go.Scatter
        coords = dict(x=P[:, 0], y=P[:, 1], **({"z": P[:, 2]} if is3d else {}))
        return [cls(mode="markers", marker=marker, name="points", **coords)]
    traces = []
    for k in np.unique(labels):
        sel = labels == k
        name = class_names[int(k)] if class_names is not None and int(k) < len(class_names) else f"class {int(k)}"
        color = CLASS_COLORS[int(k) % len(CLASS_COLORS)]
        cls = go.Scatter3d if is3d else go.Scatter
        coords = dict(x=P[sel, 0], y=P[sel, 1], **({"z": P[sel, 2]} if is3d else {}))
        traces.append(cls(mode="markers", name=name,
                          marker=dict(color=color, size=size - 2 if is3d else size,
                                      line=dict(color="white", width=0.5)),
                          **coords))
    return traces


def hidden_space_figure(points, labels, axis_titles, class_names=None, line=None,
                        regions=None, title=""):
    """The training points in a hidden layer's space, coloured by class.

    points: (n, k), k = 1, 2 or 3; labels: (n,) ints (or floats / (n, m) for
    regression); axis_titles: k strings. line: (xs (2,), ys (2,)) the output's
    boundary; regions: (h1 (r,), h2 (r,), labels (r, r)) its class regions.
    A 1-unit layer is drawn as a strip: the unit on x, the class on y.
    """
    P = np.asarray(points, dtype=np.float64)
    labels = np.asarray(labels)
    if P.ndim != 2 or P.shape[1] not in (1, 2, 3) or len(P) != len(labels):
        raise ValueError(f"points must be (n, 1|2|3) with one label per row, got {P.shape} and {labels.shape}")
    is3d = P.shape[1] == 3
    if P.shape[1] == 1:
        is_class = labels.ndim == 1 and labels.dtype.kind in "iub"
        ys = labels.astype(np.float64) if is_class else np.zeros(len(P))
        jitter = np.random.default_rng(0).uniform(-0.15, 0.15, len(P))
        P = np.column_stack([P[:, 0], ys + jitter])
        axis_titles = (axis_titles[0], "class" if is_class else "")
    fig = go.Figure()
    if regions is not None:
        h1, h2, lab = regions
        k = int(lab.max()) + 1 if lab.size else 1
        scale = [[i / max(k - 1, 1), CLASS_COLORS[i % len(CLASS_COLORS)]] for i in range(k)]
        fig.add_trace(go.Heatmap(x=h1, y=h2, z=lab, colorscale=scale, zmin=0, zmax=max(k - 1, 1),
                                 opacity=0.18, showscale=False, hoverinfo="skip"))
    for t in _class_traces(P, labels, class_names, is3d=is3d):
        fig.add_trace(t)
    if line is not None:
        xs, ys = line
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="output boundary",
                                 line=dict(color="black", width=2, dash="dash")))
    if is3d:
        fig.update_layout(scene=dict(xaxis_title=axis_titles[0], yaxis_title=axis_titles[1],
                                     zaxis_title=axis_titles[2]))
    else:
        fig.update_xaxes(title_text=axis_titles[0])
        fig.update_yaxes(title_text=axis_titles[1])
    fig.update_layout(title=dict(text=title, font=dict(size=14)), height=460, margin=MARGIN,
                      legend=dict(orientation="h", y=-0.15))
    return fig


def replay_figure(x1, x2, out, X=None, y=None, title="", n_classes=None):
    """One replay frame: the boundary at some step, with the training points.

    x1 (r,), x2 (r,), out (r, r, n_out) indexed [x2, x1]; X: (n, 2) raw inputs;
    y: (n,) labels. One output: the probability (or value) as a colour map, with
    the 0.5 contour for two classes; several: the winning class. The output traces
    come first, the training points after them (see `replay_animation_figure`).
    """
    out = np.asarray(out, dtype=np.float64)
    if x2 is None:
        return _replay_line(x1, out, X, y, title)
    if out.ndim == 2:
        out = out[..., None]
    if out.ndim != 3 or out.shape[:2] != (len(x2), len(x1)):
        raise ValueError(f"out must be (len(x2), len(x1), n_out), got {out.shape}")
    fig = go.Figure()
    if out.shape[2] == 1:
        z = out[..., 0]
        binary = n_classes == 2
        fig.add_trace(go.Heatmap(x=x1, y=x2, z=z, colorscale=DIVERGING if binary else "Viridis",
                                 zmin=0 if binary else None, zmax=1 if binary else None,
                                 zmid=None, opacity=0.75, showscale=not binary,
                                 hovertemplate="x1 %{x:.2f}, x2 %{y:.2f}: %{z:.3f}<extra></extra>"))
        if binary:
            fig.add_trace(go.Contour(x=x1, y=x2, z=z, contours=dict(start=0.5, end=0.5, size=1,
                                     coloring="none"), line=dict(color="black", width=1.5),
                                     showscale=False, showlegend=False, hoverinfo="skip",
                                     name="boundary"))
    else:
        k = out.shape[2]
        winner = np.argmax(out, axis=2)
        scale = [[i / max(k - 1, 1), CLASS_COLORS[i % len(CLASS_COLORS)]] for i in range(k)]
        fig.add_trace(go.Heatmap(x=x1, y=x2, z=winner, colorscale=scale, zmin=0, zmax=max(k - 1, 1),
                                 opacity=0.45, showscale=False,
                                 hovertemplate="x1 %{x:.2f}, x2 %{y:.2f}: class %{z}<extra></extra>"))
    if X is not None and y is not None:
        for t in _class_traces(np.asarray(X)[:, :2], y, None, size=5):
            t.showlegend = False
            fig.add_trace(t)
    fig.update_layout(title=dict(text=title, font=dict(size=14)), height=460, margin=MARGIN,
                      xaxis=dict(title="x1", range=[float(x1[0]), float(x1[-1])], constrain="domain"),
                      yaxis=dict(title="x2", range=[float(x2[0]), float(x2[-1])], constrain="domain",
                                 scaleanchor="x", scaleratio=1))
    return fig


def _replay_line(x1, out, X, y, title):
    """1-D inputs: the network's output curve(s) over x1 with the training points."""
    out = out.reshape(len(x1), -1)
    fig = go.Figure()
    for j in range(out.shape[1]):
        fig.add_trace(go.Scatter(x=x1, y=out[:, j], mode="lines", name=f"output {j + 1}",
                                 line=dict(color=CLASS_COLORS[(j + 1) % len(CLASS_COLORS)], width=3)))
    if X is not None and y is not None:
        Y = np.asarray(y, dtype=np.float64).reshape(len(X), -1)
        fig.add_trace(go.Scatter(x=np.asarray(X)[:, 0], y=Y[:, 0], mode="markers", name="data",
                                 marker=dict(color="#888", size=5)))
    fig.update_layout(title=dict(text=title, font=dict(size=14)), height=420, margin=MARGIN,
                      xaxis_title="x", yaxis_title="y")
    return fig


def replay_animation_figure(frames, X=None, y=None, n_classes=None, duration_ms=150):
    """All replay frames as one Plotly animation that plays in the browser.

    frames: list of dicts with `x1, x2, out` (as `replay_figure`) and `title`.
    Play / Pause buttons and a slider over the frames; only the output traces
    change from frame to frame, the training points are drawn once.
    """
    if not frames:
        raise ValueError("replay_animation_figure needs at least one frame")
    first = frames[0]
    fig = replay_figure(first["x1"], first["x2"], first["out"], X, y, title=first["title"],
                        n_classes=n_classes)
    anim = []
    for i, f in enumerate(frames):
        outputs = replay_figure(f["x1"], f["x2"], f["out"], n_classes=n_classes).data
        anim.append(go.Frame(data=outputs, traces=list(range(len(outputs))), name=str(i),
                             layout=dict(title=dict(text=f["title"]))))
    fig.frames = anim
    play = dict(frame=dict(duration=duration_ms, redraw=True), fromcurrent=True,
                transition=dict(duration=0))
    fig.update_layout(
        height=580,
        updatemenus=[dict(type="buttons", direction="left", x=0, y=-0.2, xanchor="left",
                          yanchor="top", showactive=False,
                          buttons=[dict(label="▶ Play", method="animate", args=[None, play]),
                                   dict(label="❚❚ Pause", method="animate",
                                        args=[[None], dict(mode="immediate",
                                                           frame=dict(duration=0, redraw=False))])])],
        sliders=[dict(active=0, x=0.26, len=0.74, y=-0.17, yanchor="top", pad=dict(t=0),
                      currentvalue=dict(visible=False),
                      steps=[dict(label=str(i + 1), method="animate",
                                  args=[[str(i)], dict(mode="immediate", frame=dict(duration=0, redraw=True),
                                                       transition=dict(duration=0))])
                             for i in range(len(frames))])],
        margin=dict(l=50, r=20, t=40, b=120))
    return fig


def compare_figure(runs, metric="train loss", log_y=True):
    """Loss curves of several runs on one chart.

    runs: list of dicts with `label` (what names the run in the legend), `x` (n,)
    steps, `y` (n,) values and optionally `dash` (bool, e.g. for pinned runs).
    """
    fig = go.Figure()
    for i, run in enumerate(runs):
        y = np.asarray(run["y"], dtype=np.float64)
        fig.add_trace(go.Scatter(
            x=np.asarray(run["x"]), y=np.where(np.isfinite(y), y, np.nan), mode="lines",
            name=run["label"],
            line=dict(width=2, dash="dash" if run.get("dash") else "solid",
                      color=CLASS_COLORS[(i + 1) % len(CLASS_COLORS)] if i else CLASS_COLORS[0]),
        ))
    fig.update_layout(height=420, margin=MARGIN, xaxis_title="step", yaxis_title=metric,
                      yaxis=dict(type="log", dtick="D2") if log_y else dict(type="linear"),
                      legend=dict(orientation="h", y=-0.2))
    return fig


def pick_figure(X, y, selected=(), title=""):
    """The training points to pick a minibatch from (click, box or lasso).

    X: (n, 2) raw inputs (the first two columns are used); y: (n,) labels or
    targets. Each point's customdata is its training row; `selected` rows are ringed.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] < 1:
        raise ValueError(f"X must be (n_samples, n_inputs), got shape {X.shape}")
    P = X[:, :2] if X.shape[1] >= 2 else np.column_stack([X[:, 0], np.asarray(y, np.float64).reshape(len(X), -1)[:, 0]])
    rows = np.arange(len(X))
    fig = go.Figure()
    for t in _class_traces(P, y, None, size=7):
        # Same order as _class_traces: per class, or one trace for regression.
        fig.add_trace(t)
    labels = np.asarray(y)
    if labels.ndim == 1 and labels.dtype.kind in "iub":
        for t, k in zip(fig.data, np.unique(labels), strict=True):
            t.customdata = rows[labels == k]
    else:
        fig.data[0].customdata = rows
    for t in fig.data:
        t.hovertemplate = "row %{customdata}<extra></extra>"
    sel = np.asarray(list(selected), dtype=np.int64)
    if sel.size:
        fig.add_trace(go.Scatter(x=P[sel, 0], y=P[sel, 1], mode="markers", name="in the batch",
                                 hoverinfo="skip",
                                 marker=dict(size=13, color="rgba(0,0,0,0)",
                                             line=dict(color="black", width=2))))
    fig.update_layout(title=dict(text=title, font=dict(size=13)), height=360, margin=MARGIN,
                      legend=dict(orientation="h", y=-0.2),
                      xaxis_title="x1", yaxis_title="x2" if X.shape[1] >= 2 else "y")
    return fig
