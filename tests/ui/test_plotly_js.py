"""The plotly.js the browser gets: the vendored cartesian bundle holds every trace type
the live views send; without it, the plotly package's full bundle."""

import re

import pytest

from nnviz.config import Config
from nnviz.training import Trainer
from nnviz.ui import plotly_js, views


def bundle_traces(path):
    """Trace types registered in a plotly.js bundle."""
    return set(re.findall(r'moduleType:"trace",name:"([a-z0-9]+)"', path.read_text("utf-8")))


def test_the_vendored_bundle_is_the_packaged_plotly_js_version():
    head = plotly_js.VENDORED.read_text("utf-8")[:200]
    full = plotly_js.full_bundle().read_text("utf-8")[:200]
    version = re.search(r"v(\d+\.\d+\.\d+)", full).group(1)
    assert "cartesian" in head and f"v{version}" in head
    assert plotly_js.source() == plotly_js.VENDORED


@pytest.mark.parametrize("dataset", ["circles", "spiral", "sine", "arithmetic", "digits"])
def test_every_live_trace_type_is_in_the_vendored_bundle(dataset):
    have = bundle_traces(plotly_js.VENDORED)
    assert {"scatter", "heatmap"} <= have < bundle_traces(plotly_js.full_bundle())
    t = Trainer(Config.defaults_for(dataset))
    t.step(3)
    used = set()
    for mark_wrong in (False, True):
        frame = views.Frame(t, mark_wrong=mark_wrong)
        specs = [v.build(frame) for v in views.VIEWS.values() if v.applies(t)]
        if views.VIEWS["boundary"].applies(t):
            specs.append({"data": views.boundary_parts(frame)[1]})
        used |= {trace.get("type", "scatter") for spec in specs for trace in spec["data"]}
    assert used and used <= have, f"not in the cartesian bundle: {used - have}"


def test_without_the_vendored_file_the_full_bundle_is_served(tmp_path, monkeypatch):
    assert plotly_js.ensure_static_copy(tmp_path) == plotly_js.URL
    copied = tmp_path / "static" / "plotly.min.js"
    assert copied.read_bytes() == plotly_js.VENDORED.read_bytes()
    monkeypatch.setattr(plotly_js, "VENDORED", tmp_path / "missing.js")
    assert plotly_js.source() == plotly_js.full_bundle()
    plotly_js.ensure_static_copy(tmp_path)
    assert copied.stat().st_size == plotly_js.full_bundle().stat().st_size
