"""The plotly.js the browser gets: the committed cartesian bundle is the plotly package's
own version and holds every trace type the live view's Plotly charts send."""

import re
from pathlib import Path

import plotly
import pytest

from nnviz.config import Config
from nnviz.training import Trainer
from nnviz.ui import views

BUNDLE = Path(__file__).resolve().parents[2] / "static" / "plotly.min.js"
FULL = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def bundle_traces(path):
    """Trace types registered in a plotly.js bundle."""
    return set(re.findall(r'moduleType:"trace",name:"([a-z0-9]+)"', path.read_text("utf-8")))


def test_the_bundle_is_the_packaged_plotly_js_version():
    head = BUNDLE.read_text("utf-8")[:200]
    version = re.search(r"v(\d+\.\d+\.\d+)", FULL.read_text("utf-8")[:200]).group(1)
    assert "cartesian" in head and f"v{version}" in head


@pytest.mark.parametrize("dataset", ["circles", "spiral", "sine", "arithmetic", "digits"])
def test_every_plotly_trace_type_of_the_live_view_is_in_the_bundle(dataset):
    have = bundle_traces(BUNDLE)
    assert {"scatter", "heatmap"} <= have < bundle_traces(FULL)
    t = Trainer(Config.defaults_for(dataset))
    t.step(3)
    specs = [v.build(views.Frame(t)) for v in views.VIEWS.values()
             if v.kind == "plotly" and v.applies(t)]
    used = {trace.get("type", "scatter") for spec in specs for trace in spec["data"]}
    assert used and used <= have, f"not in the cartesian bundle: {used - have}"
