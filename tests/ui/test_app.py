"""The page under streamlit.testing.v1.AppTest: controls -> Config, Step, links, CSV, divergence.

In AppTest the live fragment runs as part of each full run (its timer never fires).
"""

import dataclasses
import json

import numpy as np
import pytest

from nnviz.config import DEFAULT_DATASET, Config
from nnviz.presets import PRESETS
from nnviz.training import Trainer

DEFAULT = Config.defaults_for(DEFAULT_DATASET)


def config(at):
    return at.session_state["config"]


def trainer(at):
    return at.session_state["trainer"]


def frames(at):
    """The live element's payloads (decoded JSON) on the page."""
    out = []
    for el in at.get("bidi_component"):
        if el.proto.component_name == "nnviz_live_charts" and el.proto.WhichOneof("data"):
            out.append(json.loads(el.proto.bytes))
    return out


def numbers(at):
    """The big numbers above the charts: {label: text}."""
    [frame] = frames(at)
    return dict(frame["numbers"])


def texts(at):
    return " ".join(str(e.value) for kind in ("error", "warning", "info")
                    for e in getattr(at, kind))


def test_default_page(app):
    app.run()
    assert not app.exception
    assert config(app) == DEFAULT
    [frame] = frames(app)
    assert set(frame["charts"]) == {"boundary", "curves", "diagram"}
    assert frame["charts"]["boundary"]["overlay"] in frame["statics"]
    assert set(numbers(app)) >= {"Epoch", "Step", "Train loss", "Test loss", "Train accuracy",
                                 "Test accuracy"}
    assert app.query_params["ds"] == DEFAULT_DATASET


def test_paused_frames_carry_the_points(app):
    """A page may get only the newest of two quick messages (a click while playing):
    every paused frame brings the points along, so none shows a chart without them."""
    app.run()
    for _ in range(3):
        app.button(key="step").click().run()
        [frame] = frames(app)
        assert frame["charts"]["boundary"]["overlay"] in frame.get("statics", {})


CONTROLS = [
    ("selectbox", "w_init", "he", "init", "he"),
    ("selectbox", "w_optimizer", "sgd", "optimizer", "sgd"),
    ("select_slider", "w_lr", 0.3, "lr", 0.3),
    ("select_slider", "w_l1", 0.001, "l1", 0.001),
    ("select_slider", "w_l2", 0.01, "l2", 0.01),
    ("number_input", "w_batch", 32, "batch_size", 32),
    ("number_input", "w_seed", 7, "seed", 7),
    ("number_input", "w_n_samples", 600, "n_samples", 600),
    ("slider", "w_noise", 0.3, "noise", 0.3),
    ("slider", "w_test_ratio", 0.5, "test_ratio", 0.5),
    ("checkbox", "w_feat_x1*x2", True, "features", ("x1", "x2", "x1*x2")),
    ("checkbox", "w_feat_x1", False, "features", ("x2",)),
    ("number_input", "w_layers", 3, "hidden", (8, 8, 8)),
    ("number_input", "w_layers", 0, "hidden", ()),
    ("number_input", "w_units_0", 5, "hidden", (5, 8)),
    ("selectbox", "w_act_1", "relu", "activation", ("tanh", "relu")),
    ("selectbox", "w_dataset", "spiral", "dataset", "spiral"),
]


@pytest.mark.parametrize(("kind", "key", "value", "field", "expected"), CONTROLS,
                         ids=[f"{c[1]}={c[2]}" for c in CONTROLS])
def test_each_control_changes_the_config(app, kind, key, value, field, expected):
    app.run()
    getattr(app, kind)(key=key).set_value(value).run()
    assert not app.exception
    got = getattr(config(app), field)
    if isinstance(expected, float):
        assert got == pytest.approx(expected)
    else:
        assert got == expected
    changed = {f.name for f in dataclasses.fields(Config)
               if getattr(config(app), f.name) != getattr(DEFAULT, f.name)}
    if field != "dataset":
        assert changed == {field}          # nothing else moved
    assert trainer(app).config == config(app)
    assert Config.from_query(dict(app.query_params)) == (config(app), [])


def test_optimizer_settings_and_classes(app):
    app.run()
    app.selectbox(key="w_optimizer").set_value("momentum").run()
    app.slider(key="w_momentum").set_value(0.5).run()
    app.checkbox(key="w_nesterov").check().run()
    c = config(app)
    assert (c.optimizer, c.momentum, c.nesterov) == ("momentum", pytest.approx(0.5), True)
    app.selectbox(key="w_dataset").set_value("spiral").run()
    app.slider(key="w_n_classes").set_value(4).run()
    assert config(app).n_classes == 4
    assert trainer(app).data.n_classes == 4


