"""Without a browser the browser tests fail under CI=true and skip (saying why) elsewhere."""

import importlib.util
from pathlib import Path

import pytest


def load_conftest():
    """tests/conftest.py, where the shared browser is found, as a fresh module."""
    spec = importlib.util.spec_from_file_location("tests_conftest",
                                                  Path(__file__).parents[1] / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def no_chromium(monkeypatch, tmp_path):
    conftest = load_conftest()
    monkeypatch.setattr(conftest, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    return conftest


@pytest.mark.parametrize("ci", ["true", "1"])
def test_a_missing_browser_fails_under_ci(no_chromium, monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="CI=true: not skipping"):
        no_chromium.chromium_path()


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_a_missing_browser_skips_locally_with_the_reason(no_chromium, monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="Chromium at .*no-chromium"):
        no_chromium.chromium_path()


def test_a_present_browser_is_used(monkeypatch, tmp_path):
    conftest = load_conftest()
    fake = tmp_path / "chromium"
    fake.write_text("")
    monkeypatch.setattr(conftest, "CHROMIUM", str(fake))
    assert conftest.chromium_path() == str(fake)
