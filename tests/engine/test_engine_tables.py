"""Known values of every activation, derivative, loss and initializer."""

import numpy as np
import pytest

from nnviz.engine import ACTIVATIONS, INITIALIZERS, LOSSES, MLP, reference
from nnviz.engine.activations import softmax_backward

LN2, LN3 = np.log(2.0), np.log(3.0)
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise"}


@pytest.mark.parametrize(("name", "z", "a", "da"), [
    ("sigmoid", [0.0, LN3, -LN3], [0.5, 0.75, 0.25], [0.25, 0.1875, 0.1875]),
    ("tanh", [0.0, np.arctanh(0.5), -np.arctanh(0.5)], [0.0, 0.5, -0.5], [1.0, 0.75, 0.75]),
    ("relu", [-2.0, 0.0, 3.0], [0.0, 0.0, 3.0], [0.0, 0.0, 1.0]),
    ("leaky_relu", [-2.0, 0.0, 3.0], [-0.02, 0.0, 3.0], [0.01, 0.01, 1.0]),
    ("linear", [-2.0, 0.0, 3.0], [-2.0, 0.0, 3.0], [1.0, 1.0, 1.0]),
])
def test_activation_and_derivative_known_values(name, z, a, da):
    act = ACTIVATIONS[name]
    z = np.array([z])
    assert np.allclose(act.f(z), [a], rtol=1e-12, atol=1e-15)
    assert np.allclose(act.df(z, act.f(z)), [da], rtol=1e-12, atol=1e-15)
    # The out= form writes in place and agrees.
    out = np.empty_like(z)
    assert act.f(z, out=out) is out and np.allclose(out, [a], atol=1e-15)
    dout = np.empty_like(z)
    assert act.df(z, out, out=dout) is dout and np.allclose(dout, [da], atol=1e-15)


@pytest.mark.parametrize("name", [n for n, a in ACTIVATIONS.items() if a.df is not None])
def test_derivative_matches_central_difference(name):
    act = ACTIVATIONS[name]
    z = np.array([[-2.3, -0.7, 0.4, 1.9]])
    h = 1e-6
    numerical = (act.f(z + h) - act.f(z - h)) / (2 * h)
    assert np.allclose(act.df(z, act.f(z)), numerical, rtol=1e-7, atol=1e-9)


def test_softmax_known_values_and_jacobian():
    f = ACTIVATIONS["softmax"].f
    assert ACTIVATIONS["softmax"].df is None
    assert np.allclose(f(np.array([[0.0, LN2, LN3]])), [[1 / 6, 2 / 6, 3 / 6]], rtol=1e-12)
    # softmax_backward is the Jacobian-vector product a * (da - sum(da * a)).
    z = np.array([[0.3, -1.2, 2.0], [0.0, 0.5, -0.5]])
    da = np.array([[1.0, -2.0, 0.5], [0.3, 0.1, -0.7]])
    a = f(z)
    for row in range(2):
        J = np.diag(a[row]) - np.outer(a[row], a[row])
        assert np.allclose(softmax_backward(da, a)[row], J @ da[row], rtol=1e-12)


@pytest.mark.parametrize("big", [1000.0, 1e4])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_inputs_stay_finite_without_warnings(big, dtype):
    z = np.array([[-big, -1.0, 0.0, 1.0, big]], dtype=dtype)
    with np.errstate(**STRICT):
        for name, act in ACTIVATIONS.items():
            a = act.f(z)
            assert a.dtype == dtype and np.all(np.isfinite(a)), name
            if act.df is not None:
                assert np.all(np.isfinite(act.df(z, a))), name
        s = ACTIVATIONS["sigmoid"].f(z)
        assert s[0, 0] == 0.0 and s[0, -1] == 1.0
        p = ACTIVATIONS["softmax"].f(np.array([[big, -big], [-big, -big]], dtype=dtype))
        assert np.allclose(p, [[1.0, 0.0], [0.5, 0.5]])


def _loss(name, z, t, a=None):
    z, t = np.asarray(z, float), np.asarray(t, float)
    if a is None:
        a = ACTIVATIONS[{"bce": "sigmoid", "cross_entropy": "softmax", "mse": "linear"}[name]].f(z)
    return LOSSES[name].value(z, a, t)


def test_bce_known_values():
    # a = [0.5, 0.75] with labels [1, 0]: (-ln 0.5 - ln 0.25) / 2 = 1.5 ln 2.
    assert _loss("bce", [[0.0], [LN3]], [[1.0], [0.0]]) == pytest.approx(1.5 * LN2, rel=1e-12)


