"""Every figure on real trained networks, including the degenerate ones (no hidden layer,
a layer of one unit, all-zero weights, NaN in the history), 3 and 10 classes, regression
with 1 and 3 outputs; titles and axis labels; one colour convention throughout."""

import dataclasses
from fnmatch import fnmatch

import numpy as np
import pytest
from viz_helpers import check_spec

from nnviz.config import Config
from nnviz.engine import MLP
from nnviz.training import Trainer
from nnviz.viz import theme as th
from nnviz.viz.boundary import FRAME_UIDS, boundary_spec, split_static
from nnviz.viz.curves import curves_spec
from nnviz.viz.diagram import EDGE_WIDTHS, diagram_spec, grid_points
from nnviz.viz.digits import confusion_spec, digits_spec, first_layer_spec
from nnviz.viz.gradients import gradients_spec
from nnviz.viz.regression import parity_spec
from nnviz.viz.typed import unpack
from nnviz.viz.weights import weights_spec


def trainer(dataset, steps=30, zero=False, **changes):
    c = dataclasses.replace(Config.defaults_for(dataset), **{"n_samples": 120, **changes})
    t = Trainer(c)
    t.step(steps)
    if zero:
        t.net.flat_params[:] = 0.0
    return t


def boundary_of(t, resolution=15):
    d = t.data
    g = t.predict_grid(resolution)
    kw = {"pred_train": t.predict(d.X_train), "pred_test": t.predict(d.X_test)} \
        if d.task == "classification" else {}
    spec = boundary_spec(g.x1, g.x2, g.out, d.X_train, d.y_train, d.X_test, d.y_test,
                         task=d.task, feature_names=list(d.feature_names), **kw)
    check_spec(spec)
    return g, spec


def uid(spec, name):
    (trace,) = [t for t in spec["data"] if t.get("uid") == name]
    return trace


def network_figures(t):
    """weights, diagram, curves and gradients of a trainer, each checked as valid Plotly."""
    specs = [weights_spec(t.net.params), curves_spec(t.history.as_dict()),
             gradients_spec(t.history.as_dict())]
    if t.data.n_inputs == 2:
        g = t.predict_grid(8)
        acts = t.net.activations_of(t.data.preprocessor.transform(grid_points(g.x1, g.x2)))
        specs.append(diagram_spec(t.net.params, acts, activation_names=t.net.activations))
    for spec in specs:
        check_spec(spec)
    return specs


CASES = {
    "no hidden layer": dict(dataset="moons", hidden=()),
    "width-1 layer": dict(dataset="moons", hidden=(4, 1, 4)),
    "one unit only": dict(dataset="circles", hidden=(1,)),
    "all-zero weights": dict(dataset="xor", hidden=(3,), zero=True),
    "3 classes": dict(dataset="spiral", n_classes=3),
    "8 classes": dict(dataset="gaussians", n_classes=8, n_samples=160),
    "regression, 1 output": dict(dataset="plane"),
    "regression, 3 outputs": dict(dataset="arithmetic"),
    "regression, 1 input": dict(dataset="sine"),
}


@pytest.mark.parametrize("name", CASES)
def test_every_figure_of_a_real_network_is_its_prediction(name):
    t = trainer(**CASES[name])
    g, spec = boundary_of(t)
    d = t.data
    if d.n_inputs == 1:
        np.testing.assert_allclose(unpack(uid(spec, "boundary-fit")["y"]), g.out[:, 0],
                                   rtol=1e-5, atol=1e-5)
    else:
        z = unpack(uid(spec, "boundary-heat")["z"])
        if d.task == "regression":
            np.testing.assert_allclose(z, g.out[:, :, 0], rtol=1e-5, atol=1e-4)
        elif g.out.shape[2] == 1:
            np.testing.assert_allclose(z, g.out[:, :, 0], atol=1e-6)
        else:
            np.testing.assert_array_equal(np.rint(z), g.out.argmax(axis=2))
    weights, *_ = network_figures(t)
    for trace, (W, b) in zip(weights["data"], t.net.params, strict=True):
        np.testing.assert_allclose(unpack(trace["z"]), np.vstack([W, b]), rtol=1e-6, atol=1e-30)
    if name == "all-zero weights":
        assert np.all(unpack(uid(spec, "boundary-heat")["z"]) == np.float32(0.5))
        assert len(unpack(uid(spec, "boundary-contour")["x"])) == 0    # no boundary to draw
        assert weights["layout"]["coloraxis"]["cmax"] == 1.0
    if d.task == "regression":
        pred = t.predict(d.X_test)
        check_spec(parity_spec(d.y_test, pred, target_names=list(d.target_names)))


