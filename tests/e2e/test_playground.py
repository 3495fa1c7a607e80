"""The page in real headless Chromium against `streamlit run app.py`."""

import re
import statistics
import time
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.browser

# Every chart of the live view has drawn a frame (canvases sized, a step recorded).
CHARTS_DRAWN = """() => {
  const boxes = [...document.querySelectorAll('.nnviz-chart')];
  return boxes.length >= 3 && boxes.every(b => {
    const r = b.getBoundingClientRect();
    return b.dataset.step !== undefined && r.width > 100 && r.height > 100;
  });
}"""

METRIC = """(label) => {
  const cell = document.querySelector(`.nnviz-number[data-label="${label}"] .nnviz-number-value`);
  return cell ? cell.textContent.trim() : null;
}"""

# Labels the charts drew that overlap one another, and legends that run into a plot.
OVERLAPS = """() => {
  const apart = (a, b) => a[0] + a[2] <= b[0] + 1 || b[0] + b[2] <= a[0] + 1 ||
                          a[1] + a[3] <= b[1] + 1 || b[1] + b[3] <= a[1] + 1;
  const out = [];
  for (const box of document.querySelectorAll('.nnviz-chart')) {
    const labels = box.__labels || [];
    labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => {
      if (!apart(a, b)) out.push(`${box.dataset.chart}: ${a[4]} / ${b[4]}`);
    }));
    const legend = box.querySelector('.nnviz-legend');
    const plot = box.querySelector('canvas');
    if (legend && plot && legend.getBoundingClientRect().bottom > plot.getBoundingClientRect().top + 1)
      out.push(`${box.dataset.chart}: legend over the plot`);
  }
  return out;
}"""

# In one animation callback after another: the step each part of the page shows.
STEPS_SHOWN = """(ms) => new Promise((done) => {
  const seen = [];
  const t0 = performance.now();
  const look = () => {
    const step = (sel) => { const e = document.querySelector(sel); return e ? e.dataset.step : null; };
    const text = document.querySelector('.nnviz-number[data-label="Step"] .nnviz-number-value');
    seen.push([step('.nnviz-chart[data-chart="boundary"]'), step('.nnviz-chart[data-chart="diagram"]'),
               step('.nnviz-chart[data-chart="curves"]'), step('.nnviz-numbers'),
               text ? text.textContent.replace(/,/g, '') : null]);
    if (performance.now() - t0 < ms) requestAnimationFrame(look); else done(seen);
  };
  requestAnimationFrame(look);
})"""


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

    page.get_by_role("button", name="Play", exact=True).click()
    assert wait_until(lambda: number(page, "Step") >= 100, timeout=60), "the step counter did not rise"
    assert page.evaluate(CHARTS_DRAWN)                      # visible while playing
    box = page.locator('.nnviz-chart[data-chart="boundary"]').bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    assert wait_until(lambda: number(page, "Train loss") < loss0, timeout=30), "loss did not fall"
    assert page.evaluate("window.nnvizLive.errors") == 0

    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play", exact=True).wait_for()
    time.sleep(1.0)
    paused_at = number(page, "Step")
    time.sleep(1.5)
    assert number(page, "Step") == paused_at, "the counter moved after Pause"

    seed = page.get_by_role("spinbutton", name="Seed")
    seed.fill("3")
    seed.press("Enter")
    assert wait_until(lambda: query(page).get("seed") == "3"), "the link did not follow the seed"
    page.wait_for_function(CHARTS_DRAWN)
    assert wait_until(lambda: number(page, "Step") == 0)   # a new seed: a new run
    page.screenshot(path=str(artifacts / "e2e-playground.png"), full_page=True)

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("button", name="Copied").wait_for()
    shared = page.evaluate("navigator.clipboard.readText()")
    assert shared == href(page)
    other = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    other.goto(shared)
    other.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    assert other.get_by_role("spinbutton", name="Seed").input_value() == "3"
    assert query(other) == query(page)
    assert metric(other, "Train loss") == metric(page, "Train loss")     # same weights, same data
    assert other.evaluate(OVERLAPS) == []
    other.screenshot(path=str(artifacts / "e2e-shared-link-1280x720.png"))
    other.context.close()


