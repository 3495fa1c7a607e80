"""`python -m nnviz`: train / predict / bench, end to end through a subprocess and in-process."""

import io
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from nnviz import cli
from nnviz.config import Config
from nnviz.training import Trainer

ROOT = Path(__file__).resolve().parents[2]


def nnviz(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "nnviz", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=120)


def one_clear_line(stderr):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr
    return lines[0]


def test_train_json_then_predict_end_to_end(tmp_path):
    model = tmp_path / "m.npz"
    r = nnviz("train", "--dataset", "moons", "--hidden", "8,8", "--activation", "tanh",
              "--lr", "0.03", "--epochs", "30", "--seed", "1", "--json", "--save", model)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy", "steps",
                "epochs", "seconds", "state"):
        assert key in out
    assert out["epochs"] == 30 and out["state"] == "running" and out["test_accuracy"] > 0.9
    assert r.stderr == ""
    points = tmp_path / "points.csv"
    points.write_text("x1,x2\n0.0,1.0\n1.0,-0.5\n-1,0.25\n")
    p = nnviz("predict", "--model", model, "--input", points)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert lines[0] == "x1,x2,prediction,p_0,p_1" and len(lines) == 4
    rows = np.array([[float(v) for v in line.split(",")] for line in lines[1:]])
    expected = Trainer.load(model).predict(rows[:, :2])[:, 0]
    assert np.allclose(rows[:, 4], expected, rtol=1e-9)
    assert np.array_equal(rows[:, 2], (expected > 0.5).astype(float))
    assert np.allclose(rows[:, 3] + rows[:, 4], 1)


BAD_ARGS = [
    (["train", "--lr", "100"], "lr=100.0 is out of range: allowed 1e-06 to 10"),
    (["train", "--hidden", "8,x"], "--hidden '8,x'"),
    (["train", "--bogus"], "unrecognized arguments: --bogus"),
    (["train", "--dataset", "nope"], "dataset='nope' is not known"),
    (["train", "--epochs", "3", "--steps", "4"], "not allowed with argument"),
    (["train", "--steps", "-5"], "--steps -5 is out of range"),
    (["train", "--target", "y"], "only with --csv"),
    (["train", "--dataset", "digits", "--features", "x1"], "apply only to data with two"),
    (["predict", "--model", "missing.npz", "--input", "x.csv"], "no such model file"),
    (["predict", "--model", "m.npz"], "required: --input"),
    ([], "required: {train,export,predict,bench}"),
    (["train", "--playground", "https://example.com/#a=1"], "not a TensorFlow Playground link"),
    (["train", "--playground", "#x=true", "--config", "c.json"], "not allowed with argument"),
]


@pytest.mark.parametrize("index", [0, 2, 10])
def test_bad_arguments_exit_2_with_one_line_in_a_subprocess(index):
    args, message = BAD_ARGS[index]
    r = nnviz(*args)
    assert r.returncode == 2
    assert message in one_clear_line(r.stderr) and r.stdout == ""


@pytest.mark.parametrize("args,message", BAD_ARGS)
def test_bad_arguments_exit_2_with_one_line(args, message, capsys):
    assert cli.main(args) == 2
    out, err = capsys.readouterr()
    assert err.startswith("nnviz: error: ") and message in one_clear_line(err) and out == ""


def test_divergence_exits_3_and_says_why():
    r = nnviz("train", "--dataset", "plane", "--optimizer", "sgd", "--lr", "3", "--json")
    assert r.returncode == 3
    line = one_clear_line(r.stderr)
    assert "diverged" in line and "learning rate 3" in line
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["state"] == "diverged" and "step" in out["reason"]


# -- in-process: the same main(), faster ---------------------------------------------

