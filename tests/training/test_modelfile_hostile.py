"""Model files and configs from strangers: every malformed file is refused with one
clear ValueError (one stderr line and exit status 2 from the CLI), before anything
large is read or decompressed."""

import dataclasses
import io
import json
import os
import re
import struct
import subprocess
import sys
import time
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from numpy.lib import format as npy

from nnviz import cli, datasets, modelfile
from nnviz.config import MAX_CONFIG_JSON, MAX_HIDDEN_LAYERS, MAX_UNITS, Config, ConfigError
from nnviz.data.table import MAX_CLASSES, MAX_COLUMNS, MAX_ROWS
from nnviz.training import Trainer

ROOT = Path(__file__).resolve().parents[2]
BOMB_BYTES = 64 * 2**20        # what a bomb member inflates to; its file is ~64 kB
CHUNK = bytes(2**20)


# -- building files ------------------------------------------------------------------

def arrays_of(path):
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """The arrays of a circles model (3 layers) and of a CSV classification model."""
    d = tmp_path_factory.mktemp("models")
    t = Trainer(Config(hidden=(4, 4), n_samples=40))
    t.save(d / "circles.npz")
    X = np.random.default_rng(0).normal(size=(30, 2))
    text = "a,b,label\n" + "\n".join(f"{a},{b},{int(a > 0)}" for a, b in X)
    t = Trainer(Config.defaults_for("csv"), table=datasets.from_csv(text.encode()))
    t.save(d / "csv.npz")
    return {"circles": arrays_of(d / "circles.npz"), "csv": arrays_of(d / "csv.npz")}


def npy_bytes(array):
    b = io.BytesIO()
    np.save(b, array, allow_pickle=True)
    return b.getvalue()


def npy_header(shape, dtype=np.float64):
    b = io.BytesIO()
    npy.write_array_header_1_0(b, {"descr": npy.dtype_to_descr(np.dtype(dtype)),
                                   "fortran_order": False, "shape": shape})
    return b.getvalue()


def write_zip(path, members, compression=zipfile.ZIP_STORED):
    """members: {file name: bytes, or (header bytes, n) for a header and n zero bytes
    written in 1 MB chunks (deflated, a zip bomb)}."""
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        for name, data in members.items():
            if isinstance(data, bytes):
                z.writestr(name, data)
                continue
            header, n = data
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as f:
                f.write(header)
                for start in range(0, n, len(CHUNK)):
                    f.write(CHUNK[:min(len(CHUNK), n - start)])
    return path


def npz(arrays, **changes):
    """The members of `arrays` as .npy files, with `changes` (None drops an array;
    bytes or (header, n) go in as they are)."""
    members = {**arrays, **changes}
    return {f"{k}.npy": v if isinstance(v, bytes | tuple) else npy_bytes(v)
            for k, v in members.items() if v is not None}


def bomb(shape, n=None):
    """A member declaring `shape` (float64) followed by `n` zero bytes (default: as
    many as the shape needs), deflated to a thousandth of that."""
    return npy_header(shape), 8 * int(np.prod(shape)) if n is None else n


def cut(data, n):
    return data[:len(data) - n]


def written(path, data):
    path.write_bytes(data)
    return path


# -- the table -----------------------------------------------------------------------

