import numpy as np
import pytest
from viz_helpers import check_spec, net, types

from nnviz.viz.diagram import (
    DIAGRAM_MAX_UNITS,
    DIAGRAM_RESOLUTION,
    EDGE_WIDTHS,
    diagram_figure,
    diagram_spec,
    grid_points,
)
from nnviz.viz.typed import unpack


def case(sizes, hidden="tanh", output="sigmoid", r=8, seed=0):
    network = net(sizes, hidden=hidden, output=output, seed=seed)
    x = np.linspace(-2, 2, r)
    P = grid_points(x, x)
    features = np.column_stack([P, P[:, 0] * P[:, 1]])[:, :sizes[0]]   # e.g. a crossed input
    return network, network.activations_of(features), network.activations


def tiles(trace, n, r):
    """The n maps of one layer's heatmap, top node first (the trace stacks them bottom up)."""
    z = unpack(trace["z"])
    rows = z[~np.isnan(z).all(axis=1)]
    return rows.reshape(n, r, r)[::-1]


def edges(spec):
    return [t for t in spec["data"] if t["uid"].startswith("diagram-edges-")]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_nodes_show_what_each_unit_computes(theme):
    network, acts, names = case([2, 8, 8, 1])
    spec = diagram_spec(network.params, acts, activation_names=names, theme=theme)
    check_spec(spec, diagram_figure(network.params, acts, activation_names=names, theme=theme))
    maps = [t for t in spec["data"] if t["type"] == "heatmap"]
    assert len(maps) == 4 and len(edges(spec)) == 2 * len(EDGE_WIDTHS)
    assert len(spec["data"]) == 4 + 2 * len(EDGE_WIDTHS) + 1   # few traces, whatever the size
    assert all(t["coloraxis"] == "coloraxis" for t in maps)
    axis = spec["layout"]["coloraxis"]
    assert axis["cmin"] == -axis["cmax"] == -1.0
    # inputs: each scaled by its own max |value|; hidden tanh units: by the layer's max
    x1 = acts[0][:, 0].reshape(8, 8)
    np.testing.assert_allclose(tiles(maps[0], 2, 8)[0], x1 / np.abs(x1).max(), rtol=1e-5)
    h1 = acts[1].T.reshape(8, 8, 8)
    np.testing.assert_allclose(tiles(maps[1], 8, 8), h1 / np.abs(h1).max(), rtol=1e-5, atol=1e-6)
    # the sigmoid output is centred at 0.5
    out = acts[3][:, 0].reshape(8, 8) - 0.5
    np.testing.assert_allclose(tiles(maps[3], 1, 8)[0], out / np.abs(out).max(), rtol=1e-5, atol=1e-6)
    labels = " ".join(a["text"] for a in spec["layout"]["annotations"])
    assert "input" in labels and "hidden 2" in labels and "output" in labels and "x1" in labels


def test_edges_coloured_by_sign_and_binned_by_size():
    network, acts, names = case([2, 8, 8, 1], seed=4)
    spec = diagram_spec(network.params, acts, activation_names=names)
    n_pos = sum((W > 0).sum() for W, _ in network.params)
    n_neg = sum((W < 0).sum() for W, _ in network.params)
    count = {s: sum(len(unpack(t["x"])) // 3 for t in edges(spec) if f"-{s}-" in t["uid"])
             for s in ("pos", "neg")}
    assert count == {"pos": n_pos, "neg": n_neg}
    widths = [t["line"]["width"] for t in edges(spec)]
    assert widths == list(EDGE_WIDTHS) * 2
    biggest = max(np.abs(W).max() for W, _ in network.params)
    top_bin = [t for t in edges(spec) if t["uid"].endswith(f"-{len(EDGE_WIDTHS) - 1}")]
    assert sum(len(unpack(t["x"])) for t in top_bin) >= 3     # the largest |w| is drawn thickest
    assert biggest > 0


@pytest.mark.parametrize("sizes,output", [([2, 1], "sigmoid"), ([2, 1, 1], "sigmoid"),
                                          ([3, 4, 3], "softmax")])
def test_no_hidden_layer_width_one_and_several_outputs(sizes, output):
    network, acts, names = case(sizes, output=output)
    spec = diagram_spec(network.params, acts, activation_names=names)
    check_spec(spec)
    assert types(spec).count("heatmap") == len(sizes)


def test_wide_layers_are_capped_and_say_so():
    network, acts, names = case([2, 64, 1], hidden="relu")
    spec = diagram_spec(network.params, acts, activation_names=names)
    check_spec(spec)
    assert tiles(spec["data"][2 * len(EDGE_WIDTHS) + 1], DIAGRAM_MAX_UNITS, 8).shape[0] == DIAGRAM_MAX_UNITS
    assert any(a["text"] == f"{DIAGRAM_MAX_UNITS} of 64<br>shown" for a in spec["layout"]["annotations"])
    assert sum(len(unpack(t["x"])) // 3 for t in edges(spec)) <= 2 * DIAGRAM_MAX_UNITS + DIAGRAM_MAX_UNITS


def test_all_zero_weights_draw_no_edges():
    params = [(np.zeros((2, 3)), np.zeros(3)), (np.zeros((3, 1)), np.zeros(1))]
    acts = [np.ones((16, 2)), np.zeros((16, 3)), np.full((16, 1), 0.5)]
    spec = diagram_spec(params, acts, activation_names=["tanh", "sigmoid"])
    check_spec(spec)
    assert all(len(unpack(t["x"])) == 0 for t in edges(spec))
    assert not np.isnan(unpack(spec["data"][-2]["z"])).all()


def test_grid_points_order_and_bad_input():
    assert DIAGRAM_RESOLUTION == 16
    P = grid_points([0, 1, 2], [10, 20])
    np.testing.assert_array_equal(P, [[0, 10], [1, 10], [2, 10], [0, 20], [1, 20], [2, 20]])
    network, acts, _ = case([2, 3, 1])
    with pytest.raises(ValueError, match="must hold 3 arrays"):
        diagram_spec(network.params, acts[:2])
    with pytest.raises(ValueError, match=r"activations\[1\] must be"):
        diagram_spec(network.params, [acts[0], acts[1][:10], acts[2]])
    with pytest.raises(ValueError, match="one name per layer"):
        diagram_spec(network.params, acts, activation_names=["tanh"])


def test_deep_nets_get_short_headers():
    network, acts, names = case([2, 8, 8, 8, 8, 1], hidden="sigmoid")
    spec = diagram_spec(network.params, acts, activation_names=names)
    headers = [a["text"] for a in spec["layout"]["annotations"] if a["text"].startswith("<b>")]
    assert headers == ["<b>in</b><br>2", "<b>h1</b><br>8 σ", "<b>h2</b><br>8 σ",
                       "<b>h3</b><br>8 σ", "<b>h4</b><br>8 σ", "<b>out</b><br>1 σ"]
