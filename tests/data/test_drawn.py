"""Points drawn by hand: a compact text that travels in a link, edits of it, the data it
makes, and a run on it that keeps training while points come and go."""

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest

from nnviz import datasets
from nnviz.config import Config, ConfigError
from nnviz.data import drawn
from nnviz.limits import MAX_DRAWN_POINTS
from nnviz.training import Trainer


def points(n, classes=2, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-5, 5, (n, 2)), np.arange(n) % classes


def test_a_set_round_trips_within_a_byte_of_the_plane():
    X, y = points(30, classes=3)
    text = drawn.encode(X, y)
    assert len(text) == 6 * 30 and set(text) <= set("0123456789abcdef")
    X2, y2 = drawn.decode(text, n_classes=3)
    step = (drawn.PLANE[1] - drawn.PLANE[0]) / 255
    assert np.abs(X2 - X).max() <= step / 2 + 1e-12 and np.array_equal(y2, y)
    v = np.linspace(-1, 1, 30)
    _, back = drawn.decode(drawn.encode(X, v, "regression"), "regression")
    assert back.shape == (30, 1) and np.abs(back[:, 0] - v).max() <= 1 / 255 + 1e-12


@pytest.mark.parametrize("text, message", [
    ("zz", "hexadecimal"), ("0102", "threes of bytes"), ("000005", "class 5"),
    ("00" * 3 * (MAX_DRAWN_POINTS + 1), f"at most {MAX_DRAWN_POINTS}")])
def test_a_bad_set_says_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        drawn.decode(text, n_classes=2)


def test_edits_add_erase_and_clear():
    X, y = points(6)
    text = drawn.encode(X, y)
    more = drawn.edit(text, "classification", add=[(1.0, 1.0, 1), (2.0, -2.0, 0)])
    assert len(drawn.decode(more)[0]) == 8
    fewer = drawn.edit(more, "classification", erase=[(1.0, 1.0)])
    Xf, _ = drawn.decode(fewer)
    assert len(Xf) == 7 and not np.any(np.all(np.abs(Xf - [1.0, 1.0]) < 0.05, axis=1))
    assert drawn.edit(more, "classification", erase=[(0.0, 5.9)], radius=0.01) == more
    assert drawn.edit(more, "classification", clear=True) == ""
    full = drawn.edit("", "classification", add=[(0, 0, 0)] * (MAX_DRAWN_POINTS + 5))
    assert len(drawn.decode(full)[0]) == MAX_DRAWN_POINTS          # the newest kept


def test_the_data_needs_enough_points_of_two_classes():
    X, y = points(3)
    with pytest.raises(ValueError, match="at least 4 points of at least two classes"):
        datasets.load("drawn", points=drawn.encode(X, y))
    X, _ = points(8)
    with pytest.raises(ValueError, match="two classes"):
        datasets.load("drawn", points=drawn.encode(X, np.zeros(8)))
    X, y = points(8)
    Xl, yl = datasets.load("drawn", points=drawn.encode(X, y))
    assert Xl.shape == (8, 2) and yl.dtype == np.int64


def test_a_drawn_run_travels_in_its_link():
    X, y = points(60, classes=3)
    c = Config(dataset="drawn", n_classes=3, points=drawn.encode(X, y), hidden=(6,))
    q = c.to_query()
    assert len(q["pts"]) == 360 and Config.from_query(q) == (c, [])
    assert "pts" not in Config.defaults_for("moons").to_query()      # other links unchanged
    with pytest.raises(ConfigError, match="points apply only to drawn data"):
        Config(dataset="moons", points="000000")
    with pytest.raises(ConfigError, match="class 3"):
        Config(dataset="drawn", points=drawn.encode(X[:5], [0, 1, 2, 3, 0]))


def test_points_come_and_go_while_the_same_network_trains():
    X, y = points(40)
    c = Config(dataset="drawn", points=drawn.encode(X, y))
    t = Trainer(c)
    t.step(25)
    weights = t.net.flat_params.copy()
    more = drawn.edit(c.points, "classification", add=[(4.0, 4.0, 1), (-4.0, -4.0, 0)])
    assert t.update(dataclasses.replace(c, points=more)) is False        # no reset
    assert np.array_equal(t.net.flat_params, weights) and t.steps == 25
    assert len(t.data.X_train) + len(t.data.X_test) == 42
    assert t.step(10) == 10


def test_new_points_are_targets_as_the_output_layer_takes_them(tmp_path):
    # A tanh output trains two classes towards -1 and +1: points drawn later too, so the
    # run on the edited set scores as the same weights built afresh on it.
    X, y = points(40)
    c = Config(dataset="drawn", points=drawn.encode(X, y), output_activation="tanh")
    t = Trainer(c)
    t.step(20)
    more = drawn.edit(c.points, "classification", add=[(4.0, 4.0, 1), (-4.0, -4.0, 0)])
    t.update(dataclasses.replace(c, points=more))
    t.save(tmp_path / "m.npz")
    assert t.evaluate() == Trainer.load(tmp_path / "m.npz").evaluate()


def test_a_drawn_run_exports_and_trains_the_same(tmp_path):
    X, y = points(40)
    c = Config(dataset="drawn", points=drawn.encode(X, y), batch_size=8)
    run = tmp_path / "run.json"
    run.write_text(c.to_json())
    script = tmp_path / "drawn.py"
    out = subprocess.run([sys.executable, "-m", "nnviz", "export", "--config", str(run),
                          "--epochs", "5", "-o", str(script)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    train = subprocess.run([sys.executable, "-m", "nnviz", "train", "--config", str(run),
                            "--epochs", "5", "--json"], capture_output=True, text=True)
    a = json.loads(ran.stdout.strip().splitlines()[-1])
    b = json.loads(train.stdout.strip().splitlines()[-1])
    assert a["steps"] == b["steps"] and a["train_loss"] == pytest.approx(b["train_loss"],
                                                                        rel=1e-9)