def test_frames_come_evenly_and_each_shows_one_step(server, page):
    """Playing, the page paints a new frame about every 33 ms, and in every painted
    moment the boundary, the diagram, the curves and the numbers show the same step."""
    page.goto(server)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("() => window.nnvizLive.frames > 20", timeout=60_000)
    n0 = page.evaluate("window.nnvizLive.shown.length")
    seen = page.evaluate(STEPS_SHOWN, 3000)
    shown = page.evaluate("window.nnvizLive.shown")[n0:]
    page.get_by_role("button", name="Pause").click()
    assert len(seen) > 60
    for boundary, diagram, curves, numbers, text in seen:
        assert boundary == diagram == curves == numbers == text, seen
    assert len({row[0] for row in seen}) > 20                     # and it moved
    gaps = sorted(b[0] - a[0] for a, b in zip(shown, shown[1:], strict=False))
    assert len(gaps) > 30
    assert statistics.median(gaps) <= 45 and gaps[int(0.9 * len(gaps))] <= 80, gaps


def test_pause_stills_the_picture_at_once(server, page):
    page.goto(server)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("() => window.nnvizLive.frames > 20", timeout=60_000)
    page.get_by_role("button", name="Pause").click()
    clicked = page.evaluate("performance.now()")
    time.sleep(1.5)
    shown = page.evaluate("window.nnvizLive.shown")
    last_change = max(t for (t, step), (_, before) in zip(shown[1:], shown, strict=False)
                      if step != before)
    assert last_change - clicked < 600, last_change - clicked


# The bottom edges of every chart box, in viewport pixels.
BOTTOMS = """() => {
  const out = {};
  for (const c of document.querySelectorAll('.nnviz-chart')) out[c.dataset.chart] = c.getBoundingClientRect().bottom;
  return out;
}"""


