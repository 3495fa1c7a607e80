"""The page under streamlit.testing.v1.AppTest: controls -> Config, Step, links, CSV, divergence.

In AppTest the live fragment runs as part of each full run (its timer never fires):
each run while playing trains one batch of frames.
"""

import dataclasses
import html
import re
from pathlib import Path

import numpy as np
import pytest

from nnviz.config import DEFAULT_DATASET, Config
from nnviz.presets import PRESETS
from nnviz.training import Trainer
from nnviz.viz import wire

DEFAULT = Config.defaults_for(DEFAULT_DATASET)


def session(at):
    return at.session_state["nnviz"]


def config(at):
    return session(at).config


def trainer(at):
    return session(at).trainer


def messages(at):
    """The live element's messages (decoded) on the page."""
    return [wire.unpack(el.proto.bytes) for el in at.get("bidi_component")
            if el.proto.component_name == "nnviz_live_charts" and el.proto.WhichOneof("data")]


def message(at):
    [m] = messages(at)
    return m


def numbers(at):
    """The big numbers of the last frame: {label: text}."""
    return dict(message(at)["frames"][-1]["numbers"])


def notes(at, kind=""):
    """The page's message boxes (plain text in HTML), of one kind or all: [text]."""
    return [html.unescape(re.sub(r"<[^>]*>", "", e.proto.body)) for e in at.get("html")
            if re.search(rf'class="nnviz-note {kind}', e.proto.body)]


def texts(at):
    return " ".join(notes(at))


def finish(at, runs=50):
    """Run the page until the session's Step has done all its steps."""
    for _ in range(runs):
        if session(at).job is None:
            return
        at.run()
    raise AssertionError("the Step did not finish")


def test_default_page(app):
    app.run()
    assert not app.exception
    assert config(app) == DEFAULT
    m = message(app)
    assert m["mode"] == "still" and set(m["setups"]) == {"boundary", "diagram", "curves"}
    [frame] = m["frames"]
    assert set(frame["charts"]) == {"boundary", "diagram", "curves"}
    assert frame["charts"]["boundary"]["image"].dtype == np.uint8
    assert set(numbers(app)) >= {"Epoch", "Step", "Train loss", "Test loss", "Train accuracy",
                                 "Test accuracy"}
    assert app.query_params["ds"] == DEFAULT_DATASET


def test_every_message_carries_what_the_browser_needs(app):
    """A page may get only the newest of two quick messages (a click while playing):
    each message brings the layout, every setup and the points along."""
    app.run()
    app.button(key="play").click().run()
    for _ in range(2):
        m = message(app)
        assert m["mode"] == "play" and m["rows"] and len(m["frames"]) > 1
        assert len(m["setups"]["boundary"]["train"]["x"]) > 0
        steps = [f["step"] for f in m["frames"]]
        assert steps == sorted(steps) and len(set(steps)) == len(steps)
        app.run()


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
    ("toggle", "w_standardize", False, "standardize", False),
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
    finish(app)
    assert (trainer(app).epoch, trainer(app).steps) == (1, spe)
    app.button(key="step").click().run()
    finish(app)
    assert (trainer(app).epoch, trainer(app).steps) == (2, 2 * spe)
    assert numbers(app)["Epoch"] == "2"
    assert numbers(app)["Step"] == f"{2 * spe:,}"


def test_play_steps_in_frames_and_pause_stops(app):
    app.run()
    app.button(key="play").click().run()
    assert session(app).playing
    speed = app.session_state["speed"]
    frames = message(app)["frames"]
    after_play = trainer(app).steps
    assert after_play == len(frames) * speed and [f["step"] for f in frames] == \
        [speed * (i + 1) for i in range(len(frames))]
    app.button(key="pause").click().run()
    assert not session(app).playing and message(app)["mode"] == "still"
    app.run()
    assert trainer(app).steps == after_play


def test_learning_rate_change_keeps_weights_architecture_change_resets(app):
    app.run()
    app.button(key="step").click().run()
    finish(app)
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
    t = trainer(app)
    for key, value in (("w_lr", 0.1), ("w_l2", 0.001), ("w_l1", 0.0001)):
        steps = t.steps
        app.select_slider(key=key).set_value(value).run()     # each run trains a batch
        assert trainer(app) is t and session(app).playing
        assert t.steps > steps                                 # on from where it was
    c = config(app)
    assert (c.lr, c.l2, c.l1) == (0.1, 0.001, 0.0001)
    assert (t.optimizer.lr, t.config.l2, t.config.l1) == (0.1, 0.001, 0.0001)
    assert "reset" not in texts(app)


