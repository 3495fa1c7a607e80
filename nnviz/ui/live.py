"""The live loop: a fragment on a timer steps the session's trainer and redraws.

While playing, Streamlit reruns only this fragment every `REDRAW_SECONDS`; the
timer runs in the browser, which asks again only after drawing, so the loop
throttles itself to what the browser can show. Buttons and controls stay live
because nothing here blocks. Each run: `speed` training steps, then one message
with every chart (`nnviz.ui.live_chart`); the data points go only when they change.
"""

from dataclasses import dataclass, replace

import streamlit as st

from nnviz.ui import panels, session, views
from nnviz.ui.inside import record
from nnviz.ui.live_chart import live_charts, page_theme, row
from nnviz.viz.boundary import DEFAULT_RESOLUTION

REDRAW_SECONDS = 0.1
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500)
DEFAULT_SPEED = 5
STATIC_RESEND = 50          # while playing, resend the points every this many frames
KEY = "live_main"
# Heights that fit the main row into the window (a projector at 1280x720 included):
# --nnviz-fit is the room from the row's top to the window's bottom, measured by the
# element in the browser; until then, the window less about 260 px of page above.
FIT = "var(--nnviz-fit, calc(100vh - 260px))"
FIT_TALL = f"clamp(340px, {FIT}, 640px)"
GAP = 12                    # px between charts (the element's CSS gap)
BOUNDARY_SHARE = 1.2        # the boundary's column against 1 for the column beside it
RIGHT_MIN = 400             # px: the network diagram and the curves stacked beside it
# While playing, charts that cost the browser most and change slowly are redrawn only
# every n-th frame (the boundary and the numbers: every frame).
EVERY = {"diagram": 3, "curves": 2, "digits": 3, "confusion": 3, "weights": 2,
         "gradients": 2, "first_layer": 3, "parity": 2}


@dataclass(frozen=True)
class Options:
    """The view toggles of the page."""

    speed: int = DEFAULT_SPEED
    show_test: bool = True
    discretize: bool = False
    log_loss: bool = False
    theme: str = "light"


def playing():
    return bool(st.session_state.get("playing"))


def live_view(options):
    """The counters, metrics, divergence message and charts, which redraw on a timer
    while playing (only they: the fewer elements a timed run sends, the less the
    browser redoes), then the view toggles under the charts, as in TensorFlow
    Playground (so on a 720-pixel projector the charts start higher up)."""
    charts = st.container()
    detail, options = view_row(session.trainer(), options)
    run_every = REDRAW_SECONDS if playing() else None
    with charts:
        st.fragment(_live, run_every=run_every)(options, detail)


def forget_drawn():
    """The live element left the page: the next mount gets every chart and the points."""
    for k in ("live_layout", "live_static_sig", "live_static_data", "live_drawn"):
        st.session_state.pop(k, None)


def _live(options, detail):
    ss = st.session_state
    t = session.trainer()
    if playing():
        t.step(options.speed)
        if t.state == "diverged":
            ss["playing"] = False
            st.rerun()          # the whole page: stops the timer, shows the message
    record(t)                   # boundary snapshots for the Replay panel
    if t.state == "diverged":
        panels.diverged(t)
    if detail is not None and not views.VIEWS[detail].applies(t):
        detail = None
    draw_charts(t, options, detail)       # one message: the numbers and every chart


def view_row(trainer, options):
    """The view toggles and the choice of a further view, in one row.
    Returns (further view or None, options with the toggles applied)."""
    shown = {c["id"] for col in main_charts(trainer) for c in col["charts"]}
    choices = detail_choices(trainer, shown)
    if st.session_state.get("detail_view") not in ("none", *choices):
        st.session_state.pop("detail_view", None)
    left, *toggles = st.columns([2.2, 1.3, 1.4, 1.3], vertical_alignment="center")
    detail = left.selectbox("More views", ["none", *choices], key="detail_view",
                            format_func=lambda k: "More views…" if k == "none"
                            else views.VIEWS[k].label, label_visibility="collapsed",
                            help="A further chart below the main ones.")
    plane = views.VIEWS["boundary"].applies(trainer)
    classes = plane and trainer.data.task == "classification"
    show_test = toggles[0].toggle(
        "Show test data", value=True, key="show_test", disabled=not plane,
        help="The test points on the decision boundary (outlined)." if plane else
        "For data drawn on a plane (1 or 2 inputs); the views here show the test set.")
    discretize = toggles[1].toggle(
        "Discretize output", value=False, key="discretize", disabled=not classes,
        help="Colour the plane by the predicted class only, without the probabilities."
        if classes else "For classification on 1 or 2 inputs.")
    log_loss = toggles[2].toggle("Log-scale loss", value=False, key="log_loss")
    options = replace(options, show_test=show_test, discretize=discretize, log_loss=log_loss)
    return (None if detail == "none" else detail), options


def _width_of(share):
    """CSS: the width of a column taking `share` of a two-column row (100cqw: the row)."""
    return f"(100cqw - {GAP}px) * {share:.4f}"


def _split(total, upper=0.55):
    """CSS heights of two charts stacked in `total` (a CSS length)."""
    return (f"calc(({total} - {GAP}px) * {upper})",
            f"calc(({total} - {GAP}px) * {1 - upper:.2f})")