def test_step_advances_exactly_one_epoch(app):
    app.run()
    spe = trainer(app).steps_per_epoch
    app.button(key="step").click().run()
    assert (trainer(app).epoch, trainer(app).steps) == (1, spe)
    app.button(key="step").click().run()
    assert (trainer(app).epoch, trainer(app).steps) == (2, 2 * spe)
    assert numbers(app)["Epoch"] == "2"
    assert numbers(app)["Step"] == f"{2 * spe:,}"


def test_play_steps_and_pause_stops(app):
    app.run()
    app.button(key="play").click().run()
    assert app.session_state["playing"]
    after_play = trainer(app).steps
    assert after_play == app.session_state["speed"]
    app.button(key="pause").click().run()
    assert not app.session_state["playing"]
    app.run()
    assert trainer(app).steps == after_play


def test_learning_rate_change_keeps_weights_architecture_change_resets(app):
    app.run()
    app.button(key="step").click().run()
    before = trainer(app).net.flat_params.copy()
    app.select_slider(key="w_lr").set_value(0.1).run()
    assert trainer(app).steps > 0
    np.testing.assert_array_equal(trainer(app).net.flat_params, before)
    assert "reset" not in texts(app)
    app.number_input(key="w_units_0").set_value(3).run()
    assert trainer(app).steps == 0
    assert "hidden layers" in texts(app) and "reset" in texts(app)


def test_rates_change_while_playing_and_training_goes_on(app):
    app.run()
    app.button(key="play").click().run()
    t, speed = trainer(app), app.session_state["speed"]
    for key, value in (("w_lr", 0.1), ("w_l2", 0.001), ("w_l1", 0.0001)):
        steps = t.steps
        app.select_slider(key=key).set_value(value).run()     # each run trains `speed` steps
        assert trainer(app) is t and app.session_state["playing"]
        assert t.steps == steps + speed                        # on from where it was
    c = config(app)
    assert (c.lr, c.l2, c.l1) == (0.1, 0.001, 0.0001)
    assert (t.optimizer.lr, t.config.l2, t.config.l1) == (0.1, 0.001, 0.0001)
    assert "reset" not in texts(app)


def test_reset_button_starts_over(app):
    app.run()
    app.button(key="step").click().run()
    app.button(key="reset").click().run()
    assert trainer(app).steps == 0
    fresh = Trainer(config(app))
    np.testing.assert_array_equal(trainer(app).net.flat_params, fresh.net.flat_params)


def test_shared_link_rebuilds_the_same_run(app):
    c = dataclasses.replace(Config.defaults_for("moons"), hidden=(5, 3), activation=("relu", "tanh"),
                            lr=0.1, optimizer="sgd", seed=11, batch_size=16)
    for k, v in c.to_query().items():
        app.query_params[k] = v
    app.run()
    assert not app.exception
    assert config(app) == c
    assert not app.warning
    expected = Trainer(c)
    np.testing.assert_array_equal(trainer(app).net.flat_params, expected.net.flat_params)
    np.testing.assert_array_equal(trainer(app).data.X_train, expected.data.X_train)
    assert app.select_slider(key="w_lr").value == 0.1
    assert app.number_input(key="w_units_1").value == 3


def test_bad_link_shows_a_note_and_uses_defaults(app):
    app.query_params.update({"lr": "abc", "zz": "1", "hidden": "4,,", "ds": "circles"})
    app.run()
    assert not app.exception
    note = " ".join(w.body for w in app.warning)
    assert "lr" in note and "zz" in note and "hidden" in note
    assert config(app) == DEFAULT
    assert "zz" not in app.query_params            # the address bar is cleaned up


def test_unknown_dataset_in_link_falls_back(app):
    app.query_params.update({"ds": "nonsense", "lr": "0.1"})
    app.run()
    assert not app.exception
    assert config(app).dataset == DEFAULT_DATASET
    assert "nonsense" in " ".join(w.body for w in app.warning)


GOOD_CSV = b"a,b,label\n" + b"".join(
    f"{x:.3f},{y:.3f},{int(x * y > 0)}\n".encode()
    for x, y in np.random.default_rng(0).normal(size=(80, 2)))