@pytest.mark.parametrize("k", [3, 10])
def test_ten_and_three_classes_on_every_class_figure(k):
    rng = np.random.default_rng(k)
    net = MLP([2, 6, k], activations=["relu", "softmax"], seed=k)
    x = np.linspace(-2, 2, 9)
    out = net.predict(grid_points(x, x)).reshape(9, 9, k)
    X = rng.uniform(-2, 2, (50, 2))
    y = np.arange(50) % k
    pred = net.predict(X)
    spec = boundary_spec(x, x, out, X, y, pred_train=pred)
    check_spec(spec)
    np.testing.assert_array_equal(np.rint(unpack(uid(spec, "boundary-heat")["z"])),
                                  out.argmax(axis=2))
    legend = [t["marker"]["color"] for t in spec["data"]
              if t.get("uid", "").startswith("boundary-legend-")][1:]
    assert legend == [th.class_color(c) for c in range(k)]
    spec = diagram_spec(net.params, net.activations_of(grid_points(x, x)),
                        activation_names=net.activations)
    check_spec(spec)
    assert len([a for a in spec["layout"]["annotations"] if a["text"].startswith("out.")]) == k
    conf = confusion_spec(y, pred.argmax(axis=1), n_classes=k)
    check_spec(conf)
    assert unpack(conf["data"][0]["z"]).sum() == 50 and len(conf["data"][0]["x"]) == k
    images = rng.integers(0, 16, (30, 64))
    check_spec(digits_spec(images, np.arange(30) % k, (np.arange(30) + 1) % k))


@pytest.mark.parametrize("k", [1, 3])
def test_one_input_classification_draws_each_class_probability(k):
    """A CSV with one input column: the probability of each class along that input."""
    rng = np.random.default_rng(k)
    n_out = 1 if k == 1 else k
    net = MLP([1, 5, n_out], activations=["tanh", "sigmoid" if k == 1 else "softmax"], seed=1)
    x1 = np.linspace(-3, 3, 40)
    out = net.predict(x1[:, None])
    X = rng.uniform(-3, 3, (30, 1))
    y = np.arange(30) % max(k, 2)
    pred = net.predict(X)
    spec = boundary_spec(x1, None, out, X, y, X[:6], y[:6], pred_train=pred,
                         pred_test=pred[:6], class_names=["a", "b", "c"][:max(k, 2)])
    check_spec(spec)
    lines = [t for t in spec["data"] if t.get("mode") == "lines"]
    assert len(lines) == n_out
    for c, line in enumerate(lines):
        np.testing.assert_allclose(unpack(line["y"]), out[:, c], rtol=1e-6)
        assert line["line"]["color"] == th.class_color(1 if k == 1 else c)
    points = uid(spec, "boundary-train")
    heights = unpack(points["y"])
    np.testing.assert_array_equal(heights, y if k == 1 else np.ones(30))
    wrong = (pred[:, 0] >= 0.5).astype(int) != y if k == 1 else pred.argmax(axis=1) != y
    n_wrong = wrong.sum() + wrong[:6].sum()
    assert len(unpack(uid(spec, "boundary-wrong")["x"])) == n_wrong
    assert spec["layout"]["yaxis"]["title"]["text"] == "probability"
    moving, static = split_static(spec)       # the live view resends only the curves
    assert all(any(fnmatch(t["uid"], u) for u in FRAME_UIDS) for t in moving["data"])
    assert {t["uid"] for t in static} >= {"boundary-train", "boundary-test"}
    hard = boundary_spec(x1, None, out, X, y, discretize=True)
    assert set(np.unique(unpack([t for t in hard["data"] if t.get("mode") == "lines"][0]["y"]))) \
        <= {0.0, 1.0}


def test_nan_in_a_real_history_draws_gaps():
    t = trainer("moons", steps=60, hidden=(4, 4))
    h = t.history.as_dict()
    h["test_loss"][2] = np.nan
    h["grad_norm"][3, 1] = np.nan
    h["weight_norm"][:, 0] = np.nan
    curves, grads = curves_spec(h, log_y=True), gradients_spec(h)
    check_spec(curves)
    check_spec(grads)
    assert np.isnan(unpack(uid(curves, "curves-test_loss")["y"])[2])
    assert np.isnan(unpack(uid(grads, "gradients-grad_norm-2")["y"])[3])
    assert np.isnan(unpack(uid(grads, "gradients-weight_norm-1")["y"])).all()


