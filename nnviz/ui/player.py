"""The live element: one Streamlit components-v2 element that plays frames.

The element keeps its DOM node (a fixed key), so its charts are drawn in place:
no new nodes, no blank frames. Its JavaScript is the module `static/nnviz-live.js`,
served by the app (`server.enableStaticServing`) and cached by the browser; what
each message carries inline is only a loader of a few lines, and the message itself
(`nnviz.viz.wire`: compressed JSON and binary arrays).
"""

import hashlib
import time
from pathlib import Path

import streamlit as st

from nnviz.viz import wire

MODULE = Path(__file__).resolve().parents[2] / "static" / "nnviz-live.js"
URL = "app/static/nnviz-live.js"
VERSION = hashlib.sha256(MODULE.read_bytes()).hexdigest()[:12]

# The loader: imports the module once per page (the version keeps a cached copy fresh)
# and hands it every message.
_LOADER = f"""
const url = new URL("{URL}?v={VERSION}", document.baseURI).href;
export default function (component) {{
  window.__nnvizModule = window.__nnvizModule || import(url);
  return window.__nnvizModule.then((m) => m.render(component));
}}
"""
_mount = st.components.v2.component("nnviz_live_charts", js=_LOADER, isolate_styles=False)


def row(*cols):
    """cols: (flex, [(chart_id, kind, height), ...]) per column -> one row of the layout.

    height: pixels, or a CSS length such as "clamp(380px, calc(100vh - 300px), 600px)"."""
    return [{"flex": flex, "charts": [{"id": cid, "kind": kind,
                                       "height": h if isinstance(h, str) else int(h)}
                                      for cid, kind, h in charts]}
            for flex, charts in cols]


def _remember_theme(key):
    value = st.session_state.get(key)
    theme = value.get("theme") if hasattr(value, "get") else None
    if theme in ("light", "dark"):
        st.session_state[f"{key}_theme"] = theme


def page_theme(key, fallback):
    """The theme the element saw on the page ("light" | "dark"), else `fallback`."""
    return st.session_state.get(f"{key}_theme") or fallback


def send(key, message):
    """Mount (or update in place) the element under `key` with one message (a dict:
    see static/nnviz-live.js). Returns the bytes sent."""
    message = {"v": 1, "sent_ms": int(time.time() * 1000), **message}
    data = wire.pack(message)
    _mount(key=key, data=data, height="content", default={"theme": None},
           on_theme_change=lambda: _remember_theme(key))
    return data
