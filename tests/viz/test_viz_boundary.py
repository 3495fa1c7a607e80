import numpy as np
import pytest
from viz_helpers import axis_title, by_uid, check_spec, grid, net, points, types

from nnviz.viz.boundary import (
    DEFAULT_RESOLUTION,
    FRAME_UIDS,
    boundary_figure,
    boundary_spec,
    split_static,
)
from nnviz.viz.contour import level_segments
from nnviz.viz.typed import unpack


def binary_case(seed=0):
    network = net([2, 5, 1], seed=seed)
    x1, x2, out = grid(network)
    X, Xt = points(40, seed=1), points(15, seed=2)
    y, yt = (X[:, 0] > 0).astype(int), (Xt[:, 1] > 0).astype(int)
    return network, x1, x2, out, X, y, Xt, yt


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_binary_heatmap_is_the_networks_prediction_centred_at_half(theme):
    network, x1, x2, out, X, y, Xt, yt = binary_case()
    kw = dict(pred_train=network.predict(X), pred_test=network.predict(Xt), theme=theme)
    spec = boundary_spec(x1, x2, out, X, y, Xt, yt, **kw)
    check_spec(spec, boundary_figure(x1, x2, out, X, y, Xt, yt, **kw))
    heat = by_uid(spec, "boundary-heat")
    z = unpack(heat["z"])
    assert z.dtype == np.float32 and z.shape == (len(x2), len(x1))
    # the figure's z equals the network's own prediction at (x1[j], x2[i])
    for i, j in [(0, 0), (3, 7), (len(x2) - 1, len(x1) - 1)]:
        p = network.predict(np.array([[x1[j], x2[i]]]))[0, 0]
        assert z[i, j] == pytest.approx(p, abs=1e-6)
    np.testing.assert_allclose(unpack(heat["x"]), x1, rtol=1e-6)
    np.testing.assert_allclose(unpack(heat["y"]), x2, rtol=1e-6)
    assert (heat["zmin"] + heat["zmax"]) / 2 == 0.5
    assert heat["colorscale"][1][0] == 0.5
    assert types(spec) == ["heatmap", "scatter", "scatter", "scatter"] + ["scatter"] * 4 + ["scatter"]
    assert axis_title(spec, "xaxis") == "x1" and axis_title(spec, "yaxis") == "x2"
    assert spec["layout"]["yaxis"]["scaleanchor"] == "x"
    assert spec["layout"]["paper_bgcolor"] == ("#ffffff" if theme == "light" else "#0e1117")


def test_contour_runs_along_half():
    network, x1, x2, out, X, y, *_ = binary_case()
    spec = boundary_spec(x1, x2, out, X, y)
    line = by_uid(spec, "boundary-contour")
    cx, cy = unpack(line["x"]), unpack(line["y"])
    assert len(cx) > 0 and len(cx) % 3 == 0 and np.isnan(cx[2::3]).all()
    ends = np.column_stack([cx, cy])[np.isfinite(cx)]
    p = network.predict(ends)[:, 0]
    assert np.abs(p - 0.5).max() < 0.05      # linear interpolation on a 12x13 grid


def test_misclassified_points_are_the_wrong_predictions():
    network, x1, x2, out, X, y, Xt, yt = binary_case()
    pred, pred_t = network.predict(X), network.predict(Xt)
    wrong = ((pred[:, 0] >= 0.5) != y).sum() + ((pred_t[:, 0] >= 0.5) != yt).sum()
    spec = boundary_spec(x1, x2, out, X, y, Xt, yt, pred_train=pred, pred_test=pred_t)
    marks = by_uid(spec, "boundary-wrong")
    assert len(unpack(marks["x"])) == wrong and f"({wrong})" in marks["name"]
    # hiding the test points hides their marks too
    spec = boundary_spec(x1, x2, out, X, y, Xt, yt, pred_train=pred, pred_test=pred_t,
                         show_test=False)
    assert "boundary-test" not in [t.get("uid") for t in spec["data"]]
    assert len(unpack(by_uid(spec, "boundary-wrong")["x"])) == ((pred[:, 0] >= 0.5) != y).sum()


def test_points_split_from_the_frame():
    _, x1, x2, out, X, y, Xt, yt = binary_case()
    spec = boundary_spec(x1, x2, out, X, y, Xt, yt)
    moving, static = split_static(spec)
    assert {t["uid"] for t in moving["data"]} <= set(FRAME_UIDS)
    assert {"boundary-train", "boundary-test"} <= {t["uid"] for t in static}
    bare = boundary_spec(x1, x2, out, X, y, Xt, yt, include_points=False)
    assert [t["uid"] for t in bare["data"]] == [t["uid"] for t in moving["data"]]
    train = by_uid(spec, "boundary-train")
    np.testing.assert_allclose(unpack(train["x"]), X[:, 0], rtol=1e-6)
    np.testing.assert_array_equal(unpack(train["marker"]["color"]), y)
    assert by_uid(spec, "boundary-test")["marker"]["line"]["width"] > train["marker"]["line"]["width"]


def test_discretize_gives_hard_regions():
    _, x1, x2, out, X, y, *_ = binary_case()
    spec = boundary_spec(x1, x2, out, X, y, discretize=True)
    z = unpack(by_uid(spec, "boundary-heat")["z"])
    np.testing.assert_array_equal(z, (out[:, :, 0] >= 0.5).astype(np.float32))
    assert "boundary-contour" not in [t.get("uid") for t in spec["data"]]
    check_spec(spec)


