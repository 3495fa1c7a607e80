"""Figures for looking inside the network: arrays in, go.Figure out.

Small heatmaps of one step's matrices, the gradient check, the hidden space,
a replay frame of the boundary and the compare overlay. These are drawn on
demand (not in the live loop), so they are plain validated `go.Figure`s.

Colours are the rest of nnviz's (`nnviz.viz.theme`, after TensorFlow Playground):
orange for negative values and class 0, blue for positive values and class 1, the
theme's neutral at 0. The builders take `theme="light" | "dark"` for their data
colours (where one colour cannot serve both); page colours (background, text, grid) are left to the host page, so
Streamlit's own theme supplies them (`theme.with_page_colors` fills them in
for drawing elsewhere). A replay frame is the live boundary figure itself.
"""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nnviz.data import registry
from nnviz.engine.gradcheck import TOLERANCE
from nnviz.viz import theme as th
from nnviz.viz.boundary import boundary_spec, split_static
from nnviz.viz.diagram import SIGN_KEY

GOOD, BAD = "#1a9850", "#d73027"
MARGIN = dict(l=50, r=20, t=40, b=40)
HEIGHT = 460          # px: the panels' charts (hidden space, replay, compare)
REPLAY_CONTROLS = 120  # px under the replay's plot for its Play / Pause and slider
SLIDER_LABELS = 8     # numbered steps under the replay's slider, at most
REPLAY_TOP = 75       # px over the replay's plot: its title, and the legend under it
AXES = 110            # px beside a plot for its y axis and margins
COLORBAR = 90         # px more for a colour bar and its title


def readable(fig):
    """`fig` with text a projector reads: ticks, legends and labels at `theme.FONT` px,
    titles at `theme.TITLE_FONT`. Each is set where it is drawn, since Streamlit's chart
    theme sets smaller ones on the axes and colour bars themselves."""
    size = {"size": th.FONT}
    fig.update_layout(font_size=th.FONT, title_font_size=th.TITLE_FONT, legend_font=size)
    fig.update_xaxes(tickfont=size, title_font=size)
    fig.update_yaxes(tickfont=size, title_font=size)
    fig.update_annotations(font=size)               # subplot titles
    for trace in fig.data:                          # the colour bars there are
        if trace.type == "heatmap" and trace.showscale is not False:
            trace.colorbar.update(tickfont=size, title_font=size)
        elif trace.type in ("scatter", "scatter3d") and trace.marker.showscale:
            trace.marker.colorbar.update(tickfont=size, title_font=size)
    for menu in fig.layout.updatemenus:
        menu.font = size
    for slider in fig.layout.sliders:
        slider.font = size
    return fig


def diverging(theme="light"):
    """Orange (negative) -> the theme's neutral (0) -> blue (positive), for zmin = -zmax."""
    return th.diverging(theme)


