"""The live element: one Streamlit components-v2 element that plays frames.

The element keeps its DOM node (a fixed key), so its charts are drawn in place:
no new nodes, no blank frames. Its JavaScript is the module `static/nnviz-live.js`,
served by the app (`server.enableStaticServing`) and cached by the browser; what
each message carries inline is only a loader of a few lines, and the message itself
(`nnviz.viz.wire`: compressed JSON and binary arrays).
"""

import hashlib
import json
import time
from pathlib import Path

import streamlit as st

from nnviz.ui import state
from nnviz.viz import wire

STATIC = Path(__file__).resolve().parents[2] / "static"


LOADER = (STATIC / "nnviz-loader.js").read_text()


def element(name, module):
    """A components-v2 element whose code is the ES module static/<module>, served by the
    app and cached by the browser (its version in the URL keeps a cached copy fresh).
    What the element carries inline is static/nnviz-loader.js, which imports it once
    per page and hands it every render (`render(component)`)."""
    version = hashlib.sha256((STATIC / module).read_bytes()).hexdigest()[:12]
    url = f"app/static/{module}?v={version}"
    return st.components.v2.component(name, js=LOADER.replace("MODULE_URL", json.dumps(url)),
                                      isolate_styles=False)


_mount = element("nnviz_live_charts", "nnviz-live.js")


def row(*cols):
    """cols: (flex, [(chart_id, kind, height), ...]) per column -> one row of the layout.

    height: pixels, or a CSS length such as "clamp(380px, calc(100vh - 300px), 600px)"."""
    return [{"flex": flex, "charts": [{"id": cid, "kind": kind,
                                       "height": h if isinstance(h, str) else int(h)}
                                      for cid, kind, h in charts]}
            for flex, charts in cols]


def _remember_theme(key):
    theme = sent(key, "theme")
    if theme in ("light", "dark"):
        state.get().themes[key] = theme


def page_theme(key, fallback):
    """The theme the element saw on the page ("light" | "dark"), else `fallback`."""
    return state.get().themes.get(key) or fallback


def send(key, message, **events):
    """Mount (or update in place) the element under `key` with one message (a dict:
    see static/nnviz-live.js). `events`: on_<name>_change callbacks for what the page
    sends back (a state such as "focus", or a trigger such as "weight"); read their
    values with `sent(key, name)`. Returns the bytes sent."""
    message = {"v": 1, "sent_ms": int(time.time() * 1000), **message}
    data = wire.pack(message)
    defaults = {"theme": None, **{name[3:-7]: None for name in events
                                  if name[3:-7] in STATES}}
    _mount(key=key, data=data, height="content", default=defaults,
           on_theme_change=lambda: _remember_theme(key), **events)
    return data


STATES = ("focus",)         # what the page sends that lasts (the rest are one-off events)


def sent(key, name):
    """The value the page last sent under `name` (a state, or this run's trigger)."""
    value = state.widget(key)
    return value.get(name) if hasattr(value, "get") else None
