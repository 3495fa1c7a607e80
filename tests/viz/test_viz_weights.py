import numpy as np
import pytest
from viz_helpers import axis_title, check_spec, net, types

from nnviz.viz.typed import unpack
from nnviz.viz.weights import unit_names, weights_figure, weights_spec


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_one_heatmap_per_layer_on_one_scale_centred_at_zero(theme):
    params = net([2, 8, 8, 1], seed=3).params
    spec = weights_spec(params, theme=theme)
    check_spec(spec, weights_figure(params, theme=theme))
    assert types(spec) == ["heatmap"] * 3
    top = max(max(np.abs(W).max(), np.abs(b).max()) for W, b in params)
    axis = spec["layout"]["coloraxis"]
    assert axis["cmin"] == -axis["cmax"] == pytest.approx(-top)
    for l, (trace, (W, b)) in enumerate(zip(spec["data"], params, strict=True)):
        assert trace["coloraxis"] == "coloraxis"
        np.testing.assert_allclose(unpack(trace["z"]), np.vstack([W, b]), rtol=1e-6)
        assert trace["y"][-1] == "bias" and len(trace["x"]) == W.shape[1]
        assert "%{y} → %{x}: %{z:.3f}" in trace["hovertemplate"]
        assert axis_title(spec, "xaxis" + ("" if l == 0 else str(l + 1))) == f"layer {l + 1} units"
    assert spec["data"][0]["y"] == ["x1", "x2", "bias"]
    assert spec["data"][1]["y"][:2] == ["h1.1", "h1.2"] and spec["data"][2]["x"] == ["out"]
    assert [a["text"] for a in spec["layout"]["annotations"]][0].startswith("W1, b1")


@pytest.mark.parametrize("sizes", [[2, 1], [3, 1, 2], [2, 64, 10]])
def test_degenerate_and_wide_networks(sizes):
    network = net(sizes, output="softmax" if sizes[-1] > 1 else "sigmoid")
    spec = weights_spec(network.params, input_names=[f"f{i}" for i in range(sizes[0])])
    check_spec(spec)
    assert len(spec["data"]) == len(sizes) - 1
    assert spec["data"][0]["y"][0] == "f0"


def test_all_zero_weights_still_draw():
    params = [(np.zeros((2, 3)), np.zeros(3)), (np.zeros((3, 1)), np.zeros(1))]
    spec = weights_spec(params)
    check_spec(spec)
    assert spec["layout"]["coloraxis"]["cmax"] == 1.0


def test_names_and_bad_params():
    assert unit_names([2, 3, 2], output_names=["a", "b"]) == [
        ["x1", "x2"], ["h1.1", "h1.2", "h1.3"], ["a", "b"]]
    with pytest.raises(ValueError, match="expected 2 names"):
        unit_names([2, 1], input_names=["only one"])
    with pytest.raises(ValueError, match="layer 2"):
        weights_spec([(np.zeros((2, 3)), np.zeros(3)), (np.zeros((4, 1)), np.zeros(1))])
    with pytest.raises(ValueError, match="empty"):
        weights_spec([])
