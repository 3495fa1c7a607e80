"""Data brought to the page: MNIST's IDX files uploaded or read from the server's
directory (NNVIZ_MNIST_DIR), and a CSV with the target columns chosen on the page."""

import gzip
import struct
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from test_app import finish, message, messages, notes, session, texts

from nnviz import limits
from nnviz.config import DEFAULT_DATASET, Config
from nnviz.limits import Budget
from nnviz.training import Trainer
from nnviz.ui import share, uploads

APP = str(Path(__file__).resolve().parents[2] / "app.py")
N_IMAGES = 300


def idx(a):
    """The bytes of an IDX file of uint8 array `a`."""
    return struct.pack(">BBBB", 0, 0, 0x08, a.ndim) + struct.pack(f">{a.ndim}I", *a.shape) \
        + a.astype(np.uint8).tobytes()


def digits_like(n=N_IMAGES, seed=0):
    """(images (n, 28, 28), labels (n,)): each digit a bright bar at its own height on
    noise, so a small network learns them in an epoch or two."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % 10).astype(np.uint8)
    images = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
    for i, d in enumerate(labels):
        images[i, 2 + 2 * d:5 + 2 * d, 4:24] = 220
    return images, labels


def idx_files(n=N_IMAGES, prefix="train"):
    images, labels = digits_like(n)
    return [(f"{prefix}-images-idx3-ubyte.gz", gzip.compress(idx(images)), "application/gzip"),
            (f"{prefix}-labels-idx1-ubyte", idx(labels), "application/octet-stream")]


def chart_ids(m):
    return {c["id"] for row in m["rows"] for col in row for c in col["charts"]}


def plotly_charts(at):
    """The Plotly specs of the page's last frame: {chart id: spec}."""
    return message(at)["frames"][-1]["plotly"]


def step_an_epoch(at):
    at.button(key="step").click().run()
    finish(at)
    assert not at.exception


def test_uploaded_idx_files_train_and_show_the_digit_views(app):
    app.run()
    app.file_uploader(key="w_idx").set_value(idx_files()).run()
    assert not app.exception, app.exception
    s = session(app)
    assert s.config.dataset == uploads.table_entry() and s.config.hidden == (128,)
    assert "Loaded MNIST images: 300 images of 28×28 pixels" in texts(app)
    t = s.trainer
    assert t.data.X_train.shape[1] == 784 and t.data.n_classes == 10
    assert chart_ids(message(app)) == {"digits", "curves", "confusion"}
    step_an_epoch(app)
    assert s.trainer.epoch >= 1
    charts = plotly_charts(app)
    assert set(charts) == {"digits", "confusion"}
    assert "accuracy" in charts["confusion"]["layout"]["title"]["text"]
    app.selectbox(key="detail_view").set_value("first_layer").run()
    assert "first_layer" in chart_ids(message(app))
    assert "first-layer weights as 28×28 images" in \
        plotly_charts(app)["first_layer"]["layout"]["title"]["text"]
    # the link cannot carry the images, and the caption says so (a page opened from such
    # a link: tests/ui/test_app.py)
    assert share.LINK_CAPTIONS["table"] in [c.value for c in app.caption]
    assert app.query_params["ds"] == uploads.table_entry()


def test_the_dataset_picker_names_the_upload_and_goes_back_to_it(app):
    app.run()
    app.file_uploader(key="w_idx").set_value(idx_files()).run()
    picker = app.selectbox(key="w_dataset")
    assert picker.options[-1] == "your upload" and picker.proto.help.startswith("MNIST images")
    picker.set_value("circles").run()
    assert session(app).config.dataset == "circles"
    app.selectbox(key="w_dataset").set_value(uploads.table_entry()).run()
    assert session(app).trainer.data.X_train.shape[1] == 784


def test_more_images_than_a_session_keeps_are_sampled_and_the_note_says_so(app, monkeypatch):
    monkeypatch.setattr(uploads, "image_rows", lambda budget=None: 120)
    app.run()
    app.file_uploader(key="w_idx").set_value(idx_files() + idx_files(60, "t10k")).run()
    assert not app.exception
    t = session(app).trainer
    assert len(t.data.X_train) + len(t.data.X_test) == 120
    assert "a random 120 of the 360 images" in texts(app)


@pytest.mark.parametrize("files, message_text", [
    (lambda: idx_files()[:1], "needs its labels: upload train-labels-idx1-ubyte too"),
    (lambda: [("photo.png", b"\x89PNG....", "image/png")], "is not named like an MNIST file"),
])
def test_bad_idx_uploads_say_what_is_wrong(app, files, message_text):
    app.run()
    app.file_uploader(key="w_idx").set_value(files()).run()
    assert not app.exception
    assert any(message_text in n for n in notes(app, "error"))
    assert session(app).config == Config.defaults_for(DEFAULT_DATASET)