def run(args, capsys):
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_flags_override_config_file_and_dataset_defaults(tmp_path, capsys):
    cfg = tmp_path / "run.json"
    cfg.write_text(Config.defaults_for("spiral").to_json())
    code, out, err = run(["train", "--config", cfg, "--hidden", "6", "--activation", "relu",
                          "--classes", "4", "--steps", "7", "--batch-size", "20", "--json",
                          "--save", tmp_path / "s.npz"], capsys)
    assert code == 0, err
    assert json.loads(out.splitlines()[-1])["steps"] == 7
    c = Trainer.load(tmp_path / "s.npz").config
    assert (c.dataset, c.hidden, c.activation, c.n_classes, c.batch_size) == \
        ("spiral", (6,), "relu", 4, 20)
    # another dataset than the file's takes that dataset's own sizes and features
    code, out, err = run(["train", "--config", cfg, "--dataset", "sine", "--steps", "1",
                          "--save", tmp_path / "d.npz"], capsys)
    assert code == 0, err
    d = Trainer.load(tmp_path / "d.npz").config
    assert (d.dataset, d.features, d.n_classes, d.hidden) == ("sine", None, None, (16, 16))
    assert "R²" in out and "sine" in out
    for bad, message in [("{", "not valid JSON"), ('{"lr": 20}', "lr=20")]:
        cfg.write_text(bad)
        code, _, err = run(["train", "--config", cfg], capsys)
        assert code == 2 and message in err
    code, _, err = run(["train", "--config", tmp_path / "none.json"], capsys)
    assert code == 2 and "cannot read" in err


def test_every_config_field_has_a_flag():
    fields = set(Config.__dataclass_fields__)
    assert fields == set(cli.TRAIN_FLAGS) | set(cli.SWITCH_FLAGS)
    args = cli.build_parser().parse_args(
        ["train", "--dataset", "moons", "--n-samples", "120", "--noise", "0.3",
         "--test-ratio", "0.3", "--features", "x1,x2,x1*x2", "--hidden", "none",
         "--activation", "relu", "--output-activation", "softmax", "--loss", "auto",
         "--init", "he", "--optimizer", "momentum", "--lr", "0.1", "--momentum", "0.8",
         "--nesterov", "--l1", "0.001", "--l2", "0.01", "--batch-size", "16", "--seed", "3",
         "--no-standardize"])
    c = cli.make_config(args)
    assert c == Config(dataset="moons", n_samples=120, noise=0.3, test_ratio=0.3,
                       features=("x1", "x2", "x1*x2"), hidden=(), activation="relu",
                       output_activation="softmax", init="he", optimizer="momentum",
                       lr=0.1, momentum=0.8, nesterov=True, l1=0.001, l2=0.01,
                       batch_size=16, seed=3, standardize=False)


def test_csv_training_and_regression_predictions(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (80, 2))
    data = tmp_path / "data.csv"
    data.write_text("u,v,y\n" + "\n".join(f"{a},{b},{2 * a - b + 1}" for a, b in X))
    code, out, err = run(["train", "--csv", data, "--steps", "300", "--json",
                          "--save", tmp_path / "r.npz"], capsys)
    assert code == 0, err
    res = json.loads(out.splitlines()[-1])
    assert res["dataset"] == "csv" and res["test_r2"] > 0.9
    pts = tmp_path / "pts.csv"
    pts.write_text("v,u\n0,0\n1,0.5\n")           # columns by name, any order
    code, out, err = run(["predict", "--model", tmp_path / "r.npz", "--input", pts], capsys)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == "u,v,y"
    assert abs(float(lines[1].split(",")[2]) - 1.0) < 0.3
    for text, message in [("a\n1\n", "needs 2 input column"), ("u,v\n", "no rows"),
                          ("u,v\n1,zz\n", "row 2, column 'v' holds 'zz'"), ("", "empty")]:
        pts.write_text(text)
        code, _, err = run(["predict", "--model", tmp_path / "r.npz", "--input", pts],
                           capsys)
        assert code == 2 and message in err
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    code, _, err = run(["train", "--csv", bad], capsys)
    assert code == 2 and err.startswith("nnviz: error: --csv") and len(err.splitlines()) == 1
    code, _, err = run(["train", "--csv", data, "--dataset", "moons"], capsys)
    assert code == 2 and "conflict" in err


