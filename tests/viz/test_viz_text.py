"""Text a projector reads: every figure writes its ticks, legends, labels and titles at
theme.FONT px or more, and a log axis labels its ticks with whole values (0.1, 0.2,
0.5 rather than 0.1, 2, 5). The Inside figures are drawn by Streamlit, whose chart theme
sets small tick fonts on every axis, so they set theirs on each axis too."""

import dataclasses

import numpy as np
import pytest

from nnviz.config import Config
from nnviz.training import Trainer
from nnviz.viz import inside as vi
from nnviz.viz import theme as th
from nnviz.viz.curves import curves_spec
from nnviz.viz.digits import confusion_spec, digits_spec, first_layer_spec
from nnviz.viz.gradients import gradients_spec
from nnviz.viz.regression import parity_spec
from nnviz.viz.weights import weights_spec


def trained(dataset, **changes):
    t = Trainer(dataclasses.replace(Config.defaults_for(dataset), **changes))
    t.step(40)
    return t


@pytest.fixture(scope="module")
def runs():
    return {"digits": trained("digits", n_samples=300, hidden=(16,)),
            "arithmetic": trained("arithmetic", n_samples=300)}


def live_specs(runs):
    """The Plotly charts of the live view: {name: spec}."""
    d, a = runs["digits"], runs["arithmetic"]
    y_pred = d.classify(d.data.X_test)
    return {
        "weights": weights_spec(d.net.params),
        "gradients": gradients_spec(d.history.as_dict()),
        "curves (log loss)": curves_spec(d.history.as_dict(), log_y=True),
        "digits": digits_spec(d.data.X_test, d.data.y_test, y_pred),
        "confusion": confusion_spec(d.data.y_test, y_pred, n_classes=10),
        "first layer": first_layer_spec(d.net.params[0][0]),
        "parity": parity_spec(a.data.y_test, a.predict(a.data.X_test),
                              target_names=list(a.data.target_names)),
    }


def inside_figures(runs):
    """The Inside tab's figures: {name: go.Figure}."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), np.arange(40) % 2
    x1, x2 = np.linspace(-2, 2, 8), np.linspace(-1, 1, 6)
    out = rng.random((6, 8, 1))
    runs_ = [dict(label=f"lr {r:g}", x=np.arange(50) * 10, y=np.geomspace(0.7, r, 50))
             for r in (0.05, 0.2)]
    frame = dict(x1=x1, x2=x2, out=out, title="Step 10")
    return {
        "compare (log)": vi.compare_figure(runs_, log_y=True),
        "hidden space": vi.hidden_space_figure(X, y, ("h1", "h2"), class_names=["a", "b"],
                                               title="Layer 1"),
        "hidden space, regression": vi.hidden_space_figure(X, rng.normal(size=(40, 1)),
                                                           ("h1", "h2"), title="Layer 1"),
        "replay": vi.replay_figure(x1, x2, out, X, y, n_classes=2, title="Step 10"),
        "replay animation": vi.replay_animation_figure([frame, frame], X, y, n_classes=2),
        "gradient check": vi.gradcheck_figure([dict(name="layer 1", analytic=X[:, 0],
                                                    numerical=X[:, 0], relative_error=1e-9,
                                                    checked=40, total=40)]),
        "pick": vi.pick_figure(X, y, selected=[3], title="Pick"),
        "matrices": vi.matrices_figure([dict(M=X[:4], title="X"), dict(M=X[:4].T, title="W")]),
    }


def font_sizes(node, path=""):
    """(path, size) of every font size set anywhere in a figure's JSON."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if key == "size" and path.endswith("font") and isinstance(value, int | float):
                yield here, value
            else:
                yield from font_sizes(value, here)
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            yield from font_sizes(value, f"{path}[{i}]")


def axes(layout):
    return {k: v for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))}


# The numbers written inside the step matrices' cells stay smaller: up to 16 columns of
# them share one row of panels.
CELL_NUMBERS = ".textfont.size"


def test_the_live_charts_write_every_text_at_the_projector_size(runs):
    for name, spec in live_specs(runs).items():
        assert spec["layout"]["font"]["size"] >= th.FONT, name
        small = [(p, s) for p, s in font_sizes(spec) if s < th.FONT]
        assert not small, (name, small)


def test_the_inside_figures_set_the_projector_size_on_each_axis_and_legend(runs):
    for name, fig in inside_figures(runs).items():
        spec = fig.to_plotly_json()
        layout = spec["layout"]
        assert layout["font"]["size"] >= th.FONT and layout["legend"]["font"]["size"] >= th.FONT
        assert layout["title"]["font"]["size"] >= th.TITLE_FONT, name
        for axis_name, axis in axes(layout).items():
            assert axis["tickfont"]["size"] >= th.FONT, (name, axis_name)
        small = [(p, s) for p, s in font_sizes(spec)
                 if s < th.FONT and not (name == "matrices" and p.endswith(CELL_NUMBERS))]
        assert not small, (name, small)


def test_every_log_axis_labels_its_ticks_with_whole_values(runs):
    log_axes = []
    specs = {**live_specs(runs),
             **{k: f.to_plotly_json() for k, f in inside_figures(runs).items()}}
    for name, spec in specs.items():
        for axis_name, axis in axes(spec["layout"]).items():
            if axis.get("type") == "log":
                log_axes.append((name, axis_name))
                assert axis.get("tickformat") == th.LOG_AXIS["tickformat"], (name, axis_name)
    assert {name for name, _ in log_axes} == {"gradients", "curves (log loss)",
                                               "compare (log)"}


def test_the_replay_is_as_tall_as_the_other_panels_and_as_wide_as_its_plot(runs):
    figures = inside_figures(runs)
    scrub, animation = figures["replay"].layout, figures["replay animation"].layout
    assert scrub.height == figures["hidden space"].layout.height == vi.HEIGHT
    assert animation.height - animation.margin.b == scrub.height - scrub.margin.b
    # a plane twice as wide as tall: the chart is wider than a square one, and narrower
    # than the column it sits in
    x1 = np.linspace(-1, 1, 5)
    square = vi.replay_figure(x1, x1, np.zeros((5, 5, 1)), np.zeros((2, 2)), np.array([0, 1]),
                              n_classes=2)
    assert square.layout.width < scrub.width < 900
    line = vi.replay_figure(x1, None, np.zeros((5, 1)), np.zeros((2, 1)), np.zeros(2))
    assert line.layout.width is None                   # a curve takes the column's width
