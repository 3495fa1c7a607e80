"""The live chart element: several Plotly charts in one components-v2 element.

`st.plotly_chart` builds a new DOM node whenever its figure changes, so a chart that
updates a few times a second flickers and is blank part of the time. This element
keeps its node (fixed key) and its JavaScript (`live_chart.js`) calls
`Plotly.react(node, data, layout)` on each chart in place. A frame is one message:
UTF-8 JSON bytes with float arrays as Plotly typed arrays (base64 float32).
"""

import time
from pathlib import Path

import numpy as np
import orjson
import streamlit as st

from nnviz.ui.plotly_js import URL as PLOTLY_URL
from nnviz.viz.typed import pack

_JS = Path(__file__).with_name("live_chart.js").read_text(encoding="utf-8")
_CSS = """
.nnviz-live { display: flex; flex-direction: column; gap: 0.75rem; width: 100%; }
.nnviz-row { display: flex; flex-wrap: wrap; gap: 0.75rem; width: 100%;
             container-type: inline-size; }
.nnviz-col { display: flex; flex-direction: column; gap: 0.75rem; min-width: 300px; }
.nnviz-chart { position: relative; width: 100%; }
.nnviz-main { width: 100%; height: 100%; }
.nnviz-overlay { position: absolute; left: 0; top: 0; pointer-events: none; }
.nnviz-numbers { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; width: 100%;
                 font-family: var(--st-font, sans-serif); color: var(--st-text-color, inherit); }
.nnviz-number { flex: 1 1 7.5rem; min-width: 7.5rem; }
.nnviz-number-label { font-size: 0.875rem; opacity: 0.75; line-height: 1.4; }
.nnviz-number-value { font-size: 1.75rem; line-height: 1.2; font-variant-numeric: tabular-nums;
                      white-space: nowrap; }
"""
# Registered once per process; mounting it is per session (each call below).
_mount = st.components.v2.component("nnviz_live_charts", js=_JS, css=_CSS,
                                    isolate_styles=False)


def _default(obj):
    if isinstance(obj, np.ndarray):
        return pack(obj)
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, tuple | set):
        return list(obj)
    raise TypeError(f"cannot send {type(obj).__name__} to the browser")


def encode(payload):
    """payload: JSON-like dict (NumPy arrays allowed) -> UTF-8 JSON bytes.

    NumPy arrays become float32 typed arrays; NaN floats become null.
    """
    return orjson.dumps(payload, default=_default)


def row(*cols):
    """cols: (flex, [(chart_id, height), ...]) per column -> one row of the layout.

    height: pixels, or a CSS length such as "clamp(380px, calc(100vh - 300px), 600px)"."""
    return [{"flex": flex, "charts": [{"id": cid, "height": h if isinstance(h, str) else int(h)}
                                      for cid, h in charts]}
            for flex, charts in cols]


def _remember_theme(key):
    state = st.session_state.get(key)
    theme = state.get("theme") if hasattr(state, "get") else None
    if theme in ("light", "dark"):
        st.session_state[f"{key}_theme"] = theme


def page_theme(key, fallback):
    """The theme the live element saw on the page ("light" | "dark"), else `fallback`."""
    return st.session_state.get(f"{key}_theme") or fallback


def live_charts(key, layout, charts, statics=None, seq=0, numbers=None, theme=None):
    """Mount (or update in place) the element under `key`.

    layout: a list of `row(...)`s; charts: {chart_id: {"data", "layout", "overlay"?}} (a chart
    left out keeps what it shows); statics: {overlay_key: [trace, ...]} to (re)send;
    numbers: [(label, text), ...] shown large above the charts (counters, metrics);
    theme: the theme the specs were built for; the element reports back when the page
    shows the other one (`page_theme`).
    Returns the bytes sent, for tests and the benchmark.
    """
    payload = {"seq": int(seq), "sent_ms": int(time.time() * 1000), "rows": layout,
               "charts": charts}
    if statics:
        payload["statics"] = statics
    if theme:
        payload["theme"] = theme
    if numbers:
        payload["numbers"] = [[str(label), str(text)] for label, text in numbers]
    data = encode(payload)
    _mount(key=key, data=data, height="content", default={"theme": None},
           on_theme_change=lambda: _remember_theme(key))
    return data


# Starts the plotly.js download as soon as the page's first elements arrive, before the
# browser has rendered the rest of the page and loaded the element's own module (on a
# busy 2-core machine that is 0.5-1.5 s earlier). live_chart.js waits on the same promise.
_FETCH_PLOTLY = """<script>
if (!window.Plotly && !window.__nnvizPlotly) {
  window.nnvizPlotlyRequestedMs = performance.now();
  window.__nnvizPlotly = new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = new URL("PLOTLY_URL", document.baseURI).href;
    s.onload = () => { window.nnvizPlotlyLoadedMs = performance.now(); resolve(window.Plotly); };
    s.onerror = () => { window.__nnvizPlotly = null; reject(new Error("could not load " + s.src)); };
    document.head.appendChild(s);
  });
}
</script>""".replace("PLOTLY_URL", PLOTLY_URL)


def preload():
    """Start fetching plotly.js and the element's module while the server is still
    building the first frame (call it early in the page). Both live in a hidden
    container, so they take no room on the page."""
    with st.container(key="nnviz_preload_box"):
        st.html("<style>.st-key-nnviz_preload_box { display: none; }</style>"
                + _FETCH_PLOTLY, unsafe_allow_javascript=True)
        _mount(key="nnviz_preload", data=None, height="content")
