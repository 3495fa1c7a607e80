"""One server and strangers, checked from outside the app as benchmarks/hosting.py
measures it: the server's /proc and the pixels on screen, never the app's counters.

Short by default; NNVIZ_FULL_TESTS=1 uses the benchmark's lengths (8 s windows, 30
sessions, memory read 60 s after the tabs close).
"""

import re
import time

import pytest
from deploy_support import FULL, hosting, playground

pytestmark = [pytest.mark.browser, pytest.mark.slow]

live_app = hosting.live_app
SECONDS = 8.0 if FULL else 4.0          # each frames/s window
SESSIONS = 30 if FULL else 8
SETTLE = 60.0 if FULL else 30.0         # s: the full run reads the memory then; the
                                        # short one waits at most that long for it
PEAK_MB = 3000                          # the server's memory, at any moment
BACK_MB = 300                           # ... and after a heavy visitor has gone
SESSIONS_MB = 100                       # ... and after SESSIONS visitors have gone


@pytest.fixture(scope="module")
def app():
    """`streamlit run app.py` started here, so its /proc is ours to read: (url, pid)."""
    port = live_app.free_port()
    with live_app.app_server(port) as proc:
        yield f"http://127.0.0.1:{port}/", proc.pid


def memory_back(pid, since, limit):
    """The server's memory once it is at most `limit` MB (read SETTLE s after `since`
    in the full run; as soon as it is there, within SETTLE s, in the short one)."""
    if FULL:
        time.sleep(max(0.0, since + SETTLE - time.time()))
        return hosting.memory(pid)["rss"]
    while (rss := hosting.memory(pid)["rss"]) > limit and time.time() < since + SETTLE:
        time.sleep(0.5)
    return rss


def percent_done(page):
    found = re.search(r"(\d+)% done", hosting.status(page))
    return int(found.group(1)) if found else None


def test_a_heavy_link_opens_with_a_note_and_trains_while_another_viewer_plays_on(app, browser):
    url, pid = app
    mem = hosting.Memory(pid)
    a = b = None
    try:
        a, _ = hosting.visit(browser, url)
        start = hosting.memory(pid)["rss"]
        hosting.play_and_warm(a)
        alone = hosting.frames_on_screen(a, SECONDS)
        assert alone > 2, f"A alone shows {alone:.1f} frames/s"

        arrived = time.time()
        b, _, note = hosting.heavy_visit(browser, url)
        # The note says what makes this run slow and what would not be.
        assert re.search(r"One training step of this run takes about [\d,.]+ s on this server",
                         note), note
        assert re.search(r"[\d,]+ rows a batch through 6 hidden layers of up to 512 units",
                         note), note
        smaller = b.get_by_role("button", name=re.compile(r"^Use batch size [\d,]+$"))
        assert smaller.is_visible()

        hosting.press(b, "Play")
        with_b = hosting.frames_on_screen(a, SECONDS)
        assert with_b >= 0.5 * alone, f"A: {with_b:.1f} frames/s with B, {alone:.1f} alone"
        assert percent_done(b) is not None, hosting.status(b)    # B's step is under way

        # B's run is usable: one click takes the batch the note offers, and it trains.
        smaller.click()
        b.get_by_role("button", name="Pause", exact=True).first.wait_for()
        # its first frame comes when its first step is done (a new network on 100,000
        # rows: under a loaded CI machine, some seconds)
        shown = playground.wait_until(lambda: playground.metric(b, "Step") is not None, 90)
        assert shown, f"B shows no step; its status line: {hosting.status(b)!r}"
        first = playground.number(b, "Step")
        assert playground.wait_until(lambda: playground.number(b, "Step") > first, timeout=30)
        assert hosting.frames_on_screen(a, 2.0) > 0                  # and A plays on

        peak = mem.peak(arrived, time.time())
        hwm = hosting.memory(pid)["hwm"]
        assert peak < PEAK_MB and hwm < PEAK_MB, (peak, hwm)
        closed = time.time()
        b.context.close()
        b = None
        back = memory_back(pid, closed, start + BACK_MB)
        assert back - start < BACK_MB, f"{start:.0f} MB at start, {back:.0f} MB after B"
    finally:
        mem.stop()
        for page in (a, b):
            if page is not None:
                page.context.close()


def test_sessions_opened_and_closed_leave_the_memory_where_it_was(app, browser):
    url, pid = app
    page, _ = hosting.visit(browser, url)        # the first page's imports are not growth
    page.context.close()
    before = hosting.memory(pid)["rss"]
    hosting.strangers(browser, url, SESSIONS)
    after = memory_back(pid, time.time(), before + SESSIONS_MB)
    assert after - before < SESSIONS_MB, f"{before:.0f} MB before, {after:.0f} MB after"
