"""Teaching presets: one click loads a Config; its paragraph shows above the charts.

A link may name one (`?preset=xor-hidden-layer`; see `nnviz.ui.share`).
"""

import html
import re

import streamlit as st

from nnviz.presets import DEFAULT, PRESETS  # noqa: F401 - DEFAULT re-exported
from nnviz.ui import state


def load(s, name):
    """Make preset `name` the session's run (paused, from step 0 even when the Config is
    unchanged, its paragraph shown)."""
    p = PRESETS[name]
    s.pause()
    if state.propose(s, p.config, fresh=True, quiet=True):
        s.preset = name


def _on_pick():
    title = state.widget(state.PRESET_PICK)
    state.set_widget(state.PRESET_PICK, None)   # no lasting selection: click it again
    name = next((n for n, p in PRESETS.items() if p.title == title), None)
    if name is not None:
        load(state.get(), name)


def picker(where=st):
    """The presets as one-click pills."""
    where.pills("Presets for teaching", [p.title for p in PRESETS.values()], key=state.PRESET_PICK,
                selection_mode="single", on_change=_on_pick,
                help="Each sets up a run that shows one idea, and explains it above the charts.")


def lead(text):
    """(first sentence, the rest) of a preset's paragraph; the rest may be ""."""
    first, *rest = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text.strip(), maxsplit=1)
    return first, (rest[0] if rest else "")


# An info-like box in the theme's own text colour, in slightly smaller type than the
# page: the title and first sentence, the rest behind "more" (a <details>, opened in the
# browser without a rerun), so on a 1280x720 projector the charts stay above the fold.
_CSS = """<style>
.st-key-preset_text details { background: rgba(28, 131, 225, 0.1); border-radius: 0.5rem;
  padding: 0.4rem 0.85rem; font-size: 0.95rem; line-height: 1.45; }
.st-key-preset_text [data-testid="stMarkdownContainer"] { margin-bottom: 0; }
.st-key-preset_text summary { cursor: pointer; list-style: none; }
.st-key-preset_text summary::-webkit-details-marker { display: none; }
.st-key-preset_text .nnviz-more { color: rgb(28, 131, 225); white-space: nowrap;
  margin-left: 0.35em; text-decoration: underline; text-underline-offset: 2px; }
.st-key-preset_text details[open] .nnviz-more { display: none; }
.st-key-preset_text details p { margin: 0.25rem 0 0; }
</style>"""


def paragraph(name, config):
    """The preset's explanation above the charts: its title and first sentence, the
    rest behind "more"."""
    if name not in PRESETS:
        return
    p = PRESETS[name]
    first, rest = lead(p.text)
    more = '<span class="nnviz-more">more</span>' if rest else ""
    body = f"<p>{html.escape(rest)}</p>" if rest else ""
    with st.container(key="preset_text"):
        st.markdown(f"{_CSS}<details><summary><b>{html.escape(p.title)}.</b> "
                    f"{html.escape(first)}{more}</summary>{body}</details>",
                    unsafe_allow_html=True)
    if config != p.config:
        st.caption("Settings changed since this preset was loaded: the text describes the "
                   "preset's own settings.")


def link_name(name, config):
    """The preset to name in the link: only while the Config is still the preset's."""
    return name if name in PRESETS and PRESETS[name].config == config else None
