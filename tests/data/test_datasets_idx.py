"""IDX files (written here byte by byte) and the MNIST loader on top of them."""

import gzip
import struct

import numpy as np
import pytest

from nnviz import datasets
from nnviz.data.mnist import from_idx
from nnviz.datasets import read_idx

CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C,
         np.float32: 0x0D, np.float64: 0x0E}


def idx_bytes(a):
    a = np.asarray(a)
    head = struct.pack(">BBBB", 0, 0, CODES[a.dtype.type], a.ndim)
    head += struct.pack(f">{a.ndim}I", *a.shape)
    return head + a.astype(a.dtype.newbyteorder(">")).tobytes()


def write(path, data, gz=False):
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.mark.parametrize("dtype", list(CODES))
@pytest.mark.parametrize("gz", [False, True])
def test_round_trip(tmp_path, dtype, gz):
    a = (np.arange(2 * 3 * 4).reshape(2, 3, 4) - 5).astype(dtype)
    if dtype is np.uint8:
        a = a + 5
    out = read_idx(write(tmp_path / "a.idx", idx_bytes(a), gz))
    assert out.dtype == np.dtype(dtype) and out.dtype.isnative
    np.testing.assert_array_equal(out, a)


def test_round_trip_one_dimension(tmp_path):
    a = np.array([7, 0, 9], np.uint8)
    np.testing.assert_array_equal(read_idx(write(tmp_path / "l", idx_bytes(a))), a)


def header(code=0x08, dims=(2, 3)):
    return bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims)


@pytest.mark.parametrize("data, message", [
    (b"", r"too short to be an IDX file: 0 bytes"),
    (b"\x00\x00\x08", r"too short to be an IDX file: 3 bytes"),
    (b"\x00\x01\x08\x01" + bytes(8), r"not an IDX file: its magic number starts with 0x0001"),
    (b"PK\x03\x04" + bytes(8), r"magic number starts with 0x504b, expected 0x0000"),
    (header(code=0x0A) + bytes(6), r"unknown IDX data type code 0x0a; allowed: 0x08, 0x09"),
    (bytes([0, 0, 8, 0]), r"IDX header gives 0 dimensions; allowed: 1 to 4"),
    (header(dims=(1, 1, 1, 1, 1)) + bytes(1), r"gives 5 dimensions"),
    (header(dims=(2, 3))[:9], r"truncated inside its header: 9 bytes, .* needs 12"),
    (header(dims=(2, 0)), r"shape \(2, 0\); every size must be >= 1"),
    (header(dims=(2, 3)) + bytes(5), r"truncated: shape \(2, 3\) of uint8 needs 6 data bytes, "
                                     r"found 5"),
    (header(code=0x0C, dims=(2,)) + bytes(7), r"of int32 needs 8 data bytes, found 7"),
    (header(dims=(2, 3)) + bytes(8), r"has 2 extra bytes after the data"),
    (b"\x1f\x8b" + b"garbage-not-deflate", r"is not a valid gzip file"),
])
def test_each_bad_file_has_its_message(tmp_path, data, message):
    path = write(tmp_path / "bad-idx3-ubyte", data)
    with pytest.raises(ValueError, match=message):
        read_idx(path)


def test_truncated_gzip(tmp_path):
    data = gzip.compress(idx_bytes(np.zeros((5, 4), np.uint8)))
    path = write(tmp_path / "cut.gz", data[: len(data) // 2])
    with pytest.raises(ValueError, match="is not a valid gzip file"):
        read_idx(path)


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match=r"cannot read IDX file .*nothing-here"):
        read_idx(tmp_path / "nothing-here")


def fake_mnist(folder, n=30, gz=True, prefix="train", images=None, labels=None):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8) if images is None else images
    labels = (np.arange(n) % 10).astype(np.uint8) if labels is None else labels
    ext = ".gz" if gz else ""
    write(folder / f"{prefix}-images-idx3-ubyte{ext}", idx_bytes(images), gz)
    write(folder / f"{prefix}-labels-idx1-ubyte{ext}", idx_bytes(labels), gz)
    return images, labels


@pytest.mark.parametrize("gz", [False, True])
def test_load_mnist_from_a_directory(tmp_path, gz):
    images, labels = fake_mnist(tmp_path, gz=gz)
    X, y = datasets.load("mnist", path=str(tmp_path))
    assert X.shape == (30, 784) and X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_allclose(X, images.reshape(30, -1) / 255.0)
    np.testing.assert_array_equal(y, labels)
    Xs, ys = datasets.load("mnist", path=tmp_path, n_samples=20, seed=1)
    assert Xs.shape == (20, 784) and ys.shape == (20,)
    assert np.array_equal(Xs, datasets.load("mnist", path=tmp_path, n_samples=20, seed=1)[0])


def test_load_mnist_from_a_prefix(tmp_path):
    fake_mnist(tmp_path, gz=False, prefix="fashion")
    X, y = datasets.load("mnist", path=str(tmp_path / "fashion"))
    assert X.shape == (30, 784)


