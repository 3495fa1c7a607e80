"""Backprop against central differences: every activation x every valid loss x depth."""

import numpy as np
import pytest
from engine_cases import CASE_IDS, CASES, PAIRS, random_targets
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nnviz.engine import ACTIVATIONS, MLP, gradcheck, hidden_activations

KINKED = {"relu", "leaky_relu"}


def _away_from_kinks(net, X, acts):
    """True when no pre-activation of a relu-like layer is within 1e-3 of 0."""
    A = X
    for (W, b), name in zip(net.params, acts, strict=True):
        Z = A @ W + b
        if name in KINKED and np.min(np.abs(Z)) < 1e-3:
            return False
        A = ACTIVATIONS[name].f(Z)
    return True


def _resolvable(result, loss_value):
    """True when every layer's numerical gradient is large enough for central
    differences to resolve: at eps = 1e-5 they carry a rounding error of about
    1e-16 |L| / eps, so a layer whose entries are all below ~1e-4 |L| (a chain of
    leaky_relu units on their 0.01 slope, say) cannot be checked to 1e-6 relative,
    right or wrong. Only the numerical side is looked at, so a wrong backprop that
    returns zeros still fails."""
    scale = 1e-4 * max(abs(loss_value), 1.0)
    return all(np.abs(c.numerical).max() > scale for c in result.layers)


BOUNDED = settings(derandomize=True, max_examples=6, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.filter_too_much])


@pytest.mark.parametrize(("hidden", "out", "loss", "depth"), CASES, ids=CASE_IDS)
@BOUNDED
@given(seed=st.integers(0, 2**16), n=st.integers(2, 6), n_in=st.integers(1, 3),
       width=st.integers(1, 4), k=st.integers(2, 3), reg=st.sampled_from([0.0, 0.05]))
def test_backprop_matches_central_differences(hidden, out, loss, depth, seed, n, n_in,
                                              width, k, reg):
    k = 1 if loss == "bce" else k
    acts = [hidden] * depth + [out]
    rng = np.random.default_rng(seed)
    net = MLP([n_in] + [width] * depth + [k], acts, init="xavier", seed=seed)
    # Non-zero biases so that linear/relu layers are not centred on the kink.
    for _, b in net.params:
        b[...] = rng.uniform(-0.5, 0.5, b.shape)
    X = rng.standard_normal((n, n_in))
    y = random_targets(loss, n, k, rng)
    assume(_away_from_kinks(net, X, acts))
    result = gradcheck(net, X, y, loss, l1=reg, l2=2 * reg)
    assume(_resolvable(result, net.loss(X, y, loss, l1=reg, l2=2 * reg)))
    assert len(result.layers) == depth + 1
    assert result.max_relative_error < 1e-6, result.relative_errors


@settings(BOUNDED, max_examples=40)
@given(data=st.data(), seed=st.integers(0, 2**16), n=st.integers(2, 5),
       widths=st.lists(st.integers(1, 4), min_size=2, max_size=6))
def test_backprop_with_a_different_activation_in_each_layer(data, seed, n, widths):
    # One activation per layer, drawn independently: each layer must use its own f'.
    hidden = [data.draw(st.sampled_from(hidden_activations())) for _ in widths]
    out, loss = data.draw(st.sampled_from(PAIRS))
    k = 1 if loss == "bce" else data.draw(st.integers(2, 3))
    acts = hidden + [out]
    rng = np.random.default_rng(seed)
    net = MLP([2] + widths + [k], acts, init="xavier", seed=seed)
    for _, b in net.params:
        b[...] = rng.uniform(-0.5, 0.5, b.shape)
    X = rng.standard_normal((n, 2))
    y = random_targets(loss, n, k, rng)
    assume(_away_from_kinks(net, X, acts))
    result = gradcheck(net, X, y, loss, l2=0.01)
    assume(_resolvable(result, net.loss(X, y, loss, l2=0.01)))
    assert result.max_relative_error < 1e-6, (acts, result.relative_errors)


def test_gradcheck_subset_is_seeded_and_reports_arrays():
    rng = np.random.default_rng(0)
    net = MLP([3, 16, 2], ["tanh", "softmax"], seed=1)
    X, y = rng.standard_normal((10, 3)), rng.integers(0, 2, 10)
    a = gradcheck(net, X, y, "cross_entropy", max_per_layer=5, seed=3)
    b = gradcheck(net, X, y, "cross_entropy", max_per_layer=5, seed=3)
    first, second = a.layers
    assert (first.checked, first.total) == (5, 4 * 16)
    assert (second.checked, second.total) == (5, 17 * 2)
    assert np.array_equal(first.index, b.layers[0].index)
    assert first.analytic.shape == first.numerical.shape == (5,)
    assert a.max_relative_error < 1e-6
    # The analytic entries are the net's own gradient at those block positions.
    _, grads = net.loss_and_grads(X, y, "cross_entropy")
    for check, (dW, db) in zip(a.layers, grads, strict=True):
        block = np.vstack([dW, db[None, :]]).ravel()
        assert np.allclose(block[check.index], check.analytic, rtol=1e-12, atol=0)
    full = gradcheck(net, X, y, "cross_entropy")
    assert [c.checked for c in full.layers] == [64, 34]


def test_gradcheck_detects_a_wrong_gradient(monkeypatch):
    rng = np.random.default_rng(0)
    net = MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    X, y = rng.standard_normal((8, 2)), rng.integers(0, 2, 8)
    real = MLP.loss_and_grads

    def off_by_a_bit(self, *args, **kwargs):
        value, grads = real(self, *args, **kwargs)
        self.flat_grads[0] *= 1.01
        return value, grads

    monkeypatch.setattr(MLP, "loss_and_grads", off_by_a_bit)
    result = gradcheck(net, X, y, "bce")
    assert result.layers[0].relative_error > 1e-4
    assert result.layers[1].relative_error < 1e-6


def test_gradcheck_leaves_the_net_alone_and_handles_float32():
    rng = np.random.default_rng(1)
    net = MLP([2, 4, 1], ["relu", "sigmoid"], init="he", seed=2, dtype=np.float32)
    before = net.flat_params.copy()
    X, y = rng.standard_normal((6, 2)), rng.integers(0, 2, 6)
    result = gradcheck(net, X, y, "bce")
    assert np.array_equal(net.flat_params, before)
    assert result.layers[0].analytic.dtype == np.float64


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"eps": 0.0}, "eps must be > 0"),
    ({"max_per_layer": 0}, "max_per_layer must be a positive integer"),
])
def test_gradcheck_rejects_bad_settings(kwargs, match):
    net = MLP([2, 1], ["sigmoid"])
    with pytest.raises(ValueError, match=match):
        gradcheck(net, np.zeros((2, 2)), np.array([0, 1]), "bce", **kwargs)
