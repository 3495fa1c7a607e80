"""The page in real headless Chromium against `streamlit run app.py`."""

import time
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.browser

CHARTS_DRAWN = """() => {
  const boxes = [...document.querySelectorAll('.nnviz-chart')];
  return boxes.length >= 3 && boxes.every(b => {
    const svg = b.querySelector('.nnviz-main .main-svg');
    if (!svg) return false;
    const r = svg.getBoundingClientRect();
    return r.width > 100 && r.height > 100;
  });
}"""

METRIC = """(label) => {
  const cell = document.querySelector(`.nnviz-number[data-label="${label}"] .nnviz-number-value`);
  return cell ? cell.textContent.trim() : null;
}"""


# Boxes that must not overlap: the boundary's legend and its plot area; the two curve
# panels' titles (name and current values); the network diagram's labels.
OVERLAPS = """() => {
  const rect = (el) => el && el.getBoundingClientRect();
  const apart = (a, b) => a.right <= b.left + 1 || b.right <= a.left + 1 ||
                          a.bottom <= b.top + 1 || b.bottom <= a.top + 1;
  const allApart = (rs) => rs.every((a, i) => rs.slice(i + 1).every((b) => apart(a, b)));
  const notes = (id) => [...document.querySelectorAll(
    `.nnviz-chart[data-chart="${id}"] .annotation`)].map(rect).filter((r) => r.width > 0);
  const boundary = document.querySelector('.nnviz-chart[data-chart="boundary"]');
  const legend = rect(boundary.querySelector('.nnviz-overlay .legend'));
  const plot = rect(boundary.querySelector('.nnviz-main .nsewdrag'));
  const box = rect(boundary);
  const titles = notes("curves"), labels = notes("diagram");
  return {legend_and_plot: !!legend && !!plot && apart(legend, plot),
          legend_inside: !!legend && legend.left >= box.left - 1 && legend.right <= box.right + 1,
          curve_titles: titles.length === 2 && allApart(titles),
          diagram_labels: labels.length >= 4 && allApart(labels)};
}"""
NOTHING_OVERLAPS = {"legend_and_plot": True, "legend_inside": True, "curve_titles": True,
                    "diagram_labels": True}

# The charts' background and the page's: the same colour.
BACKGROUNDS = """() => {
  const svg = document.querySelector('.nnviz-chart[data-chart="boundary"] .nnviz-main .main-svg');
  const probe = document.createElement('div');
  probe.style.background = getComputedStyle(svg).getPropertyValue('--st-background-color');
  document.body.appendChild(probe);
  const page = getComputedStyle(probe).backgroundColor;
  probe.remove();
  return [getComputedStyle(svg).backgroundColor, page];
}"""


def metric(page, label):
    return page.evaluate(METRIC, label)


def number(page, label):
    wait_until(lambda: metric(page, label) is not None, timeout=20)
    value = metric(page, label)
    assert value is not None, f"no number {label!r} above the charts"
    return float(value.replace(",", "").rstrip("%"))


def wait_until(predicate, timeout=30.0, every=0.2):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(every)
    return False


def href(page):
    return page.evaluate("window.location.href")    # page.url misses replaceState


def query(page):
    return {k: v[-1] for k, v in parse_qs(urlparse(href(page)).query).items()}


