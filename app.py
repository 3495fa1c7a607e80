"""nnviz: a neural-network playground. `streamlit run app.py`

The page, top to bottom: in the sidebar the presets, then the controls (Data /
Features / Network / Training), Share and Download; in the main area any notes and
the preset's explanation, the Play / Step / Reset bar, and two tabs: the live
Playground and Inside a step. The session's state is `nnviz.ui.state`.
"""

import streamlit as st

from nnviz.presets import PRESETS
from nnviz.ui import controls, downloads, live, panels, server, share, state, teaching, transport
from nnviz.ui.inside import render_inside

# Less empty space around the page and under the tabs, so a projector at 1280x720
# shows every chart without scrolling.
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding: 1rem 2rem 2rem; }
[data-testid="stTabPanel"] { padding-top: 0.5rem; }
[data-testid="stSidebarUserContent"] { padding-top: 0.5rem; }
</style>"""

def main():
    """The page, from the sidebar to the tabs. (Its state lives in the session, never in
    this module: Streamlit keeps the last run's module, and with it anything global.)"""
    st.set_page_config(page_title="nnviz · neural network playground", page_icon="🧠",
                       layout="wide", initial_sidebar_state="auto")
    server.one_blas_thread()
    with st.sidebar:
        st.markdown("## nnviz\nWatch a neural network learn: pick data and a network, press Play.")
        teaching.picker()

    # A session starts from its link (a shared run) or from the default preset.
    if not state.started():
        link_config, link_preset, link_notes = share.config_from_link(PRESETS)
        s = state.start(PRESETS[teaching.DEFAULT].config)
        s.preset = teaching.DEFAULT
        if link_config is not None:
            why = state.can_build(s, link_config)
            if why is None and state.propose(s, link_config, quiet=True):
                s.preset = link_preset
            else:
                link_notes.append(why or "the link's settings could not be used")
        s.link_notes = link_notes
    s = state.get()

    # Sidebar: the controls show the Config; a change goes through state.propose.
    controls.sidebar(s)
    trainer = state.trainer(s)
    preset = teaching.link_name(s.preset, s.config)
    share.write_link(s.config, preset)
    with st.sidebar:
        st.caption(controls.describe_output(trainer))
        st.header("Share")
        share.copy_link(s.config, preset)
        st.header("Download")
        downloads.buttons(s)

    # Main area.
    st.html(PAGE_CSS + panels.NOTE_CSS)
    if s.link_notes:
        panels.message("warning", share.dropped_note(s.link_notes))
    teaching.paragraph(s.preset, s.config)
    panels.notes(s.take_notes())
    panels.slow_run(trainer)
    was_playing = transport.pause_for_inside(s)
    options = transport.bar(s)
    playground, inside_tab = st.tabs(list(transport.TABS), key=state.PAGE_TAB,
                                     on_change="rerun")
    if playground.open is not False:
        with playground:
            live.live_view(s, options)
    else:
        live.forget_drawn(s)        # its element unmounts; everything is resent on return
    if inside_tab.open:
        with inside_tab:
            render_inside(s, playing=was_playing)


main()
