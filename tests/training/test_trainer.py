"""Trainer: stepping, epochs, the batch seam, updates, history, divergence, grids, files."""

import dataclasses
import math
import re
import tracemalloc

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from nnviz import datasets
from nnviz.config import Config
from nnviz.training import HISTORY_POINTS, MAX_WEIGHT, Trainer


def small(ds="moons", **kw):
    base = Config.defaults_for(ds)
    return dataclasses.replace(base, **{"n_samples": 100, **kw})


def flat(t):
    return t.net.flat_params.copy()


def test_steps_epochs_and_reshuffles():
    t = Trainer(small(batch_size=16))
    assert (t.state, t.steps, t.epoch) == ("ready", 0, 0)
    n = len(t.data.X_train)
    assert 70 <= n <= 80 and t.steps_per_epoch == 5                   # 16+16+16+16+rest
    seen = []
    for _ in range(5):
        seen.append(t.next_batch_indices())
        assert t.step(1) == 1
    assert sorted(np.concatenate(seen).tolist()) == list(range(n))    # one pass, every row once
    assert [len(s) for s in seen] == [16, 16, 16, 16, n - 64]
    assert (t.steps, t.epoch, t.state) == (5, 1, "running")
    assert not np.array_equal(t.next_batch_indices(), seen[0])       # reshuffled
    assert t.step(12) == 12 and (t.steps, t.epoch) == (17, 3)


def test_same_config_same_run_bit_for_bit():
    a, b = Trainer(small()), Trainer(small())
    a.step(57)
    b.step(20)
    b.step(37)
    assert np.array_equal(flat(a), flat(b))
    c = Trainer(small(seed=1))
    c.step(57)
    assert not np.array_equal(flat(a), flat(c))


@pytest.mark.parametrize("batch_size", [7, 1000])
def test_step_on_next_batch_is_step_bit_for_bit(batch_size):
    a, b = Trainer(small(batch_size=batch_size)), Trainer(small(batch_size=batch_size))
    for _ in range(25):        # crosses epoch ends and the short last batch
        idx = b.next_batch_indices()
        assert a.step(1) == 1 and b.step_on(idx) == 1
        assert np.array_equal(flat(a), flat(b))
        assert (a.steps, a.epoch) == (b.steps, b.epoch)
    assert a.snapshot().metrics == b.snapshot().metrics


def test_step_on_any_rows_and_bad_indices():
    t = Trainer(small())
    before, order = flat(t), t.next_batch_indices()
    assert t.step_on([0, 3, 5]) == 1 and t.steps == 1
    assert not np.array_equal(before, flat(t))
    assert np.array_equal(t.next_batch_indices(), order)     # the epoch's order is untouched
    n = len(t.data.X_train)
    for bad in ([], [n], [-1], [[1, 2]], [0.5]):
        with pytest.raises(ValueError, match=f"training rows 0..{n - 1}"):
            t.step_on(bad)
    with pytest.raises(ValueError, match="non-negative whole number"):
        t.step(-1)


def test_update_keeps_weights_for_rates_and_resets_for_structure():
    t = Trainer(small())
    t.step(10)
    w = flat(t)
    adam_t = t.optimizer.t
    c = t.config
    for change in (dict(lr=0.001), dict(l2=0.01, l1=0.001), dict(batch_size=5),
                   dict(momentum=0.5)):
        c = dataclasses.replace(c, **change)
        assert t.update(c) is False
        assert np.array_equal(flat(t), w) and t.steps == 10
    assert t.optimizer.lr == 0.001 and t.optimizer.t == adam_t        # state kept
    t.step(1)
    assert t.next_batch_indices().size == 5
    t.set_lr(0.02)
    assert t.config.lr == 0.02 and t.optimizer.lr == 0.02
    assert t.update(dataclasses.replace(t.config, optimizer="momentum", nesterov=True)) is False
    assert t.optimizer.nesterov and t.optimizer.momentum == 0.5
    for change in (dict(hidden=(3,)), dict(seed=4), dict(noise=0.3), dict(init="he"),
                   dict(features=("x1", "x2", "x1*x2")), dict(activation="relu")):
        t.step(3)
        assert t.update(dataclasses.replace(t.config, **change)) is True
        assert (t.steps, t.epoch, t.state) == (0, 0, "ready")
    assert t.net.layer_sizes[0] == 3