@pytest.mark.parametrize("kind, message", [
    ("no-labels", r"no MNIST labels file for directory .*; looked for: train-labels-idx1-ubyte"),
    ("shape", r"holds uint8 of shape \(30, 28, 27\); MNIST images are uint8 of shape"),
    ("count", r"30 images in .* but 29 labels"),
    ("label", r"holds label 12; MNIST labels are 0 to 9"),
    ("too-many", r"n_samples=40 but the MNIST files hold 30 images"),
])
def test_bad_mnist_files(tmp_path, kind, message):
    if kind == "shape":
        fake_mnist(tmp_path, images=np.zeros((30, 28, 27), np.uint8))
    elif kind == "count":
        fake_mnist(tmp_path, labels=np.zeros(29, np.uint8))
    elif kind == "label":
        fake_mnist(tmp_path, labels=np.full(30, 12, np.uint8))
    else:
        fake_mnist(tmp_path)
    if kind == "no-labels":
        (tmp_path / "train-labels-idx1-ubyte.gz").unlink()
    n = 40 if kind == "too-many" else None
    with pytest.raises(ValueError, match=message):
        datasets.load("mnist", path=tmp_path, n_samples=n)


# -- MNIST uploaded as bytes -----------------------------------------------------------------

def upload(n=30, prefix="train", gz=True, images=None, labels=None, seed=0):
    """{file name: bytes} of one pair, as a browser hands them over."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8) if images is None else images
    labels = (np.arange(n) % 10).astype(np.uint8) if labels is None else labels
    ext = ".gz" if gz else ""
    pack = gzip.compress if gz else bytes
    return ({f"{prefix}-images-idx3-ubyte{ext}": pack(idx_bytes(images)),
             f"{prefix}-labels-idx1-ubyte{ext}": pack(idx_bytes(labels))}, images, labels)


@pytest.mark.parametrize("gz", [False, True])
def test_uploaded_pair_becomes_a_table_of_images(gz):
    files, images, labels = upload(gz=gz)
    table, n = from_idx(files)
    assert n == 30 and table.task == "classification" and table.n_classes == 10
    assert table.X.shape == (30, 784) and table.X.dtype == np.float64
    assert table.feature_names[0] == "pixel 0,0" and table.target_names == ("label",)
    # the rows are a permutation of the images, each with its own label
    by_image = {img.tobytes(): lab for img, lab in zip(images.reshape(30, -1), labels,
                                                           strict=True)}
    for x, k in zip(table.X, table.y, strict=True):
        pixels = np.round(x * 255).astype(np.uint8).tobytes()
        assert by_image[pixels] == table.classes[k]
    X, y = datasets.load("csv", table=table)          # the table entry takes it as it is
    assert X.shape == (30, 784) and y.dtype == np.int64


def test_both_pairs_are_pooled_and_sampled_to_the_cap():
    train, _, _ = upload(40, "train")
    test, _, _ = upload(20, "t10k", gz=False, seed=1)
    table, n = from_idx({**train, **test}, max_rows=25, seed=3)
    assert n == 60 and table.X.shape == (25, 784)
    again, _ = from_idx({**train, **test}, max_rows=25, seed=3)
    np.testing.assert_array_equal(table.X, again.X)           # the same upload, the same rows


def test_a_decompression_bomb_is_refused_before_it_is_decompressed():
    bomb = gzip.compress(header(dims=(1000, 28, 28)) + bytes(784_000))
    assert len(bomb) < 2_000
    files, _, _ = upload()
    files["train-images-idx3-ubyte.gz"] = bomb
    with pytest.raises(ValueError, match=r"holds more than 100,000 bytes once decompressed"):
        from_idx(files, max_bytes=100_000)


@pytest.mark.parametrize("change, message", [
    (lambda f: {}, r"no files: upload train-images-idx3-ubyte"),
    (lambda f: {**f, "notes.txt": b"hi"}, r"'notes.txt' is not named like an MNIST file"),
    (lambda f: {"train-images-idx3-ubyte.gz": f["train-images-idx3-ubyte.gz"]},
     r"needs its labels: upload train-labels-idx1-ubyte too"),
    (lambda f: {**f, "train-images.idx3-ubyte": b""}, r"both hold the train images"),
    (lambda f: {**f, "train-labels-idx1-ubyte.gz": gzip.compress(idx_bytes(
        np.zeros(29, np.uint8)))}, r"30 images in .* but 29 labels"),
    (lambda f: {**f, "train-labels-idx1-ubyte.gz": gzip.compress(idx_bytes(
        np.full(30, 3, np.uint8)))}, r"every image is labelled 3"),
    (lambda f: {**f, "train-images-idx3-ubyte.gz": b"\x1f\x8bnot really"},
     r"'train-images-idx3-ubyte.gz' is not a valid gzip file"),
])
def test_each_bad_upload_has_its_message(change, message):
    files, _, _ = upload()
    with pytest.raises(ValueError, match=message):
        from_idx(change(files))