def test_projector_shows_the_whole_playground(server, browser, artifacts):
    """1280x720 with the sidebar open and the default preset's paragraph above the
    charts: the boundary, the diagram and the curves all end inside the window, while
    playing and after, and none of their labels overlap."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = context.new_page()
    pg.goto(server)
    pg.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    assert pg.locator('[data-testid="stSidebar"]').bounding_box()["width"] > 200
    title = pg.get_by_text("Circles: a first network.")
    assert title.is_visible()
    pg.get_by_role("button", name="Play", exact=True).click()
    assert wait_until(lambda: number(pg, "Step") >= 50, timeout=60)
    for playing in (True, False):
        at = pg.evaluate(BOTTOMS)
        assert set(at) >= {"boundary", "diagram", "curves"}
        box = title.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] < at["boundary"]
        assert all(v is not None and v <= 720 for v in at.values()), at
        assert pg.evaluate(OVERLAPS) == []
        if playing:
            pg.get_by_role("button", name="Pause").click()
            pg.get_by_role("button", name="Play", exact=True).wait_for()
    pg.screenshot(path=str(artifacts / "e2e-projector-1280x720.png"))
    context.close()


# Labels the charts drew that run past their chart's edges.
OUTSIDE = """() => {
  const out = [];
  for (const box of document.querySelectorAll('.nnviz-chart')) {
    const r = box.getBoundingClientRect();
    for (const [x, y, w, h, text] of box.__labels || [])
      if (x < -1 || y < -1 || x + w > r.width + 1 || y + h > r.height + 1)
        out.push(`${box.dataset.chart}: ${text}`);
  }
  return out;
}"""


def test_phone_page_is_usable(server, browser, artifacts):
    """390x844 on a touch screen: the sidebar starts closed, nothing scrolls sideways,
    the boundary chart is at least 300 px wide and as tall, and no chart's labels
    overlap or run past its edges (the curves' panels go one above the other)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    pg = context.new_page()
    pg.goto(server)
    pg.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    sidebar = pg.locator('[data-testid="stSidebar"]').bounding_box()
    assert sidebar is None or sidebar["x"] + sidebar["width"] <= 1, sidebar
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.get_by_role("button", name="Step").click()
    assert wait_until(lambda: metric(pg, "Epoch") == "1")
    boundary = pg.locator('.nnviz-chart[data-chart="boundary"]').bounding_box()
    assert boundary["width"] >= 300 and boundary["height"] >= boundary["width"], boundary
    assert pg.evaluate(OVERLAPS) == []
    assert pg.evaluate(OUTSIDE) == []
    pg.locator('.nnviz-chart[data-chart="curves"]').scroll_into_view_if_needed()
    pg.screenshot(path=str(artifacts / "e2e-phone-390x844.png"))
    context.close()


def test_dark_page_dark_charts(server, browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, color_scheme="dark")
    dark = context.new_page()
    dark.goto(server + "?ds=spiral&hidden=16,16")       # three classes, 16-unit layers
    dark.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    dark.get_by_role("button", name="Step").click()
    assert wait_until(lambda: metric(dark, "Epoch") == "1")
    box = dark.locator('.nnviz-chart[data-chart="curves"]').bounding_box()
    shot = dark.screenshot(clip={"x": box["x"] + box["width"] - 4, "y": box["y"] + 2,
                                 "width": 2, "height": 2})
    from io import BytesIO

    from PIL import Image
    corner = Image.open(BytesIO(shot)).convert("RGB").getpixel((0, 0))
    assert sum(corner) < 3 * 80, corner                    # the charts sit on the dark page
    # three classes, and the diagram's "12 of 16 shown" under both hidden layers
    assert wait_until(lambda: dark.evaluate(OVERLAPS) == [], timeout=10), dark.evaluate(OVERLAPS)
    dark.screenshot(path=str(artifacts / "e2e-dark-1280x720.png"))
    context.close()


def test_bad_link_shows_the_note_as_plain_text(server, page):
    page.goto(server + "?ds=moons&lr=banana&hidden=3,,"
                       "&[Session expired: sign in again](https://evil.example/login)=1"
                       "&![x](http://127.0.0.1:9/beacon.png)=1")
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    note = page.locator('.nnviz-note', has_text="could not be used").first
    assert note.is_visible()
    body = note.inner_text()
    assert "lr" in body and "hidden" in body and "Session expired" in body
    assert note.locator("a").count() == 0 and note.locator("img").count() == 0
    assert query(page)["ds"] == "moons" and query(page)["lr"] == "0.03"


DIAGRAM = """() => {
  const c = document.querySelector('.nnviz-live').__nnviz.charts.diagram;
  return {xs: c.xs, ys: c.ys, node: c.node, box: c.canvas.getBoundingClientRect().toJSON(),
          weights: c.last.weights.map((w) => Array.from(w))};
}"""


def test_touch_the_network(server, page):
    """TensorFlow Playground's gestures: hovering a unit shows its map on the boundary
    chart, a link's weight can be typed in, and + adds a unit to a hidden layer."""
    page.goto(server)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    d = page.evaluate(DIAGRAM)
    box, node = d["box"], d["node"]
    # hover the third unit of hidden layer 1
    x, y = box["x"] + d["xs"][1] + node / 2, box["y"] + d["ys"][1][2] + node / 2
    page.mouse.move(x, y)
    page.wait_for_function("""() => {
      const p = document.querySelector('.nnviz-live').__nnviz;
      return p.focus && p.focus.layer === 1 && p.focus.unit === 2 &&
             p.charts.boundary.last.focus && p.charts.boundary.last.focus.k === p.focus.k;
    }""", timeout=20_000)                       # the server sent the map at full resolution
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] - 2)
    # click the link from input x1 to hidden unit 1.4, halfway along it
    x0, y0 = d["xs"][0] + node, d["ys"][0][0] + node / 2
    x1, y1 = d["xs"][1], d["ys"][1][3] + node / 2
    page.mouse.click(box["x"] + (x0 + x1) / 2, box["y"] + (y0 + y1) / 2)
    editor = page.locator(".nnviz-editor input")
    editor.wait_for()
    editor.fill("2.5")
    editor.press("Enter")
    page.wait_for_function("""() => {
      const c = document.querySelector('.nnviz-live').__nnviz.charts.diagram;
      return Math.abs(c.last.weights[0][3] - 2.5) < 1e-6;
    }""", timeout=20_000)                       # the live network has it: the next frame shows it
    assert query(page)["hidden"] == "8,8"
    page.get_by_role("button", name="Add a unit to hidden 1").click()
    assert wait_until(lambda: query(page).get("hidden") == "9,8")
    assert wait_until(lambda: page.get_by_role("spinbutton", name="Layer 1 units")
                      .input_value() == "9")