def matrices_figure(panels, height=None, theme="light"):
    """Several small heatmaps side by side in one figure (one plot is far lighter
    for the browser than one per matrix).

    panels: list of dicts with `M` (rows, cols) (or (cols,)), `title`, and optional
    `row_labels`, `col_labels`, `row_name` ("sample"), `col_name` ("unit").
    Each panel has its own colour range, centred on 0 (orange negative, blue
    positive; a key at the right says so); values are written in the cells when
    they fit, and every cell shows its value on hover.
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
        key = dict(showscale=True, colorbar=dict(thickness=10, len=1.0, outlinewidth=0,
                                                 tickvals=[-zmax, 0, zmax],
                                                 ticktext=list(SIGN_KEY))) \
            if j == 0 else dict(showscale=False)
        fig.add_trace(go.Heatmap(
            z=M, x=xs, y=ys, zmin=-zmax, zmax=zmax, colorscale=diverging(theme), **key,
            hovertemplate=f"{row_name} %{{y}}, {col_name} %{{x}}: %{{z:.5g}}<extra>{p.get('title', '')}</extra>",
            texttemplate=("%{z:.3~g}" if cols <= 4 else "%{z:.2~g}") if annotate else None,
            textfont=dict(size=10)), row=1, col=j + 1)
        fig.update_xaxes(type="category", title_text=col_name, title_standoff=4, row=1, col=j + 1)
        # Only the first panel has room for a y title; the others say it in their title.
        fig.update_yaxes(type="category", autorange="reversed", row=1, col=j + 1,
                         title_text=row_name if j == 0 else None)
    n_rows = max(M.shape[0] for M in mats)
    fig.update_layout(height=height or int(min(460, max(150, 90 + 21 * n_rows))),
                      margin=dict(l=55, r=10, t=30, b=40))
    return readable(fig)


def gradcheck_figure(layers, tolerance=TOLERANCE, theme="light"):
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
                                 line=dict(color=th.theme_of(theme).muted, dash="dash", width=1),
                                 hoverinfo="skip"), row=r, col=c)
        fig.add_trace(go.Scatter(
            x=a, y=g, mode="markers", name=layer["name"], showlegend=False,
            marker=dict(color=GOOD if ok else BAD, size=6, opacity=0.8),
            hovertemplate="analytic %{x:.6g}<br>numerical %{y:.6g}<extra></extra>",
        ), row=r, col=c)
        fig.update_xaxes(title_text="analytic", row=r, col=c)
        fig.update_yaxes(title_text="numerical", row=r, col=c)
    fig.update_layout(height=300 * n_rows, margin=dict(l=50, r=20, t=50, b=40))
    return readable(fig)


def _class_traces(P, labels, class_names, is3d=False, size=6, theme="light"):
    """Scatter traces of points P (n, 2|3): one per class (class colours), or for
    regression targets one trace on the diverging scale, centred in the targets' range."""
    t = th.theme_of(theme)
    labels = np.asarray(labels)
    cls = go.Scatter3d if is3d else go.Scatter
    if labels.ndim > 1 or labels.dtype.kind == "f":
        # Regression: colour by the (first) target, low orange, high blue, as the boundary does.
        value = labels.reshape(len(labels), -1)[:, 0].astype(np.float64)
        lo, hi = (float(value.min()), float(value.max())) if value.size else (0.0, 1.0)
        mid, half = (lo + hi) / 2, max((hi - lo) / 2, 1e-12)
        marker = dict(color=value, colorscale=th.diverging(t), cmin=mid - half, cmax=mid + half,
                      size=size, showscale=True, line=dict(color=t.muted, width=0.5),
                      colorbar=dict(title=dict(text="target"), thickness=10))
        coords = dict(x=P[:, 0], y=P[:, 1], **({"z": P[:, 2]} if is3d else {}))
        return [cls(mode="markers", marker=marker, name="points", **coords)]
    traces = []
    present = np.unique(labels)
    names = list(class_names or ())
    names += registry.class_names(int(present.max(initial=-1)) + 1)[len(names):]
    for k in present:
        sel = labels == k
        name = names[int(k)]
        coords = dict(x=P[sel, 0], y=P[sel, 1], **({"z": P[sel, 2]} if is3d else {}))
        traces.append(cls(mode="markers", name=name,
                          marker=dict(color=th.class_color(int(k)), size=size - 2 if is3d else size,
                                      line=dict(color=t.paper, width=0.5)),
                          **coords))
    return traces


