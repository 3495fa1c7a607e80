"""AppTest drives each Inside panel on a small live Trainer (tests/inside/inside_page.py)."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnviz.engine.gradcheck import gradcheck
from nnviz.inside.step import batch_of, walk
from nnviz.training import Trainer
from nnviz.viz.typed import unpack

PAGE = str(Path(__file__).with_name("inside_page.py"))


def _app(panel=None, env=None, monkeypatch=None):
    if env:
        for k, v in env.items():
            monkeypatch.setenv(k, v)
    at = AppTest.from_file(PAGE, default_timeout=60)
    if panel:
        at.session_state["inside.panel"] = panel
    at.run()
    assert not at.exception, at.exception
    return at


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _text(at):
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_step_panel_shows_the_equations_and_next_step_is_one_training_step():
    at = _app()
    trainer = at.session_state["nnviz"].trainer
    twin = Trainer(trainer.config)
    latex = [x.value for x in at.latex]
    assert any(r"\underbrace{Z^{[1]}}_{8\times4}" in x for x in latex)
    assert any(r"\underbrace{X}_{8\times2}" in x for x in latex)
    assert any("A^{[3]} - Y" in x for x in latex)  # the fused sigmoid + bce delta
    assert "Step 1" in _text(at)
    _button(at, "Next step ▶").click().run()
    assert not at.exception
    assert trainer.steps == 1 and "Applied step 1." in [s.value for s in at.success]
    twin.step(1)
    for (W, b), (W2, b2) in zip(trainer.net.params, twin.net.params, strict=True):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)
    assert "Step 2" in _text(at)


def test_step_panel_random_and_single_sample_batches():
    at = _app()
    at.radio(key="inside.source").set_value("Random batch").run()
    at.slider(key="inside.size").set_value(3).run()
    assert not at.exception and "3 training rows drawn at random" in _text(at)
    assert any(r"_{3\times4}" in x.value for x in at.latex)
    at.radio(key="inside.source").set_value("Pick samples").run()
    at.number_input(key="inside.index").set_value(5).run()
    assert not at.exception and "training row 5" in _text(at)
    assert any(r"_{1\times4}" in x.value for x in at.latex)


def test_gradient_check_panel_reports_the_librarys_errors():
    at = _app(panel="Gradient check")
    _button(at, "Run gradient check").click().run()
    assert not at.exception
    trainer = at.session_state["nnviz"].trainer
    _, _, m, view = at.session_state["nnviz"].inside["inside.check"]
    X, y = batch_of(trainer, trainer.next_batch_indices())
    lib = gradcheck(trainer.net, X, y, trainer.loss, max_per_layer=200)
    assert view.relative_errors == lib.relative_errors
    shown = at.dataframe[0].value["relative error"].tolist()
    assert shown == [f"{e:.2e}" for e in lib.relative_errors]
    assert at.success and "below 1e-6" in at.success[0].value


def test_gradient_check_warns_and_subsamples_large_layers():
    at = _app(panel="Gradient check")
    at.number_input(key="inside.max_per_layer").set_value(10).run()
    assert any("random 10 of them" in w.value for w in at.warning)
    _button(at, "Run gradient check").click().run()
    _, _, _, view = at.session_state["nnviz"].inside["inside.check"]
    assert [x["checked"] for x in view.layers] == [10, 10, 3]


def test_hidden_space_panel(monkeypatch):
    at = _app(panel="Hidden space")
    assert len(at.get("plotly_chart")) == 1
    assert "no projection" in _text(at) and "decision boundary" in _text(at)
    at = _app(panel="Hidden space", env={"NNVIZ_INSIDE_HIDDEN": "6"}, monkeypatch=monkeypatch)
    assert "PCA" in _text(at)


def test_replay_panel_keeps_a_bounded_record():
    at = _app(panel="Replay")
    assert at.info  # nothing to replay yet
    for _ in range(4):
        _button(at, "Train 20 steps").click().run()
    buf = at.session_state["nnviz"].inside["inside.replay"]
    assert 2 <= len(buf) <= buf.capacity and buf.steps[-1] == 80
    at.slider(key="inside.frame").set_value(1).run()
    assert not at.exception and len(at.get("plotly_chart")) == 1
    at.get("button_group")[0].set_value("Animate").run()
    assert not at.exception
    anim = json_spec(at.get("plotly_chart")[0])
    assert len(anim["frames"]) == len(buf)


@pytest.mark.filterwarnings("error")
def test_compare_panel_pins_and_sweeps():
    at = _app(panel="Compare")
    _button(at, "Train 20 steps").click().run()
    _button(at, "Pin this run").click().run()
    assert len(at.session_state["nnviz"].inside["inside.pins"]) == 1 and len(at.get("plotly_chart")) == 1
    at.slider(key="inside.sweep_steps").set_value(50).run()
    _button(at, "Sweep 5 learning rates").click().run()
    assert not at.exception
    runs = at.session_state["nnviz"].inside["inside.sweep"]
    assert [r.label for r in runs] == ["lr 0.01", "lr 0.032", "lr 0.1", "lr 0.32", "lr 1"]
    assert all(r.curve("train_loss")[0][-1] == 50 for r in runs)
    assert len(at.get("plotly_chart")) == 2


def _z(trace):
    return np.asarray(unpack(trace["z"]), dtype=np.float64)


def test_step_panel_shows_the_numbers_of_loss_and_grads():
    at = _app()
    trainer = at.session_state["nnviz"].trainer
    idx = trainer.next_batch_indices()
    X, y = batch_of(trainer, idx)
    net = trainer.net.copy()
    loss, grads = net.loss_and_grads(X, y, loss=trainer.loss)
    trace = net.last_trace()
    assert f"Loss on this batch: **{loss:.6g}**" in _text(at)
    charts = list(at.get("plotly_chart"))
    fwd1 = json_spec(charts[0])
    np.testing.assert_array_equal(_z(fwd1["data"][0]), X)            # X
    np.testing.assert_array_equal(_z(fwd1["data"][1]), trace.Z[0])   # Z[1]
    np.testing.assert_array_equal(_z(fwd1["data"][2]), trace.A[1])   # A[1]
    bwd = [json_spec(c) for c in charts if "dZ[" in json_spec(c)["data"][0].get("hovertemplate", "")]
    assert len(bwd) == 3
    for spec in bwd:
        l = int(spec["data"][0]["hovertemplate"].split("dZ[")[1][0])
        np.testing.assert_array_equal(_z(spec["data"][0]), trace.dZ[l - 1])
        dW, db = grads[l - 1]
        np.testing.assert_array_equal(_z(spec["data"][1]), np.vstack([dW, db[None, :]]))


def json_spec(chart):
    return json.loads(chart.proto.spec)


def test_replay_of_a_regression_with_several_outputs_picks_one(monkeypatch):
    at = _app(panel="Replay", env={"NNVIZ_INSIDE_DATASET": "arithmetic"}, monkeypatch=monkeypatch)
    for _ in range(2):
        _button(at, "Train 20 steps").click().run()
    trainer = at.session_state["nnviz"].trainer
    frame = at.session_state["nnviz"].inside["inside.replay"].frames[-1]
    names = list(trainer.data.target_names)
    picker = at.selectbox(key="inside.replay_output")
    assert picker.options == names
    for j in (0, 2):
        picker.set_value(j).run()
        assert not at.exception
        heat = json_spec(at.get("plotly_chart")[0])["data"][0]
        np.testing.assert_allclose(_z(heat), frame.out[:, :, j], rtol=1e-6)
        assert heat["colorbar"]["title"]["text"] == names[j]


def test_step_panel_says_whether_the_loss_on_the_batch_dropped():
    at = _app()
    trainer = at.session_state["nnviz"].trainer
    assert walk(trainer, trainer.next_batch_indices()).loss_dropped
    assert "The loss on this batch dropped." in [s.value for s in at.success]
    trainer.set_lr(10.0)                       # too long a step for some single samples
    overshoot = next(i for i in range(len(trainer.data.X_train))
                     if not walk(trainer, [i]).loss_dropped)
    at.radio(key="inside.source").set_value("Pick samples").run()
    at.number_input(key="inside.index").set_value(overshoot).run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "did not drop" in warning and "learning rate 10" in warning
    assert "The loss on this batch dropped." not in [s.value for s in at.success]


def test_hidden_space_trains_while_watching():
    at = _app(panel="Hidden space")
    trainer = at.session_state["nnviz"].trainer
    assert trainer.steps == 0
    at.toggle(key="inside.animate").set_value(True).run()
    assert not at.exception
    assert trainer.steps == 5                  # one redraw: "Steps per redraw" steps
    at.select_slider(key="inside.per").set_value(20).run()
    assert trainer.steps == 25


def test_compare_legend_names_what_changed():
    at = _app(panel="Compare")
    trainer = at.session_state["nnviz"].trainer
    _button(at, "Train 20 steps").click().run()
    _button(at, "Pin this run").click().run()
    trainer.update(dataclasses.replace(trainer.config, optimizer="adam", lr=0.01))
    _button(at, "Train 20 steps").click().run()
    names = [t["name"] for t in json_spec(at.get("plotly_chart")[0])["data"]]
    assert names == ["pinned 1: optimizer sgd, lr 0.1", "now: optimizer adam, lr 0.01"]
    assert "optimizer sgd→adam, lr 0.1→0.01" in _text(at)


def test_hidden_space_of_a_regression_colours_points_by_target(monkeypatch):
    at = _app(panel="Hidden space", env={"NNVIZ_INSIDE_DATASET": "plane"}, monkeypatch=monkeypatch)
    trainer = at.session_state["nnviz"].trainer
    points = json_spec(at.get("plotly_chart")[0])["data"][0]
    marker = points["marker"]
    y = trainer.data.y_train[:, 0]
    assert (marker["cmin"] + marker["cmax"]) / 2 == pytest.approx((y.min() + y.max()) / 2)
    np.testing.assert_allclose(_z({"z": marker["color"]}), y)
    assert marker["colorbar"]["title"]["text"] == "target"
