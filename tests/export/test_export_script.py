"""The standalone script: it runs with NumPy alone and reproduces nnviz's run.

Data, split, standardisation, first weights and batch order must match nnviz bit
for bit. The training arithmetic is the reference network's (nnviz multiplies
[A, 1] @ [W; b] in one product, the script A @ W + b), so losses and weights
after training are compared with rtol 1e-6; measured, they agree to ~1e-14.
"""

import dataclasses
import gzip
import json
import runpy
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz import datasets
from nnviz.config import Config, ConfigError
from nnviz.engine.activations import hidden_activations
from nnviz.engine.init import INITIALIZERS
from nnviz.export import data_kind, exportable, script_filename, standalone_script
from nnviz.training import Trainer

CSV = "csv"                 # the uploaded table's name in links

ROOT = Path(__file__).resolve().parents[2]
RTOL = 1e-6
GENERATED = [n for n in datasets.REGISTRY if data_kind(n).kind == "generated"]

# Runs the script as __main__ in isolated mode (no PYTHONPATH, no user site) with
# nnviz, and unless allowed scikit-learn and SciPy, made unimportable.
RUNNER = """\
import runpy, sys
for name in sys.argv[1].split(","):
    if name:
        sys.modules[name] = None
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def run_script(directory, config, epochs, *args, allow=()):
    """Write the script, run it with --dump; return (arrays, stdout, text)."""
    text = standalone_script(config, epochs=epochs)
    path = Path(directory) / script_filename(config)
    path.write_text(text, encoding="utf-8")
    dump = Path(directory) / "run.npz"
    blocked = ",".join(m for m in ("nnviz", "sklearn", "scipy") if m not in allow)
    result = subprocess.run(
        [sys.executable, "-I", "-c", RUNNER, blocked, str(path), *args, "--dump", str(dump)],
        capture_output=True, text=True, timeout=120, cwd=directory)
    assert result.returncode == 0, result.stderr
    with np.load(dump) as z:
        arrays = {k: z[k] for k in z.files}
    return arrays, result.stdout, text


def same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)


def check_reproduces(arrays, trainer, epochs, X=None, y=None):
    """The script's dump against a fresh Trainer of the same config: data and first
    weights bit for bit, then the same number of steps and the same results."""
    d, pre = trainer.data, trainer.data.preprocessor
    if X is not None:
        assert same_bits(arrays["X"], X) and same_bits(arrays["y"], y)
    assert same_bits(arrays["X_train_raw"], d.X_train)
    assert same_bits(arrays["X_test_raw"], d.X_test)
    assert same_bits(arrays["y_train_raw"], d.y_train)
    assert same_bits(arrays["y_test_raw"], d.y_test)
    assert same_bits(arrays["X_train"], pre.transform(d.X_train))
    assert same_bits(arrays["X_test"], pre.transform(d.X_test))
    assert same_bits(arrays["y_train"], trainer.targets_of(d.y_train))
    assert same_bits(arrays["y_test"], trainer.targets_of(d.y_test))
    for i, (W, b) in enumerate(trainer.net.params):
        assert same_bits(arrays[f"W{i}_first"], W), f"first weights of layer {i}"
        assert same_bits(arrays[f"b{i}_first"], b), f"first biases of layer {i}"

    steps = epochs * trainer.steps_per_epoch
    assert trainer.step(steps) == steps and trainer.state != "diverged"
    assert int(arrays["steps"]) == steps
    m = trainer.evaluate()
    score = "accuracy" if d.task == "classification" else "r2"
    assert float(arrays["train_loss"]) == pytest.approx(m["train_loss"], rel=RTOL)
    assert float(arrays["test_loss"]) == pytest.approx(m["test_loss"], rel=RTOL)
    assert float(arrays["train_score"]) == pytest.approx(m[f"train_{score}"], rel=RTOL, abs=1e-9)
    assert float(arrays["test_score"]) == pytest.approx(m[f"test_{score}"], rel=RTOL, abs=1e-9)
    for i, (W, b) in enumerate(trainer.net.params):
        np.testing.assert_allclose(arrays[f"W{i}"], W, rtol=RTOL, atol=1e-9)
        np.testing.assert_allclose(arrays[f"b{i}"], b, rtol=RTOL, atol=1e-9)
    return m


def load(config, **extra):
    return datasets.load(config.dataset, n_samples=config.n_samples, noise=config.noise,
                         seed=config.seed, **config.dataset_options(), **extra)


def in_process(text):
    """The script's functions and settings, without running it."""
    namespace = {"__name__": "exported_script"}
    exec(compile(text, "exported_script.py", "exec"), namespace)
    return namespace


