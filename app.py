"""nnviz: a neural-network playground. `streamlit run app.py`

The page, top to bottom: in the sidebar the presets, then the controls (Data /
Features / Network / Training), Share and Download; in the main area the
preset's explanation and any notes, the Play / Step / Reset bar, and two tabs:
the live Playground and Inside a step.
"""

from pathlib import Path

import streamlit as st

from nnviz.presets import PRESETS
from nnviz.ui import (
    controls,
    downloads,
    live,
    panels,
    plotly_js,
    session,
    share,
    teaching,
    transport,
)
from nnviz.ui.inside import render_inside
from nnviz.ui.live_chart import preload

# Less empty space around the page and under the tabs, so a projector at 1280x720
# shows every chart without scrolling.
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding: 1rem 2rem 2rem; }
[data-testid="stTabPanel"] { padding-top: 0.5rem; }
[data-testid="stSidebarUserContent"] { padding-top: 0.5rem; }
</style>"""

st.set_page_config(page_title="nnviz · neural network playground", page_icon="🧠",
                   layout="wide", initial_sidebar_state="expanded")
plotly_js.ensure_static_copy(Path(__file__).parent)
with st.sidebar:
    preload()           # the browser fetches plotly.js while this script runs
    st.markdown("## nnviz\nWatch a neural network learn: pick data and a network, press Play.")
    teaching.picker()

# A session starts from its link (a shared run) or from the defaults.
if "config" not in st.session_state:
    link_config, link_preset, link_warnings = share.config_from_link(PRESETS)
    default = PRESETS[teaching.DEFAULT]
    session.start(default.config, link_config, link_warnings)
    st.session_state["preset"] = link_preset if link_config is not None else default.name

# Sidebar: the controls make the Config; the trainer follows it.
session.apply(controls.sidebar(session.config(), has_table=st.session_state.get("table")
                               is not None))
trainer = session.trainer()
preset = teaching.link_name(st.session_state.get("preset"), session.config())
share.write_link(session.config(), preset)
with st.sidebar:
    st.caption(controls.describe_output(trainer))
    st.header("Share")
    share.copy_link(session.config(), preset)
    st.header("Download")
    downloads.buttons(trainer)

# Main area.
st.html(PAGE_CSS)
if st.session_state.get("url_warnings"):
    st.warning(share.dropped_note(st.session_state["url_warnings"]), icon=":material/link_off:")
teaching.paragraph(st.session_state.get("preset"), session.config())
panels.notes(session.take_notes())
options = transport.bar(trainer)
playground, inside_tab = st.tabs(["Playground", "Inside a step"], key="page_tab",
                                 on_change="rerun")
if playground.open is not False:
    with playground:
        live.live_view(options)
else:
    live.forget_drawn()         # its element unmounts; everything is resent on return
if inside_tab.open:
    with inside_tab:
        render_inside(trainer, playing=live.playing(), table=st.session_state.get("table"))
