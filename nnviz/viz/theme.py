"""Colours and the shared layout pieces of every figure, for a light and a dark page.

Colours follow TensorFlow Playground: orange for negative / class 0, blue for
positive / class 1; further classes take the next colours of `CLASS_COLORS`.
Layouts carry explicit colours (no Plotly template), so a spec sent straight to
plotly.js looks the same as the `go.Figure` built from it.
"""

from dataclasses import dataclass

import plotly.graph_objects as go

ORANGE = "#f59322"
BLUE = "#0877bd"
CLASS_COLORS = [ORANGE, BLUE, "#2ca02c", "#d62728", "#9467bd",
                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
# Text sizes in px: ticks, legends and labels, and titles, large enough for a 1280x720
# projector at the back of a room.
FONT = 14
TITLE_FONT = 16
# A log axis labels each tick with its whole value (0.1, 0.2, 0.5), where Plotly would
# write the bare leading digit between powers of ten (0.1, 2, 5).
LOG_AXIS = {"type": "log", "tickformat": "~g"}
# A legend in one row along the figure's bottom edge, under the x axis's title (placed
# from the edge, so it never runs into the axis, whatever the plot's height), and the
# room under the plot for both.
LEGEND_UNDER = {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0}
BOTTOM_WITH_LEGEND = 100


@dataclass(frozen=True)
class Theme:
    name: str
    paper: str      # page and plot background
    fg: str         # text, outlines of test points
    muted: str      # secondary text
    grid: str       # grid and zero lines
    neutral: str    # the centre of every diverging scale
    wrong: str      # marks on misclassified points
    fade: float     # how far surfaces under data points blend toward neutral, so points stand out


THEMES = {
    "light": Theme("light", paper="#ffffff", fg="#1f2328", muted="#59636e",
                   grid="#e4e7eb", neutral="#f5f5f5", wrong="#c01818", fade=0.35),
    "dark": Theme("dark", paper="#0e1117", fg="#e6edf3", muted="#9198a1",
                  grid="#2b3038", neutral="#1b1f26", wrong="#ff5a5a", fade=0.55),
}


def theme_of(theme):
    """'light' | 'dark' | Theme -> Theme; anything else is a ValueError."""
    if isinstance(theme, Theme):
        return theme
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {sorted(THEMES)}, got {theme!r}")
    return THEMES[theme]


def rgb(color):
    """'#rrggbb' -> (r, g, b) integers 0..255."""
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) for i in (0, 2, 4))


def blend(a, b, t):
    """The colour a fraction t of the way from hex colour a to hex colour b."""
    ra, rb = rgb(a), rgb(b)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ra, rb, strict=True))


def rgba(color, alpha):
    r, g, b = rgb(color)
    return f"rgba({r},{g},{b},{alpha:g})"


def class_color(k):
    return CLASS_COLORS[k % len(CLASS_COLORS)]


def diverging(t, low=ORANGE, high=BLUE, fade=0.0):
    """Colour scale low -> t.neutral -> high; `fade` blends both ends toward neutral."""
    t = theme_of(t)
    return [[0.0, blend(low, t.neutral, fade)], [0.5, t.neutral], [1.0, blend(high, t.neutral, fade)]]


def sequential(t, high=BLUE):
    t = theme_of(t)
    return [[0.0, t.neutral], [1.0, high]]


def axis(t, title=None, **extra):
    """One axis: themed lines and grid, optional title."""
    a = {"gridcolor": t.grid, "zerolinecolor": t.grid, "linecolor": t.grid,
         "tickfont": {"color": t.muted}, "automargin": True}
    if title is not None:
        a["title"] = {"text": title, "font": {"color": t.fg}}
    a.update(extra)
    return a


def layout(t, title=None, **extra):
    """The base layout of every figure: colours, font, margins, legend."""
    out = {
        "paper_bgcolor": t.paper, "plot_bgcolor": t.paper,
        "font": {"color": t.fg, "size": FONT},
        "margin": {"l": 50, "r": 20, "t": 50 if title else 20, "b": 45},
        "legend": {"bgcolor": "rgba(0,0,0,0)", "font": {"color": t.fg}},
        "hoverlabel": {"bgcolor": t.paper, "font": {"color": t.fg}},
    }
    if title is not None:
        out["title"] = {"text": title, "x": 0.02, "xanchor": "left",
                        "font": {"size": TITLE_FONT}}
    out.update(extra)
    return out


def domain(lo, hi):
    """A subplot's [lo, hi] in paper units, clipped to [0, 1] (float sums overshoot 1)."""
    return [min(max(float(lo), 0.0), 1.0), min(max(float(hi), 0.0), 1.0)]


def colorbar(t, title=None, **extra):
    cb = {"outlinewidth": 0, "tickfont": {"color": t.muted}, "thickness": 12, "len": 0.8}
    if title is not None:
        cb["title"] = {"text": title, "font": {"color": t.fg}}
    cb.update(extra)
    return cb


def to_figure(spec):
    """A spec dict -> go.Figure (validated)."""
    return go.Figure(spec)


# Layout keys that colour the page rather than the data.
_PAGE_KEYS = ("paper_bgcolor", "plot_bgcolor", "gridcolor", "zerolinecolor", "linecolor",
              "hoverlabel", "bgcolor")


def _strip(d):
    """A copy of dict d without page colours, at any depth (font colours included)."""
    out = {}
    for k, v in d.items():
        if k in _PAGE_KEYS:
            continue
        if k in ("font", "tickfont") and isinstance(v, dict):
            v = {kk: vv for kk, vv in v.items() if kk != "color"}
        elif isinstance(v, dict):
            v = _strip(v)
        elif isinstance(v, list | tuple) and v and all(isinstance(x, dict) for x in v):
            v = [_strip(x) for x in v]      # annotations, shapes, sliders...
        out[k] = v
    return out


def without_page_colors(spec):
    """spec -> a copy whose page colours (backgrounds, text, grid, axis lines) are left
    unset, so the host page's own theme supplies them (Streamlit's `st.plotly_chart`
    does, and follows a theme switch at once); data colours are kept."""
    data = []
    for trace in spec.get("data", []):
        trace = dict(trace)
        if isinstance(trace.get("colorbar"), dict):
            trace["colorbar"] = _strip(trace["colorbar"])
        if isinstance(trace.get("marker"), dict) and isinstance(trace["marker"].get("colorbar"), dict):
            trace["marker"] = {**trace["marker"], "colorbar": _strip(trace["marker"]["colorbar"])}
        data.append(trace)
    return {**spec, "data": data, "layout": _strip(spec.get("layout", {}))}


def with_page_colors(layout, theme):
    """layout (dict) -> a copy with the theme's page colours filled in where unset:
    backgrounds, text, and the grid and lines of every axis (for drawing outside a
    themed host, e.g. with plotly.js directly)."""
    t = theme_of(theme)
    out = {**layout, "paper_bgcolor": t.paper, "plot_bgcolor": t.paper,
           "font": {**layout.get("font", {}), "color": t.fg}}
    for k, v in layout.items():
        if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict):
            out[k] = {"gridcolor": t.grid, "zerolinecolor": t.grid, "linecolor": t.grid, **v}
    for k in ("xaxis", "yaxis"):
        out.setdefault(k, {"gridcolor": t.grid, "zerolinecolor": t.grid, "linecolor": t.grid})
    return out