def main_charts(trainer):
    """The charts always shown for this trainer's data, as one layout row. The
    boundary's square plot is as tall as its column is wide (less the colour bar
    beside it), so the row is no taller than the plot needs, up to the window's fit."""
    V = views.VIEWS
    if V["boundary"].applies(trainer):
        share = BOUNDARY_SHARE / (BOUNDARY_SHARE + 1)
        d = trainer.data
        if d.n_inputs == 2:
            # The plot keeps the data's aspect (equal units on both axes): its width is
            # the column's less the axis and the colour bar (two classes, regression);
            # above and below it, the legend and the x axis.
            (x_lo, x_hi), (y_lo, y_hi) = d.extent
            aspect = min(max((y_hi - y_lo) / max(x_hi - x_lo, 1e-12), 0.3), 3.0)
            beside = 80 if d.task == "classification" and (d.n_classes or 2) > 2 else 165
            plot = f"(({_width_of(share)} - {beside}px) * {aspect:.3f})"
            tall = f"min({FIT_TALL}, calc({plot} + 110px))"
        else:
            tall = FIT_TALL
        beside = f"max({tall}, {RIGHT_MIN}px)"     # the charts beside it need some height
        right = [("curves", beside)]
        if V["diagram"].applies(trainer):
            upper, lower = _split(beside)
            right = [("diagram", upper), ("curves", lower)]
        return row((BOUNDARY_SHARE, [("boundary", tall)]), (1, right))
    if V["digits"].applies(trainer):
        share = 1.2 / 2.2
        # 4 rows of 10 images with their labels: about half as tall as wide, plus the
        # title; the curves under them take what the window has left, 200 to 250 px.
        images = (f"clamp(200px, min(calc({_width_of(share)} * 0.5 + 50px), "
                  f"calc({FIT} - {GAP + 200}px)), 480px)")
        curves = f"clamp(200px, calc({FIT} - {GAP}px - {images}), 250px)"
        return row((1.2, [("digits", images), ("curves", curves)]),
                   (1, [("confusion", f"calc({images} + {GAP}px + {curves})")]))
    first = "parity" if V["parity"].applies(trainer) else "confusion"
    return row((1, [(first, 360)]), (1, [("curves", 360)]))


def detail_choices(trainer, shown):
    """The further views that apply, not already in the main row."""
    return [k for k, v in views.VIEWS.items() if k in views.DETAIL and k not in shown
            and v.applies(trainer)]


def layout_for(trainer, detail):
    """Rows of chart ids and heights: the main row, then the chosen further view."""
    main = main_charts(trainer)
    rows = [main]
    if detail is not None:
        rows.append(row((1, [(detail, views.VIEWS[detail].height)])))
    return rows


def draw_charts(trainer, options, detail=None):
    """Build this frame's specs and send them in one message; returns the bytes sent."""
    ss = st.session_state
    seq = ss.get("live_seq", 0) + 1
    ss["live_seq"] = seq
    resolution = views.LIVE_RESOLUTION if playing() else DEFAULT_RESOLUTION
    options = replace(options, theme=page_theme(KEY, options.theme))
    frame = views.Frame(trainer, theme=options.theme, show_test=options.show_test,
                        discretize=options.discretize, log_loss=options.log_loss,
                        resolution=resolution,
                        # marks on a net that has not trained yet say nothing (and are the
                        # costliest part of the first frame): from the first step, when paused
                        mark_wrong=not playing() and trainer.steps > 0)
    layout = layout_for(trainer, detail)
    if ss.get("live_layout") != layout:
        ss["live_layout"], ss["live_drawn"] = layout, set()     # new divs: draw everything
    charts, statics = {}, None
    ids = [c["id"] for r in layout for col in r for c in col["charts"]]
    for cid in ids:
        if cid == "boundary":
            spec, points = views.boundary_parts(frame)
            sig = (options.show_test, options.theme, frame.mark_wrong)
            if ss.get("live_static_sig") != sig or ss.get("live_static_data") is not trainer.data:
                ss["live_static_sig"], ss["live_static_data"] = sig, trainer.data
                ss["live_static_n"] = ss.get("live_static_n", 0) + 1
                ss["live_static_seq"] = -STATIC_RESEND
            key = f"points-{ss['live_static_n']}"
            # Paused frames are rare and the page may have dropped the last one (Streamlit
            # hands the element only the newest of two quick messages, e.g. at Pause): send
            # the points with each; while playing, every STATIC_RESEND frames.
            if not playing() or seq - ss["live_static_seq"] >= STATIC_RESEND:
                statics = {key: points}
                ss["live_static_seq"] = seq
            spec["overlay"] = key
            charts[cid] = spec
        elif playing() and seq % EVERY.get(cid, 1) and cid in ss.get("live_drawn", ()):
            continue            # drawn every EVERY[cid]-th frame while playing
        else:
            charts[cid] = views.VIEWS[cid].build(frame)
    ss["live_drawn"] = set(ss.get("live_drawn", ())) | set(charts)
    return live_charts(KEY, layout, charts, statics, seq=seq, numbers=panels.counters(trainer),
                       theme=options.theme)