def test_progress_bar_goes_to_stderr_never_stdout(monkeypatch, capsys):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    for delay, shown in ((0.0, True), (1e9, False)):   # a long run, or one over in a moment
        err = Tty()
        monkeypatch.setattr(sys, "stderr", err)
        monkeypatch.setattr(cli, "PROGRESS_DELAY", delay)
        code = cli.main(["train", "--dataset", "moons", "--steps", "3000", "--json"])
        out = capsys.readouterr().out
        assert code == 0
        assert out.count("\n") == 1 and json.loads(out)["steps"] == 3000
        assert ("step" in err.getvalue() and "%" in err.getvalue()) == shown
        assert shown or err.getvalue() == ""


def test_bench_routes_to_the_engine_and_figure_benchmarks(monkeypatch):
    calls = []
    for name in ("nnviz.bench", "nnviz.viz.bench"):
        fake = types.ModuleType(name)
        fake.main = lambda argv, name=name: calls.append((name, argv)) or 0
        monkeypatch.setitem(sys.modules, name, fake)
    assert cli.main(["bench", "--json", "--repeats", "5"]) == 0
    assert cli.main(["bench", "--viz", "--json"]) == 0
    assert calls == [("nnviz.bench", ["--json", "--repeats", "5"]),
                     ("nnviz.viz.bench", ["--json"])]


def test_mnist_from_idx_files(tmp_path, capsys):
    rng = np.random.default_rng(0)
    labels = np.arange(60, dtype=np.uint8) % 10
    images = (rng.random((60, 28, 28)) * 40).astype(np.uint8)
    images[np.arange(60), labels * 2, :] = 255           # a bright row per digit: learnable
    (tmp_path / "train-images-idx3-ubyte").write_bytes(
        b"\x00\x00\x08\x03" + np.array([60, 28, 28], ">u4").tobytes() + images.tobytes())
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(
        b"\x00\x00\x08\x01" + np.array([60], ">u4").tobytes() + labels.tobytes())
    code, out, err = run(["train", "--dataset", "mnist", "--mnist-path", tmp_path,
                          "--n-samples", "60", "--hidden", "16", "--epochs", "30", "--json",
                          "--save", tmp_path / "mnist.npz"], capsys)
    assert code == 0, err
    assert json.loads(out.splitlines()[-1])["train_accuracy"] == 1.0
    t = Trainer.load(tmp_path / "mnist.npz")
    assert t.data.X_train.shape[1] == 784 and t.net.layer_sizes == [784, 16, 10]
    code, _, err = run(["train", "--dataset", "mnist"], capsys)
    assert code == 2 and "--mnist-path" in err
    code, _, err = run(["train", "--dataset", "mnist", "--mnist-path", tmp_path / "no"],
                       capsys)
    assert code == 2 and "no MNIST images file" in err


def test_ctrl_c_stops_early_and_still_reports(monkeypatch, capsys):
    calls, original = [], Trainer.step

    def step(self, n=1):
        calls.append(n)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(self, n)

    monkeypatch.setattr(Trainer, "step", step)
    code, out, err = run(["train", "--dataset", "xor", "--json"], capsys)
    res = json.loads(out.splitlines()[-1])
    assert code == 130 and res["interrupted"] and res["steps"] == 2 * calls[0]
    assert "interrupted after" in err


def test_json_has_no_nan():
    assert cli._finite({"a": float("nan"), "b": [1.0, float("inf")], "c": "x"}) == \
        {"a": None, "b": [1.0, None], "c": "x"}


