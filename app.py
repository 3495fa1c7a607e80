"""nnviz: a neural-network playground. `streamlit run app.py`

The page, top to bottom: controls in the sidebar (Data / Features / Network /
Training, then Share and Downloads); in the main area the presets, the preset's
explanation and any notes, the Play / Step / Reset bar, and the live view.
"""

from pathlib import Path

import streamlit as st

from nnviz.config import DEFAULT_DATASET, Config
from nnviz.ui import controls, downloads, live, panels, plotly_js, session, share, transport
from nnviz.ui.inside import render_inside
from nnviz.ui.live_chart import preload

# Less empty space above the page, so a projector at 1280x720 shows the charts.
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 2rem; }
[data-testid="stSidebarUserContent"] { padding-top: 0.5rem; }
</style>"""

st.set_page_config(page_title="nnviz · neural network playground", page_icon="🧠",
                   layout="wide", initial_sidebar_state="expanded")
plotly_js.ensure_static_copy(Path(__file__).parent)
with st.sidebar:
    preload()           # the browser fetches plotly.js while this script runs
    st.markdown("## nnviz\nWatch a neural network learn: pick data and a network, press Play.")

# A session starts from its link (a shared run) or from the defaults.
if "config" not in st.session_state:
    link_config, link_warnings = share.config_from_link()
    session.start(Config.defaults_for(DEFAULT_DATASET), link_config, link_warnings)

# Sidebar: the controls make the Config; the trainer follows it.
session.apply(controls.sidebar(session.config(), has_table=st.session_state.get("table")
                               is not None))
trainer = session.trainer()
share.write_link(session.config())
with st.sidebar:
    st.caption(controls.describe_output(trainer))
    st.header("Share")
    share.copy_link(session.config())
    st.header("Download")
    downloads.buttons(trainer)

# Main area.
st.html(PAGE_CSS)
if st.session_state.get("url_warnings"):
    st.warning(share.dropped_note(st.session_state["url_warnings"]), icon=":material/link_off:")
panels.preset_text(st.session_state.get("preset"))
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
