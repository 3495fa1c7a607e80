"""`python -m nnviz export`: the script it writes trains like `python -m nnviz train`.

For every dataset of the registry that a Config alone rebuilds (`from_link`: the
generated sets, the drawn ones from their points, the bundled digits), the exported
script's last line (one JSON object) has the train loss of the CLI's own run of
the same Config to a relative 1e-9, after the same number of steps. The rest need a
file the script is given (MNIST's IDX files, a CSV): tests/export/test_export_script.py.
"""

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz import cli, datasets
from nnviz.config import Config
from nnviz.data import drawn
from nnviz.data.registry import DatasetInfo
from nnviz.export import data_kind, exportable

ROOT = Path(__file__).resolve().parents[2]
EXPORTED = [n for n, info in datasets.REGISTRY.items() if info.from_link]
# What a drawn set is drawn from: a generated set of its task (and the classes it takes)
DRAWN_FROM = {"classification": ("spiral", 3), "regression": ("multigauss", None)}
FLAGS = {
    "defaults": [],
    "momentum-l1-l2-crosses": ["--optimizer", "momentum", "--nesterov", "--l1", "0.001",
                               "--l2", "0.01", "--features", "x1,x2,x1*x2,sin(x1)"],
    "sgd-relu-he-ragged": ["--optimizer", "sgd", "--lr", "0.1", "--activation", "relu,tanh",
                           "--hidden", "6,5", "--init", "he", "--batch-size", "7"],
    "raw-inputs": ["--no-standardize", "--optimizer", "sgd", "--lr", "0.01",
                   "--features", "x1,x2,x1^2"],
}


def cli_json(argv, capsys):
    """Run `python -m nnviz ARGV --json` in this process: its last stdout line, parsed."""
    assert cli.main([*argv, "--json", "--quiet"]) == 0
    return json.loads(capsys.readouterr().out.splitlines()[-1])


