import numpy as np
import pytest
from viz_helpers import axis_title, check_spec

from nnviz.viz.digits import (
    confusion_figure,
    confusion_spec,
    digits_figure,
    digits_spec,
    first_layer_figure,
    first_layer_spec,
    image_side,
    tile,
)
from nnviz.viz.typed import unpack


def images(n, side, seed=0):
    return np.random.default_rng(seed).integers(0, 17, size=(n, side * side)).astype(float)


@pytest.mark.parametrize("side", [8, 28])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_digit_grid_marks_wrong_predictions(side, theme):
    X = images(30, side)
    y_true = np.arange(30) % 10
    y_pred = y_true.copy()
    y_pred[[2, 5, 11]] = 9 - y_true[[2, 5, 11]]
    kw = dict(n_show=20, columns=5, theme=theme)
    spec = digits_spec(X, y_true, y_pred, **kw)
    check_spec(spec, digits_figure(X, y_true, y_pred, **kw))
    z = unpack(spec["data"][0]["z"])
    # the first image, scaled to [0, 1], is the top-left tile
    lo, hi = X[:20].min(), X[:20].max()
    np.testing.assert_allclose(z[:side, :side], (X[0].reshape(side, side) - lo) / (hi - lo), rtol=1e-6)
    assert len(spec["layout"]["shapes"]) == 3                     # wrong ones framed
    labels = [a["text"] for a in spec["layout"]["annotations"]]
    assert len(labels) == 20 and labels[2] == f"{y_pred[2]}/{y_true[2]}"
    assert "3 of 20 wrong" in spec["layout"]["title"]["text"]
    first = digits_spec(X, y_true, y_pred, wrong_first=True, n_show=3)
    assert len(first["layout"]["shapes"]) == 3


@pytest.mark.parametrize("k", [3, 10])
def test_confusion_matrix_counts(k):
    rng = np.random.default_rng(k)
    y_true, y_pred = rng.integers(0, k, 200), rng.integers(0, k, 200)
    spec = confusion_spec(y_true, y_pred, n_classes=k, theme="dark")
    check_spec(spec, confusion_figure(y_true, y_pred, n_classes=k, theme="dark"))
    z = unpack(spec["data"][0]["z"])
    expected = np.zeros((k, k))
    for t, p in zip(y_true, y_pred, strict=True):
        expected[t, p] += 1
    np.testing.assert_array_equal(z, expected)
    assert spec["data"][0]["texttemplate"] == "%{z}"
    assert axis_title(spec) == "predicted class" and axis_title(spec, "yaxis") == "true class"
    assert f"{np.mean(y_true == y_pred):.1%}" in spec["layout"]["title"]["text"]
    with pytest.raises(ValueError, match="labels must be in"):
        confusion_spec([0, 5], [0, 1], n_classes=3)


@pytest.mark.parametrize("n_features,n_units", [(64, 10), (784, 40), (4, 1)])
def test_first_layer_weights_as_images(n_features, n_units):
    W = np.random.default_rng(0).normal(size=(n_features, n_units))
    spec = first_layer_spec(W, max_units=32, columns=8)
    check_spec(spec, first_layer_figure(W, max_units=32, columns=8))
    side = image_side(n_features)
    trace = spec["data"][0]
    z = unpack(trace["z"])
    np.testing.assert_allclose(z[:side, :side], W[:, 0].reshape(side, side), rtol=1e-6)
    top = np.abs(W[:, :32]).max()
    assert trace["zmin"] == -trace["zmax"] == pytest.approx(-top)
    assert len(spec["layout"]["annotations"]) == min(n_units, 32)
    assert "as" in spec["layout"]["title"]["text"]


def test_non_square_images_and_zero_weights():
    with pytest.raises(ValueError, match="square number"):
        first_layer_spec(np.ones((10, 3)))
    spec = first_layer_spec(np.zeros((64, 3)))
    check_spec(spec)
    assert spec["data"][0]["zmax"] == 1.0
    assert tile(np.ones((3, 4)), 2, 2).shape == (6, 5)
