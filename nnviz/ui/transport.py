"""The bar above the charts: Play / Pause, Step (one epoch), Reset, speed, view toggles."""

import streamlit as st

from nnviz.ui import live, session


def _toggle_play():
    ss = st.session_state
    ss["playing"] = not ss.get("playing", False)


def _step_epoch():
    st.session_state["playing"] = False
    t = session.trainer()
    t.step(t.steps_per_epoch)


def _reset():
    st.session_state["playing"] = False
    session.reset()
    session.note(("info", "Reset: new initial weights, step 0 (same data and settings)."))


def bar(trainer):
    """Draw the bar; returns the steps per redraw and the page theme, as partial Options."""
    ss = st.session_state
    ss.setdefault("speed", live.DEFAULT_SPEED)
    playing = live.playing()
    cols = st.columns([1.2, 1.1, 1.1, 3.6], vertical_alignment="bottom")
    cols[0].button("Pause" if playing else "Play", key="play", on_click=_toggle_play,
                   type="primary", icon=":material/pause:" if playing else ":material/play_arrow:",
                   width="stretch", help="Train continuously, redrawing as it goes.")
    cols[1].button("Step", key="step", on_click=_step_epoch, icon=":material/skip_next:",
                   width="stretch",
                   help=f"Train one epoch ({trainer.steps_per_epoch} steps of "
                        f"{trainer.batch_size} samples) and pause.")
    cols[2].button("Reset", key="reset", on_click=_reset, icon=":material/restart_alt:",
                   width="stretch", help="New initial weights for the same settings.")
    cols[3].select_slider("Steps per redraw", live.SPEEDS, key="speed")
    theme = st.context.theme.type
    return live.Options(speed=int(ss["speed"]),
                        theme=theme if theme in ("light", "dark") else "light")
