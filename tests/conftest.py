"""The headless Chromium the browser tests share (tests/e2e, tests/deploy): one
Playwright for the whole run, since two cannot drive browsers from one thread.

Under CI=true a missing Chromium or Playwright is a failure; locally the tests skip
and say why.
"""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _missing(reason):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests need {reason} (CI=true: not skipping)")
    pytest.skip(f"browser tests need {reason}")


def chromium_path():
    """The Chromium to drive: CHROMIUM, else `chromium` on the PATH; when there is none,
    a failure under CI=true and a skip (with the reason) otherwise."""
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not path:
        _missing(f"Chromium at {CHROMIUM} or on the PATH")
    return path


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


