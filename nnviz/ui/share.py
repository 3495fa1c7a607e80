"""Share links: the whole Config in the page's query string.

Opening a link rebuilds the same run (same data, same initial weights); a
hand-edited or truncated link keeps what it can and says what it dropped.
"""

from urllib.parse import urlencode

import streamlit as st

from nnviz.config import Config

PRESET_KEY = "preset"


def config_from_link(presets=None):
    """(Config or None, preset name or None, warnings) from the page's query
    parameters; Config None when the page was opened without any. `presets`:
    {name: Preset}; a link may name one (`preset=`), which gives the Config its
    base, and any further keys change it."""
    query = st.query_params.to_dict()
    if not query:
        return None, None, []
    name, warnings = None, []
    raw = query.pop(PRESET_KEY, None)
    if raw is not None:
        if presets and raw in presets:
            name = raw
        else:
            allowed = ", ".join(presets or ())
            warnings.append(f"ignored {PRESET_KEY}={raw!r:.40}: allowed: {allowed}")
    if name is not None:
        base = presets[name].config.to_query()
        config, more = Config.from_query({**base, **query})
    else:
        config, more = Config.from_query(query) if query else (None, [])
    return config, name, warnings + more


def query_of(config, preset=None):
    """The query of `config`, naming `preset` too while the Config is still the preset's."""
    q = config.to_query()
    if preset is not None:
        q[PRESET_KEY] = preset
    return q


def write_link(config, preset=None):
    """Keep the address bar equal to `config` (only touched when it differs)."""
    target = query_of(config, preset)
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)


def link(config, preset=None):
    """The full share link of `config` (just the query when the page URL is unknown)."""
    base = st.context.url or ""
    return f"{base}?{urlencode(query_of(config, preset))}"


def dropped_note(warnings):
    """Markdown for the note shown when a link had keys that could not be used."""
    items = "\n".join(f"- {w}" for w in warnings)
    return ("This link had settings that could not be used; they were dropped and "
            f"defaults used instead:\n{items}")


def copy_link(config, preset=None, where=st):
    """A "Copy link" box: the link with Streamlit's copy button."""
    where.caption("Copy link (button at the right): it reproduces this run exactly, same "
                  "data and initial weights. The address bar holds the same link.")
    where.code(link(config, preset), language=None, wrap_lines=True)
