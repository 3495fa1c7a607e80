"""Share links: the whole Config in the page's query string.

Opening a link rebuilds the same run (same data, same initial weights); a
hand-edited or truncated link keeps what it can and says what it dropped.
"""

from urllib.parse import urlencode

import streamlit as st

from nnviz import datasets
from nnviz.config import Config

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


# A "Copy link" button: the page's address (kept equal to the run's settings by
# write_link) to the clipboard, with a fallback where the Clipboard API is off (plain
# http on a shared server), and a word on the button when it is done.
_COPY_JS = """
export default function ({data, parentElement}) {
  let button = parentElement.querySelector("button.nnviz-copy");
  if (!button) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "nnviz-copy";
    parentElement.appendChild(button);
    button.addEventListener("click", async () => {
      const link = window.location.href;
      let copied = false;
      try {
        await navigator.clipboard.writeText(link);
        copied = true;
      } catch (err) {
        const area = document.createElement("textarea");
        area.value = link;
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        try { copied = document.execCommand("copy"); } catch (err2) { copied = false; }
        area.remove();
      }
      button.dataset.copied = copied ? "yes" : "no";
      button.textContent = copied ? "Copied: paste it anywhere" : "Could not copy: use the box below";
      clearTimeout(button.timer);
      button.timer = setTimeout(() => {
        button.textContent = button.dataset.label;
        delete button.dataset.copied;
      }, 2500);
    });
  }
  button.dataset.label = (data && data.label) || "Copy link";
  if (!button.dataset.copied) button.textContent = button.dataset.label;
}
"""
# A link icon (Material Symbols "link") before the label, drawn by CSS: no emoji font needed.
_LINK_ICON = ("url(\"data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' "
              "viewBox='0 -960 960 960'><path d='M440-280H280q-83 0-141.5-58.5T80-480q0-83 "
              "58.5-141.5T280-680h160v80H280q-50 0-85 35t-35 85q0 50 35 85t85 35h160v80ZM320-440"
              "v-80h320v80H320Zm200 160v-80h160q50 0 85-35t35-85q0-50-35-85t-85-35H520v-80h160q83"
              " 0 141.5 58.5T880-480q0 83-58.5 141.5T680-280H520Z'/></svg>\")")
_COPY_CSS = """
.nnviz-copy { width: 100%; min-height: 2.5rem; padding: 0.25rem 0.75rem; cursor: pointer;
              font-family: var(--st-font, sans-serif); font-size: 1rem;
              color: var(--st-text-color, inherit);
              background: var(--st-background-color, transparent);
              border: 1px solid var(--st-border-color, rgba(128, 128, 128, 0.4));
              border-radius: var(--st-button-radius, 0.5rem); }
.nnviz-copy::before { content: ""; display: inline-block; width: 1.1em; height: 1.1em;
                      margin-right: 0.4em; vertical-align: -0.2em; background: currentColor;
                      -webkit-mask: ICON center / contain no-repeat;
                      mask: ICON center / contain no-repeat; }
.nnviz-copy:hover { border-color: var(--st-primary-color, currentColor);
                    color: var(--st-primary-color, inherit); }
.nnviz-copy[data-copied="yes"] { border-color: var(--st-green-color, green);
                                 color: var(--st-green-color, green); }
"""
_copy_button = st.components.v2.component("nnviz_copy_link", js=_COPY_JS,
                                          css=_COPY_CSS.replace("ICON", _LINK_ICON),
                                          isolate_styles=False)


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
