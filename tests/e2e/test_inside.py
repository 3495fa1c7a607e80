"""The Inside tab in real headless Chromium: the step panel's equations are typeset
by KaTeX with the real sizes, and Next step advances the live network."""

import itertools

import pytest

pytestmark = pytest.mark.browser


def test_step_panel_renders_equations_and_steps(server, page, artifacts):
    page.goto(server)
    page.get_by_role("tab", name="Inside a step").click()
    page.get_by_text("1 · Forward").wait_for()
    page.locator(".katex").first.wait_for()
    assert page.locator(".katex").count() >= 10
    assert page.locator(".katex-error").count() == 0
    # The default run (circles, 2 inputs, hidden 8,8, batch 10): Z¹ (10×8) = X (10×2) · W¹ (2×8) + b¹ (8).
    for size in ("10×8", "10×2", "2×8"):
        assert page.locator(".katex-html", has_text=size).count() >= 1, size
    page.get_by_role("button", name="Next step").click()
    page.get_by_text("Applied step 1.").wait_for()
    page.get_by_text("Step 2 on").wait_for()
    page.screenshot(path=str(artifacts / "inside_step.png"), full_page=True)


def test_a_sample_picked_on_the_chart_stays_picked_through_next_step(server, page):
    page.goto(server)
    page.get_by_role("tab", name="Inside a step").click()
    page.get_by_text("1 · Forward").wait_for()
    page.get_by_text("Pick samples").click()
    page.get_by_text("Click a point, or drag").wait_for()
    points = page.locator(".js-plotly-plot .scatterlayer .point")
    points.first.wait_for()
    points.nth(5).click(force=True)
    status = page.locator("p", has_text=" on training row")
    status.filter(has_text="(picked on the chart)").wait_for()
    picked = status.first.inner_text().split(" on ", 1)[1]
    assert picked.startswith("training row ") and picked.endswith("(picked on the chart).")
    for step in (2, 3):
        page.get_by_role("button", name="Next step").click()
        page.get_by_text(f"Step {step} on {picked}").wait_for()


# The rendered figure's text, per kind: its smallest font size in px, and the y ticks'
# labels from the bottom up (Plotly writes them; the spec only asks).
_TEXT = """(chart) => {
  const sizes = {};
  for (const [kind, sel] of Object.entries({ticks: '.xtick text, .ytick text',
      legend: '.legendtext', title: '.gtitle', axis_titles: '.xtitle, .ytitle'})) {
    const found = [...chart.querySelectorAll(sel)].map(e => parseFloat(getComputedStyle(e).fontSize));
    if (found.length) sizes[kind] = Math.min(...found);
  }
  const ticks = [...chart.querySelectorAll('.ytick text')]
    .map(e => [e.getBoundingClientRect().top, e.textContent]).sort((a, b) => b[0] - a[0])
    .map(t => t[1]);
  return {sizes, ticks};
}"""


def test_the_sweep_writes_whole_values_on_its_log_axis_in_large_text(server, page, artifacts):
    page.goto(server)
    page.get_by_role("tab", name="Inside a step").click()
    page.get_by_role("tab", name="Compare").click()
    page.get_by_role("button", name="Sweep 5 learning rates").click()
    chart = page.locator(".js-plotly-plot", has=page.locator(".legendtext", has_text="lr "))
    chart.wait_for(timeout=60_000)
    text = chart.evaluate(_TEXT)
    page.screenshot(path=str(artifacts / "inside_sweep.png"))
    assert min(text["sizes"].values()) >= 14, text["sizes"]
    values = [float(t.replace("−", "-")) for t in text["ticks"]]
    steps = [b / a for a, b in itertools.pairwise(values)]
    assert len(values) >= 3 and all(1 < r <= 10 for r in steps), text["ticks"]


_PLOT = """(chart) => {
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height}; };
  const bar = chart.querySelector('.colorbar');
  return {chart: box(chart), plot: box(chart.querySelector('.nsewdrag')),
          bar: bar ? box(bar) : null};
}"""


def test_the_replay_is_sized_like_the_other_panels(server, page, artifacts):
    page.goto(server)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_timeout(2500)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("tab", name="Inside a step").click()
    page.get_by_role("tab", name="Replay").click()
    page.get_by_text("Snapshot", exact=True).wait_for()
    replay = page.locator(".js-plotly-plot", has=page.locator(".colorbar"))
    replay.wait_for()
    page.screenshot(path=str(artifacts / "inside_replay.png"))
    r = replay.evaluate(_PLOT)
    page.get_by_role("tab", name="Hidden space").click()
    hidden = page.locator(".js-plotly-plot", has=page.locator(".xtitle", has_text="PC1"))
    hidden.wait_for()
    h = hidden.evaluate(_PLOT)
    # as tall as the hidden space's plot, its square plot filling the chart's width
    assert r["plot"]["height"] >= 0.8 * h["plot"]["height"], (r, h)
    assert abs(r["plot"]["width"] - r["plot"]["height"]) < 0.1 * r["plot"]["height"]
    assert r["chart"]["width"] < 0.8 * h["chart"]["width"]
    assert 0 <= r["bar"]["left"] - r["plot"]["right"] < 60