def run_in_process(text, dump, epochs):
    """Run the script as __main__ in this process (NumPy is already imported here)."""
    path = Path(dump).with_name("exported_script.py")
    path.write_text(text, encoding="utf-8")
    argv = sys.argv
    sys.argv = [str(path), "--epochs", str(epochs), "--dump", str(dump)]
    try:
        with np.errstate(all="ignore"):
            runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = argv


# -- generated data, run as a separate process -----------------------------------------

RUNS = {
    "moons-tanh-sgd-l1": (Config(dataset="moons", activation="tanh", optimizer="sgd", lr=0.1,
                                 l1=0.001), 4),
    "spiral-3-classes-softmax-adam": (Config(dataset="spiral", n_classes=3, hidden=(16, 16),
                                             optimizer="adam"), 3),
    "circles-relu-momentum-l2": (Config(dataset="circles", activation="relu",
                                        optimizer="momentum", l2=0.01), 4),
    "xor-feature-crosses-nesterov": (Config(
        dataset="xor", features=("x1", "x2", "x1*x2", "sin(x1)", "x2^2"), init="he",
        activation="leaky_relu", optimizer="momentum", nesterov=True, momentum=0.8), 4),
    "arithmetic-regression": (Config(dataset="arithmetic", n_samples=800, hidden=(16,),
                                     activation="relu", lr=0.01, batch_size=32), 3),
    "sine-tanh-output-chain-rule": (Config(dataset="sine", hidden=(16,), activation="sigmoid",
                                           output_activation="tanh", init="small",
                                           optimizer="adam"), 5),
    "gaussians-softmax-no-hidden-full-batch": (Config(
        dataset="gaussians", hidden=(), output_activation="softmax", optimizer="sgd", lr=0.5,
        batch_size=1000), 10),
    "xor-tensorflow-playground-conventions": (Config(
        dataset="xor", features=("x1", "x2", "x1*x2"), standardize=False, hidden=(4, 2),
        output_activation="tanh", init="tfp", optimizer="sgd", lr=0.015, l2=0.002,
        batch_size=10), 3),
    "flower-per-layer-activations-ragged-batches": (Config(
        dataset="flower", hidden=(8, 6), activation=("tanh", "relu"), batch_size=7,
        test_ratio=0.3, seed=11), 2),
}


@pytest.mark.parametrize("name", RUNS)
def test_script_reproduces_the_run(name, tmp_path):
    config, epochs = RUNS[name]
    arrays, out, text = run_script(tmp_path, config, epochs)
    assert "nnviz" not in "".join(line for line in text.splitlines()
                                  if line.startswith(("import", "from")))
    m = check_reproduces(arrays, Trainer(config), epochs, *load(config))
    last = json.loads(out.splitlines()[-1])
    assert last["steps"] == int(arrays["steps"]) and last["epochs"] == epochs
    assert last["train_loss"] == pytest.approx(m["train_loss"], rel=RTOL)
    assert ("train_accuracy" in last) == ("train_accuracy" in m)


def test_digits_are_packed_into_the_script_and_need_nothing_but_numpy(tmp_path):
    config = Config(dataset="digits", n_samples=200, hidden=(16,), activation="relu",
                    lr=0.01, batch_size=32)
    arrays, _, text = run_script(tmp_path, config, 2)       # scikit-learn blocked
    assert "sklearn" not in text and "DIGITS = (" in text
    assert "Needs only NumPy" in text
    check_reproduces(arrays, Trainer(config), 2, *load(config))


# -- data read from files ---------------------------------------------------------------

def write_idx(path, array, compress=False):
    raw = bytes([0, 0, 8, array.ndim]) + np.array(array.shape, ">u4").tobytes() + \
        array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(raw) if compress else raw)