def hidden_space_figure(points, labels, axis_titles, class_names=None, line=None,
                        regions=None, title="", theme="light"):
    """The training points in a hidden layer's space, coloured by class.

    points: (n, k), k = 1, 2 or 3; labels: (n,) ints (or floats / (n, m) for
    regression); axis_titles: k strings. line: (xs (2,), ys (2,)) the output's
    boundary; regions: (h1 (r,), h2 (r,), labels (r, r)) its class regions.
    A 1-unit layer is drawn as a strip: the unit on x, the class on y.
    """
    t = th.theme_of(theme)
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
        # Each class's region in its own colour, pale (blended toward the neutral).
        scale = []
        for c in range(k):
            pale = th.blend(th.class_color(c), t.neutral, 0.8)
            scale += [[c / k, pale], [(c + 1) / k, pale]]
        fig.add_trace(go.Heatmap(x=h1, y=h2, z=lab, colorscale=scale, zmin=-0.5, zmax=k - 0.5,
                                 showscale=False, hoverinfo="skip", name="output's classes"))
    for trace in _class_traces(P, labels, class_names, is3d=is3d, theme=t):
        fig.add_trace(trace)
    if line is not None:
        xs, ys = line
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="output boundary",
                                 line=dict(color=t.fg, width=2, dash="dash")))
    if is3d:
        fig.update_layout(scene=dict(xaxis_title=axis_titles[0], yaxis_title=axis_titles[1],
                                     zaxis_title=axis_titles[2]))
    else:
        fig.update_xaxes(title_text=axis_titles[0])
        fig.update_yaxes(title_text=axis_titles[1])
    fig.update_layout(title=dict(text=title), height=HEIGHT, margin=MARGIN,
                      legend=dict(orientation="h", y=-0.15))
    return readable(fig)


def replay_spec(x1, x2, out, X, y, *, title="", n_classes=None, output=0, feature_names=None,
                class_names=None, target_name=None, include_points=True, theme="light"):
    """One replay frame as the live view draws the boundary (`boundary_spec`), output
    traces first and the training points after them (see `replay_animation_figure`).

    x1 (r,), x2 (r,) or None (1 input), out as the Trainer's Grid; X: (n, 1|2) raw
    training inputs; y: (n,) labels or (n, k) targets. n_classes: None for
    regression (then `output` picks the target drawn)."""
    spec = boundary_spec(x1, x2, out, X, y, task="classification" if n_classes else "regression",
                         output=output, feature_names=feature_names, class_names=class_names,
                         target_name=target_name, include_points=include_points, theme=theme,
                         title=title or None)
    moving, static = split_static(spec)
    layout = dict(moving["layout"], height=HEIGHT, margin=dict(MARGIN, t=REPLAY_TOP))
    layout["legend"] = dict(layout["legend"], xanchor="left", x=0)     # under the title
    if "title" in layout:
        layout["title"] = dict(layout["title"], yref="container", y=1.0, yanchor="top",
                               pad={"t": 10})
    if x2 is not None:      # a plane: the chart as wide as its plot, equal units, needs
        aspect = min(max((x2[-1] - x2[0]) / max(x1[-1] - x1[0], 1e-12), 0.3), 3.0)
        plot = HEIGHT - REPLAY_TOP - MARGIN["b"] - 60      # less the x axis's ticks and title
        bar = COLORBAR if (n_classes or 2) <= 2 else 0      # one output: a colour bar beside
        layout["width"] = round(plot / aspect + AXES + bar)
    return th.without_page_colors({"data": moving["data"] + static, "layout": layout})


def replay_figure(x1, x2, out, X, y, title="", n_classes=None, **options):
    """One replay frame as a go.Figure: the boundary at some step, with the training
    points (same arguments as `replay_spec`)."""
    return readable(go.Figure(replay_spec(x1, x2, out, X, y, title=title, n_classes=n_classes,
                                          **options)))


