import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.config import Config
from nnviz.engine.gradcheck import gradcheck
from nnviz.inside import equations
from nnviz.inside.step import batch_of, random_batch, walk
from nnviz.training import Trainer

CASES = [
    dict(dataset="moons", n_samples=120, hidden=(5, 3), optimizer="sgd", lr=0.1, batch_size=16),
    dict(dataset="spiral", n_samples=150, hidden=(6,), activation="relu", optimizer="adam",
         lr=0.01, l2=0.01, batch_size=20),
    dict(dataset="plane", n_samples=100, hidden=(4,), output_activation="tanh",
         optimizer="momentum", nesterov=True, l1=0.001, batch_size=8),
    dict(dataset="circles", n_samples=100, hidden=(), optimizer="sgd", batch_size=100),
]


@pytest.fixture(params=CASES, ids=lambda c: c["dataset"])
def trainer(request):
    t = Trainer(Config(**request.param))
    t.step(3)  # optimizer state (moments, velocity) is not fresh
    return t


def test_walk_numbers_are_loss_and_grads_on_the_same_batch(trainer):
    idx = trainer.next_batch_indices()
    w = walk(trainer, idx)
    X, y = batch_of(trainer, idx)
    c = trainer.config
    net = trainer.net.copy()
    loss, grads = net.loss_and_grads(X, y, loss=trainer.loss, l1=c.l1, l2=c.l2)
    assert w.data_loss == loss
    assert w.penalty == net.penalty(c.l1, c.l2)
    As = net.activations_of(X)
    for layer, (dW, db), (W, b), A in zip(w.layers, grads, trainer.net.params, As[1:], strict=True):
        np.testing.assert_array_equal(layer.dW, dW)
        np.testing.assert_array_equal(layer.db, db)
        np.testing.assert_array_equal(layer.W, W)
        np.testing.assert_array_equal(layer.b, b)
        np.testing.assert_allclose(layer.A, A, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(layer.Z, layer.A_in @ W + b, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(w.X, X)
    # The walk leaves the live trainer alone.
    assert trainer.steps == 3 and np.array_equal(trainer.next_batch_indices(), idx)


def test_next_step_is_one_trainer_step(trainer):
    twin = Trainer(trainer.config)
    twin.step(3)
    idx = trainer.next_batch_indices()
    w = walk(trainer, idx)
    assert trainer.step_on(idx) == 1
    twin.step(1)
    for layer, (W, b), (W2, b2) in zip(w.layers, trainer.net.params, twin.net.params, strict=True):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)
        np.testing.assert_array_equal(layer.W_after, W)
        np.testing.assert_array_equal(layer.b_after, b)
    X, y = batch_of(trainer, idx)
    assert w.data_loss_after == trainer.net.loss(X, y, loss=trainer.loss)
    assert w.step_number == trainer.steps


def test_sgd_update_is_minus_lr_times_gradient():
    t = Trainer(Config(**CASES[0]))
    w = walk(t, [0, 5, 7])
    for layer in w.layers:
        np.testing.assert_allclose(layer.step_W, -w.lr * layer.dW, rtol=1e-9, atol=1e-15)
    assert w.loss_dropped  # a small step on 3 samples lowers their loss
    assert w.fused and w.delta_scale == 1 / 3


def test_single_sample_and_bad_indices():
    t = Trainer(Config(**CASES[0]))
    w = walk(t, np.array([4]))
    assert w.X.shape == (1, 2) and w.layers[0].Z.shape == (1, 5)
    for bad in ([], [-1], [10_000], [[1, 2]], ["a"]):
        with pytest.raises(ValueError, match="training"):
            walk(t, bad)


def test_too_large_a_rate_is_reported_as_no_drop():
    t = Trainer(Config(**{**CASES[0], "lr": 10.0, "hidden": (8, 8)}))
    t.step(20)
    drops = [walk(t, random_batch(len(t.data.X_train), 4, s)).loss_dropped for s in range(10)]
    assert not all(drops)


def test_random_batch():
    b = random_batch(10, 4, seed=1)
    assert len(b) == 4 and len(set(b)) == 4 and list(b) == sorted(b)
    assert len(random_batch(3, 10, 0)) == 3
    with pytest.raises(ValueError, match="batch size"):
        random_batch(10, 0, 0)


def test_gradcheck_on_the_walked_batch_agrees():
    t = Trainer(Config(**CASES[1]))
    idx = t.next_batch_indices()
    X, y = batch_of(t, idx)
    check = gradcheck(t.net, X, y, t.loss, l1=t.config.l1, l2=t.config.l2)
    assert check.max_relative_error < 1e-6


def test_equations_carry_the_real_sizes():
    s = equations.forward_shapes(1, 32, 2, 8)
    assert r"_{32\times8}" in s and r"_{32\times2}" in s and r"_{2\times8}" in s and "_{8}" in s
    assert r"A^{[1]\top}" in equations.gradient_shapes(2, 32, 8, 1)
    eq, why = equations.output_delta("sigmoid", "bce", 2, 32, 1)
    assert "A^{[2]} - Y" in eq and "cancel" in why
    eq, why = equations.output_delta("tanh", "mse", 2, 32, 1)
    assert r"\odot" in eq and "chain rule" in why
    assert r"\frac{0.01}{2}" in equations.loss("bce", 2, 1, l2=0.01)
    assert "adam" not in equations.update("adam", 0.01) and r"\hat m" in equations.update("adam", 0.01)
    with pytest.raises(ValueError, match="allowed"):
        equations.update("rmsprop", 0.1)


def test_walk_config_fields_are_the_trainers():
    t = Trainer(Config(**CASES[2]))
    w = walk(t, [1, 2])
    assert (w.optimizer, w.loss_name, w.output_activation) == ("momentum", "mse", "tanh")
    assert not w.fused
    t.update(dataclasses.replace(t.config, lr=0.5))
    assert walk(t, [1]).lr == 0.5


@settings(max_examples=15, deadline=None, derandomize=True)
@given(activation=st.sampled_from(["tanh", "relu", "sigmoid", "leaky_relu", "linear"]),
       optimizer=st.sampled_from(["sgd", "momentum", "adam"]),
       hidden=st.lists(st.integers(1, 6), min_size=0, max_size=3),
       batch=st.integers(1, 40), warmup=st.integers(0, 4),
       l2=st.sampled_from([0.0, 0.01]))
def test_walk_then_step_on_is_step_for_any_net(activation, optimizer, hidden, batch, warmup, l2):
    c = Config(dataset="xor", n_samples=60, hidden=tuple(hidden), activation=activation,
               optimizer=optimizer, lr=0.05, batch_size=batch, l2=l2)
    t, twin = Trainer(c), Trainer(c)
    t.step(warmup)
    twin.step(warmup)
    idx = t.next_batch_indices()
    w = walk(t, idx)
    t.step_on(idx)
    twin.step(1)
    for layer, (W, b), (W2, b2) in zip(w.layers, t.net.params, twin.net.params, strict=True):
        np.testing.assert_array_equal(layer.W_after, W)
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)
