"""Raw inputs: `standardize=False` feeds the network the numbers as they are.

The proof that nothing else happens to them: nnviz's Trainer, full batch with plain
gradient descent on unscaled data, takes exactly the steps of the classic
one-hidden-layer tutorial loop written out by hand below.
"""

import dataclasses

import numpy as np
import pytest

from nnviz import datasets
from nnviz.config import RESET_FIELDS, Config
from nnviz.engine.mlp import MLP
from nnviz.training import Trainer

FLOWER = Config(dataset="flower", n_samples=400, noise=0.2, test_ratio=0.25, hidden=(4,),
                activation="tanh", init="small", optimizer="sgd", lr=1.2, batch_size=1000,
                seed=3, init_seed=7, standardize=False)


def textbook_loop(X, Y, params, lr, iterations):
    """The planar-data tutorial: tanh hidden layer, sigmoid output, cross-entropy,
    full-batch gradient descent. Samples are rows: X (m, 2), Y (m, 1).
    Returns the parameters and the cost before each iteration."""
    (W1, b1), (W2, b2) = [(W.copy(), b.copy()) for W, b in params]
    m = X.shape[0]
    costs = []
    for _ in range(iterations):
        Z1 = X @ W1 + b1
        A1 = np.tanh(Z1)
        Z2 = A1 @ W2 + b2
        A2 = 1 / (1 + np.exp(-Z2))
        costs.append(float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))))
        dZ2 = A2 - Y
        dW2 = A1.T @ dZ2 / m
        db2 = dZ2.sum(axis=0) / m
        dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
        dW1 = X.T @ dZ1 / m
        db1 = dZ1.sum(axis=0) / m
        W1, b1 = W1 - lr * dW1, b1 - lr * db1
        W2, b2 = W2 - lr * dW2, b2 - lr * db2
    return [(W1, b1), (W2, b2)], costs


def test_raw_inputs_reproduce_the_textbook_loop_exactly():
    c = FLOWER
    X, y = datasets.load("flower", n_samples=c.n_samples, noise=c.noise, seed=c.seed)
    X_train, _, y_train, _ = datasets.split(X, y, c.test_ratio, c.seed, stratify=True)
    first = MLP([2, 4, 1], ["tanh", "sigmoid"], init="small", seed=c.weight_seed).params

    trainer = Trainer(c)
    assert np.array_equal(trainer.data.X_train, X_train)
    assert trainer.batch_size == len(X_train)          # full batch: every row, in order
    assert all(np.array_equal(W, W0) and np.array_equal(b, b0)
               for (W, b), (W0, b0) in zip(trainer.net.params, first, strict=True))

    iterations = 1000
    expected, costs = textbook_loop(X_train, y_train[:, None].astype(float), first, c.lr,
                                    iterations)
    losses = []
    for _ in range(iterations):
        losses.append(trainer.net.loss(*_train_set(trainer), loss=trainer.loss))
        assert trainer.step(1) == 1
    for (W, b), (W0, b0) in zip(trainer.net.params, expected, strict=True):
        np.testing.assert_allclose(W, W0, rtol=0, atol=1e-12)
        np.testing.assert_allclose(b, b0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(losses, costs, rtol=1e-12)
    assert costs[-1] < 0.5 * costs[0]                  # it did learn the flower


def _train_set(trainer):
    d = trainer.data
    return d.preprocessor.transform(d.X_train), d.y_train


def test_standardize_off_is_the_identity_on_inputs_and_targets():
    X = np.array([[1.0, -2.0], [3.0, 5.0], [-4.0, 0.5]])
    y = np.array([[10.0], [20.0], [-5.0]])
    pre = datasets.Preprocessor.fit(X, y, features=("x1", "x1*x2"), standardize=False)
    np.testing.assert_array_equal(pre.transform(X), datasets.cross(X, ("x1", "x1*x2")))
    np.testing.assert_array_equal(pre.transform_y(y), y)
    np.testing.assert_array_equal(pre.inverse_y(y), y)
    back = datasets.Preprocessor.from_arrays(pre.to_arrays("p_"), "p_")
    np.testing.assert_array_equal(back.transform(X), pre.transform(X))
    np.testing.assert_array_equal(back.transform_y(y), y)
    with pytest.raises(ValueError, match="standardize must be True or False"):
        datasets.Preprocessor.fit(X, y, standardize="no")


@pytest.mark.parametrize("dataset", ["moons", "plane"])
def test_a_raw_model_saves_and_loads(dataset, tmp_path):
    t = Trainer(Config(dataset=dataset, standardize=False))
    t.step(20)
    t.save(tmp_path / "m.npz")
    back = Trainer.load(tmp_path / "m.npz")
    assert back.config.standardize is False
    pre = back.data.preprocessor
    assert np.all(pre.x.mean == 0) and np.all(pre.x.std == 1)
    np.testing.assert_array_equal(back.predict(t.data.X_test), t.predict(t.data.X_test))


def test_the_link_keeps_old_meanings_and_carries_the_switch():
    on, off = Config(dataset="moons"), Config(dataset="moons", standardize=False)
    assert "std" not in on.to_query()                  # links from before mean "standardise"
    assert off.to_query()["std"] == "0"
    assert Config.from_query(off.to_query()) == (off, [])
    assert Config.from_query(on.to_query()) == (on, [])
    assert Config.from_json(off.to_json()) == off
    assert "standardize" in RESET_FIELDS
    t = Trainer(on)
    assert t.update(off) is True
    assert np.array_equal(t.data.preprocessor.transform(t.data.X_train), t.data.X_train)


def test_raw_regression_targets_are_learned_in_their_own_units():
    c = Config(dataset="plane", standardize=False, optimizer="sgd", lr=0.01, batch_size=10)
    t = Trainer(c)
    assert np.array_equal(t.data.preprocessor.transform_y(t.data.y_train), t.data.y_train)
    t.step(2000)
    assert t.evaluate()["test_r2"] > 0.99
    scaled = Trainer(dataclasses.replace(c, standardize=True))
    assert not np.array_equal(scaled.data.preprocessor.transform_y(scaled.data.y_train),
                              scaled.data.y_train)
