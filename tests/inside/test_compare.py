import dataclasses

import numpy as np
import pytest

from nnviz.config import Config
from nnviz.inside import compare
from nnviz.training import Trainer

BASE = Config(dataset="moons", n_samples=100, hidden=(4,), optimizer="sgd", lr=0.03, batch_size=10)


def test_config_diff_names_what_changed():
    new = dataclasses.replace(BASE, optimizer="adam", lr=0.3)
    assert compare.describe_change(BASE, new) == "optimizer sgd→adam, lr 0.03→0.3"
    assert compare.describe_change(BASE, BASE) == "same settings"
    assert compare.config_diff(BASE, dataclasses.replace(BASE, hidden=(8, 8))) == [("hidden", "4", "8,8")]
    with pytest.raises(TypeError, match="dataclass or a dict"):
        compare.config_diff(1, 2)


def test_legend_labels_name_each_runs_own_values():
    a = compare.Run(config=BASE, history={})
    b = compare.Run(config=dataclasses.replace(BASE, lr=0.3), history={})
    now = compare.Run(config=dataclasses.replace(BASE, optimizer="adam"), history={})
    labels = compare.legend_labels([a, b], now)
    assert labels == ["pinned 1: optimizer sgd", "pinned 2: optimizer sgd, lr 0.3",
                      "now: optimizer adam, lr 0.03"]


def test_pins_are_bounded():
    pins = []
    for i in range(10):
        pins = compare.pin(pins, i)
    assert pins == list(range(10 - compare.MAX_PINS, 10))


def test_sweep_rates_span_the_current_rate():
    assert compare.sweep_rates(0.03) == [0.003, 0.0095, 0.03, 0.095, 0.3]
    assert max(compare.sweep_rates(10.0)) <= 10 and min(compare.sweep_rates(1e-5)) >= 1e-5
    with pytest.raises(ValueError, match="positive"):
        compare.sweep_rates(0)


def test_lr_sweep_runs_each_rate_and_reports_progress():
    seen = []
    runs = compare.lr_sweep(BASE, [0.01, 0.1], 30, Trainer, progress=lambda f, t: seen.append(f),
                            chunk=10)
    assert [r.label for r in runs] == ["lr 0.01", "lr 0.1"]
    assert [r.config.lr for r in runs] == [0.01, 0.1]
    assert seen == sorted(seen) and seen[-1] == 1.0
    x, y = runs[1].curve("train_loss")
    assert x[-1] == 30 and len(x) == len(y) and y[-1] < y[0]
    # The same start: both runs begin at the same loss.
    assert runs[0].curve("train_loss")[1][0] == y[0]


def test_lr_sweep_refuses_big_nets_and_bad_steps():
    big = dataclasses.replace(BASE, hidden=(128, 128))
    with pytest.raises(ValueError, match="small networks"):
        compare.lr_sweep(big, [0.1], 10, Trainer)
    with pytest.raises(ValueError, match="steps"):
        compare.lr_sweep(BASE, [0.1], 0, Trainer)


def test_run_of_ends_at_the_current_step():
    t = Trainer(BASE)
    t.step(7)
    x, y = compare.run_of(t).curve("train_loss")
    assert x[-1] == 7 and np.isfinite(y).all()
