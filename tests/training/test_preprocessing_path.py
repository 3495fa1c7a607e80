"""One preprocessing for every input the network sees: the feature crosses and the
scaling fitted on the training part alone go, unchanged, to the training data, the
test data, the boundary grid and a saved model's predictions on raw inputs."""

import dataclasses

import numpy as np

from nnviz.config import Config
from nnviz.datasets import cross
from nnviz.training import Trainer

FEATURES = ("x1", "x2", "x1*x2", "sin(x1)", "x2^2")


def by_hand(X, mean, std):
    return (cross(X, list(FEATURES)) - mean) / std


def test_train_test_grid_and_saved_model_share_one_preprocessing(tmp_path):
    c = dataclasses.replace(Config.defaults_for("spiral"), n_samples=150, features=FEATURES)
    t = Trainer(c)
    t.step(25)
    d = t.data
    F = cross(d.X_train, list(FEATURES))
    mean, std = F.mean(axis=0), F.std(axis=0)          # the training part only
    assert t.net.layer_sizes[0] == len(FEATURES)
    everything = cross(np.concatenate([d.X_train, d.X_test]), list(FEATURES))
    assert not np.allclose(everything.mean(axis=0), mean)   # the test rows would move it

    np.testing.assert_allclose(t.predict(d.X_test), t.net.predict(by_hand(d.X_test, mean, std)),
                               rtol=1e-10, atol=1e-13)
    m = t.evaluate()
    assert np.isclose(m["test_loss"], t.net.loss(by_hand(d.X_test, mean, std), d.y_test,
                                                 loss=t.loss), rtol=1e-10)
    assert np.isclose(m["train_loss"], t.net.loss(by_hand(d.X_train, mean, std), d.y_train,
                                                  loss=t.loss), rtol=1e-10)

    g = t.predict_grid(7)
    g1, g2 = np.meshgrid(g.x1, g.x2)
    points = np.column_stack([g1.ravel(), g2.ravel()])
    expected = t.net.predict(by_hand(points, mean, std)).reshape(7, 7, -1)
    np.testing.assert_allclose(g.out, expected, rtol=1e-10, atol=1e-13)

    t.save(tmp_path / "m.npz")
    u = Trainer.load(tmp_path / "m.npz")
    raw = np.random.default_rng(0).uniform(-1.5, 1.5, (30, 2))
    np.testing.assert_array_equal(u.predict(raw), t.predict(raw))
    np.testing.assert_allclose(u.predict(raw), t.net.predict(by_hand(raw, mean, std)),
                               rtol=1e-10, atol=1e-13)