# (id, model, how to build the file from its arrays, what the message says)
HOSTILE = [
    ("huge declared member", "circles",
     lambda a, p: write_zip(p, npz(a, W0=npy_header((2**20, 2**20)))),
     r"'W0' declares the shape \(1048576, 1048576\) of float64, 8,796,093,022,208 bytes; "
     r"an array may have at most 800,000,000"),
    ("zip bomb, unknown name", "circles",
     lambda a, p: write_zip(p, npz(a, junk=bomb((BOMB_BYTES // 8,)))),
     r"'junk.npy', which is not an array of the format; allowed: format, config"),
    ("zip bomb, unused member", "circles",
     lambda a, p: write_zip(p, npz(a, table_X=bomb((BOMB_BYTES // 8000, 1000)))),
     r"holds the array 'table_X', which its circles model with 3 layers does not use"),
    ("zip bomb, header declaring less", "circles",
     lambda a, p: write_zip(p, npz(a, W0=bomb((2, 4), BOMB_BYTES))),
     r"'W0' declares the shape \(2, 4\) of float64, 64 bytes, but the archive holds "
     r"67,108,864 bytes of data for it; they must agree"),
    ("0-d table_y", "csv",
     lambda a, p: write_zip(p, npz(a, table_y=np.array(3))),
     r"'table_y' is 0-D int64; allowed: 1-D int64 or 2-D float64"),
    ("object dtype", "circles",
     lambda a, p: write_zip(p, npz(a, config=np.array([{"lr": 1}], dtype=object))),
     r"'config' is 1-D object; allowed: 0-D text"),
    ("complex dtype", "circles",
     lambda a, p: write_zip(p, npz(a, W1=a["W1"].astype(complex))),
     r"'W1' is 2-D complex128; allowed: 2-D float64"),
    ("big-endian dtype", "circles",
     lambda a, p: write_zip(p, npz(a, b0=a["b0"].astype(">f8"))),
     r"'b0' is 1-D >f8; allowed: 1-D float64"),
    ("unknown member name", "circles",
     lambda a, p: write_zip(p, npz(a, extra=np.zeros(3))),
     r"'extra.npy', which is not an array of the format"),
    ("member that is not .npy", "circles",
     lambda a, p: write_zip(p, {**npz(a), "notes.txt": b"hello"}),
     r"'notes.txt', which is not an array of the format"),
    ("layer beyond n_layers", "circles",
     lambda a, p: write_zip(p, npz(a, W5=np.zeros((4, 1)), b5=np.zeros(1))),
     r"holds the array '[Wb]5', which its circles model with 3 layers does not use"),
    ("data_path outside mnist", "circles",
     lambda a, p: write_zip(p, npz(a, data_path=np.array("/etc/passwd"))),
     r"holds the array 'data_path', which its circles model"),
    ("truncated member", "circles",
     lambda a, p: write_zip(p, npz(a, W0=cut(npy_bytes(a["W0"]), 8))),
     r"'W0' declares the shape \(2, 4\) of float64, 64 bytes, but the archive holds "
     r"56 bytes of data for it; they must agree"),
    ("shape disagreeing with the data", "circles",
     lambda a, p: write_zip(p, npz(a, b1=npy_header((2,)) + np.zeros(4).tobytes())),
     r"'b1' declares the shape \(2,\) of float64, 16 bytes, but the archive holds 32"),
    ("negative size", "circles",
     lambda a, p: write_zip(p, npz(a, b1=npy_header((-2,)))),
     r"'b1' declares the shape \(-2,\); sizes must be 0 or more"),
    ("zero-width text", "csv",
     lambda a, p: write_zip(p, npz(a, table_features=npy_header((10**12,), "<U0"))),
     r"'table_features' is 1-D <U0; allowed: 1-D text"),
    ("garbage header", "circles",
     lambda a, p: write_zip(p, npz(a, W0=b"\x93NUMPY\x01\x00\x10\x00{'x': 1}       \n")),
     r"'W0' is damaged or not in .npy format"),
    ("damaged data (CRC)", "circles",
     lambda a, p: flip_last_data_byte(write_zip(p, npz(a)), "W1.npy"),
     r"'W1' is damaged .*Bad CRC-32"),
    ("bzip2 member", "circles",
     lambda a, p: write_zip(p, npz(a), compression=zipfile.ZIP_BZIP2),
     r"compressed with zip method 12; allowed: stored or deflated"),
    ("duplicate member", "circles",
     lambda a, p: duplicate(write_zip(p, npz(a)), "W0.npy", npy_bytes(a["W0"])),
     r"holds 'W0.npy' twice"),
    ("zip comment", "circles",
     lambda a, p: commented(write_zip(p, npz(a))),
     r"the zip directory is not where np.savez puts it"),
    ("huge zip directory", "circles",
     lambda a, p: write_zip(p, {**npz(a), **{f"x{i}.npy": b"" for i in range(3000)}}),
     r"the zip directory is \d+,\d+ bytes; a model's is at most 65,536"),
    ("no format marker", "circles",
     lambda a, p: write_zip(p, npz(a, format=None)),
     r"is not an nnviz model: it has no 'nnviz-model-1' format marker"),
    ("another format marker", "circles",
     lambda a, p: write_zip(p, npz(a, format=np.array("nnviz-model-9"))),
     r"its format marker is 'nnviz-model-9', expected 'nnviz-model-1'"),
    ("config of [ * 200000", "circles",
     lambda a, p: write_zip(p, npz(a, config=np.array("[" * 200_000))),
     r"the config is 200,000 characters of JSON; at most 65,536 are allowed"),
    ("config nested too deeply", "circles",
     lambda a, p: write_zip(p, npz(a, config=np.array("[" * 50_000))),
     r"the config's JSON is nested too deeply"),
    ("n_layers of 2**40", "circles",
     lambda a, p: write_zip(p, npz(a, n_layers=np.array(2**40))),
     r"lacks the array 'W3'"),
    ("table features not matching X", "csv",
     lambda a, p: write_zip(p, npz(a, table_features=np.array(["a"]))),
     r"the saved CSV table has a bad task, shape or dtype"),
    ("not a zip file", "circles",
     lambda a, p: written(p, b"\x00not a zip file at all" * 10),
     r"not a \.npz \(zip\) file"),
    ("a zip, cut short", "circles",
     lambda a, p: written(p, write_zip(p, npz(a)).read_bytes()[:700]),
     r"not a readable nnviz model"),
]


def flip_last_data_byte(path, name):
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    data = bytearray(path.read_bytes())
    o = info.header_offset                  # a local file header: 30 bytes, name, extra
    name_length, extra_length = struct.unpack("<HH", data[o + 26:o + 30])
    end = o + 30 + name_length + extra_length + info.compress_size
    data[end - 1] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def duplicate(path, name, data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)       # zipfile: "Duplicate name"
        with zipfile.ZipFile(path, "a") as z:
            z.writestr(name, data)
    return path


def commented(path):
    with zipfile.ZipFile(path, "a") as z:
        z.comment = b"hello"
    return path


@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_model_files_are_refused_in_one_clear_sentence(case, models, tmp_path):
    _, model, build, message = case
    path = build(models[model], tmp_path / "evil.npz")
    with pytest.raises(ValueError, match=message) as e:
        modelfile.read(path)
    assert "\n" not in str(e.value) and str(e.value).startswith(str(path))


@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_model_files_exit_2_with_one_line(case, models, tmp_path, capsys):
    _, model, build, message = case
    path = build(models[model], tmp_path / "evil.npz")
    points = tmp_path / "points.csv"
    points.write_text("x1,x2\n0,1\n")
    code = cli.main(["predict", "--model", str(path), "--input", str(points)])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_USAGE and out == ""
    assert err.count("\n") == 1 and err.startswith("nnviz: error: --model: ")
    assert len(err) < 1000 and "Traceback" not in err
    assert re.search(message, err)


@pytest.mark.parametrize("name", ["junk", "table_X", "W0"])
def test_zip_bombs_are_refused_without_being_decompressed(name, models, tmp_path):
    member = {"junk": bomb((BOMB_BYTES // 8,)), "table_X": bomb((BOMB_BYTES // 8000, 1000)),
              "W0": bomb((2, 4), BOMB_BYTES)}[name]
    path = write_zip(tmp_path / "bomb.npz", npz(models["circles"], **{name: member}))
    assert path.stat().st_size < BOMB_BYTES // 200
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ValueError):
            modelfile.read(path)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < BOMB_BYTES // 16, f"peak {peak:,} bytes"
    assert seconds < 2


def test_a_member_over_the_limit_is_refused_by_the_zip_directory_alone(models, tmp_path,
                                                                       monkeypatch):
    monkeypatch.setattr(modelfile, "MAX_MEMBER_BYTES", 2**20)
    path = write_zip(tmp_path / "big.npz",
                     npz(models["circles"], W0=bomb((2**18 + 8,))))
    with pytest.raises(ValueError, match=r"'W0' is 2,097,\d+ bytes uncompressed; an "
                       r"array may have at most 1,048,576"):
        modelfile.read(path)


def test_the_total_size_is_limited(models, tmp_path, monkeypatch):
    path = write_zip(tmp_path / "m.npz", npz(models["csv"]))
    modelfile.read(path)
    monkeypatch.setattr(modelfile, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(ValueError, match=r"its arrays declare [\d,]+ bytes in all; a model "
                       r"may have at most 1,000"):
        modelfile.read(path)


def test_the_largest_legitimate_model_is_within_the_limits():
    """6 hidden layers of 512 units on the widest CSV (or on MNIST's 784 inputs) with its
    table of 100,000 rows x 1,000 float64 columns."""
    n_inputs = MAX_COLUMNS                  # one more than a CSV can have
    widths = [n_inputs, *[MAX_UNITS] * MAX_HIDDEN_LAYERS, MAX_CLASSES]
    weights = sum((a + 1) * b * 8 for a, b in zip(widths, widths[1:], strict=False))
    table_X, table_y = MAX_ROWS * n_inputs * 8, MAX_ROWS * 8
    names = n_inputs * 4 * 1000             # column names of 1,000 characters each
    scaling = 4 * n_inputs * 8              # pre_x_mean, pre_x_std (and y's, smaller)
    config = 4 * MAX_CONFIG_JSON            # 4 bytes a character
    assert table_X <= modelfile.MAX_MEMBER_BYTES
    total = table_X + table_y + weights + names + scaling + config
    assert total <= modelfile.MAX_TOTAL_BYTES


# -- models the format writes still load ----------------------------------------------

def test_a_model_holds_only_what_it_uses(tmp_path):
    """A trainer switched from CSV data to circles keeps its table in memory, but the
    circles model it writes leaves it out, and loads."""
    X = np.random.default_rng(1).normal(size=(30, 2))
    text = "x1,x2,label\n" + "\n".join(f"{a},{b},{int(a > b)}" for a, b in X)
    t = Trainer(Config.defaults_for("csv"), table=datasets.from_csv(text.encode()))
    t.update(dataclasses.replace(Config.defaults_for("circles"), n_samples=40))
    t.step(3)
    t.save(tmp_path / "m.npz")
    assert not [k for k in arrays_of(tmp_path / "m.npz") if k.startswith("table_")]
    u = Trainer.load(tmp_path / "m.npz")
    assert u.config == t.config and np.array_equal(u.predict(X), t.predict(X))


def test_regression_tables_and_compressed_models_load(tmp_path):
    X = np.random.default_rng(2).normal(size=(40, 2))
    text = "a,b,y\n" + "\n".join(f"{a},{b},{a * 0.37 - b}" for a, b in X)
    t = Trainer(Config.defaults_for("csv"), table=datasets.from_csv(text.encode()))
    t.step(5)
    t.save(tmp_path / "r.npz")
    arrays = arrays_of(tmp_path / "r.npz")
    assert "table_classes" not in arrays
    np.savez_compressed(tmp_path / "c.npz", **arrays)
    for name in ("r.npz", "c.npz"):
        u = Trainer.load(tmp_path / name)
        assert u.data.task == "regression" and np.array_equal(u.predict(X), t.predict(X))
    np.savez(tmp_path / "k.npz", **arrays, table_classes=np.arange(2))
    with pytest.raises(ValueError, match="holds the array 'table_classes', which its csv"):
        Trainer.load(tmp_path / "k.npz")


# -- configs -------------------------------------------------------------------------

@pytest.mark.parametrize("text,message", [
    ("[" * 200_000, "200,000 characters of JSON; at most 65,536 are allowed"),
    ("[" * 50_000, "nested too deeply"),
    ('{"a":' * 10_000, "nested too deeply"),
    ('{"lr": ' + "1" * 5000 + "}", "not valid JSON"),
    ("[1, 2", "not valid JSON"),
    (json.dumps({"seed": 1, "pad": " " * MAX_CONFIG_JSON}), "at most 65,536"),
], ids=["long", "deep list", "deep object", "huge number", "unclosed", "padded"])
def test_hostile_configs_raise_config_error(text, message):
    with pytest.raises(ConfigError, match=message):
        Config.from_json(text)


def test_a_config_under_the_limit_still_parses():
    c = Config(hidden=(512,) * 6, activation=("relu",) * 6)
    assert Config.from_json(c.to_json() + " " * (MAX_CONFIG_JSON - len(c.to_json()))) == c


# -- the command line ----------------------------------------------------------------

def nnviz(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "nnviz", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=120)


def one_line(stderr):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def test_a_huge_declared_member_exits_2_in_a_subprocess(models, tmp_path):
    write_zip(tmp_path / "evil.npz", npz(models["circles"], W0=npy_header((2**20, 2**20))))
    (tmp_path / "pts.csv").write_text("x1,x2\n0,1\n")
    r = nnviz("predict", "--model", "evil.npz", "--input", "pts.csv", cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert "'W0' declares the shape (1048576, 1048576)" in one_line(r.stderr)


@pytest.mark.parametrize("text,message", [
    ("[" * 200_000, "the config is 200,000 characters of JSON"),
    ("[" * 50_000, "the config's JSON is nested too deeply"),
], ids=["long", "deep"])
def test_a_hostile_config_file_exits_2_in_a_subprocess(tmp_path, text, message):
    (tmp_path / "run.json").write_text(text)
    r = nnviz("train", "--config", "run.json", cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert message in one_line(r.stderr)


@pytest.mark.parametrize("error,message", [
    (MemoryError, "nnviz: error: out of memory"),
    (RecursionError, "nnviz: error: the input is nested too deeply"),
])
@pytest.mark.parametrize("command", ["train", "predict", "bench"])
def test_memory_and_recursion_errors_become_one_line_and_exit_2(command, error, message,
                                                                monkeypatch, capsys):
    def fail(*_):
        raise error()
    monkeypatch.setattr(cli, command, fail)
    argv = {"train": ["train"], "predict": ["predict", "--model", "m", "--input", "p"],
            "bench": ["bench"]}[command]
    assert cli.main(argv) == cli.EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith(message)
