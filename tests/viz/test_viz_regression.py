import numpy as np
import pytest
from viz_helpers import axis_title, by_uid, check_spec, types

from nnviz.viz.regression import parity_figure, parity_spec, r2_score
from nnviz.viz.typed import unpack


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_predicted_against_true_per_output(k, theme):
    rng = np.random.default_rng(k)
    y = rng.normal(size=(50, k))
    pred = y + 0.3 * rng.normal(size=(50, k))
    names = [f"t{j}" for j in range(k)]
    spec = parity_spec(y, pred, target_names=names, theme=theme)
    check_spec(spec, parity_figure(y, pred, target_names=names, theme=theme))
    assert types(spec) == ["scatter", "scatter"] * k
    for j in range(k):
        ideal, pts = by_uid(spec, f"parity-ideal-{j + 1}"), by_uid(spec, f"parity-points-{j + 1}")
        assert ideal["x"] == ideal["y"]
        np.testing.assert_allclose(unpack(pts["y"]), pred[:, j], rtol=1e-6)
        r2 = 1 - np.sum((y[:, j] - pred[:, j]) ** 2) / np.sum((y[:, j] - y[:, j].mean()) ** 2)
        assert f"R² = {r2:.3f}" in spec["layout"]["annotations"][j]["text"]
        ax = "" if j == 0 else str(j + 1)
        assert axis_title(spec, "xaxis" + ax) == f"true t{j}"
        assert spec["layout"]["xaxis" + ax]["range"] == spec["layout"]["yaxis" + ax]["range"]
    assert axis_title(spec, "yaxis") == "predicted t0"


def test_constant_target_and_bad_shapes():
    assert np.isnan(r2_score([1.0, 1.0], [1.0, 2.0]))
    spec = parity_spec(np.ones(5), np.arange(5.0))
    check_spec(spec)
    assert "undefined" in spec["layout"]["annotations"][0]["text"]
    with pytest.raises(ValueError, match="must both be"):
        parity_spec(np.ones((5, 2)), np.ones((5, 3)))