def builders():
    """Every figure builder with small valid arguments: name -> call(**kwargs) -> spec."""
    net = MLP([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)
    x = np.linspace(-1, 1, 4)
    out = net.predict(grid_points(x, x)).reshape(4, 4, 1)
    X, y = np.random.default_rng(0).uniform(-1, 1, (10, 2)), np.arange(10) % 2
    h = {"step": np.arange(5), "train_loss": np.ones(5), "test_loss": np.ones(5),
         "train_accuracy": np.ones(5), "test_accuracy": np.ones(5),
         "grad_norm": np.ones((5, 2)), "weight_norm": np.ones((5, 2))}
    images = np.random.default_rng(1).random((4, 64))
    return {
        "boundary": lambda **k: boundary_spec(x, x, out, X, y, **k),
        "curves": lambda **k: curves_spec(h, **k),
        "weights": lambda **k: weights_spec(net.params, **k),
        "diagram": lambda **k: diagram_spec(net.params, net.activations_of(grid_points(x, x)),
                                            activation_names=net.activations, **k),
        "gradients": lambda **k: gradients_spec(h, **k),
        "digits": lambda **k: digits_spec(images, [0, 1, 2, 3], [0, 1, 2, 0], **k),
        "confusion": lambda **k: confusion_spec([0, 1, 1], [0, 1, 0], **k),
        "first_layer": lambda **k: first_layer_spec(np.ones((64, 3)), **k),
        "parity": lambda **k: parity_spec(np.arange(6.0).reshape(3, 2),
                                          np.arange(6.0).reshape(3, 2), **k),
    }


@pytest.mark.parametrize("name", builders())
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_titles_and_axis_labels(name, theme):
    build = builders()[name]
    titled = build(title="Run 7", theme=theme)
    check_spec(titled)
    assert "Run 7" in titled["layout"]["title"]["text"]
    spec = build(theme=theme)
    lay = spec["layout"]
    axes = {k: v for k, v in lay.items() if k.startswith(("xaxis", "yaxis"))}
    shown = {k: v for k, v in axes.items() if v.get("visible", True)}
    for k, axis in shown.items():
        if k.startswith("xaxis"):        # every panel says what runs along it
            assert axis["title"]["text"], (name, k)
    if "yaxis" in shown:
        assert shown["yaxis"]["title"]["text"]
    # and the figure says what it is: its own title, panel titles or node labels
    words = [lay.get("title", {}).get("text", "")] + [a["text"] for a in lay.get("annotations", [])]
    assert any(w.strip() for w in words) or name in ("boundary",)
    assert lay["paper_bgcolor"] == th.THEMES[theme].paper
    assert lay["font"]["color"] == th.THEMES[theme].fg


def test_one_colour_convention_orange_negative_blue_positive():
    """As in TensorFlow Playground: orange for negative values and class 0, blue for
    positive values and class 1, on every figure that shows a sign or a binary class."""
    assert (th.class_color(0), th.class_color(1)) == (th.ORANGE, th.BLUE)
    net = MLP([2, 4, 1], activations=["tanh", "sigmoid"], seed=2)
    x = np.linspace(-1, 1, 5)
    out = net.predict(grid_points(x, x)).reshape(5, 5, 1)
    X, y = np.zeros((2, 2)), np.array([0, 1])
    for theme in ("light", "dark"):
        t = th.THEMES[theme]
        binary = uid(boundary_spec(x, x, out, X, y, theme=theme), "boundary-heat")
        assert binary["colorscale"][0][1] == th.blend(th.ORANGE, t.neutral, t.fade)
        assert binary["colorscale"][-1][1] == th.blend(th.BLUE, t.neutral, t.fade)
        assert binary["colorbar"]["title"]["text"] == "P(class 1)"    # the bar names blue
        weights = weights_spec(net.params, theme=theme)["layout"]["coloraxis"]
        first = first_layer_spec(np.ones((64, 2)), theme=theme)["data"][0]
        diagram = diagram_spec(net.params, net.activations_of(grid_points(x, x)), theme=theme)
        for scale in (weights["colorscale"], first["colorscale"],
                      diagram["layout"]["coloraxis"]["colorscale"]):
            assert (scale[0][1], scale[1][1], scale[-1][1]) == (th.ORANGE, t.neutral, th.BLUE)
        assert weights["colorbar"]["title"]["text"] == "weight"          # a bar with +/- values
        key = diagram["layout"]["coloraxis"]["colorbar"]                # maps are rescaled:
        assert key["ticktext"] == ["negative", "0", "positive"]        # the key names signs
        assert key["tickvals"] == [-1, 0, 1]
        edges = {e["uid"].split("-")[2]: e["line"]["color"] for e in diagram["data"]
                 if e["uid"].startswith("diagram-edges-") and e["uid"].endswith("-0")}
        assert edges == {"pos": th.rgba(th.BLUE, 0.35), "neg": th.rgba(th.ORANGE, 0.35)}
    assert len(EDGE_WIDTHS) >= 2