def test_controls_stay_equal_to_the_run_while_playing(app):
    """Layer 1 units 3, layer 2 relu, then 3, 0 and 6 hidden layers, while playing: the
    widgets, the Config, the link and the trainer agree after every change."""
    app.run()
    app.button(key="play").click().run()
    for kind, key, value in (("number_input", "w_units_0", 3), ("selectbox", "w_act_1", "relu"),
                             ("number_input", "w_layers", 3), ("number_input", "w_layers", 0),
                             ("number_input", "w_layers", 6)):
        getattr(app, kind)(key=key).set_value(value).run()
        assert not app.exception
        c = config(app)
        assert trainer(app).config == c
        assert Config.from_query(dict(app.query_params)) == (c, [])
        assert app.number_input(key="w_layers").value == len(c.hidden)
        for i, (units, act) in enumerate(zip(c.hidden, c.hidden_activations(), strict=True)):
            assert app.number_input(key=f"w_units_{i}").value == units
            assert app.selectbox(key=f"w_act_{i}").value == act
        app.run()                                            # a timed run in between
    assert len(config(app).hidden) == 6 and session(app).playing


def test_reset_draws_new_weights_and_keeps_the_data(app):
    app.run()
    app.button(key="step").click().run()
    finish(app)
    data, weights = trainer(app).data.X_train.copy(), trainer(app).net.flat_params.copy()
    first = Trainer(DEFAULT).net.flat_params
    app.button(key="reset").click().run()
    t = trainer(app)
    assert t.steps == 0 and config(app).init_seed == DEFAULT.seed + 1
    np.testing.assert_array_equal(t.data.X_train, data)
    assert not np.array_equal(t.net.flat_params, first)           # new initial weights
    assert not np.array_equal(t.net.flat_params, weights)
    assert app.query_params["wseed"] == str(DEFAULT.seed + 1)     # and the link keeps them
    assert "weight seed 1" in texts(app) and "same data" in texts(app)
    np.testing.assert_array_equal(Trainer(config(app)).net.flat_params, t.net.flat_params)


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


def link_note(at):
    return " ".join(notes(at, "warning"))


def test_bad_link_shows_a_note_and_uses_defaults(app):
    app.query_params.update({"lr": "abc", "zz": "1", "hidden": "4,,", "ds": "circles"})
    app.run()
    assert not app.exception
    note = link_note(app)
    assert "lr" in note and "zz" in note and "hidden" in note
    assert config(app) == DEFAULT
    assert "zz" not in app.query_params            # the address bar is cleaned up


def test_unknown_dataset_in_link_falls_back(app):
    app.query_params.update({"ds": "nonsense", "lr": "0.1"})
    app.run()
    assert not app.exception
    assert config(app).dataset == DEFAULT_DATASET
    assert "nonsense" in link_note(app)


@pytest.mark.parametrize("query", [
    {"ds": "csv", "hidden": "8", "lr": "0.01"},             # a CSV run's own link
    {"ds": "mnist"},                                         # files this server lacks
    {"preset": "lr-too-high", "ds": "mnist"},
])
def test_links_to_data_the_server_cannot_rebuild_open_the_defaults(app, query):
    app.query_params.update(query)
    app.run()
    assert not app.exception and not notes(app, "error")
    assert config(app) == DEFAULT
    note = link_note(app)
    assert "link carries the settings but not the data" in note
    assert message(app)["frames"][0]["charts"]["boundary"]["image"].size > 0


def test_a_cut_link_names_every_field_it_lacks(app):
    c = dataclasses.replace(DEFAULT, optimizer="sgd", l2=0.01, seed=4)
    query = c.to_query()
    cut = dict(list(query.items())[:list(query).index("init")])
    cut["init"] = ""
    app.query_params.update(cut)
    app.run()
    note = link_note(app)
    for key in ("init", "opt", "lr", "l2", "bs", "seed"):
        assert re.search(rf"\b{key}\b", note), key


MARKDOWN = ["[Session expired: sign in again](https://evil.example/login)",
            "![x](http://host/beacon.png)", ":red-background[styled]", "<b>bold</b>",
            "https://evil.example", "**loud**", "`code`"]


@pytest.mark.parametrize("payload", MARKDOWN)
def test_link_notes_are_plain_text(app, payload):
    app.query_params.update({payload: "1", "lr": payload, "ds": "circles"})
    app.run()
    assert not app.warning                                # no Markdown message at all
    [box] = [e.proto.body for e in app.get("html") if "nnviz-note warning" in e.proto.body]
    # plain text in one element: the payload's characters are escaped HTML, no markup
    assert re.fullmatch(r'<div class="nnviz-note warning" role="alert">[^<>]*</div>', box)
    assert payload[:30] in html.unescape(box)


