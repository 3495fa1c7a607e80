"""In real headless Chromium: the step panel renders its equations with KaTeX,
and Next step advances the live network."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PAGE = Path(__file__).with_name("inside_page.py")
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "artifacts"


def _missing(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(reason)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def page_url():
    if not Path(CHROMIUM).exists():
        _missing(f"no Chromium at {CHROMIUM}")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PAGE), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the Streamlit server did not answer /_stcore/health within 30 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_step_panel_renders_equations_and_steps(page_url):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 2400})
            page.goto(page_url)
            page.get_by_text("1 · Forward").wait_for(timeout=30_000)
            page.locator(".katex").first.wait_for(timeout=10_000)
            assert page.locator(".katex").count() >= 10
            assert page.locator(".katex-error").count() == 0
            # Shapes with the real sizes, typeset: Z¹ (8×4) = X (8×2) · W¹ (2×4) + b¹ (4).
            assert page.locator(".katex-html", has_text="8×4").count() >= 1
            assert page.locator(".katex-html", has_text="8×2").count() >= 1
            page.get_by_role("button", name="Next step").click()
            page.get_by_text("Applied step 1.").wait_for(timeout=20_000)
            page.get_by_text("Step 2", exact=False).first.wait_for(timeout=20_000)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "inside_step.png"))
        finally:
            browser.close()