def test_a_config_of_an_upload_run_asks_for_its_data_file(tmp_path):
    """A Config carries settings, not data: `--config` of a CSV run needs --csv, of a
    files run --mnist-path, and says so in one line (exit 2)."""
    for dataset, flag in (("csv", "add --csv FILE"), ("mnist", "add --mnist-path DIR")):
        cfg = tmp_path / f"{dataset}.json"
        cfg.write_text(Config.defaults_for(dataset).to_json())
        r = nnviz("train", "--config", cfg, "--steps", "1")
        assert r.returncode == 2 and r.stdout == ""
        line = one_clear_line(r.stderr)
        assert line.startswith(f"nnviz: error: the run in {cfg} reads its data from ")
        assert flag in line
    r = nnviz("train", "--dataset", "moons", "--mnist-path", tmp_path)
    assert r.returncode == 2
    assert "--mnist-path applies only to data read from IDX files (--dataset mnist)" in \
        one_clear_line(r.stderr)


def test_a_csv_run_from_its_config_with_the_file_given(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("u,v,label\n" + "".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(40)))
    cfg = tmp_path / "run.json"
    cfg.write_text(Config(dataset="csv", hidden=(5,)).to_json())
    code, out, err = run(["train", "--config", cfg, "--csv", data, "--steps", "3", "--json",
                          "--save", tmp_path / "m.npz"], capsys)
    assert code == 0, err
    assert Trainer.load(tmp_path / "m.npz").net.layer_sizes == [2, 5, 1]


def test_several_targets_of_a_csv_make_one_output_each(tmp_path, capsys):
    rng = np.random.default_rng(0)
    ab = rng.uniform(0, 100, (200, 2))
    data = tmp_path / "sums.csv"
    data.write_text("a,b,a+b,a-b,|a-b|\n" + "".join(
        f"{a:.3f},{b:.3f},{a + b:.3f},{a - b:.3f},{abs(a - b):.3f}\n" for a, b in ab))
    code, out, err = run(["train", "--csv", data, "--target", "a+b,a-b,|a-b|", "--hidden", "16",
                          "--activation", "relu", "--epochs", "60", "--json",
                          "--save", tmp_path / "m.npz"], capsys)
    assert code == 0, err
    res = json.loads(out.splitlines()[-1])
    assert len(res["test_r2_per_output"]) == 3 and min(res["test_r2_per_output"][:2]) > 0.99
    t = Trainer.load(tmp_path / "m.npz")
    assert t.data.target_names == ("a+b", "a-b", "|a-b|") and t.net.layer_sizes[-1] == 3


def test_predict_refuses_a_file_without_a_header_row(tmp_path):
    model = tmp_path / "m.npz"
    r = nnviz("train", "--dataset", "moons", "--steps", "5", "--save", model)
    assert r.returncode == 0, r.stderr
    points = tmp_path / "points.csv"
    points.write_text("0.5,1.0\n1.0,-0.5\n-1,0.25\n")
    r = nnviz("predict", "--model", model, "--input", points)
    assert r.returncode == 2 and r.stdout == ""
    line = one_clear_line(r.stderr)
    assert "the first row holds numbers, not column names" in line and "(x1, x2)" in line


TF_LINK = ("https://playground.tensorflow.org/#activation=relu&regularization=L2&batchSize=10"
           "&dataset=spiral&learningRate=0.03&regularizationRate=0.01&networkShape=6,4"
           "&seed=0.45009&xTimesY=true&problem=classification")


def test_train_a_tensorflow_playground_link(capsys):
    from nnviz.playground_link import from_link

    code, out, err = run(["train", "--playground", TF_LINK, "--epochs", "2", "--json",
                          "--quiet"], capsys)
    assert code == 0
    result = json.loads(out.splitlines()[-1])
    config, notes = from_link(TF_LINK)
    assert result["config"] == config.to_dict() and Config.from_dict(result["config"]) == config
    assert result["dataset"] == "tf_spiral" and result["steps"] == 2 * 25
    assert [line.removeprefix("nnviz: note: ") for line in err.splitlines()] == notes
    code, out, _ = run(["train", "--playground", TF_LINK, "--lr", "0.1", "--hidden", "3",
                        "--steps", "1", "--json", "--quiet"], capsys)     # flags go on top
    c = json.loads(out.splitlines()[-1])["config"]
    assert (c["lr"], c["hidden"], c["init"], c["l2"]) == (0.1, [3], "tfp", 0.02)