def test_a_failed_update_leaves_the_trainer_as_it_was():
    t = Trainer(small())
    t.step(7)
    before, config = flat(t), t.config
    with pytest.raises(ValueError, match="needs the table"):
        t.update(Config.defaults_for("csv"))
    with pytest.raises(ValueError, match="needs the path"):
        t.update(Config.defaults_for("mnist"))
    assert t.config == config and t.steps == 7 and np.array_equal(flat(t), before)
    assert t.step(3) == 3


def test_snapshot_is_a_copy_with_metrics_and_history():
    t = Trainer(small())
    t.step(40)
    s = t.snapshot()
    s.params[0][0][:] = 123.0
    assert not np.any(t.net.params[0][0] == 123.0)
    m = s.metrics
    assert m["step"] == 40 and 0 <= m["test_accuracy"] <= 1 and m["train_loss"] > 0
    h = s.history
    n = len(h["step"])
    assert h["step"][0] == 0 and np.all(np.diff(h["step"]) > 0)
    for k in ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        assert h[k].shape == (n,) and np.all(np.isfinite(h[k]))
    assert h["weight_norm"].shape == h["grad_norm"].shape == (n, t.net.n_layers)
    assert np.array_equal(np.floor(h["epoch"]), h["step"] // t.steps_per_epoch)
    assert np.all(np.diff(h["epoch"]) > 0)
    assert np.all(h["weight_norm"] > 0) and np.all(h["grad_norm"][1:] > 0)
    assert np.all(np.isnan(h["grad_norm"][0]))        # step 0: no step, so no gradient yet
    assert s.state == "running" and s.reason == ""


def test_metrics_match_a_direct_computation():
    t = Trainer(small())
    t.step(30)
    m = t.evaluate()
    d = t.data
    p = t.predict(d.X_test)[:, 0]
    assert m["test_accuracy"] == np.mean((p > 0.5) == d.y_test)
    Xs = d.preprocessor.transform(d.X_train)
    assert math.isclose(m["train_loss"], t.net.loss(Xs, d.y_train, loss="bce"), rel_tol=1e-12)
    assert np.array_equal(t.classify(d.X_test), (p > 0.5).astype(int))


def test_regression_metrics_per_output_and_original_units():
    t = Trainer(small("arithmetic", n_samples=400))
    t.step(400)
    m = t.evaluate()
    assert len(m["test_r2_per_output"]) == 3
    assert math.isclose(m["test_r2"], np.mean(m["test_r2_per_output"]))
    d = t.data
    pred = t.predict(d.X_test)
    y = d.y_test
    r2 = 1 - ((pred - y) ** 2).sum(0) / ((y - y.mean(0)) ** 2).sum(0)
    assert np.allclose(r2, m["test_r2_per_output"], atol=1e-9)
    assert pred[:, 0].max() > 20          # original units, not standardised


def test_history_stays_bounded_and_spans_the_run():
    t = Trainer(small(batch_size=1000, hidden=(1,), n_samples=12))   # every 4 steps at first
    t.step(6_000)
    t.snapshot()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        t.step(4_000)                    # through the history's halving at step 8,000
        t.snapshot()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 16_000                # nothing per step is kept: the whole trainer holds still
    h4 = t.snapshot().history
    nbytes = t.history.nbytes
    t.step(90_000)
    h5 = t.snapshot().history
    assert t.history.nbytes == nbytes            # the buffers are made once, never grow
    assert HISTORY_POINTS // 2 <= len(h4["step"]) <= HISTORY_POINTS
    assert HISTORY_POINTS // 2 <= len(h5["step"]) <= HISTORY_POINTS
    steps = h5["step"]
    assert steps[0] == 0 and 100_000 - steps[-1] <= t.history.every
    assert len(set(np.diff(steps).tolist())) == 1                    # evenly spaced


def test_divergence_at_a_huge_learning_rate_is_stopped_and_reported():
    t = Trainer(small())
    t.step(20)
    t.optimizer.lr = 1e6           # beyond Config's limit: the guard must still hold
    done = t.step(200)
    assert done < 200 and t.state == "diverged"
    assert re.match(r"Training diverged by step \d+: .* with learning rate 1e\+06 \(adam\); "
                    r"the weights from step \d+ were restored — try a learning rate of 1 "
                    r"or lower\.$", t.reason)
    p = t.net.flat_params
    assert np.all(np.isfinite(p)) and np.abs(p).max() <= MAX_WEIGHT
    h = t.snapshot().history
    assert np.all(np.isfinite(h["train_loss"]))
    assert t.step(5) == 0 and t.step_on([0, 1]) == 0
    t.set_lr(0.01)
    assert t.state == "running" and t.reason == "" and t.fix_lr is None
    assert t.step(5) == 5


def test_divergence_with_nan_loss_restores_the_last_finite_weights():
    t = Trainer(small("arithmetic", n_samples=200, optimizer="sgd", lr=10.0))
    w0 = flat(t)
    t.step(100)
    assert t.state == "diverged" and "learning rate 10 (sgd)" in t.reason
    assert "weights from step 0 were restored" in t.reason
    assert np.array_equal(flat(t), w0)
    assert t.fix == "try a learning rate of 1 or lower"
    assert t.fix_lr == 1.0
    assert np.isfinite(t.evaluate()["train_loss"])


@pytest.mark.parametrize("bad", [np.nan, np.inf, 2 * MAX_WEIGHT])
def test_a_broken_weight_is_caught_before_any_metric_or_grid(bad):
    t = Trainer(small())
    t.step(t.history.every)               # a history point: the last good weights
    good = flat(t)
    t.net.flat_params[3] = bad
    if np.isnan(bad):
        assert t.step(5) == 0             # the NaN loss stops the very next step
    else:
        t.predict_grid(10)
    assert t.state == "diverged" and np.array_equal(flat(t), good)
    assert np.isfinite(t.evaluate()["train_loss"])


def test_predict_grid_matches_predict_in_original_units():
    t = Trainer(small("spiral", n_classes=3))
    t.step(30)
    g = t.predict_grid(25)
    assert g.x1.shape == g.x2.shape == (25,) and g.out.shape == (25, 25, 3)
    (lo1, hi1), (lo2, hi2) = t.data.extent
    assert g.x1[0] == lo1 and g.x1[-1] == hi1 and g.x2[0] == lo2
    X = t.data.X_train
    assert lo1 <= X[:, 0].min() and X[:, 1].max() <= hi2
    i, j = 7, 19
    assert np.allclose(g.out[i, j], t.predict([[g.x1[j], g.x2[i]]])[0], atol=1e-12)
    assert np.allclose(g.out.sum(axis=2), 1)
    line = Trainer(small("sine")).predict_grid(50)
    assert line.x2 is None and line.out.shape == (50, 1)
    with pytest.raises(ValueError, match="1 or 2 inputs"):
        Trainer(Config.defaults_for("digits")).predict_grid(10)
    with pytest.raises(ValueError, match="resolution"):
        t.predict_grid(1)


def test_save_load_round_trip_gives_identical_predictions(tmp_path):
    t = Trainer(small("spiral", n_classes=3, features=("x1", "x2", "x1*x2")))
    t.step(50)
    path = tmp_path / "m.npz"
    t.save(path)
    u = Trainer.load(path)
    assert u.config == t.config and (u.steps, u.epoch) == (t.steps, t.epoch)
    X = np.random.default_rng(0).uniform(-1, 1, (40, 2))
    assert np.array_equal(u.predict(X), t.predict(X))
    assert np.array_equal(u.predict_grid(20).out, t.predict_grid(20).out)
    with np.load(path, allow_pickle=False) as z:
        assert str(z["format"]).startswith("nnviz-model")


def test_csv_tables_train_save_and_load(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] + X[:, 2] > 0).astype(int) * 5        # classes 0 and 5
    text = "a,b,c,label\n" + "\n".join(f"{a},{b},{c},{k}" for (a, b, c), k in zip(X, y, strict=True))
    table = datasets.from_csv(text.encode())
    c = Config.defaults_for("csv")
    with pytest.raises(ValueError, match="needs the table"):
        Trainer(c)
    t = Trainer(c, table=table)
    t.step(60)
    assert t.loss == "bce" and t.evaluate()["train_accuracy"] > 0.8
    t.save(tmp_path / "csv.npz")
    u = Trainer.load(tmp_path / "csv.npz")
    assert np.array_equal(u.predict(X), t.predict(X))
    assert u.data.class_labels == ("0", "5") and u.data.feature_names == ("a", "b", "c")
    with np.load(tmp_path / "csv.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    np.savez(tmp_path / "bad.npz", **{**arrays, "table_y": arrays["table_y"] + 7})
    with pytest.raises(ValueError, match="saved CSV table"):
        Trainer.load(tmp_path / "bad.npz")
    with pytest.raises(ValueError, match="need data with two inputs; this one has 3"):
        Trainer(dataclasses.replace(c, features=("x1",)), table=table)


def test_damaged_or_foreign_files_give_clear_errors(tmp_path):
    t = Trainer(small())
    good = tmp_path / "good.npz"
    t.save(good)
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"\x00not a zip file at all" * 10)
    with pytest.raises(ValueError, match=r"not a \.npz \(zip\) file"):
        Trainer.load(junk)
    half = tmp_path / "half.npz"
    half.write_bytes(good.read_bytes()[:300])
    with pytest.raises(ValueError, match="junk|not a readable|damaged"):
        Trainer.load(half)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, a=np.zeros(3))
    with pytest.raises(ValueError, match="format marker"):
        Trainer.load(foreign)
    with pytest.raises(ValueError, match="no such model file"):
        Trainer.load(tmp_path / "missing.npz")
    with np.load(good, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    for key, value, message in [
        ("W0", np.zeros((3, 8)), r"params\[0\] has shapes W \(3, 8\)"),
        ("b1", np.zeros(8, dtype=np.float32), "'b1' is 1-D float32; allowed: 1-D float64"),
        ("W1", np.full((8, 8), np.nan), "NaN"),
        ("config", np.array('{"lr": 99}'), "lr=99"),
        ("n_layers", np.array(9), "lacks the array 'W3'"),
        ("pre_x_std", np.array([1.0, -1.0]), "x_std"),
        ("W0", np.array(["a", "b"]), "'W0' is 1-D text; allowed: 2-D float64"),
    ]:
        bad = tmp_path / f"bad_{key}.npz"
        np.savez(bad, **{**arrays, key: value})
        with pytest.raises(ValueError, match=message):
            Trainer.load(bad)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, **{**arrays, "config": np.array([{"x": 1}], dtype=object)})
    with pytest.raises(ValueError, match="not a readable nnviz model"):
        Trainer.load(pickled)