def test_csv_upload_good(app):
    app.run()
    app.file_uploader(key="w_csv").set_value(("points.csv", GOOD_CSV, "text/csv")).run()
    assert not app.exception
    assert config(app).dataset == "csv"
    assert trainer(app).data.n_inputs == 2
    assert "Loaded points.csv" in texts(app)
    app.button(key="step").click().run()
    assert trainer(app).epoch == 1
    app.select_slider(key="w_lr").set_value(0.1).run()    # keeps the table and weights
    assert config(app).dataset == "csv" and trainer(app).steps > 0


def test_csv_upload_bad(app):
    app.run()
    app.file_uploader(key="w_csv").set_value(("bad.csv", b"a,b\n1,x\n2,3\n", "text/csv")).run()
    assert not app.exception
    assert "Could not use bad.csv" in " ".join(e.value for e in app.error)
    assert config(app) == DEFAULT


def test_divergence_message_at_learning_rate_10(app):
    c = dataclasses.replace(DEFAULT, hidden=(16, 16, 16, 16), activation="relu", optimizer="sgd",
                            lr=10.0, init="he")
    app.query_params.update(c.to_query())
    app.run()
    app.button(key="step").click().run()
    t = trainer(app)
    assert t.state == "diverged" and not app.session_state["playing"]
    message = " ".join(e.value for e in app.error)
    assert t.reason in message and "diverged" in message and "learning rate" in message
    restored, suggested = t.net.flat_params.copy(), t.fix_lr
    fix = app.button(key="fix_lr")
    assert f"{suggested:g}" in fix.label and suggested < c.lr     # the Trainer's own suggestion
    fix.click().run()
    assert config(app).lr == suggested
    assert app.select_slider(key="w_lr").value == suggested
    assert trainer(app) is t and t.state != "diverged"          # same weights, training on
    assert app.session_state["playing"] and t.steps > 0
    assert not np.array_equal(t.net.flat_params, restored)
    assert not app.error


@pytest.mark.parametrize("dataset", ["digits", "sine", "arithmetic", "spiral"])
def test_each_kind_of_data_draws(app, dataset):
    app.run()
    app.selectbox(key="w_dataset").set_value(dataset).run()
    assert not app.exception
    app.button(key="step").click().run()
    assert not app.exception
    [frame] = frames(app)
    assert "curves" in frame["charts"]
    for i in range(len(app.selectbox(key="detail_view").options)):
        app.selectbox(key="detail_view").select_index(i).run()
        assert not app.exception


def preset_text(app):
    """The preset paragraph's text (title, first sentence, the rest behind "more")."""
    return " ".join(m.value for m in app.markdown if "<details>" in m.value)


def test_first_page_explains_the_default_preset(app):
    app.run()
    text = preset_text(app)
    assert "Circles: a first network" in text
    assert PRESETS["circles"].text.split(". ")[-1] in text       # the rest, behind "more"


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_loads_in_one_click(app, name):
    p = PRESETS[name]
    app.run()
    app.button(key="step").click().run()
    app.button_group(key="preset_pick").set_value(p.title).run()
    assert not app.exception
    assert config(app) == p.config
    assert trainer(app).steps == 0 and trainer(app).config == p.config
    assert p.title in preset_text(app)
    assert app.button_group(key="preset_pick").value is None       # ready for another click
    assert app.query_params["preset"] == name


def test_other_data_drops_the_preset_text(app):
    title = PRESETS["circles"].title
    app.run()
    app.number_input(key="w_units_0").set_value(3).run()      # a change of the preset's run
    assert title in preset_text(app)
    assert any("Settings changed" in c.value for c in app.caption)
    app.selectbox(key="w_dataset").set_value("moons").run()   # other data: not its text
    assert title not in preset_text(app)
    app.button_group(key="preset_pick").set_value(title).run()
    assert title in preset_text(app)
    app.file_uploader(key="w_csv").set_value(("points.csv", GOOD_CSV, "text/csv")).run()
    assert title not in preset_text(app)


def test_preset_link(app):
    app.query_params.update({"preset": "xor-hidden-layer", "lr": "0.1"})
    app.run()
    assert not app.exception
    expected = dataclasses.replace(PRESETS["xor-hidden-layer"].config, lr=0.1)
    assert config(app) == expected
    assert "preset" not in app.query_params            # the Config moved on from the preset


def test_unknown_preset_in_link_is_noted(app):
    app.query_params.update({"preset": "nope"})
    app.run()
    assert not app.exception
    assert "nope" in " ".join(w.body for w in app.warning)