def replay_animation_figure(frames, X, y, n_classes=None, duration_ms=150, **options):
    """All replay frames as one Plotly animation that plays in the browser.

    frames: list of dicts with `x1, x2, out` (as `replay_spec`) and `title`; options as
    `replay_spec`'s. Play / Pause buttons and a slider over the frames; only the
    output traces change from frame to frame, the training points are drawn once.
    """
    if not frames:
        raise ValueError("replay_animation_figure needs at least one frame")
    first = frames[0]
    fig = replay_figure(first["x1"], first["x2"], first["out"], X, y, title=first["title"],
                        n_classes=n_classes, **options)
    anim = []
    for i, f in enumerate(frames):
        outputs = replay_spec(f["x1"], f["x2"], f["out"], X, y, n_classes=n_classes,
                              include_points=False, **options)["data"]
        anim.append(go.Frame(data=outputs, traces=list(range(len(outputs))), name=str(i),
                             layout=dict(title=dict(text=f["title"]))))
    fig.frames = anim
    play = dict(frame=dict(duration=duration_ms, redraw=True), fromcurrent=True,
                transition=dict(duration=0))
    every = -(-len(frames) // SLIDER_LABELS)
    fig.update_layout(
        height=HEIGHT + REPLAY_CONTROLS,
        # Play and Pause under the x axis, the slider under them, as wide as the plot;
        # the slider names a few of its steps, so their numbers never run together.
        updatemenus=[dict(type="buttons", direction="left", x=0, y=-0.2, xanchor="left",
                          yanchor="top", showactive=False,
                          buttons=[dict(label="▶ Play", method="animate", args=[None, play]),
                                   dict(label="❚❚ Pause", method="animate",
                                        args=[[None], dict(mode="immediate",
                                                           frame=dict(duration=0, redraw=False))])])],
        sliders=[dict(active=0, x=0, len=1.0, y=-0.32, yanchor="top", pad=dict(t=0),
                      currentvalue=dict(visible=False),
                      steps=[dict(label=str(i + 1) if i % every == 0 or i == len(frames) - 1
                                  else "", method="animate",
                                  args=[[str(i)], dict(mode="immediate", frame=dict(duration=0, redraw=True),
                                                       transition=dict(duration=0))])
                             for i in range(len(frames))])],
        margin=dict(MARGIN, b=MARGIN["b"] + REPLAY_CONTROLS))
    return readable(fig)


def compare_figure(runs, metric="train loss", log_y=True):
    """Loss curves of several runs on one chart, in the class colours (which read on
    light and dark pages alike).

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
                      color=th.class_color(i)),
        ))
    fig.update_layout(height=HEIGHT, margin=MARGIN, xaxis_title="step", yaxis_title=metric,
                      yaxis=dict(th.LOG_AXIS, dtick="D2") if log_y else dict(type="linear"),
                      legend=dict(orientation="h", y=-0.2))
    return readable(fig)


def pick_figure(X, y, selected=(), title="", theme="light", selected_name="in the batch"):
    """The training points to pick a minibatch from (click, box or lasso).

    X: (n, 2) raw inputs (the first two columns are used); y: (n,) labels or
    targets. Each point's customdata is its training row; `selected` rows are
    ringed, named `selected_name` in the legend.
    """
    t = th.theme_of(theme)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] < 1:
        raise ValueError(f"X must be (n_samples, n_inputs), got shape {X.shape}")
    P = X[:, :2] if X.shape[1] >= 2 else np.column_stack([X[:, 0], np.asarray(y, np.float64).reshape(len(X), -1)[:, 0]])
    rows = np.arange(len(X))
    fig = go.Figure()
    for trace in _class_traces(P, y, None, size=7, theme=t):
        # Same order as _class_traces: per class, or one trace for regression.
        fig.add_trace(trace)
    labels = np.asarray(y)
    if labels.ndim == 1 and labels.dtype.kind in "iub":
        for trace, k in zip(fig.data, np.unique(labels), strict=True):
            trace.customdata = rows[labels == k]
    else:
        fig.data[0].customdata = rows
    for trace in fig.data:
        trace.hovertemplate = "row %{customdata}<extra></extra>"
    sel = np.asarray(list(selected), dtype=np.int64)
    if sel.size:
        fig.add_trace(go.Scatter(x=P[sel, 0], y=P[sel, 1], mode="markers", name=selected_name,
                                 hoverinfo="skip",
                                 marker=dict(size=13, color="rgba(0,0,0,0)",
                                             line=dict(color=t.fg, width=2))))
    fig.update_layout(title=dict(text=title), height=360, margin=MARGIN,
                      legend=dict(orientation="h", y=-0.2),
                      xaxis_title="x1", yaxis_title="x2" if X.shape[1] >= 2 else "y")
    return readable(fig)
