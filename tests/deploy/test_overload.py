"""Overload: more playing sessions than one server's CPU budget serves at full rate.

The server gets a small budget (NNVIZ_CPU); the crowd is benchmarks/load.py's
browserless viewers, and one Chromium page plays among them to show what a person
sees. Every session must keep getting frames, the slowest a fair share of the
fastest, none may be dropped, and the page must say that the server is busy.

Short by default; NNVIZ_FULL_TESTS=1 plays twice the crowd for 15 s.
"""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from deploy_support import FULL, hosting, loadgen, playground

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CPU = 0.2                   # NNVIZ_CPU: about a fifth of what this crowd asks at full rate
VIEWERS = 12 if FULL else 6
SECONDS = 15.0 if FULL else 6.0
FAIR = 0.5                  # the slowest viewer gets at least this share of the fastest's
BUSY = re.compile(r"The server is busy \((\d+) runs are playing on it\): every run draws "
                  r"about (\d+) frames a second for now\.")


def crowd_counted(line):
    """True once the status line says the server is busy with the crowd and the page."""
    found = BUSY.search(line)
    return found is not None and int(found.group(1)) == VIEWERS + 1


def test_past_its_cpu_budget_every_session_slows_evenly_none_stops_and_the_page_says_so(
        browser):
    with loadgen.one_process(env={"NNVIZ_CPU": str(CPU)}) as target:
        page, _ = hosting.visit(browser, target.url)
        try:
            hosting.play_and_warm(page)
            with ThreadPoolExecutor(max_workers=1) as pool:
                crowd = pool.submit(asyncio.run,
                                    loadgen.measure(target, VIEWERS, SECONDS, settle=3.0))
                said = playground.wait_until(lambda: crowd_counted(hosting.status(page)),
                                             timeout=90)
                line = hosting.status(page)
                steps = playground.number(page, "Step")
                rose = playground.wait_until(lambda: playground.number(page, "Step") > steps,
                                             timeout=30)
                row = crowd.result()
        finally:
            page.context.close()

    assert said, f"the page's status line: {line!r}"
    assert rose, "the page stopped training while the server was busy"
    assert row["dropped"] == 0, row
    assert row["fps_min"] > 0.5, row                             # every viewer gets frames
    assert row["fps_min"] >= FAIR * row["fps_max"], row           # ... a fair share of them
    assert all(BUSY.search(status) for status in row["statuses"]), row["statuses"]