def test_mnist_reads_the_idx_files_given_on_the_command_line(tmp_path):
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, size=(60, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=60).astype(np.uint8)
    data = tmp_path / "mnist"
    data.mkdir()
    write_idx(data / "train-images-idx3-ubyte", images)
    write_idx(data / "train-labels-idx1-ubyte.gz", labels, compress=True)
    config = Config(dataset="mnist", n_samples=40, hidden=(8,), activation="relu", lr=0.01,
                    batch_size=8)
    arrays, _, _ = run_script(tmp_path, config, 2, str(data))
    X, y = datasets.load("mnist", n_samples=40, seed=0, path=str(data))
    # The Trainer takes MNIST arrays as a table: the same split, scaling, weights, batches.
    table = datasets.Table(X, y, "classification", tuple(map(str, range(784))), "label",
                           np.arange(10), 10)
    same = dataclasses.replace(config, dataset=CSV, n_samples=None)
    check_reproduces(arrays, Trainer(same, table=table), 2, X, y)


def test_mnist_without_its_files_says_what_is_missing(tmp_path):
    path = tmp_path / script_filename(Config(dataset="mnist"))
    path.write_text(standalone_script(Config(dataset="mnist")), encoding="utf-8")
    result = subprocess.run([sys.executable, "-I", str(path), str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "no MNIST images file" in result.stderr and "Traceback" not in result.stderr


CSV_CLASSES = "x;label;z\n" + "".join(
    f"{x:.5f}; {c};{z:.3f}\n" for x, c, z in zip(
        np.random.default_rng(1).normal(size=90), np.random.default_rng(2).choice([3, 7, 9], 90),
        np.random.default_rng(3).normal(scale=4, size=90), strict=True))
CSV_REGRESSION = "a,b,c,out\n" + "".join(
    f"{a:.4f},{b:.4f},{c:.4f},{a * b - c:.5f}\n"
    for a, b, c in np.random.default_rng(4).uniform(-2, 2, size=(70, 3)))


@pytest.mark.parametrize("text, config", [
    (CSV_CLASSES, Config(dataset=CSV, n_samples=75, hidden=(6,), optimizer="sgd", lr=0.05,
                         batch_size=16, features=("x1", "x2", "x1*x2"))),
    (CSV_REGRESSION, Config(dataset=CSV, hidden=(8,), activation="tanh", batch_size=10,
                            optimizer="momentum", l2=0.001)),
], ids=["classes-3-7-9-semicolons-subset-crosses", "regression-last-column"])
def test_csv_reads_the_file_given_on_the_command_line(tmp_path, text, config):
    csv_path = tmp_path / "table.csv"
    csv_path.write_text(text, encoding="utf-8")
    arrays, _, _ = run_script(tmp_path, config, 3, str(csv_path))
    check_reproduces(arrays, Trainer(config, table=datasets.from_csv(csv_path)), 3)


# -- every dataset: compiles, lints clean, gets the data right ---------------------------

def scripts_for_every_dataset():
    configs = [Config.defaults_for(name) for name in exportable()]
    configs += [config for config, _ in RUNS.values()]
    configs.append(Config(dataset=CSV, features=("x1^2", "sin(x2)"), output_activation="sigmoid"))
    return configs


def test_every_script_compiles_and_passes_ruff(tmp_path):
    for i, config in enumerate(scripts_for_every_dataset()):
        text = standalone_script(config)
        compile(text, script_filename(config), "exec")
        (tmp_path / f"s{i}_{script_filename(config)}").write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--config",
                             str(ROOT / "pyproject.toml"), str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr




@pytest.mark.parametrize("name", GENERATED)
def test_each_generator_gives_nnvizs_arrays(name):
    config = Config.defaults_for(name)
    script = in_process(standalone_script(config))
    generate = script[datasets.REGISTRY[name].generate.__name__]
    X, y, task, n_classes = script["generated"](generate)(script["RUN"])
    assert same_bits(X, load(config)[0]) and same_bits(y, load(config)[1])
    info = datasets.info(name, **config.dataset_options())
    assert (task, n_classes) == (info.task, info.n_classes)


def test_the_share_link_in_the_header_opens_the_same_run():
    config = RUNS["xor-feature-crosses-nesterov"][0]
    text = standalone_script(config)
    query = text.split("address:\n    ?", 1)[1].split("\n", 1)[0]
    assert Config.from_query(dict(urllib.parse.parse_qsl(query))) == (config, [])


# -- random configs, in process -----------------------------------------------------------

@st.composite
def configs(draw):
    name = draw(st.sampled_from(GENERATED))
    info = datasets.REGISTRY[name]
    n_hidden = draw(st.integers(0, 3))
    values = dict(
        dataset=name,
        n_samples=draw(st.integers(max(20, 2 * (info.n_classes or 1) * 4), 120)),
        test_ratio=draw(st.sampled_from([0.1, 0.25, 0.5])),
        hidden=tuple(draw(st.lists(st.integers(1, 6), min_size=n_hidden, max_size=n_hidden))),
        activation=tuple(draw(st.lists(st.sampled_from(hidden_activations()),
                                       min_size=n_hidden, max_size=n_hidden))) or "tanh",
        init=draw(st.sampled_from(list(INITIALIZERS))),
        optimizer=draw(st.sampled_from(["sgd", "momentum", "adam"])),
        nesterov=draw(st.booleans()),
        # raw inputs where they are small enough for these rates (not arithmetic's 0..100)
        standardize=name == "arithmetic" or draw(st.booleans()),
        l1=draw(st.sampled_from([0.0, 0.001])),
        l2=draw(st.sampled_from([0.0, 0.01])),
        batch_size=draw(st.integers(1, 40)),
        seed=draw(st.integers(0, 2**32 - 1)),
    )
    if any(o.name == "n_classes" for o in info.options):
        values["n_classes"] = draw(st.integers(2, 4))
    if info.is_plane:
        crosses = draw(st.permutations(list(datasets.FEATURES)))
        values["features"] = tuple(crosses[:draw(st.integers(1, 7))])
    if info.task == "regression":
        values["output_activation"] = draw(st.sampled_from(["auto", "tanh", "relu"]))
    elif values.get("n_classes", 2) == 2:
        values["output_activation"] = draw(st.sampled_from(["auto", "softmax", "tanh"]))
    try:
        return Config(**values)
    except ConfigError:
        return Config(dataset=name)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(config=configs())
def test_any_config_reproduces_in_process(config):
    with tempfile.TemporaryDirectory() as tmp, np.errstate(all="ignore"):
        dump = Path(tmp) / "run.npz"
        run_in_process(standalone_script(config, epochs=1), dump, 1)
        with np.load(dump) as z:
            arrays = {k: z[k] for k in z.files}
        check_reproduces(arrays, Trainer(config), 1, *load(config))


# -- the script's own behaviour ------------------------------------------------------------

def test_divergence_stops_with_the_fix_to_try(tmp_path):
    config = Config(dataset="arithmetic", n_samples=200, hidden=(64, 64, 64), activation="relu",
                    init="he", optimizer="sgd", lr=10.0, batch_size=50)
    trainer = Trainer(config)
    trainer.step(4 * trainer.steps_per_epoch)
    assert trainer.state == "diverged"
    path = tmp_path / "run.py"
    path.write_text(standalone_script(config, epochs=4), encoding="utf-8")
    result = subprocess.run([sys.executable, "-I", str(path)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0
    assert "Training diverged at step" in result.stdout and "learning rate of 1 or lower" \
        in result.stdout


def test_epochs_come_from_the_config_or_the_argument():
    config = Config.defaults_for("moons")
    assert f'"epochs": {config.default_epochs()},' in standalone_script(config)
    assert '"epochs": 7,' in standalone_script(config, epochs=7)
    script = in_process(standalone_script(config, epochs=7))
    run = script["RUN"]
    assert script["parse_args"](run, []).epochs == 7
    assert script["parse_args"](run, ["--epochs", "3"]).epochs == 3
    with pytest.raises(SystemExit) as exit_:
        script["parse_args"](run, ["--epochs", "0"])
    assert exit_.value.code == 2


@pytest.mark.parametrize("epochs", [0, -1, 1.5, True, "10", 10**7])
def test_bad_epochs_are_refused(epochs):
    with pytest.raises(ValueError, match="epochs must be a whole number from 1"):
        standalone_script(Config(), epochs=epochs)


def test_only_a_config_is_accepted():
    with pytest.raises(ValueError, match="must be an nnviz Config, got dict"):
        standalone_script({"dataset": "moons"})
    assert script_filename(Config(dataset="spiral")) == "nnviz_spiral.py"


def _helper(n):
    return np.zeros((n, 2))


def leans_on_a_helper(n_samples=10, noise=0.0, seed=0):
    return _helper(n_samples), np.zeros(n_samples, np.int64)


def test_a_generator_that_is_not_self_contained_is_refused(monkeypatch):
    moons = datasets.REGISTRY["moons"]
    monkeypatch.setitem(datasets.REGISTRY, "moons",
                        dataclasses.replace(moons, generate=leans_on_a_helper))
    with pytest.raises(ValueError, match=r"uses \['_helper'\] besides NumPy"):
        standalone_script(Config(dataset="moons"))