@pytest.mark.parametrize("k", [3, 10])
@pytest.mark.parametrize("discretize", [False, True])
def test_several_classes_colour_by_predicted_class(k, discretize):
    network = net([2, 6, k], output="softmax", seed=k)
    x1, x2, out = grid(network)
    X = points(60, seed=3)
    y = np.arange(60) % k
    spec = boundary_spec(x1, x2, out, X, y, pred_train=network.predict(X), discretize=discretize,
                         class_names=[f"c{c}" for c in range(k)], theme="dark")
    check_spec(spec)
    heat = by_uid(spec, "boundary-heat")
    z = unpack(heat["z"])
    np.testing.assert_array_equal(np.rint(z), np.argmax(out, axis=-1))
    assert (heat["zmin"], heat["zmax"]) == (-0.5, k - 0.5)
    assert len(heat["colorscale"]) == 2 * k
    legend = [t["name"] for t in spec["data"] if t.get("uid", "").startswith("boundary-legend-")]
    assert legend == ["train"] + [f"c{c}" for c in range(k)]
    if not discretize:   # shade grows with confidence
        conf = out.max(axis=-1).ravel()
        frac = (z - np.rint(z)).ravel()
        assert np.corrcoef(conf, frac)[0, 1] > 0.99
    wrong = (np.argmax(network.predict(X), axis=1) != y).sum()
    assert len(unpack(by_uid(spec, "boundary-wrong")["x"])) == wrong


@pytest.mark.parametrize("n_out,output", [(1, 0), (3, 2)])
def test_regression_surface_on_a_diverging_scale(n_out, output):
    network = net([2, 4, n_out], output="linear")
    x1, x2, out = grid(network)
    X = points(30)
    Y = np.column_stack([X[:, 0] * (j + 1) + 3 for j in range(n_out)])
    spec = boundary_spec(x1, x2, out, X, Y, X[:5], Y[:5], task="regression", output=output,
                         target_name="z")
    check_spec(spec)
    heat = by_uid(spec, "boundary-heat")
    np.testing.assert_allclose(unpack(heat["z"]), out[:, :, output], rtol=1e-5, atol=1e-6)
    centre = (Y[:, output].min() + Y[:, output].max()) / 2
    assert (heat["zmin"] + heat["zmax"]) / 2 == pytest.approx(centre)
    assert heat["colorbar"]["title"]["text"] == "z"
    train = by_uid(spec, "boundary-train")
    assert (train["marker"]["cmin"] + train["marker"]["cmax"]) / 2 == pytest.approx(centre)
    assert "boundary-wrong" not in [t.get("uid") for t in spec["data"]]


def test_one_input_regression_is_a_fitted_curve():
    network = net([1, 6, 1], output="linear")
    x1 = np.linspace(-3, 3, 50)
    out = network.predict(x1[:, None])
    X = np.linspace(-3, 3, 20)[:, None]
    y = np.sin(X)
    kw = dict(task="regression", feature_names=["x"], target_name="y")
    spec = boundary_spec(x1, None, out, X, y, X[:4], y[:4], **kw)
    check_spec(spec, boundary_figure(x1, None, out, X, y, X[:4], y[:4], **kw))
    fit = by_uid(spec, "boundary-fit")
    assert fit["mode"] == "lines"
    np.testing.assert_allclose(unpack(fit["y"]), out[:, 0], rtol=1e-5, atol=1e-6)
    assert axis_title(spec) == "x" and axis_title(spec, "yaxis") == "y"
    assert {t["uid"] for t in spec["data"]} == {"boundary-fit", "boundary-train", "boundary-test"}


def test_default_resolution_and_float32_grid():
    assert DEFAULT_RESOLUTION == 100
    network = net([2, 3, 1])
    x1, x2, out = grid(network, r=DEFAULT_RESOLUTION)
    spec = boundary_spec(x1, x2, out, points(), np.zeros(40, dtype=int))
    heat = by_uid(spec, "boundary-heat")
    assert heat["z"]["dtype"] == "f4" and heat["z"]["shape"] == "101, 100"


@pytest.mark.parametrize("bad,message", [
    (dict(out=np.zeros((5, 5, 1))), "out must have shape"),
    (dict(X_train=np.zeros((40, 3))), "1 or 2 input features"),
    (dict(task="ranking"), "task must be one of"),
    (dict(theme="sepia"), "theme must be one of"),
    (dict(y_train=np.zeros(7, dtype=int)), "y_train has 7"),
])
def test_bad_input_says_what_is_wrong(bad, message):
    _, x1, x2, out, X, y, *_ = binary_case()
    args = dict(x1=x1, x2=x2, out=out, X_train=X, y_train=y) | bad
    theme = args.pop("theme", "light")
    task = args.pop("task", "classification")
    with pytest.raises(ValueError, match=message):
        boundary_spec(**args, theme=theme, task=task)


def test_level_segments_trace_a_circle_and_a_saddle():
    x = np.linspace(-1, 1, 41)
    g1, g2 = np.meshgrid(x, x)
    xs, ys = level_segments(x, x, np.hypot(g1, g2), 0.5)
    r = np.hypot(xs, ys)[np.isfinite(xs)]
    assert np.abs(r - 0.5).max() < 1e-3 and len(xs) // 3 > 40
    xs, ys = level_segments([0, 1], [0, 1], np.array([[1.0, -1.0], [-1.0, 1.0]]), 0.0)
    assert len(xs) == 6   # a saddle cell: two segments
    xs, ys = level_segments(x, x, np.zeros((41, 41)), 0.5)
    assert len(xs) == 0
