"""The bar above the charts: Play / Pause, Step (one epoch), Reset, speed, view toggles."""

import streamlit as st

from nnviz.ui import live, session

# A click can reach the script twice while the live fragment reruns on its timer, so
# every action is idempotent: Play and Pause are two buttons that set the state, and
# Step / Reset carry the count of clicks they were drawn for and act once per count.

def _set_playing(value):
    st.session_state["playing"] = value


def _once(name, drawn_at):
    """True the first time a button drawn at click count `drawn_at` fires."""
    ss = st.session_state
    if ss.get(name, 0) != drawn_at:
        return False
    ss[name] = drawn_at + 1
    return True


def _step_epoch(drawn_at):
    if not _once("step_clicks", drawn_at):
        return
    st.session_state["playing"] = False
    t = session.trainer()
    t.step(t.steps_per_epoch)


def _reset(drawn_at):
    if not _once("reset_clicks", drawn_at):
        return
    st.session_state["playing"] = False
    session.reset()
    session.note(("info", "Reset: new initial weights, step 0 (same data and settings)."))


def bar(trainer):
    """Draw the bar; returns the steps per redraw and the page theme, as partial Options."""
    ss = st.session_state
    ss.setdefault("speed", live.DEFAULT_SPEED)
    playing = live.playing()
    cols = st.columns([1.2, 1.1, 1.1, 3.6], vertical_alignment="bottom")
    if playing:
        cols[0].button("Pause", key="pause", on_click=_set_playing, args=(False,),
                       type="primary", icon=":material/pause:", width="stretch",
                       help="Stop training; the network keeps its weights.")
    else:
        cols[0].button("Play", key="play", on_click=_set_playing, args=(True,),
                       type="primary", icon=":material/play_arrow:", width="stretch",
                       help="Train continuously, redrawing as it goes.")
    cols[1].button("Step", key="step", on_click=_step_epoch, args=(ss.get("step_clicks", 0),),
                   icon=":material/skip_next:", width="stretch",
                   help=f"Train one epoch ({trainer.steps_per_epoch} steps of "
                        f"{trainer.batch_size} samples) and pause.")
    cols[2].button("Reset", key="reset", on_click=_reset, args=(ss.get("reset_clicks", 0),),
                   icon=":material/restart_alt:", width="stretch",
                   help="New initial weights for the same settings.")
    # The label rides on the thumb, so the bar is no taller than its buttons.
    cols[3].select_slider("Speed", live.SPEEDS, key="speed", label_visibility="collapsed",
                          format_func=lambda n: f"{n} step{'s' if n > 1 else ''} per redraw",
                          help="Training steps between two redraws of the charts.")
    theme = st.context.theme.type
    return live.Options(speed=int(ss["speed"]),
                        theme=theme if theme in ("light", "dark") else "light")
