"""Share links: the whole Config in the page's query string.

Opening a link rebuilds the same run (same data, same initial weights); a
hand-edited or truncated link keeps what it can and says what it dropped.
"""

from urllib.parse import urlencode

import streamlit as st

from nnviz import datasets
from nnviz.config import Config
from nnviz.ui import player

PRESET_KEY = "preset"


def _raw_query():
    """The page's query string as the browser sent it (Streamlit drops a query that
    is too long or has too many parameters, and says so only in its log)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "query_string", "") or ""


def config_from_link(presets=None):
    """(Config or None, preset name or None, notes) from the page's query parameters;
    Config None when the page was opened without any. `presets`: {name: Preset}; a
    link may name one (`preset=`), which gives the Config its base, and any further
    keys change it. Notes are plain sentences naming every field the link could not
    use (values cut short)."""
    query = st.query_params.to_dict()
    if not query:
        raw = _raw_query()
        if raw:
            return None, None, [f"the link's query ({len(raw):,} characters, "
                                f"{raw.count('&') + 1:,} parameters) is too long for the "
                                "server and was ignored"]
        return None, None, []
    name, notes = None, []
    raw = query.pop(PRESET_KEY, None)
    if raw is not None:
        if presets and raw in presets:
            name = raw
        else:
            allowed = ", ".join(presets or ())
            notes.append(f"ignored {PRESET_KEY}={raw!r:.40}: allowed: {allowed}")
    if name is not None:
        base = presets[name].config.to_query()
        config, more = Config.from_query({**base, **query})
    else:
        config, more = Config.from_query(query) if query else (None, [])
    return config, name, notes + more


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


def dropped_note(notes):
    """The note shown when a link had fields that could not be used (plain text)."""
    return ("This link had settings that could not be used; defaults were used instead: "
            + "; ".join(notes) + ".")


_copy_button = player.element("nnviz_copy_link", "nnviz-copy.js")


# What a link brings back, by what its data needs besides the settings (the registry
# entry's `needs`).
LINK_CAPTIONS = {
    None: "The link reproduces this run exactly: same data, same initial weights.",
    "table": ("The link carries this run's settings but not its data (an uploaded file "
              "stays with you): whoever opens it gets the defaults and a note."),
    "path": ("The link carries this run's settings, not its data: it reproduces the run on "
             "a server that has the same data files, as this one does; elsewhere it opens "
             "the defaults and a note."),
}


def copy_link(config, preset=None, where=st):
    """A "Copy link" button, and the link itself (plain text: a code box would make the
    browser load a 1.5 MB syntax highlighter before the first chart). The caption says
    what the link brings back: everything, or for data it cannot carry (an upload, a
    server's files) the settings alone."""
    with where.container():
        _copy_button(key="copy_link", data={"label": "Copy link to this run"},
                     height="content")
        url = link(config, preset)
        st.caption(LINK_CAPTIONS[datasets.info(config.dataset).needs])
        st.text(url)
