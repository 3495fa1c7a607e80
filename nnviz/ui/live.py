"""The live view: a fragment on a timer trains the session's network in time slices
and sends the frames the browser plays.

While the session plays (or steps through an epoch), Streamlit reruns only this
fragment every RUN_SECONDS, on a timer the browser keeps. Each run trains for at
most the budget's time slice and takes a snapshot every `speed` steps, as many
snapshots as the time since the last run holds at SEND_FPS frames a second; they go to
the browser in one message, and it shows them one per animation frame while the
next run computes the next batch. So the server runs twice a second while
the picture moves at display rate, and a network too slow for the slice simply
gives fewer, later frames: the rest of its step carries over to the next run.

Paused, a run draws one still frame: finer, with the misclassified points marked.
"""

import dataclasses
import time
from dataclasses import dataclass, replace

import streamlit as st

from nnviz import datasets
from nnviz.data import drawn
from nnviz.limits import BUDGET, MAX_DRAWN_POINTS
from nnviz.ui import panels, player, server, state, views
from nnviz.ui.inside import record
from nnviz.viz import wire

DELTAS = (("boundary", "image"), ("diagram", "maps"))   # sent as frame-to-frame changes
SEND_FPS = 37               # frames made a second: a little more than shown, so the
                            # browser's queue never runs dry (it skips what runs over)
RUN_SECONDS = 0.5
MAX_BATCH = 24              # frames in one message at the most (a late run sends no more)
RUN_LIMIT = 3               # a run's training and drawing together, in time slices
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500)
DEFAULT_SPEED = 5
KEY = "live_main"
PAUSE_KEY = "pause"         # the Pause button's key: the element stops at its click
# Heights that fit the main row into the window (a projector at 1280x720 included):
# --nnviz-fit is the room from the row's top to the window's bottom, measured by the
# element in the browser; until then, the window less about 260 px of page above.
FIT = "var(--nnviz-fit, calc(100vh - 260px))"
FIT_TALL = f"clamp(340px, {FIT}, 640px)"
GAP = 12                    # px between charts (the element's CSS gap)
BOUNDARY_SHARE = 1.2        # the boundary's column against 1 for the column beside it
RIGHT_MIN = 400             # px: the network diagram and the curves stacked beside it


@dataclass(frozen=True)
class Options:
    """The view toggles of the page."""

    speed: int = DEFAULT_SPEED
    show_test: bool = True
    discretize: bool = False
    log_loss: bool = False
    theme: str = "light"


def live_view(s, options):
    """The numbers and charts, redrawn on a timer while the session has a job (only
    they: the fewer elements a timed run sends, the less the browser redoes), then
    the view toggles under the charts, as in TensorFlow Playground."""
    charts = st.container()
    t = state.trainer(s)
    detail, options = view_row(t, options)
    s.player["timer"] = s.job is not None
    with charts:
        st.fragment(_live, run_every=RUN_SECONDS if s.job is not None else None)(
            s, options, detail)


def forget_drawn(s):
    """The live element left the page: the next mount gets everything again."""
    s.player.pop("layout", None)


