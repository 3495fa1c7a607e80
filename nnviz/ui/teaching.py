"""Teaching presets: one click loads a Config; its paragraph shows above the charts.

A link may name one (`?preset=xor-hidden-layer`; see `nnviz.ui.share`).
"""

import streamlit as st

from nnviz.presets import DEFAULT, PRESETS  # noqa: F401 - DEFAULT re-exported
from nnviz.ui import controls, session


def load(name):
    """Make preset `name` the session's run (paused, its paragraph shown)."""
    p = PRESETS[name]
    st.session_state["playing"] = False
    st.session_state["preset"] = name
    controls.load_config(p.config)
    session.reset()             # a preset starts from step 0 even when the Config is unchanged


def _on_pick():
    ss = st.session_state
    title = ss.get("preset_pick")
    ss["preset_pick"] = None    # no lasting selection: the same preset can be clicked again
    name = next((n for n, p in PRESETS.items() if p.title == title), None)
    if name is not None:
        load(name)


def picker(where=st):
    """The presets as one-click pills."""
    where.pills("Presets for teaching", [p.title for p in PRESETS.values()], key="preset_pick",
                selection_mode="single", on_change=_on_pick,
                help="Each sets up a run that shows one idea, and explains it above the charts.")


def paragraph(name, config):
    """The preset's explanation, above the charts."""
    if name not in PRESETS:
        return
    p = PRESETS[name]
    st.info(f"**{p.title}.** {p.text}", icon=":material/school:")
    if config != p.config:
        st.caption("Settings changed since this preset was loaded: the text describes the "
                   "preset's own settings.")



def link_name(name, config):
    """The preset to name in the link: only while the Config is still the preset's."""
    return name if name in PRESETS and PRESETS[name].config == config else None
