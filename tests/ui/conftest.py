from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app():
    """A fresh AppTest of the page, not yet run."""
    return AppTest.from_file(APP, default_timeout=30)