@st.composite
def small_configs(draw):
    name = draw(st.sampled_from([n for n, d in datasets.REGISTRY.items()
                                 if d.from_link and d.kind != "drawn"]))
    c = Config.defaults_for(name)
    info = datasets.REGISTRY[name]
    k = c.n_classes or info.n_classes or 1
    changes = dict(
        n_samples=draw(st.integers(max(10, 2 * k), min(200, info.max_samples or 200))),
        hidden=tuple(draw(st.lists(st.integers(1, 12), max_size=4))),
        activation=draw(st.sampled_from(["tanh", "relu", "sigmoid", "leaky_relu", "linear"])),
        init=draw(st.sampled_from(["small", "xavier", "he"])),
        optimizer=draw(st.sampled_from(["sgd", "momentum", "adam"])),
        lr=draw(st.sampled_from([1e-6, 0.03, 1.0, 10.0])),
        l1=draw(st.sampled_from([0.0, 0.01, 10.0])), l2=draw(st.sampled_from([0.0, 10.0])),
        batch_size=draw(st.integers(1, 300)), test_ratio=draw(st.sampled_from([0.05, 0.5, 0.9])),
        seed=draw(st.integers(0, 3)))
    if info.is_plane:
        changes["features"] = tuple(draw(st.lists(st.sampled_from(list(datasets.FEATURES)),
                                                  min_size=1, max_size=7, unique=True)))
    return dataclasses.replace(c, **changes)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(small_configs())
def test_any_valid_config_trains_without_crashing_or_warnings(c):
    t = Trainer(c)
    t.step(t.steps_per_epoch + 5)
    s = t.snapshot()
    assert s.state in ("running", "diverged")
    event(s.state)
    event(c.dataset)
    assert all(np.all(np.isfinite(W)) and np.all(np.isfinite(b)) for W, b in s.params)
    assert all(np.all(np.isfinite(v)) for k, v in s.history.items() if k != "grad_norm")
    if t.data.n_inputs <= 2:
        assert np.all(np.isfinite(t.predict_grid(8).out))
    assert np.all(np.isfinite(t.predict(t.data.X_test)))


def test_the_fast_grid_is_the_grid_in_float32():
    t = Trainer(small("spiral", n_classes=3))
    t.step(40)
    exact, fast = t.predict_grid(30), t.predict_grid(30, fast=True)
    assert fast.out.dtype == np.float32 and exact.out.dtype == np.float64
    assert np.allclose(fast.out, exact.out, atol=1e-5)
    t.step(5)                                   # the float32 copy follows the weights
    assert np.allclose(t.predict_grid(30, fast=True).out, t.predict_grid(30).out, atol=1e-5)