def test_the_layer_count_changed_quickly_while_playing_redraws_the_diagram(server, page):
    """Hidden layers 3, 0, 6, 2 in quick succession while it plays: the diagram is
    drawn for the last of them (its frame from before is not drawn on the new layers),
    the page raises no error, and Reset then shows step 0."""
    page.goto(server)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("() => window.nnvizLive.frames > 10", timeout=60_000)
    layers = page.get_by_label("Hidden layers")
    for n in ("3", "0", "6", "2"):
        layers.fill(n)
        layers.press("Enter")
        page.wait_for_timeout(150)
    assert wait_until(lambda: query(page).get("hidden", "").count(",") == 1)
    page.wait_for_function("""() => {
      const c = document.querySelector('.nnviz-live').__nnviz.charts.diagram;
      return c.spec.layers.length === 4 && c.last && c.last.weights.length === 3;
    }""", timeout=20_000)
    assert page.get_by_role("button", name=re.compile("^Add a unit to hidden")).count() == 2
    page.get_by_role("button", name="Reset", exact=True).click()
    assert wait_until(lambda: metric(page, "Step") == "0")
    assert page.evaluate("window.nnvizLive.errors") == 0, page.evaluate(
        "String(window.nnvizLive.lastError)")


def test_a_deep_wide_network_labels_its_diagram_without_overlaps(server, browser, artifacts):
    """Six hidden layers of 512 units on a projector: the diagram's columns are narrow,
    so each header and note takes a form that fits (no two labels overlap)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = context.new_page()
    pg.goto(server + "?ds=xor&hidden=512,512,512,512,512,512")
    pg.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    pg.screenshot(path=str(artifacts / "e2e-deep-wide-diagram.png"))
    assert pg.evaluate(OVERLAPS) == []
    context.close()


def test_the_dataset_thumbnails_pick_with_mouse_and_keyboard(server, page):
    page.goto(server)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    picker = page.locator(".nnviz-picker")
    picker.locator("button").first.wait_for()
    names = picker.locator("button").evaluate_all("(bs) => bs.map((b) => b.dataset.name)")
    assert {"circles", "moons", "spiral", "xor", "plane"} <= set(names)
    assert "digits" not in names                             # not on a plane
    assert pressed(picker) == "circles"
    picker.locator('button[data-name="spiral"]').click()
    assert wait_until(lambda: query(page).get("ds") == "spiral")
    page.wait_for_function(CHARTS_DRAWN)
    assert wait_until(lambda: pressed(picker) == "spiral")  # the picker shows the new data
    moons = picker.locator('button[data-name="moons"]')
    moons.focus()
    page.keyboard.press("ArrowRight")                        # to the next thumbnail
    following = page.evaluate("document.activeElement.dataset.name")
    page.keyboard.press("Enter")
    assert wait_until(lambda: query(page).get("ds") == following)
    assert wait_until(lambda: pressed(picker) == following)


def pressed(picker):
    """The dataset the picker shows as chosen."""
    return picker.locator('button[aria-pressed="true"]').get_attribute("data-name")


PLOT = """() => {
  const c = document.querySelector('.nnviz-live').__nnviz.charts.boundary;
  const r = c.still.getBoundingClientRect();
  return {x: r.x + c.axes.rect.l, y: r.y + c.axes.rect.t, w: c.axes.rect.w, h: c.axes.rect.h};
}"""


def test_draw_the_data(server, page, browser, artifacts):
    """Draw starts from the run's points, clicks add points of the chosen class, a
    right-click removes one, training goes on, and the drawn set travels in the link."""
    page.goto(server)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    page.get_by_role("button", name="✎ Draw").click()
    assert wait_until(lambda: query(page).get("ds") == "drawn")
    start = len(query(page)["pts"]) // 6
    assert 50 <= start <= 200
    page.get_by_role("button", name="✎ Draw").wait_for()
    page.get_by_title("Draw class 1").click()
    p = page.evaluate(PLOT)
    for k in range(3):                                       # three points of class 1
        page.mouse.click(p["x"] + p["w"] * (0.15 + 0.1 * k), p["y"] + p["h"] * 0.1)
    assert wait_until(lambda: len(query(page)["pts"]) // 6 == start + 3), query(page)
    page.get_by_role("button", name="Play", exact=True).click()
    assert wait_until(lambda: number(page, "Step") > 20)
    p = page.evaluate(PLOT)                                  # notes above may have moved it
    page.mouse.click(p["x"] + p["w"] * 0.15, p["y"] + p["h"] * 0.1, button="right")
    assert wait_until(lambda: len(query(page)["pts"]) // 6 == start + 2)
    steps = number(page, "Step")
    assert wait_until(lambda: number(page, "Step") > steps)  # the same run trains on
    page.get_by_role("button", name="Pause").click()
    page.screenshot(path=str(artifacts / "e2e-drawn.png"))
    other = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    other.goto(href(page))
    other.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    assert query(other)["pts"] == query(page)["pts"]
    other.locator('[data-testid="stDownloadButton"]', has_text="Data (.csv)").wait_for()
    other.context.close()