def _alone():
    """True when this run is the fragment's alone, not a run of the whole page."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def _live(s, options, detail):
    if s.whole_page:            # a change of settings made in here (the divergence fix):
        s.whole_page = False    # the sidebar and the link must show it too
        if _alone():
            st.rerun()
    t = state.trainer(s)
    frame = views.Frame(t, theme=player.page_theme(KEY, options.theme),
                        show_test=options.show_test, discretize=options.discretize,
                        log_loss=options.log_loss, still=s.job is None,
                        slice_seconds=BUDGET.slice_seconds, focus=s.player.get("focus"),
                        draft=s.player.get("draft"))
    if detail is not None and not views.VIEWS[detail].applies(t):
        detail = None
    layout = layout_for(t, detail)
    setups = make_setups(s, frame, layout)
    if s.job is None:
        snaps = [snapshot(frame, layout, setups)]
    else:
        snaps = train(s, t, replace(frame, still=False), layout, setups, options.speed)
    record(s, t)                # boundary snapshots for the Replay panel
    if t.state == "diverged":
        s.pause()
        panels.diverged(s, t)
    send(s, frame, layout, setups, snaps)
    if s.player.get("timer") and s.job is None:
        s.player["timer"] = False
        st.rerun()              # the whole page: stops the timer, shows the buttons as they are


def make_setups(s, frame, layout):
    """The setups of the layout's canvas charts, each with `sig`: what it depends on, so
    the browser redoes a setup only when it changed (the curves' carry the history,
    which changes with every message, and are always redone: they are cheap)."""
    t = frame.trainer
    sig = repr((s.player.get("stream", 0), id(t.data), t.net.layer_sizes,
                tuple(t.net.activations), frame.theme, frame.show_test, frame.discretize,
                frame.log_loss, frame.draft is not None and s.player.get("draft_sig")))
    made = s.player.get("setups")
    if made is None or made[0] != sig:
        made = s.player["setups"] = (sig, {})
    setups = {}
    for cid, kind in _ids(layout):
        if kind == "plotly":
            continue
        if cid == "curves":
            setups[cid] = views.VIEWS[cid].setup(frame)
            continue
        if cid not in made[1]:              # the same sig: the same setup, made once
            made[1][cid] = {**views.VIEWS[cid].setup(frame), "sig": f"{cid}:{sig}"}
        setups[cid] = made[1][cid]
    return setups


def train(s, t, frame, layout, setups, speed):
    """Train within the time slice, a snapshot every `speed` steps (fewer when the slice
    runs out first: each frame then shows what the slice allowed). Returns the snapshots.

    The slice bounds the training; drawing a frame has a cost of its own, bounded by
    the grids' resolutions, and a run stops making frames once it has used RUN_LIMIT
    slices of CPU in all (its own thread's: time spent waiting while the process
    serves other sessions does not count, or a crowd would cut every batch short)."""
    p = s.player
    start, cpu = time.perf_counter(), time.thread_time()
    elapsed = start - p.get("last_run", start - RUN_SECONDS)
    p["last_run"] = start
    busy = server.pace.read()       # < 1 when the process cannot serve every session fully
    want = max(1, min(MAX_BATCH, round(elapsed * SEND_FPS * busy)))
    share = busy * BUDGET.slice_seconds / want
    snaps = []
    for _ in range(want):
        goal = speed if s.playing else min(speed, s.job.left)
        done = t.advance(goal, deadline=time.perf_counter() + share)
        s.took(done)
        if done == 0 and t.state != "diverged":
            break               # a slow step carries over to the next run
        snaps.append(snapshot(frame, layout, setups))
        if t.state == "diverged" or s.job is None or \
                time.thread_time() - cpu >= RUN_LIMIT * busy * BUDGET.slice_seconds:
            break
    if snaps:                   # the slower charts come with the last frame of the batch
        snaps[-1]["plotly"] = {cid: views.VIEWS[cid].build(frame)
                               for cid, kind in _ids(layout) if kind == "plotly"}
    return snaps


def snapshot(frame, layout, setups):
    """One frame: every chart of the layout at the trainer's step now (the Plotly ones
    only when the frame is still)."""
    t = frame.trainer
    charts, plotly = {}, {}
    for cid, kind in _ids(layout):
        v = views.VIEWS[cid]
        if kind == "plotly":
            if frame.still:
                plotly[cid] = v.build(frame)
        else:
            charts[cid] = v.frame(frame, setups[cid])
    return {"step": t.steps, "epoch": t.epoch, "numbers": panels.counters(t),
            "charts": charts, "plotly": plotly}


def send(s, frame, layout, setups, snaps):
    """One message: the layout, every setup, and the frames. Each message carries all
    the browser needs, so one it never sees (the page may skip a message that a newer
    one overtakes) loses nothing."""
    p = s.player
    t = frame.trainer
    p["seq"] = p.get("seq", 0) + 1
    playing = s.job is not None and t.state != "diverged"
    events = {}
    if "diagram" in setups:
        events.update(on_focus_change=_on_focus, on_weight_change=_on_weight,
                      on_units_change=_on_units)
    if "boundary" in setups:
        events.update(on_draw_change=_on_draw)
    message = {"seq": p["seq"], "stream": p.get("stream", 0),
               "mode": "play" if playing else "still", "theme": frame.theme,
               "rows": layout, "setups": setups, "status": status(s, t),
               "frames": wire.deltas(snaps, DELTAS),
               # a run of the whole page follows a change: show it now, not after the queue
               "fresh": not _alone() or p.pop("fresh", False),
               # Streamlit marks a keyed element's container with st-key-<key>
               "pause_button": f".st-key-{PAUSE_KEY} button"}
    p["layout"] = layout
    return player.send(KEY, message, **events)


# -- drawing the data ------------------------------------------------------------------------

def _on_draw():
    """The boundary chart's drawing tools: start drawing (the run's data become a drawn
    set, up to half of what one may hold, spread over the plane; the network is new),
    or add, erase or clear points (the same network trains on: only the data change).
    A set too small to train on is kept as a draft, shown alone until it is enough."""
    s = state.get()
    op = player.sent(KEY, "draw")
    if not isinstance(op, dict) or s.trainer is None:
        return
    c, t = s.config, s.trainer
    task = t.data.task
    try:
        if not datasets.REGISTRY[c.dataset].drawn:
            classes = datasets.drawn_classes(t.data.n_classes) \
                if task == "classification" else None
            start = drawn.from_data(t.data.X_train, t.data.y_train, task, classes or 0)
            new = dataclasses.replace(c, dataset=datasets.drawn_set(task), n_samples=None,
                                      noise=None, n_classes=classes,
                                      features=c.features or ("x1", "x2"), points=start)
            s.preset = None
            s.player.pop("draft", None)
            if state.propose(s, new, quiet=True):
                s.note("info", "Drawing: click the plane to add points of the chosen class, "
                               "right-click (or Erase) to remove one, Clear to start afresh.")
            return
        text = drawn.edit(s.player.get("draft", c.points), task,
                          add=_triples(op.get("add")), erase=_pairs(op.get("erase")),
                          clear=bool(op.get("clear")))
    except (TypeError, ValueError) as e:
        s.note("error", f"Those points could not be drawn: {e}")
        return
    try:
        candidate = dataclasses.replace(c, points=text)
        datasets.load(candidate.dataset, **candidate.dataset_options())
    except ValueError as e:                   # too few to train on: a draft, for now
        s.player["draft"], s.player["draft_note"] = text, f"{str(e)[0].upper()}{str(e)[1:]}."
        s.player["draft_sig"] = s.player.get("draft_sig", 0) + 1
        return
    s.player.pop("draft", None)
    state.propose(s, candidate, quiet=True)


def _triples(items):
    """[[x, y, class or value], ...] from the page, as floats (at most a set's worth)."""
    return [(float(x), float(y), float(v)) for x, y, v in (items or [])[:MAX_DRAWN_POINTS]]


def _pairs(items):
    return [(float(x), float(y)) for x, y in (items or [])[:MAX_DRAWN_POINTS]]


# -- touching the network (TensorFlow Playground's three gestures) -------------------------

def _on_focus():
    """The pointer rests on a unit of the diagram (or left it): the boundary chart shows
    that unit's map at full resolution in the next frames."""
    value = player.sent(KEY, "focus")
    s = state.get()
    s.player["focus"] = tuple(value) if isinstance(value, list) and len(value) == 2 else None


def _on_weight():
    """A link's weight typed in on the diagram: set in the live network (the Inside tab
    sees it too), within the trainer's sanity limit."""
    s = state.get()
    edit = player.sent(KEY, "weight")
    t = s.trainer
    if t is None or not isinstance(edit, dict):
        return
    try:
        t.set_weight(int(edit["layer"]), int(edit["i"]), int(edit["j"]), float(edit["value"]))
    except (KeyError, TypeError, ValueError) as e:
        s.note("error", f"That weight could not be set: {e}")
        return
    s.player["fresh"] = True    # the new weight's frames show at once, not after the queue


def _on_units():
    """+ or - on a hidden layer of the diagram: one unit more or fewer (a new network),
    through the same path as the sidebar."""
    s = state.get()
    change = player.sent(KEY, "units")
    try:
        layer, delta = int(change["layer"]), int(change["delta"])
    except (KeyError, TypeError, ValueError):
        return
    hidden = list(s.config.hidden)
    if not 1 <= layer <= len(hidden) or delta not in (-1, 1):
        return
    hidden[layer - 1] += delta
    try:
        new = dataclasses.replace(s.config, hidden=tuple(hidden))
    except ValueError as e:
        s.note("error", str(e))
        return
    state.propose(s, new)


def status(s, t):
    """A line over the charts: drawn points too few to train on, the server busy, or
    training slower than the frames."""
    lines = [s.player["draft_note"]] if s.player.get("draft") is not None else []
    if s.job is None:
        return " ".join(lines)
    if server.pace.busy:
        n = server.playing()
        runs = "1 run is" if n == 1 else f"{n} runs are"
        lines.append(f"The server is busy ({runs} playing on it): every run draws about "
                     f"{SEND_FPS * server.pace.share:.0f} frames a second for now.")
    part = t.in_progress
    if part is not None:
        lines.append(f"This run's steps take about {t.step_seconds():.1f} s each on this "
                     f"server: step {t.steps + 1:,} is {100 * part:.0f}% done.")
    return " ".join(lines)


def _ids(layout):
    return [(c["id"], c["kind"]) for r in layout for col in r for c in col["charts"]]


def view_row(trainer, options):
    """The view toggles and the choice of a further view, in one row.
    Returns (further view or None, options with the toggles applied)."""
    shown = {cid for cid, _ in _ids([main_charts(trainer)])}
    choices = detail_choices(trainer, shown)
    if state.widget(state.DETAIL_VIEW) not in ("none", *choices):
        state.forget_widget(state.DETAIL_VIEW)
    left, *toggles = st.columns([2.2, 1.3, 1.4, 1.3], vertical_alignment="center")
    detail = left.selectbox("More views", ["none", *choices], key=state.DETAIL_VIEW,
                            format_func=lambda k: "More views…" if k == "none"
                            else views.VIEWS[k].label, label_visibility="collapsed",
                            help="A further chart below the main ones.")
    plane = trainer.data.n_inputs <= 2
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


def _chart(cid, height):
    return cid, views.VIEWS[cid].kind, height


def main_charts(trainer):
    """The charts always shown for this trainer's data, as one layout row. The
    boundary's square plot is as tall as its column is wide (less the colour bar
    beside it), so the row is no taller than the plot needs, up to the window's fit."""
    V = views.VIEWS
    first = next((cid for cid in ("boundary", "fit") if V[cid].applies(trainer)), None)
    if first is not None:
        share = BOUNDARY_SHARE / (BOUNDARY_SHARE + 1)
        d = trainer.data
        if d.n_inputs == 2:
            # The plot keeps the data's aspect (equal units on both axes): its width is
            # the column's less the axis and the colour bar (two classes, regression);
            # above and below it, the legend and the x axis.
            (x_lo, x_hi), (y_lo, y_hi) = d.extent
            aspect = min(max((y_hi - y_lo) / max(x_hi - x_lo, 1e-12), 0.3), 3.0)
            beside = 80 if d.task == "classification" and (d.n_classes or 2) > 2 else 156
            plot = f"(({_width_of(share)} - {beside}px) * {aspect:.3f})"
            tall = f"min({FIT_TALL}, calc({plot} + 100px))"
        else:
            tall = FIT_TALL
        beside = f"max({tall}, {RIGHT_MIN}px)"     # the charts beside it need some height
        right = [_chart("curves", beside)]
        if V["diagram"].applies(trainer):
            upper, lower = _split(beside)
            right = [_chart("diagram", upper), _chart("curves", lower)]
        return player.row((BOUNDARY_SHARE, [_chart(first, tall)]), (1, right))
    if V["digits"].applies(trainer):
        share = 1.2 / 2.2
        # 4 rows of 10 images with their labels: about half as tall as wide, plus the
        # title; the curves under them take what the window has left, 200 to 250 px.
        images = (f"clamp(200px, min(calc({_width_of(share)} * 0.5 + 50px), "
                  f"calc({FIT} - {GAP + 200}px)), 480px)")
        curves = f"clamp(200px, calc({FIT} - {GAP}px - {images}), 250px)"
        return player.row((1.2, [_chart("digits", images), _chart("curves", curves)]),
                          (1, [_chart("confusion", f"calc({images} + {GAP}px + {curves})")]))
    other = "parity" if V["parity"].applies(trainer) else "confusion"
    return player.row((1, [_chart(other, 360)]), (1, [_chart("curves", 360)]))


def detail_choices(trainer, shown):
    """The further views that apply, not already in the main row."""
    return [k for k, v in views.VIEWS.items() if k in views.DETAIL and k not in shown
            and v.applies(trainer)]


def layout_for(trainer, detail):
    """Rows of charts: the main row, then the chosen further view."""
    rows = [main_charts(trainer)]
    if detail is not None:
        rows.append(player.row((1, [_chart(detail, views.VIEWS[detail].height)])))
    return rows