def test_play_pause_change_and_share(server, page, browser, artifacts):
    page.goto(server)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    assert number(page, "Step") == 0
    loss0 = number(page, "Train loss")
    assert query(page)["ds"] == "circles"

    page.get_by_role("button", name="Play").click()
    assert wait_until(lambda: number(page, "Step") >= 100, timeout=60), "the step counter did not rise"
    frames = page.evaluate("window.nnvizLive.frames")
    assert wait_until(lambda: page.evaluate("window.nnvizLive.frames") > frames + 2)
    assert page.evaluate(CHARTS_DRAWN)                      # visible while playing
    box = page.locator('.nnviz-chart[data-chart="boundary"]').bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    assert wait_until(lambda: number(page, "Train loss") < loss0, timeout=30), "loss did not fall"
    assert page.evaluate("window.nnvizLive.errors") == 0

    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    time.sleep(1.0)
    paused_at = number(page, "Step")
    time.sleep(1.5)
    assert number(page, "Step") == paused_at, "the counter moved after Pause"

    seed = page.get_by_label("Seed")
    seed.fill("3")
    seed.press("Enter")
    assert wait_until(lambda: query(page).get("seed") == "3"), "the link did not follow the seed"
    page.wait_for_function(CHARTS_DRAWN)
    assert number(page, "Step") == 0                        # a new seed: a new run
    page.screenshot(path=str(artifacts / "e2e-playground.png"), full_page=True)

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("button", name="Copied").wait_for()
    shared = page.evaluate("navigator.clipboard.readText()")
    assert shared == href(page)
    other = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    other.goto(shared)
    other.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    assert other.get_by_label("Seed").input_value() == "3"
    assert query(other) == query(page)
    assert metric(other, "Train loss") == metric(page, "Train loss")     # same weights, same data
    # On a 1280x720 projector nothing overlaps: legend above the plot, curve titles apart.
    assert other.evaluate(OVERLAPS) == NOTHING_OVERLAPS
    other.screenshot(path=str(artifacts / "e2e-shared-link-1280x720.png"))
    other.context.close()


# The bottom edges of every chart box (the boundary's box holds its x-axis title), in
# viewport pixels.
BOTTOMS = """() => {
  const bottom = (el) => el ? el.getBoundingClientRect().bottom : null;
  const out = {};
  for (const c of document.querySelectorAll('.nnviz-chart')) out[c.dataset.chart] = bottom(c);
  const title = document.querySelector('.nnviz-chart[data-chart="boundary"] .xtitle');
  out.boundary_x_title = bottom(title);
  return out;
}"""


def test_projector_shows_the_whole_playground(server, browser, artifacts):
    """1280x720 with the sidebar open and the default preset's paragraph above the
    charts: the boundary (down to its x-axis title), the diagram and the curves all end
    inside the window, while playing and after."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = context.new_page()
    pg.goto(server)
    pg.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    assert pg.locator('[data-testid="stSidebar"]').bounding_box()["width"] > 200
    title = pg.get_by_text("Circles: a first network.")
    assert title.is_visible()
    pg.get_by_role("button", name="Play").click()
    assert wait_until(lambda: number(pg, "Step") >= 50, timeout=60)
    for playing in (True, False):
        at = pg.evaluate(BOTTOMS)
        assert set(at) >= {"boundary", "boundary_x_title", "diagram", "curves"}
        box = title.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] < at["boundary"]
        assert all(v is not None and v <= 720 for v in at.values()), at
        if playing:
            pg.get_by_role("button", name="Pause").click()
            pg.get_by_role("button", name="Play").wait_for()
    # the paused frame redraws the points and their legend (misclassified marks now)
    assert wait_until(lambda: pg.evaluate(OVERLAPS) == NOTHING_OVERLAPS, timeout=10), \
        pg.evaluate(OVERLAPS)
    pg.screenshot(path=str(artifacts / "e2e-projector-1280x720.png"))
    context.close()


def test_dark_page_dark_charts(server, browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, color_scheme="dark")
    dark = context.new_page()
    dark.goto(server + "?ds=spiral&hidden=16,16")       # three classes, 16-unit layers
    dark.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    dark.get_by_role("button", name="Step").click()
    assert wait_until(lambda: metric(dark, "Epoch") == "1")
    chart, page_bg = dark.evaluate(BACKGROUNDS)
    assert chart == page_bg and page_bg != "rgb(255, 255, 255)"
    # the legend: train, test, three classes, "misclassified"; the diagram: "12 of 16 shown" twice
    assert wait_until(lambda: dark.evaluate(OVERLAPS) == NOTHING_OVERLAPS, timeout=10)
    dark.screenshot(path=str(artifacts / "e2e-dark-1280x720.png"))
    context.close()


def test_bad_link_shows_the_note(server, page):
    page.goto(server + "?ds=moons&lr=banana&hidden=3,,")
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    note = page.get_by_text("could not be used").first
    assert note.is_visible()
    body = page.locator('[data-testid="stAlert"]').first.inner_text()
    assert "lr" in body and "hidden" in body
    assert query(page)["ds"] == "moons" and query(page)["lr"] == "0.03"