def run_script(path, *args):
    """Run an exported script with nnviz and scikit-learn made unimportable."""
    blocker = ("import runpy, sys\nsys.modules.update(nnviz=None, sklearn=None, scipy=None)\n"
               "sys.argv = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name='__main__')")
    result = subprocess.run([sys.executable, "-I", "-c", blocker, str(path), *args],
                            capture_output=True, text=True, timeout=120, cwd=path.parent)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def relative(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def flags_for(name, flags):
    """The flags, less --features for data that is not 2-D."""
    if datasets.REGISTRY[name].is_plane or "--features" not in flags:
        return flags
    i = flags.index("--features")
    return flags[:i] + flags[i + 2:]


def data_flags(name):
    """The flags that give `name` its data: none, or for a drawn set its points (those a
    generated set of its task starts the Draw tool from) and its number of classes."""
    info = datasets.REGISTRY[name]
    if info.kind != "drawn":
        return []
    source, k = DRAWN_FROM[info.task]
    X, y = datasets.load(source, **({"n_classes": k} if k else {}))
    flags = ["--points", drawn.from_data(X, y, info.task, k)]
    return flags + (["--classes", str(k)] if k else [])


def test_every_dataset_exports_or_needs_a_file():
    kinds = {datasets.REGISTRY[n].kind for n in EXPORTED}
    assert kinds == {"generated", "drawn", "bundled"}, kinds
    assert {"tf_circle", "tf_gauss", "tf_spiral", "drawn", "drawn_values"} <= set(EXPORTED)
    for name in datasets.REGISTRY:
        assert name in EXPORTED or data_kind(name).argument, name


@pytest.mark.parametrize("name", EXPORTED)
def test_the_script_trains_like_the_cli(name, tmp_path, capsys):
    epochs = "1" if (datasets.REGISTRY[name].default_samples or 0) > 1000 else "2"
    argv = ["--dataset", name, "--epochs", epochs, *data_flags(name)]
    out = tmp_path / "x.py"
    assert cli.main(["export", *argv, "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}")
    script, nnviz = run_script(out), cli_json(["train", *argv], capsys)
    assert script["steps"] == nnviz["steps"] > 0
    assert relative(script["train_loss"], nnviz["train_loss"]) < 1e-9
    assert relative(script["test_loss"], nnviz["test_loss"]) < 1e-9
    score = "accuracy" if datasets.REGISTRY[name].task == "classification" else "r2"
    assert script[f"test_{score}"] == pytest.approx(nnviz[f"test_{score}"], rel=1e-9)


@pytest.mark.parametrize("flags", list(FLAGS)[1:])
@pytest.mark.parametrize("name", ["circles", "spiral", "sine"])
def test_the_script_follows_trains_flags(name, flags, tmp_path, capsys):
    argv = ["--dataset", name, "--epochs", "2", *flags_for(name, FLAGS[flags])]
    out = tmp_path / "x.py"
    assert cli.main(["export", *argv, "-o", str(out)]) == 0
    script, nnviz = run_script(out), cli_json(["train", *argv], capsys)
    assert script["steps"] == nnviz["steps"]
    assert relative(script["train_loss"], nnviz["train_loss"]) < 1e-9


@pytest.mark.parametrize("link", [
    "https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=circle"
    "&learningRate=0.03&networkShape=4,2&seed=0.80370&noise=10&xSquared=true",
    "https://playground.tensorflow.org/#activation=relu&batchSize=7&regDataset=reg-gauss"
    "&learningRate=0.01&networkShape=5&problem=regression&regularization=L1"
    "&regularizationRate=0.001&seed=0.2",
], ids=["circle", "reg-gauss"])
def test_a_tensorflow_playground_link_exports(link, tmp_path, capsys):
    argv = ["--playground", link, "--epochs", "2"]
    out = tmp_path / "x.py"
    assert cli.main(["export", *argv, "-o", str(out)]) == 0
    assert "nnviz: note: " in capsys.readouterr().err
    script, nnviz = run_script(out), cli_json(["train", *argv], capsys)
    assert script["steps"] == nnviz["steps"] > 0
    assert relative(script["train_loss"], nnviz["train_loss"]) < 1e-9
    assert relative(script["test_loss"], nnviz["test_loss"]) < 1e-9


def test_python_dash_m_nnviz_export_from_a_config_file(tmp_path):
    config = Config(dataset="gaussians", n_classes=4, hidden=(5,), optimizer="adam", lr=0.05)
    (tmp_path / "run.json").write_text(config.to_json(), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "nnviz", "export", "--config", "run.json", "--epochs", "3",
         "-o", "run.py"], capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "wrote run.py" in result.stdout
    last = run_script(tmp_path / "run.py")
    assert last["epochs"] == 3 and last["dataset"] == "gaussians"
    assert set(last) >= {"train_loss", "test_loss", "train_accuracy", "test_accuracy", "steps"}


@pytest.mark.parametrize(("argv", "message"), [
    (["--dataset", "nope"], "dataset='nope' is not known"),
    (["--lr", "100"], "lr=100.0 is out of range"),
    (["--epochs", "0"], "epochs must be a whole number from 1 to 1,000,000, got 0"),
    (["--hidden", "8,x"], "--hidden '8,x'"),
    (["--config", "missing.json"], "--config missing.json: cannot read it"),
    (["-o", "/no/such/dir/x.py"], "--output /no/such/dir/x.py"),
])
def test_a_bad_argument_is_one_line_and_exit_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def _helper(n):
    return np.zeros((n, 2))


def leans_on_a_helper(n_samples=10, noise=0.0, seed=0):
    return _helper(n_samples), np.zeros(n_samples, np.int64)


def test_a_dataset_that_cannot_be_exported_is_one_line_and_exit_2(monkeypatch, capsys):
    moons = datasets.REGISTRY["moons"]
    monkeypatch.setitem(datasets.REGISTRY, "moons",
                        dataclasses.replace(moons, generate=leans_on_a_helper))
    assert "moons" not in exportable()
    assert cli.main(["export", "--dataset", "moons"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot be exported as a script: its generator 'leans_on_a_helper' uses " \
           "['_helper'] besides NumPy" in err


def ring(n_samples=200, noise=0.1, seed=0):
    """Points on a ring, class by the half plane (a generator only this test knows)."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, 2 * np.pi, n_samples)
    X = np.column_stack([np.cos(t), np.sin(t)]) + noise * rng.standard_normal((n_samples, 2))
    return X, (X[:, 0] > 0).astype(np.int64)


def test_a_new_registry_entry_with_a_numpy_generator_exports(monkeypatch, tmp_path, capsys):
    info = DatasetInfo(name="ring", task="classification", n_features=2, n_classes=2,
                       n_outputs=1, default_samples=200, default_noise=0.1, options=(),
                       description="Points on a ring", feature_names=("x1", "x2"),
                       target_names=("a", "b"), generate=ring, noise_range=(0.0, 1.0),
                       extent=((-1.5, 1.5), (-1.5, 1.5)))
    monkeypatch.setitem(datasets.REGISTRY, "ring", info)
    assert "ring" in exportable() and data_kind("ring").kind == "generated"
    out = tmp_path / "ring.py"
    assert cli.main(["export", "--dataset", "ring", "--epochs", "2", "-o", str(out)]) == 0
    script, nnviz = run_script(out), cli_json(["train", "--dataset", "ring", "--epochs", "2"],
                                              capsys)
    assert "def ring(" in out.read_text(encoding="utf-8")
    assert script["steps"] == nnviz["steps"]
    assert relative(script["train_loss"], nnviz["train_loss"]) < 1e-9
