"""Share links: the whole Config in the page's query string.

Opening a link rebuilds the same run (same data, same initial weights); a
hand-edited or truncated link keeps what it can and says what it dropped.
"""

from urllib.parse import urlencode

import streamlit as st

from nnviz.config import Config


def config_from_link():
    """(Config or None, warnings) from the page's query parameters; None when the
    page was opened without any."""
    query = st.query_params.to_dict()
    if not query:
        return None, []
    return Config.from_query(query)


def write_link(config):
    """Keep the address bar equal to `config` (only touched when it differs)."""
    target = config.to_query()
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)


def link(config):
    """The full share link of `config` (just the query when the page URL is unknown)."""
    base = st.context.url or ""
    return f"{base}?{urlencode(config.to_query())}"


def dropped_note(warnings):
    """Markdown for the note shown when a link had keys that could not be used."""
    items = "\n".join(f"- {w}" for w in warnings)
    return ("This link had settings that could not be used; they were dropped and "
            f"defaults used instead:\n{items}")


def copy_link(config, where=st):
    """A "Copy link" box: the link with Streamlit's copy button."""
    where.caption("Copy link: this address reproduces the run exactly (same data and "
                  "initial weights).")
    where.code(link(config), language=None, wrap_lines=True)
