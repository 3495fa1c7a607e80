"""Shared pieces of the figure tests: small networks, their grids, and spec checks."""

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from nnviz.engine import MLP
from nnviz.viz.diagram import grid_points
from nnviz.viz.typed import unpack


def net(sizes, hidden="tanh", output="sigmoid", seed=0):
    acts = [hidden] * (len(sizes) - 2) + [output]
    return MLP(list(sizes), activations=acts, seed=seed)


def grid(network, r=12, lo=-2.0, hi=2.0):
    """x1 (r,), x2 (r+1,), out (r+1, r, n_out): a non-square grid catches swapped axes."""
    x1 = np.linspace(lo, hi, r)
    x2 = np.linspace(lo + 0.5, hi - 0.5, r + 1)
    out = network.predict(grid_points(x1, x2)).reshape(len(x2), len(x1), -1)
    return x1, x2, out


def points(n=40, d=2, seed=1):
    return np.random.default_rng(seed).uniform(-2, 2, size=(n, d))


def by_uid(spec, uid):
    found = [t for t in spec["data"] if t.get("uid") == uid]
    assert len(found) == 1, f"expected one trace {uid!r}, got {len(found)}"
    return found[0]


def types(spec):
    return [t["type"] for t in spec["data"]]


def check_spec(spec, figure=None):
    """A spec is valid Plotly (go.Figure validates every property), serialises without
    validation, and matches the go.Figure built by the *_figure twin."""
    fig = go.Figure(spec)
    assert pio.to_json(spec, validate=False, remove_uids=False)
    if figure is not None:
        assert isinstance(figure, go.Figure)
        assert [t.type for t in figure.data] == types(spec)
        for ours, theirs in zip(spec["data"], figure.data, strict=True):
            for key in ("x", "y", "z"):
                if key in ours and ours[key] is not None:
                    a, b = unpack(ours[key]), unpack(theirs[key])
                    assert a.shape == b.shape
                    assert a.dtype.kind != "f" or np.array_equal(a, b, equal_nan=True)
        assert figure.layout.paper_bgcolor == spec["layout"]["paper_bgcolor"]
    return fig


def axis_title(spec, name="xaxis"):
    return spec["layout"][name]["title"]["text"]
