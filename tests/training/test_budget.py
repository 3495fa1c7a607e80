"""A Trainer within a Budget: chunked updates equal whole ones, deadlines carry the
rest of an update over, metrics come from a bounded sample, and building one never
runs more than that sample through the network."""

import dataclasses
import time

import numpy as np
import pytest

from nnviz import cost
from nnviz.config import Config
from nnviz.limits import Budget
from nnviz.training import Trainer

TIGHT = Budget(session_bytes=16 * 2**20, slice_seconds=0.05, eval_rows=120)


def config(**kw):
    return dataclasses.replace(Config.defaults_for("moons"), **{"n_samples": 400, **kw})


def test_a_chunked_update_is_the_whole_update_up_to_rounding():
    c = config(batch_size=300, l1=0.001, l2=0.01, optimizer="sgd", lr=0.1)
    whole, split = Trainer(c), Trainer(c, budget=TIGHT)
    split.chunk_rows = 7                       # 300 rows in 43 chunks
    for _ in range(5):
        assert whole.step(1) == split.step(1) == 1
    assert np.allclose(whole.net.flat_params, split.net.flat_params, rtol=1e-12, atol=1e-14)
    assert (whole.steps, whole.epoch) == (split.steps, split.epoch)


def test_a_deadline_stops_mid_update_and_the_next_call_finishes_it():
    c = config(batch_size=300, optimizer="sgd")
    whole, split = Trainer(c), Trainer(c, budget=TIGHT)
    split.chunk_rows = 10
    assert split.advance(3, deadline=time.perf_counter() - 1) == 0     # already past
    calls = 0
    while split.steps < 3:
        split.advance(3 - split.steps, deadline=time.perf_counter() + 0.0002)
        calls += 1
        assert split.in_progress is None or 0 < split.in_progress < 1
    whole.step(3)
    assert calls > 3                                                   # it did stop part-way
    assert np.allclose(whole.net.flat_params, split.net.flat_params, rtol=1e-12, atol=1e-14)


def test_metrics_on_a_fixed_sample_and_exact_on_demand():
    t = Trainer(config(n_samples=2000), budget=TIGHT)
    assert t.sampled and t.eval_rows <= TIGHT.eval_rows
    t.step(50)
    m, exact = t.evaluate(), t.evaluate(exact=True)
    assert m["rows"] == t.eval_rows and exact["rows"] == 2000
    assert abs(m["train_loss"] - exact["train_loss"]) < 0.2
    u = Trainer(config(n_samples=2000))
    u.step(50)
    assert u.evaluate() == pytest.approx(exact)     # without a budget: exact, the same run
    assert not u.sampled


def test_the_heavy_link_builds_and_draws_within_its_budget():
    """?ds=xor&n=100000&hidden=512,512,512,512,512,512&bs=100000 once took 36-136 s and
    10.6 GB to build: now building and a first slice of training stay bounded."""
    c = Config(dataset="xor", n_samples=100_000, hidden=(512,) * 6, batch_size=100_000)
    budget = Budget()
    t0 = time.perf_counter()
    t = Trainer(c, budget=budget)
    built = time.perf_counter() - t0
    sizes = t.net.layer_sizes
    assert cost.work_bytes(sizes, t.chunk_rows) <= budget.session_bytes
    assert t.eval_rows < 2_000
    t0 = time.perf_counter()
    done = t.advance(1, deadline=time.perf_counter() + budget.slice_seconds)
    sliced = time.perf_counter() - t0
    assert done == 0 and 0 < t.in_progress < 1        # a step of 75,000 rows is split up
    assert built < 10 and sliced < 10 * budget.slice_seconds
