"""Trainer.record: a history point wherever a live view draws a frame, on top of the
regular ones, never two at one step, within the history's fixed capacity."""

import dataclasses

import numpy as np

from nnviz.config import Config
from nnviz.limits import Budget
from nnviz.training import HISTORY_POINTS, Trainer


def arithmetic(n_samples):
    return Trainer(dataclasses.replace(Config.defaults_for("arithmetic"), n_samples=n_samples),
                   budget=Budget())


def test_a_point_per_frame_between_the_regular_ones():
    t = arithmetic(10_000)
    every = t.history.every
    assert every > 20                     # 5,000 rows behind each point: far apart
    for _ in range(40):                   # 40 frames of 5 steps: one regular point at most
        t.step(5)
        m = t.record()
        assert m["step"] == t.steps
    h = t.history.as_dict()
    regular = [s for s in range(1, 201) if s % every == 0 and s % 5]
    assert len(h["step"]) == 41 + len(regular) and set(regular) <= set(h["step"])
    assert np.all(np.diff(h["step"]) > 0)
    assert h["train_loss"][-1] == m["train_loss"]
    t.record()                            # the same step again: no second point
    assert len(t.history.as_dict()["step"]) == len(h["step"])


def test_recorded_points_stay_within_the_capacity_and_span_the_run():
    t = Trainer(dataclasses.replace(Config.defaults_for("moons"), n_samples=40,
                                    batch_size=40))
    nbytes = t.history.nbytes
    for _ in range(3 * HISTORY_POINTS):
        t.step(1)
        t.record()
    h = t.history.as_dict()
    assert t.history.nbytes == nbytes
    assert HISTORY_POINTS // 2 <= len(h["step"]) <= HISTORY_POINTS
    assert h["step"][0] == 0 and h["step"][-1] == t.steps


def test_a_diverged_run_records_nothing_more():
    t = Trainer(dataclasses.replace(Config.defaults_for("plane"), optimizer="sgd", lr=10.0))
    t.step(200)
    assert t.state == "diverged"
    n = len(t.history.as_dict()["step"])
    t.record()
    assert len(t.history.as_dict()["step"]) == n