def test_images_a_session_keeps_fit_its_memory_budget():
    """The run of a sample as large as a small budget allows stays within the budget."""
    budget = Budget(session_bytes=48 * 2**20)
    rows = uploads.image_rows(budget)
    assert 100 < rows < uploads.image_rows()              # the budget, not the cap, limits
    images, labels = digits_like(rows + 50)
    files = {"train-images-idx3-ubyte": idx(images), "train-labels-idx1-ubyte": idx(labels)}
    config = Config(**{**Config.defaults_for("mnist").to_dict(),
                       "dataset": uploads.table_entry(), "n_samples": None, "hidden": (128,)})
    tracemalloc.start()
    try:
        table, _ = uploads.mnist.from_idx(files, max_rows=rows)
        del images, labels, files
        t = Trainer(config, table=table, budget=budget)
        t.step(20)
        t.evaluate()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(table.X) == rows
    assert peak <= budget.session_bytes


def test_mnist_from_the_servers_directory(app, monkeypatch, tmp_path):
    images, labels = digits_like()
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx(images)))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx(labels))
    app.run()
    assert "mnist" not in app.selectbox(key="w_dataset").options     # not offered without it
    monkeypatch.setattr(limits, "FILES_DIR", str(tmp_path))
    app.run()
    picker = app.selectbox(key="w_dataset")
    assert "mnist (server files)" in picker.options
    picker.set_value("mnist").run()
    assert not app.exception and not notes(app, "error")
    s = session(app)
    assert s.config.dataset == "mnist" and s.config.n_samples is None   # every image, to the cap
    assert len(s.trainer.data.X_train) + len(s.trainer.data.X_test) == N_IMAGES
    step_an_epoch(app)
    assert set(plotly_charts(app)) == {"digits", "confusion"}
    assert share.LINK_CAPTIONS["path"] in [c.value for c in app.caption]
    # the link reproduces the run on this server
    link = dict(app.query_params)
    again = AppTest.from_file(APP, default_timeout=30)
    again.query_params.update(link)
    again.run()
    assert not again.exception and session(again).config == s.config
    assert chart_ids(messages(again)[0]) == {"digits", "curves", "confusion"}


SUMS_CSV = b"a,b,a+b,a-b,|a-b|\n" + b"".join(
    f"{a:.2f},{b:.2f},{a + b:.2f},{a - b:.2f},{abs(a - b):.2f}\n".encode()
    for a, b in np.random.default_rng(0).uniform(0, 100, (200, 2)))


def test_a_csv_with_three_targets_chosen_on_the_page(app):
    app.run()
    app.file_uploader(key="w_csv").set_value(("sums.csv", SUMS_CSV, "text/csv")).run()
    assert not app.exception
    s = session(app)
    assert s.table.target_names == ("|a-b|",)              # the guess: the last column
    chooser = app.multiselect(key="w_targets")
    assert chooser.options == ["a", "b", "a+b", "a-b", "|a-b|"]
    assert chooser.value == ["|a-b|"]
    chooser.set_value(["a+b", "a-b", "|a-b|"]).run()
    assert not app.exception and not notes(app, "error")
    t = s.trainer
    assert t.data.task == "regression" and t.net.layer_sizes[-1] == 3
    assert t.data.feature_names == ("a", "b")
    assert "regression of 3 targets" in texts(app)
    step_an_epoch(app)
    app.selectbox(key="detail_view").set_value("parity").run()
    parity = plotly_charts(app)["parity"]
    panels = [tr for tr in parity["data"] if tr["uid"].startswith("parity-points")]
    assert len(panels) == 3
    titles = " ".join(a["text"] for a in parity["layout"]["annotations"])
    assert all(name in titles for name in ("a+b", "a-b", "|a-b|"))
    # a script would guess the target again, so none is offered for chosen targets
    assert "No standalone script for this upload" in " ".join(c.value for c in app.caption)


def test_no_target_column_is_refused_and_the_table_kept(app):
    app.run()
    app.file_uploader(key="w_csv").set_value(("sums.csv", SUMS_CSV, "text/csv")).run()
    table = session(app).table
    app.multiselect(key="w_targets").set_value([]).run()
    assert "Choose at least one target column." in notes(app, "error")
    assert session(app).table is table
    assert app.multiselect(key="w_targets").value == ["|a-b|"]
