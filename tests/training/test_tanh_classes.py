"""Two classes answered by one tanh unit trained towards -1 and +1 with squared error,
TensorFlow Playground's convention: the rule lives in the engine's CLASS_OUTPUTS, and the
Trainer, the metrics, the boundary and the Inside tab read it from there."""

import numpy as np
import pytest

from nnviz.config import Config
from nnviz.engine.losses import CLASS_OUTPUTS, output_and_loss
from nnviz.engine.metrics import predicted_classes
from nnviz.inside import step
from nnviz.training import Trainer

XOR = Config(dataset="xor", n_samples=300, hidden=(8,), output_activation="tanh",
             optimizer="sgd", lr=0.05, batch_size=10, standardize=False)


def test_the_table_says_how_each_output_answers():
    labels = np.array([0, 1, 1, 0])
    np.testing.assert_array_equal(CLASS_OUTPUTS["tanh"].encode(labels),
                                  [[-1.0], [1.0], [1.0], [-1.0]])
    np.testing.assert_array_equal(CLASS_OUTPUTS["tanh"].proba(np.array([[-1.0], [0.0], [1.0]])),
                                  [[0.0], [0.5], [1.0]])
    for name in ("sigmoid", "softmax"):
        assert CLASS_OUTPUTS[name].encode(labels) is labels
    assert {name: c.loss for name, c in CLASS_OUTPUTS.items()} == \
        {"sigmoid": "bce", "softmax": "cross_entropy", "tanh": "mse"}
    assert output_and_loss("classification", 2) == ("sigmoid", "bce")     # still the default
    assert output_and_loss("classification", 2, loss="mse") == ("tanh", "mse")


def test_a_tanh_output_predicts_class_1_above_0():
    t = Trainer(XOR)
    assert (t.output_activation, t.loss, t.net.layer_sizes[-1]) == ("tanh", "mse", 1)
    np.testing.assert_array_equal(t.targets_of(t.data.y_train)[:, 0],
                                  2.0 * t.data.y_train - 1.0)
    t.step(600)
    d = t.data
    X = d.preprocessor.transform(d.X_test)
    out = t.net.predict(X)
    assert np.abs(out).max() <= 1 and (out < 0).any() and (out > 0).any()
    np.testing.assert_allclose(t.predict(d.X_test), (out + 1) / 2, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(t.classify(d.X_test), (out[:, 0] > 0).astype(int))
    m = t.evaluate()
    assert m["test_accuracy"] == pytest.approx(np.mean((out[:, 0] > 0) == d.y_test))
    assert m["test_accuracy"] > 0.9
    Y = 2.0 * d.y_test - 1.0
    assert m["test_loss"] == pytest.approx(np.mean((out[:, 0] - Y) ** 2), rel=1e-12)
    grid = t.predict_grid(20)
    assert grid.out.shape == (20, 20, 1) and 0 <= grid.out.min() and grid.out.max() <= 1
    assert set(predicted_classes(grid.out.reshape(-1, 1))) == {0, 1}


def test_the_inside_tab_shows_the_targets_the_loss_uses(tmp_path):
    t = Trainer(XOR)
    idx = t.next_batch_indices()
    w = step.walk(t, idx)
    np.testing.assert_array_equal(w.Y[:, 0], 2.0 * t.data.y_train[idx] - 1.0)
    assert (w.loss_name, w.output_activation, w.fused) == ("mse", "tanh", False)
    t.step_on(idx)
    np.testing.assert_array_equal(t.net.params[-1][0], w.layers[-1].W_after)
    t.save(tmp_path / "m.npz")
    back = Trainer.load(tmp_path / "m.npz")
    np.testing.assert_array_equal(back.predict(t.data.X_test), t.predict(t.data.X_test))