def test_a_huge_value_gives_a_short_note(app):
    app.query_params.update({"lr": "9" * 40_000, "ds": "x" * 40_000})
    app.run()
    note = link_note(app)
    assert len(note) < 600 and "40,000 characters" in note


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
    assert "Could not use bad.csv" in texts(app)
    assert config(app) == DEFAULT


def test_divergence_message_at_learning_rate_10(app):
    c = dataclasses.replace(DEFAULT, hidden=(16, 16, 16, 16), activation="relu", optimizer="sgd",
                            lr=10.0, init="he")
    app.query_params.update(c.to_query())
    app.run()
    app.button(key="step").click().run()
    finish(app)
    t = trainer(app)
    assert t.state == "diverged" and not session(app).playing
    message_text = " ".join(notes(app, "error"))
    assert t.reason in message_text and "diverged" in message_text
    restored, suggested = t.net.flat_params.copy(), t.fix_lr
    fix = app.button(key="fix_lr")
    assert f"{suggested:g}" in fix.label and suggested < c.lr     # the Trainer's own suggestion
    fix.click().run()
    # the change goes through the page, like the sidebar's: slider, link and run agree
    assert config(app).lr == suggested
    assert app.select_slider(key="w_lr").value == suggested
    assert app.query_params["lr"] == repr(suggested)
    assert trainer(app) is t and t.state != "diverged"          # same weights, training on
    assert session(app).playing
    for _ in range(3):
        app.run()
    assert t.steps > 0 and t.state == "running"
    assert not np.array_equal(t.net.flat_params, restored)
    assert not notes(app, "error")


@pytest.mark.parametrize("dataset", ["digits", "sine", "arithmetic", "spiral"])
def test_each_kind_of_data_draws(app, dataset):
    app.run()
    app.selectbox(key="w_dataset").set_value(dataset).run()
    assert not app.exception
    app.button(key="step").click().run()
    finish(app)
    assert not app.exception
    frame = message(app)["frames"][-1]
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
    finish(app)
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
    assert "nope" in link_note(app)


def test_downloads(app, tmp_path):
    from nnviz.ui import downloads

    app.run()
    app.button(key="step").click().run()
    finish(app)
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Model (.npz)", "Config (.json)", "History (.csv)", "Data (.csv)",
                      "NumPy script (.py)"]
    t = trainer(app)
    path = tmp_path / "m.npz"
    path.write_bytes(downloads.model_bytes(t))
    back = Trainer.load(path)
    np.testing.assert_array_equal(back.net.flat_params, t.net.flat_params)
    rows = downloads.history_csv(t.history.as_dict()).splitlines()
    assert rows[0].startswith("step,epoch,train_loss,test_loss")
    assert "grad_norm_layer3" in rows[0]
    assert len(rows) == len(t.history.as_dict()["step"]) + 1


def test_a_closed_session_leaves_no_trainer_alive():
    """Nothing outside a session holds its trainer: not its download buttons (Streamlit
    keeps their callables past the session), not the process's session list."""
    import gc
    import weakref

    from streamlit.testing.v1 import AppTest

    from nnviz.ui import downloads

    refs = []
    for _ in range(3):
        at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"),
                               default_timeout=30)
        at.run()
        at.button(key="step").click().run()
        refs.append(weakref.ref(trainer(at)))
        data = downloads.later(session(at), downloads.model_bytes)
        assert data()[:2] == b"PK"
        del at
    gc.collect()
    assert all(r() is None for r in refs)
    assert data() == b""                   # a button pressed after its session is gone


def test_regenerate_moves_the_seed_and_resets(app):
    app.run()
    app.button(key="step").click().run()
    finish(app)
    before = trainer(app).data.X_train.copy()
    [regen] = [b for b in app.button if b.label == "Regenerate data"]
    regen.click().run()
    assert config(app).seed == DEFAULT.seed + 1
    assert trainer(app).steps == 0
    assert not np.array_equal(trainer(app).data.X_train, before)
    assert app.query_params["seed"] == str(DEFAULT.seed + 1)


def test_curves_reach_the_current_step_between_history_points(app):
    app.query_params.update({"ds": "arithmetic"})         # 7,500 rows: points far apart
    app.run()
    app.button(key="step").click().run()
    t = trainer(app)
    frame = message(app)["frames"][-1]
    history = message(app)["setups"]["curves"]["history"]
    assert history[0][-1] <= frame["step"] == t.steps
    now = frame["charts"]["curves"]["now"]
    assert now[0] == t.steps
    assert now[1] == pytest.approx(t.evaluate()["train_loss"], rel=1e-6)