def test_downloads(app, tmp_path):
    from nnviz.ui import downloads

    app.run()
    app.button(key="step").click().run()
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Model (.npz)", "Config (.json)", "History (.csv)", "NumPy script (.py)"]
    t = trainer(app)
    path = tmp_path / "m.npz"
    path.write_bytes(downloads.model_bytes(t))
    back = Trainer.load(path)
    np.testing.assert_array_equal(back.net.flat_params, t.net.flat_params)
    rows = downloads.history_csv(t.history.as_dict()).splitlines()
    assert rows[0].startswith("step,epoch,train_loss,test_loss")
    assert "grad_norm_layer3" in rows[0]
    assert len(rows) == len(t.history.as_dict()["step"]) + 1


def test_regenerate_moves_the_seed_and_resets(app):
    app.run()
    app.button(key="step").click().run()
    before = trainer(app).data.X_train.copy()
    [regen] = [b for b in app.button if b.label == "Regenerate data"]
    regen.click().run()
    assert config(app).seed == DEFAULT.seed + 1
    assert trainer(app).steps == 0
    assert not np.array_equal(trainer(app).data.X_train, before)
    assert app.query_params["seed"] == str(DEFAULT.seed + 1)


def test_curves_reach_the_current_step_between_history_points(app):
    from nnviz.viz.typed import unpack

    app.query_params.update({"ds": "arithmetic"})         # 7,500 rows: a point per half epoch
    app.run()
    app.button(key="step").click().run()
    t = trainer(app)
    assert t.history.as_dict()["step"][-1] < t.steps          # the history lags here
    curves = frames(app)[0]["charts"]["curves"]
    for trace in curves["data"]:
        assert unpack(trace["x"])[-1] == t.steps
    loss = next(tr for tr in curves["data"] if tr["uid"] == "curves-train_loss")
    assert unpack(loss["y"])[-1] == pytest.approx(t.evaluate()["train_loss"], rel=1e-6)


def test_the_boundary_draws_at_most_max_points(app):
    from nnviz.ui.views import MAX_POINTS, shown_points
    from nnviz.viz.typed import unpack

    assert shown_points(300, 100) == (300, 100)
    assert shown_points(7500, 2500) == (MAX_POINTS * 3 // 4, MAX_POINTS // 4)
    app.query_params.update({"ds": "arithmetic"})
    app.run()
    [frame] = frames(app)
    [points] = frame["statics"].values()
    drawn = sum(len(unpack(tr["x"])) for tr in points if tr["uid"] in ("boundary-train",
                                                                        "boundary-test"))
    assert drawn == MAX_POINTS < len(trainer(app).data.X_train)


def test_view_toggles_change_the_boundary(app):
    from nnviz.viz.typed import unpack

    app.run()
    [frame] = frames(app)
    [points] = frame["statics"].values()
    assert {"boundary-train", "boundary-test"} <= {tr["uid"] for tr in points}
    heat = next(tr for tr in frame["charts"]["boundary"]["data"] if tr["uid"] == "boundary-heat")
    assert len(np.unique(unpack(heat["z"]))) > 2                    # probabilities
    app.toggle(key="show_test").set_value(False).run()
    [frame] = frames(app)
    [points] = frame["statics"].values()
    assert "boundary-train" in {tr["uid"] for tr in points}
    assert "boundary-test" not in {tr["uid"] for tr in points}
    app.toggle(key="discretize").set_value(True).run()
    [frame] = frames(app)
    heat = next(tr for tr in frame["charts"]["boundary"]["data"] if tr["uid"] == "boundary-heat")
    assert set(np.unique(unpack(heat["z"]))) <= {0.0, 1.0}          # the predicted class only
    app.toggle(key="log_loss").set_value(True).run()
    [frame] = frames(app)
    assert frame["charts"]["curves"]["layout"]["yaxis"]["type"] == "log"
    assert not app.toggle(key="show_test").disabled and not app.toggle(key="discretize").disabled


@pytest.mark.parametrize(("dataset", "show_test", "discretize"),
                         [("sine", True, False), ("digits", False, False),
                          ("arithmetic", True, False)])
def test_toggles_that_do_not_apply_are_disabled(app, dataset, show_test, discretize):
    app.query_params.update({"ds": dataset})
    app.run()
    assert app.toggle(key="show_test").disabled is not show_test
    assert app.toggle(key="discretize").disabled is not discretize


def test_copy_link_button(app):
    app.run()
    [button] = [el for el in app.get("bidi_component")
                if el.proto.component_name == "nnviz_copy_link"]
    assert "Copy link" in button.proto.json
    assert any(f"?ds={DEFAULT_DATASET}&" in c.value and "&seed=0" in c.value
               for c in app.caption)                            # the link itself, as text
