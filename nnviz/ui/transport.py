"""The bar above the charts: Play / Pause, Step (one epoch), Reset, and the speed.

Play and Step train in the live view of the Playground tab. While the Inside tab is
open that view is not on the page, so nothing of theirs runs: the bar shows Play, and
Play or Step brings the Playground back to train there.
"""

import streamlit as st

from nnviz.limits import BUDGET
from nnviz.ui import live, server, state

PLAYGROUND, INSIDE = TABS = ("Playground", "Inside a step")     # the tabs (state.PAGE_TAB)

# A click can reach the script twice while the live fragment reruns on its timer, so
# every action is idempotent: Play and Pause are two buttons that set the state, and
# Step / Reset carry the count of clicks they were drawn for and act once per count.


def _once(s, name, drawn_at):
    """True the first time a button drawn at click count `drawn_at` fires."""
    if s.clicks.get(name, 0) != drawn_at:
        return False
    s.clicks[name] = drawn_at + 1
    return True


def full(s):
    """A sentence when this process already plays as many runs as it may, else None."""
    cap = BUDGET.max_playing
    if cap and server.playing_elsewhere(s) >= cap:
        return (f"The server is full: {cap} runs are playing on it. Try again in a minute, "
                "or use Step.")
    return None


def _to_playground():
    """Show the Playground tab (where Play and Step train)."""
    state.set_widget(state.PAGE_TAB, PLAYGROUND)


def _play():
    s = state.get()
    why = full(s)
    if why is not None:
        s.note("warning", why)
        return
    s.play()
    _to_playground()


def _pause():
    state.get().pause()


def _step_epoch(drawn_at):
    s = state.get()
    if _once(s, "step", drawn_at):
        s.step_through(state.trainer(s).steps_per_epoch)
        _to_playground()


def _reset(drawn_at):
    s = state.get()
    if _once(s, "reset", drawn_at):
        s.pause()
        state.new_weights(s)


def pause_for_inside(s):
    """When the Inside tab is open, stop the session's job (nothing there runs it).
    Returns True when the page was playing until now."""
    if state.widget(state.PAGE_TAB) != INSIDE or s.job is None:
        return False
    playing = s.playing
    s.pause()
    return playing


def bar(s):
    """Draw the bar; returns the steps per frame and the page theme, as partial Options."""
    t = state.trainer(s)
    if state.widget(state.SPEED) is None:
        state.set_widget(state.SPEED, live.DEFAULT_SPEED)
    cols = st.columns([1.2, 1.1, 1.1, 3.6], vertical_alignment="bottom")
    if s.job is not None:
        cols[0].button("Pause", key=live.PAUSE_KEY, on_click=_pause, type="primary",
                       icon=":material/pause:", width="stretch",
                       help="Stop training; the network keeps its weights.")
    else:
        cols[0].button("Play", key="play", on_click=_play, type="primary",
                       icon=":material/play_arrow:", width="stretch",
                       help="Train continuously, redrawing as it goes.")
    cols[1].button("Step", key="step", on_click=_step_epoch, args=(s.clicks.get("step", 0),),
                   icon=":material/skip_next:", width="stretch",
                   help=f"Train one epoch ({t.steps_per_epoch:,} steps of {t.batch_size:,} "
                        "samples) and pause.")
    cols[2].button("Reset", key="reset", on_click=_reset, args=(s.clicks.get("reset", 0),),
                   icon=":material/restart_alt:", width="stretch",
                   help="New initial weights for the same data and settings.")
    # The label rides on the thumb, so the bar is no taller than its buttons.
    cols[3].select_slider("Speed", live.SPEEDS, key=state.SPEED, label_visibility="collapsed",
                          format_func=lambda n: f"{n} step{'s' if n > 1 else ''} per frame",
                          help="Training steps between two frames of the charts (at most: "
                               "the server's time budget may take fewer).")
    theme = st.context.theme.type
    return live.Options(speed=int(state.widget(state.SPEED)),
                        theme=theme if theme in ("light", "dark") else "light")