def test_the_boundary_draws_at_most_max_points(app):
    from nnviz.ui.views import MAX_POINTS, shown_points

    assert shown_points(300, 100) == (300, 100)
    assert shown_points(7500, 2500) == (MAX_POINTS * 3 // 4, MAX_POINTS // 4)
    app.query_params.update({"ds": "arithmetic"})
    app.run()
    setup = message(app)["setups"]["boundary"]
    drawn = len(setup["train"]["x"]) + len(setup["test"]["x"])
    assert drawn == MAX_POINTS < len(trainer(app).data.X_train)


def test_view_toggles_change_the_boundary(app):
    app.run()
    setup = message(app)["setups"]["boundary"]
    assert "test" in setup and "train" in setup
    image = message(app)["frames"][0]["charts"]["boundary"]["image"]
    assert len(np.unique(image)) > 2                                  # probabilities
    app.toggle(key="show_test").set_value(False).run()
    setup = message(app)["setups"]["boundary"]
    assert "train" in setup and "test" not in setup
    app.toggle(key="discretize").set_value(True).run()
    image = message(app)["frames"][0]["charts"]["boundary"]["image"]
    assert set(np.unique(image)) <= {0, 255}                          # the predicted class only
    app.toggle(key="log_loss").set_value(True).run()
    assert message(app)["setups"]["curves"]["panels"][0]["log"] is True
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
    assert any(f"?ds={DEFAULT_DATASET}&" in t.value and "&seed=0" in t.value
               for t in app.text)                               # the link itself, as text


HEAVY = {"ds": "xor", "n": "100000", "hidden": "512,512,512,512,512,512", "bs": "100000"}


def test_the_heavy_link_opens_at_once_with_a_clear_note(app):
    """The largest run today's limits allow: it opens paused, says how slow a step is
    and offers the batch that trains at a usable rate; a redraw stays in its budget."""
    import time

    from nnviz import cost
    from nnviz.limits import BUDGET

    app.query_params.update(HEAVY)
    t0 = time.perf_counter()
    app.run()
    opened = time.perf_counter() - t0
    assert not app.exception and opened < 20
    t = trainer(app)
    assert t.net.layer_sizes == [2, 512, 512, 512, 512, 512, 512, 1]
    assert cost.work_bytes(t.net.layer_sizes, t.chunk_rows) <= BUDGET.session_bytes
    note = " ".join(notes(app, "warning"))
    assert "One training step of this run takes about" in note and "75,000 rows" in note
    fix = app.button(key="fit_batch")
    batch = int(fix.label.split()[-1].replace(",", ""))
    assert 1 <= batch < 75_000
    app.button(key="play").click()
    t0 = time.perf_counter()
    app.run()                                # a redraw: one slice of training, then frames
    assert time.perf_counter() - t0 < 10 and not app.exception
    assert t.in_progress is not None and t.steps == 0     # the step goes on next time
    app.button(key="fit_batch").click().run()
    assert config(app).batch_size == batch and trainer(app) is t


TF_LINK = ("https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=circle"
           "&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0"
           "&networkShape=4,2&seed=0.80370&showTestData=true&discretize=false"
           "&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false"
           "&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
           "&problem=classification&initZero=false&hideText=false")


def test_a_tensorflow_playground_link_opens_its_run(app):
    from nnviz.playground_link import from_link

    app.run()
    app.text_input(key="playground_link").input(TF_LINK).run()
    assert not app.exception
    expected, _ = from_link(TF_LINK)
    assert config(app) == expected and trainer(app).config == expected
    assert session(app).preset is None and trainer(app).steps == 0
    info = " ".join(notes(app, "info"))
    assert "Opened the TensorFlow Playground run" in info and "Math.random" in info
    assert "Show test data is a switch" in info
    assert Config.from_query(dict(app.query_params)) == (expected, [])    # shareable at once
    assert app.toggle(key="w_standardize").value is False
    assert app.text_input(key="playground_link").value == ""
    m = message(app)
    assert m["frames"][0]["charts"]["boundary"]["image"].size > 0


@pytest.mark.parametrize("text", ["https://example.com/#a=1", "<b>**not**</b> a link"])
def test_text_that_is_not_a_tensorflow_playground_link_says_so(app, text):
    app.run()
    app.text_input(key="playground_link").input(text).run()
    assert not app.exception and config(app) == DEFAULT
    [error] = notes(app, "error")
    assert "not a TensorFlow Playground link" in error