def test_cross_entropy_known_values():
    # softmax([0, ln 2, ln 3]) = [1, 2, 3] / 6; the true class 2 has p = 1/2.
    z = [[0.0, LN2, LN3], [0.0, LN2, LN3]]
    t = [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    assert _loss("cross_entropy", z, t) == pytest.approx((LN2 + np.log(6.0)) / 2, rel=1e-12)


def test_mse_known_values():
    a = [[1.0, 2.0], [3.0, 4.0]]
    t = [[0.0, 2.0], [3.0, 0.0]]
    assert _loss("mse", a, t, a=np.array(a)) == pytest.approx((1 + 16) / 4, rel=1e-12)


@pytest.mark.parametrize("big", [1000.0, 1e4])
def test_losses_from_extreme_logits_are_finite_and_exact(big):
    with np.errstate(**STRICT):
        assert _loss("bce", [[big], [-big]], [[1.0], [0.0]]) == 0.0
        assert _loss("bce", [[big], [-big]], [[0.0], [1.0]]) == pytest.approx(big)
        z = [[big, -big, 0.0]]
        assert _loss("cross_entropy", z, [[1.0, 0.0, 0.0]]) == pytest.approx(0.0, abs=1e-300)
        assert _loss("cross_entropy", z, [[0.0, 1.0, 0.0]]) == pytest.approx(2 * big)
        for name in LOSSES:
            zz = np.array([[big, -big]]) if name != "bce" else np.array([[big]])
            t = np.array([[0.0, 1.0]]) if name != "bce" else np.array([[0.0]])
            a = np.clip(ACTIVATIONS["sigmoid"].f(zz), 0, 1)
            assert np.all(np.isfinite(LOSSES[name].delta(zz, a, t))), name


@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_delta_is_the_derivative_of_each_samples_loss(name):
    # delta is dl/da of each row's own loss: m times the derivative of the mean.
    rng = np.random.default_rng(0)
    if name == "cross_entropy":
        a = ACTIVATIONS["softmax"].f(rng.standard_normal((4, 3)))
        t = np.eye(3)[[0, 2, 1, 2]]
        value = lambda a: -np.sum(t * np.log(a)) / 4  # noqa: E731
    else:
        k = 1 if name == "bce" else 2
        a = rng.uniform(0.1, 0.9, (4, k))
        t = rng.integers(0, 2, (4, k)).astype(float)
        if name == "bce":
            value = lambda a: -np.mean(t * np.log(a) + (1 - t) * np.log(1 - a))  # noqa: E731
        else:
            value = lambda a: np.mean((a - t) ** 2)  # noqa: E731
    h = 1e-6
    numerical = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        up, down = a.copy(), a.copy()
        up[idx] += h
        down[idx] -= h
        numerical[idx] = (value(up) - value(down)) / (2 * h)
    assert np.allclose(LOSSES[name].delta(np.zeros_like(a), a, t) / len(a), numerical,
                       rtol=1e-6)


@pytest.mark.parametrize("name", list(LOSSES))
def test_fused_delta_is_the_chain_rule_simplified(name):
    fused = LOSSES[name].fused
    act = ACTIVATIONS[fused.activation]
    rng = np.random.default_rng(1)
    k = 1 if name == "bce" else 3
    z = rng.standard_normal((5, k))
    a = act.f(z)
    t = np.eye(k)[rng.integers(0, k, 5)] if name == "cross_entropy" else \
        rng.integers(0, 2, (5, k)).astype(float)
    da = LOSSES[name].delta(z, a, t)
    chain = softmax_backward(da, a) if act.df is None else da * act.df(z, a)
    assert np.allclose(fused.scale(k) * (a - t), chain, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_initializers_scale_shape_and_dtype(dtype):
    rng = np.random.default_rng(0)
    small, xavier, he, tfp = (INITIALIZERS[name].weights(200, 300, rng, dtype)
                              for name in ("small", "xavier", "he", "tfp"))
    for W in (small, xavier, he, tfp):
        assert W.shape == (200, 300) and W.dtype == dtype
    assert small.std() == pytest.approx(0.01, rel=0.02)
    r = np.sqrt(6 / 500)
    assert np.abs(xavier).max() <= r and xavier.std() == pytest.approx(r / np.sqrt(3), rel=0.02)
    assert he.std() == pytest.approx(np.sqrt(2 / 200), rel=0.02)
    assert np.abs(tfp).max() <= 0.5 and tfp.std() == pytest.approx(1 / np.sqrt(12), rel=0.02)


@pytest.mark.parametrize("name", list(INITIALIZERS))
def test_biases_start_where_the_table_says(name):
    net = MLP([3, 5, 4, 2], ["tanh", "relu", "softmax"], init=name, seed=1)
    start = INITIALIZERS[name]
    assert start.bias == (0.1 if name == "tfp" else 0.0)
    for (W, b), (rW, rb) in zip(net.params, reference.init_params([3, 5, 4, 2], name, 1),
                                strict=True):
        assert np.all(b == start.bias) and np.array_equal(b, rb) and np.array_equal(W, rW)
    f32 = MLP([3, 5, 4, 2], ["tanh", "relu", "softmax"], init=name, seed=1, dtype=np.float32)
    assert all(np.all(b == np.float32(start.bias)) for _, b in f32.params)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_may_overwrite_its_input(name):
    z = np.array([[-2.0, -0.5, 0.0, 0.7, 3.0]])
    expected = ACTIVATIONS[name].f(z)
    zz = z.copy()
    assert ACTIVATIONS[name].f(zz, out=zz) is zz
    assert np.allclose(zz, expected, rtol=1e-15)
