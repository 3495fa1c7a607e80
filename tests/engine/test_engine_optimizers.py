"""Optimizers: known first steps, state kept across learning-rate changes, errors."""

import numpy as np
import pytest

from nnviz.engine import MLP, OPTIMIZERS, optimizers

G = np.array([0.5, -2.0, 0.0, 1e-3, 3.0, -0.25, 1.0, 0.1, -0.1])  # a 2-2-1 net's size


def _net(dtype=np.float64):
    net = MLP([2, 2, 1], ["tanh", "sigmoid"], seed=0, dtype=dtype)
    net.flat_grads[:] = G
    return net


def test_table_and_make():
    assert set(OPTIMIZERS) == {"sgd", "momentum", "adam"}
    opt = optimizers.make("momentum", lr=0.1, momentum=0.5, nesterov=True)
    assert (opt.lr, opt.momentum, opt.nesterov) == (0.1, 0.5, True)
    adam = optimizers.make("adam", lr=0.01)
    assert (adam.beta1, adam.beta2, adam.eps) == (0.9, 0.999, 1e-8)
    assert (optimizers.make("momentum", lr=0.1).momentum, optimizers.Momentum().nesterov) == (0.9, False)


def test_sgd_step_updates_params_in_place():
    net = _net()
    p0, W0 = net.flat_params.copy(), net.params[0][0]
    optimizers.make("sgd", lr=0.1).step(net)
    assert np.allclose(net.flat_params, p0 - 0.1 * G, rtol=1e-15)
    assert np.shares_memory(W0, net.flat_params)
    assert np.allclose(net.params[0][0].ravel(), (p0 - 0.1 * G)[:4])


def test_momentum_first_two_steps():
    net = _net()
    p0 = net.flat_params.copy()
    opt = optimizers.make("momentum", lr=0.1, momentum=0.9)
    opt.step(net)
    assert np.allclose(net.flat_params, p0 - 0.1 * G, rtol=1e-15)
    opt.step(net)  # v = 0.9 g + g
    assert np.allclose(net.flat_params, p0 - 0.1 * G - 0.1 * 1.9 * G, rtol=1e-14)


def test_nesterov_first_step_looks_ahead():
    net = _net()
    p0 = net.flat_params.copy()
    opt = optimizers.make("momentum", lr=0.1, momentum=0.9, nesterov=True)
    opt.step(net)
    assert np.allclose(net.flat_params, p0 - 0.1 * (G + 0.9 * G), rtol=1e-15)
    opt.step(net)  # v = 1.9 g; the step is g + 0.9 v = 2.71 g
    assert np.allclose(net.flat_params, p0 - 0.1 * 1.9 * G - 0.1 * 2.71 * G, rtol=1e-14)


def test_adam_first_step_is_lr_times_sign():
    net = _net()
    p0 = net.flat_params.copy()
    opt = optimizers.make("adam", lr=0.01)
    opt.step(net)
    assert np.allclose(net.flat_params, p0 - 0.01 * G / (np.abs(G) + 1e-8), rtol=1e-12)
    assert opt.t == 1


def _adam_reference(grads, lrs, b1=0.9, b2=0.999, eps=1e-8):
    p, m, v = np.zeros_like(grads[0]), np.zeros_like(grads[0]), np.zeros_like(grads[0])
    for t, (g, lr) in enumerate(zip(grads, lrs, strict=True), start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p = p - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    return p


def test_changing_lr_keeps_all_state():
    rng = np.random.default_rng(0)
    grads = [rng.standard_normal(G.size) for _ in range(5)]
    lrs = [0.01, 0.01, 0.01, 0.1, 0.1]
    net = _net()
    net.flat_params[:] = 0.0
    opt = optimizers.make("adam", lr=0.01)
    for g, lr in zip(grads, lrs, strict=True):
        opt.lr = lr
        net.flat_grads[:] = g
        opt.step(net)
    assert opt.t == 5
    assert np.allclose(net.flat_params, _adam_reference(grads, lrs), rtol=1e-12)

    net.flat_params[:] = 0.0
    mom = optimizers.make("momentum", lr=0.1, momentum=0.9)
    net.flat_grads[:] = G
    mom.step(net)
    velocity = mom.velocity
    mom.lr = 1.0
    mom.step(net)  # v = 1.9 g, taken at the new rate
    assert mom.velocity is velocity
    assert np.allclose(net.flat_params, -0.1 * G - 1.9 * G, rtol=1e-14)


def test_reset_and_a_new_net_size_start_fresh():
    net = _net()
    opt = optimizers.make("adam", lr=0.01)
    opt.step(net)
    opt.reset()
    assert opt.t == 0 and opt.m is None
    opt.step(net)
    bigger = MLP([2, 5, 1], ["tanh", "sigmoid"])
    opt.step(bigger)
    assert opt.t == 1 and opt.m.shape == bigger.flat_params.shape


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_state_keeps_the_net_dtype(name, dtype):
    net = _net(dtype)
    opt = optimizers.make(name, lr=0.1)
    opt.step(net)
    assert net.flat_params.dtype == dtype
    assert all(v.dtype == dtype for v in vars(opt).values() if isinstance(v, np.ndarray))


@pytest.mark.parametrize(("name", "kwargs", "match"), [
    ("rmsprop", {}, "unknown optimizer 'rmsprop'; allowed: sgd, momentum, adam"),
    ("sgd", {"lr": 0.0}, "lr must be a finite number > 0, got 0.0"),
    ("sgd", {"lr": float("inf")}, "lr must be a finite number > 0"),
    ("momentum", {"momentum": 1.0}, r"momentum must be in \[0, 1\), got 1.0"),
    ("adam", {"beta1": -0.1}, r"beta1 must be in \[0, 1\)"),
    ("adam", {"beta2": 1.0}, r"beta2 must be in \[0, 1\)"),
    ("adam", {"eps": 0.0}, "eps must be > 0"),
])
def test_bad_settings_are_rejected(name, kwargs, match):
    kwargs = {"lr": 0.1, **kwargs}
    with pytest.raises(ValueError, match=match):
        optimizers.make(name, **kwargs)


def test_bad_lr_set_later_is_rejected_and_changes_nothing():
    opt = optimizers.make("sgd", lr=0.1)
    with pytest.raises(ValueError, match="lr must be a finite number > 0, got -1"):
        opt.lr = -1
    assert opt.lr == 0.1


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_big_buffers_are_updated_in_chunks_like_small_ones(name):
    big = MLP([300, 256, 1], ["tanh", "sigmoid"], seed=0)
    assert big.n_params > optimizers.CHUNK
    g = np.random.default_rng(0).standard_normal(big.n_params)
    p0 = big.flat_params.copy()
    opt = optimizers.make(name, lr=0.1)
    for _ in range(2):
        big.flat_grads[:] = g
        opt.step(big)
    expected = {"sgd": p0 - 0.2 * g,
                "momentum": p0 - 0.1 * g - 0.1 * 1.9 * g,
                "adam": p0 + _adam_reference([g, g], [0.1, 0.1])}[name]
    assert np.allclose(big.flat_params, expected, rtol=1e-12, atol=1e-15)
