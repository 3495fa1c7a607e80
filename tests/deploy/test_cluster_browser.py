"""Viewers in headless Chromium through HAProxy in front of two app processes.

Affinity is proven from outside the app: each browser keeps one affinity cookie (the
server it names), and HAProxy's log shows that every request carrying that cookie,
the page's websocket included, went to that server.
"""

import time
from collections import Counter

import pytest
from deploy_support import affinity, playground, requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHARTS_DRAWN, number, query, wait_until = (playground.CHARTS_DRAWN, playground.number,
                                           playground.query, playground.wait_until)
VIEWPORT = {"width": 1100, "height": 720}
STREAM = "/_stcore/stream"


def open_viewers(browser, url, links):
    """One browser context (its own cookies) per link, each page with its charts drawn."""
    pages = []
    for link in links:
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.set_default_timeout(30_000)
        page.goto(url + link)
        pages.append(page)
    for page in pages:
        page.wait_for_function(CHARTS_DRAWN, timeout=90_000)
    return pages


def play(page):
    page.get_by_role("button", name="Play", exact=True).click()
    page.get_by_role("button", name="Pause").wait_for()


def steps(pages):
    return [number(p, "Step") for p in pages]


def all_rise(pages, timeout=45):
    """True when every page's step counter rises above where it is now."""
    start = steps(pages)
    return wait_until(lambda: all(s > s0 for s, s0 in zip(steps(pages), start, strict=True)),
                      timeout=timeout)


def test_four_viewers_play_and_each_stays_on_its_replica(cluster, browser):
    pages = open_viewers(browser, cluster.url, [""] * 4)
    try:
        servers = [affinity(p.context) for p in pages]
        assert set(servers) == {"r1", "r2"}, servers      # both replicas serve someone

        for page in pages:
            play(page)
        assert all_rise(pages), f"not every step counter rose: {steps(pages)}"

        # Pausing one leaves the others running.
        paused, others = pages[0], pages[1:]
        paused.get_by_role("button", name="Pause").click()
        paused.get_by_role("button", name="Play", exact=True).wait_for()
        time.sleep(1.0)
        held = number(paused, "Step")
        assert all_rise(others), f"the others stopped when one paused: {steps(others)}"
        assert number(paused, "Step") == held, "the paused counter moved"

        # Each browser kept its cookie, and HAProxy sent each of its requests to the
        # server the cookie names: websocket and all.
        assert [affinity(p.context) for p in pages] == servers
        logged = requests(cluster)
        with_cookie = [r for r in logged if r["sent"].startswith("NNVIZ_SERVER=")]
        assert with_cookie and all(r["sent"] == f"NNVIZ_SERVER={r['server']}"
                                   for r in with_cookie), with_cookie
        sockets = Counter(r["server"] for r in with_cookie if r["path"] == STREAM)
        assert sockets == Counter(servers), (sockets, servers)
    finally:
        for page in pages:
            page.context.close()


def test_a_dead_replicas_viewers_come_back_on_the_other(cluster, browser):
    # Four different runs, each in its page's link.
    links = ["?ds=xor&hidden=4&seed=1", "?ds=moons&hidden=6&seed=2",
             "?ds=circles&hidden=3&seed=3", "?ds=moons&hidden=5,5&seed=4"]
    pages = open_viewers(browser, cluster.url, links)
    try:
        for page in pages:
            play(page)
        assert all_rise(pages)
        on = {p: affinity(p.context) for p in pages}
        assert set(on.values()) == {"r1", "r2"}, on
        moved = [p for p in pages if on[p] == "r1"]
        stayed = [p for p in pages if on[p] == "r2"]
        links_before = {p: query(p) for p in pages}
        stayed_at = steps(stayed)

        killed_at = time.monotonic()
        cluster.kill("r1")

        # Within 10 s each moved page has a new session on r2 (its counter starts
        # again from 0, its charts drawn) built from the settings in its link.
        def back(page):
            return number(page, "Step") == 0 and page.evaluate(CHARTS_DRAWN)
        assert wait_until(lambda: all(back(p) for p in moved), timeout=10, every=0.1), \
            f"not back within 10 s: steps {steps(moved)}"
        took = time.monotonic() - killed_at
        for page in moved:
            assert query(page) == links_before[page], "the run's settings were lost"
            assert wait_until(lambda page=page: affinity(page.context) == "r2", timeout=5)
        # The pages that were on r2 never stopped.
        assert all(s > s0 for s, s0 in zip(steps(stayed), stayed_at, strict=True))

        for page in moved:
            play(page)
        assert all_rise(moved), "the moved viewers cannot play"
        assert all_rise(stayed)
        # In HAProxy's log: requests with r1's cookie went to r2 (redispatched, and
        # given r2's cookie), and r2 now holds every page's websocket.
        logged = requests(cluster)
        assert any(r["sent"] == "NNVIZ_SERVER=r1" and r["server"] == "r2" for r in logged)
        sockets = Counter(r["server"] for r in logged if r["path"] == STREAM)
        assert sockets["r2"] >= len(pages), sockets
        print(f"moved viewers back on r2 {took:.1f} s after r1 died")
    finally:
        for page in pages:
            page.context.close()
