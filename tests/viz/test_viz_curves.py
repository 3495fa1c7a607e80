import numpy as np
import pytest
from viz_helpers import axis_title, by_uid, check_spec, types

from nnviz.viz.curves import curves_figure, curves_spec, thin
from nnviz.viz.typed import unpack


def history(n=50, metric="accuracy"):
    step = np.arange(1, n + 1) * 10.0
    h = {"step": step, "epoch": step / 100, "train_loss": 1 / step, "test_loss": 2 / step}
    keys = ("train_accuracy", "test_accuracy") if metric == "accuracy" else ("train_r2", "test_r2")
    h[keys[0]], h[keys[1]] = 1 - 1 / step, 1 - 2 / step
    return h


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_loss_and_accuracy_panels_with_current_values(theme):
    h = history()
    spec = curves_spec(h, theme=theme)
    check_spec(spec, curves_figure(h, theme=theme))
    assert types(spec) == ["scatter"] * 4
    np.testing.assert_allclose(unpack(by_uid(spec, "curves-test_loss")["y"]), h["test_loss"], rtol=1e-6)
    np.testing.assert_allclose(unpack(by_uid(spec, "curves-train_accuracy")["x"]), h["step"])
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert "loss" in titles[0] and f"{1 / 500:.4g}" in titles[0] and f"{2 / 500:.4g}" in titles[0]
    assert "accuracy" in titles[1] and "99.8%" in titles[1] and "99.6%" in titles[1]
    assert axis_title(spec, "yaxis") == "loss" and axis_title(spec, "yaxis2") == "accuracy"
    assert axis_title(spec, "xaxis") == "step" and axis_title(spec, "xaxis2") == "step"
    assert spec["layout"]["yaxis2"]["range"] == [0, 1.02]


def test_log_scale_and_r2():
    spec = curves_spec(history(metric="r2"), log_y=True)
    check_spec(spec)
    assert spec["layout"]["yaxis"]["type"] == "log"
    assert axis_title(spec, "yaxis2") == "R²"
    assert "curves-test_r2" in [t["uid"] for t in spec["data"]]


def test_nan_is_a_gap_and_the_last_finite_value_is_shown():
    h = history(10)
    h["test_loss"][4] = np.nan
    h["test_loss"][-1] = np.nan
    spec = curves_spec(h)
    check_spec(spec)
    y = unpack(by_uid(spec, "curves-test_loss")["y"])
    assert np.isnan(y[4]) and np.isnan(y[-1])
    assert f"{h['test_loss'][-2]:.4g}" in spec["layout"]["annotations"][0]["text"]


def test_empty_history_and_loss_only():
    h = {"step": np.array([]), "train_loss": np.array([]), "test_loss": np.array([])}
    spec = curves_spec(h)
    check_spec(spec, curves_figure(h))
    assert len(spec["data"]) == 2
    assert any("no steps yet" in a["text"] for a in spec["layout"]["annotations"])
    h = history(3)
    h["train_loss"][:] = np.nan
    assert "–" in curves_spec(h)["layout"]["annotations"][0]["text"]


def test_long_histories_are_thinned_keeping_the_last_point():
    idx = thin(10_001, 500)
    assert len(idx) <= 501 and idx[0] == 0 and idx[-1] == 10_000
    assert np.array_equal(thin(7, 500), np.arange(7))
    spec = curves_spec(history(3000), max_points=100)
    x = unpack(spec["data"][0]["x"])
    assert len(x) <= 101 and x[-1] == 30_000


def test_bad_history_says_what_is_wrong():
    with pytest.raises(ValueError, match="'step'"):
        curves_spec({"train_loss": [1.0]})
    with pytest.raises(ValueError, match="has 2 values"):
        curves_spec({"step": [1, 2, 3], "train_loss": [1.0, 2.0]})
    with pytest.raises(ValueError, match="max_points"):
        curves_spec(history(), max_points=1)
