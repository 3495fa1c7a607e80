"""Trainer.record: a history point wherever a live view draws a frame (a regular one
comes only `every` steps after the latest), never two at one step, within the
history's fixed capacity."""

import dataclasses

from nnviz.config import Config
from nnviz.limits import Budget
from nnviz.training import HISTORY_POINTS, Trainer


def arithmetic(n_samples):
    return Trainer(dataclasses.replace(Config.defaults_for("arithmetic"), n_samples=n_samples),
                   budget=Budget())


def test_a_point_per_frame_and_no_regular_one_between():
    t = arithmetic(10_000)
    every = t.history.every
    assert every > 20                     # 5,000 rows behind each point: far apart
    for _ in range(40):                   # 40 frames of 5 steps
        t.step(5)
        m = t.record()
        assert m["step"] == t.steps
    h = t.history.as_dict()
    assert list(h["step"]) == list(range(0, 201, 5))    # no metrics taken twice
    for _ in range(3):                    # no frames: the regular points, `every` apart
        t.step(every)
    assert list(t.history.as_dict()["step"][-3:]) == [200 + every * k for k in (1, 2, 3)]
    h = t.history.as_dict()
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
