"""Each teaching preset does what its paragraph says (trained for its `steps`)."""

import dataclasses

import numpy as np
import pytest

from nnviz import presets
from nnviz.config import Config
from nnviz.presets import PRESETS
from nnviz.training import Trainer


def run(config, steps):
    t = Trainer(config)
    t.step(steps)
    return t


def acc(t):
    return t.evaluate()["test_accuracy"]


def test_table_is_complete_and_well_formed():
    assert presets.DEFAULT in PRESETS and len(PRESETS) >= 7
    for name, p in PRESETS.items():
        assert p.name == name and isinstance(p.config, Config) and p.steps > 0
        assert 150 < len(p.text) < 700 and "\n" not in p.text and p.title
        assert Config.from_query(p.config.to_query()) == (p.config, [])
    titles = {p.title for p in PRESETS.values()}
    for t in ("XOR needs a hidden layer", "Spiral needs depth",
              "Learning rate too high diverges",
              "Vanishing gradients: deep sigmoid with small init",
              "Adam vs SGD on the flower", "Digits in 30 seconds"):
        assert t in titles
    assert presets.get("xor-hidden-layer") is PRESETS["xor-hidden-layer"]
    with pytest.raises(ValueError, match="allowed: circles"):
        presets.get("nope")


def test_default_preset_learns_visibly_within_its_steps():
    p = PRESETS[presets.DEFAULT]
    assert p.config.task == "classification" and p.config.features is not None
    t = run(p.config, p.steps)
    h = t.snapshot().history
    assert acc(t) >= 0.95 and h["test_loss"][-1] < 0.3 * h["test_loss"][0]
    squares = dataclasses.replace(p.config, hidden=(), features=("x1^2", "x2^2"))
    assert acc(run(squares, p.steps)) >= 0.95        # "a circle is a line in squares"


def test_xor_without_a_hidden_layer_stays_near_chance():
    p = PRESETS["xor-hidden-layer"]
    assert p.config.hidden == ()
    assert acc(run(p.config, p.steps)) <= 0.7
    assert acc(run(dataclasses.replace(p.config, hidden=(8, 8)), p.steps)) >= 0.95
    crossed = dataclasses.replace(p.config, features=("x1", "x2", "x1*x2"))
    assert acc(run(crossed, p.steps)) >= 0.95


def test_spiral_without_hidden_layers_stalls_and_depth_fixes_it():
    p = PRESETS["spiral-depth"]
    assert p.config.n_classes == 3
    assert acc(run(p.config, p.steps)) <= 0.65
    assert acc(run(dataclasses.replace(p.config, hidden=(16, 16)), p.steps)) >= 0.95


def test_too_high_learning_rate_diverges_and_a_small_one_fits():
    p = PRESETS["lr-too-high"]
    t = run(p.config, p.steps)
    assert t.state == "diverged" and t.steps < 50 and "learning rate 3" in t.reason
    ok = run(dataclasses.replace(p.config, lr=0.03), p.steps)
    assert ok.state == "running" and ok.evaluate()["test_r2"] >= 0.95


def test_vanishing_gradients_have_tiny_first_layer_gradients():
    p = PRESETS["vanishing-gradients"]
    t = run(p.config, p.steps)
    g = t.snapshot().history["grad_norm"][1:]       # after the first step
    assert np.all(g[:, 0] < 1e-6 * g[:, -1])
    m = t.evaluate()
    assert abs(m["train_loss"] - np.log(2)) < 0.01 and m["test_accuracy"] <= 0.6
    fixed = dataclasses.replace(p.config, activation="tanh", init="xavier")
    assert acc(run(fixed, p.steps)) >= 0.95


def test_adam_beats_sgd_on_the_flower():
    p = PRESETS["adam-vs-sgd"]
    assert p.config.dataset == "flower" and p.config.optimizer == "sgd"
    sgd = run(p.config, p.steps).evaluate()
    adam = run(dataclasses.replace(p.config, optimizer="adam"), p.steps).evaluate()
    assert adam["train_loss"] < 0.8 * sgd["train_loss"]


def test_digits_preset_passes_95_percent():
    p = PRESETS["digits-30s"]
    assert acc(run(p.config, p.steps)) >= 0.95
