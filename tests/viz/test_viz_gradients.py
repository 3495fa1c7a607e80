import numpy as np
import pytest
from viz_helpers import axis_title, by_uid, check_spec, types

from nnviz.viz.gradients import gradients_figure, gradients_spec
from nnviz.viz.typed import unpack


def history(n=30, layers=3):
    step = np.arange(1, n + 1, dtype=float)
    grad = np.exp(-np.arange(layers))[None, :] / step[:, None]
    return {"step": step, "grad_norm": grad, "weight_norm": 1 + 0.01 * step[:, None] * np.ones(layers)}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_line_per_layer_per_norm_on_log_axes(theme):
    h = history()
    spec = gradients_spec(h, theme=theme)
    check_spec(spec, gradients_figure(h, theme=theme))
    assert types(spec) == ["scatter"] * 6
    assert spec["layout"]["yaxis"]["type"] == spec["layout"]["yaxis2"]["type"] == "log"
    np.testing.assert_allclose(unpack(by_uid(spec, "gradients-grad_norm-3")["y"]),
                               h["grad_norm"][:, 2], rtol=1e-6)
    legend = [t["name"] for t in spec["data"] if t["showlegend"]]
    assert legend == ["layer 1", "layer 2", "layer 3"]
    assert {t["legendgroup"] for t in spec["data"]} == set(legend)
    assert "gradient norm" in axis_title(spec, "yaxis") and "weight norm" in axis_title(spec, "yaxis2")
    assert axis_title(spec, "xaxis") == "step"


def test_nan_empty_and_one_layer():
    h = history(layers=1)
    h["grad_norm"][3, 0] = np.nan
    check_spec(gradients_spec(h, layer_names=["only"]))
    empty = {"step": np.array([]), "grad_norm": np.empty((0, 4)), "weight_norm": np.empty((0, 4))}
    spec = gradients_spec(empty)
    check_spec(spec)
    assert len(spec["data"]) == 8
    assert any("no steps yet" in a["text"] for a in spec["layout"]["annotations"])
    assert any("no steps yet" in a["text"]
               for a in gradients_spec({"step": []})["layout"]["annotations"])


def test_bad_history():
    with pytest.raises(ValueError, match=r"\(n_points, n_layers\)"):
        gradients_spec({"step": [1, 2], "grad_norm": np.ones((3, 2))})
    with pytest.raises(ValueError, match="layer_names needs 3"):
        gradients_spec(history(), layer_names=["a"])
