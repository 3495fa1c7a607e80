"""The tuned defaults reach their targets: `Config.defaults_for(name)` trained for
its default epochs (what `python -m nnviz train --dataset name` does), seeds 0-4."""

import dataclasses

import pytest

from nnviz.config import Config
from nnviz.training import Trainer

ACCURACY = {"moons": 0.97, "circles": 0.97, "xor": 0.97, "flower": 0.88, "spiral": 0.95,
            "digits": 0.95}
R2 = {"arithmetic": 0.999}


def train(name, seed):
    c = dataclasses.replace(Config.defaults_for(name), seed=seed)
    t = Trainer(c)
    t.step(c.default_epochs() * t.steps_per_epoch)
    assert t.state == "running", t.reason
    return t.evaluate()


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("name", ACCURACY)
def test_classification_targets(name, seed):
    m = train(name, seed)
    assert m["test_accuracy"] >= ACCURACY[name]


@pytest.mark.parametrize("seed", range(5))
def test_arithmetic_learns_every_output(seed):
    m = train("arithmetic", seed)
    assert min(m["test_r2_per_output"]) >= R2["arithmetic"]


def test_spiral_default_has_three_arms():
    c = Config.defaults_for("spiral")
    assert c.n_classes == 3 and c.output_and_loss() == ("softmax", "cross_entropy")
