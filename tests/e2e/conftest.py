"""Fixtures for the browser tests: `streamlit run app.py` on a free port, and a page of
the headless Chromium that tests/conftest.py starts."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
def _benchmark(name):
    """benchmarks/<name>.py as a module: the server it starts is the one the tests use."""
    spec = importlib.util.spec_from_file_location(f"nnviz_bench_{name}",
                                                  ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


live_app = _benchmark("live_app")


@pytest.fixture(scope="session")
def server():
    """The app's base URL; the server is stopped after the session."""
    port = live_app.free_port()
    with live_app.app_server(port):
        yield f"http://127.0.0.1:{port}/"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
