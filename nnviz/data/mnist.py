"""MNIST (or Fashion-MNIST) from IDX files the user already has: read from a directory
(`mnist`), or uploaded as bytes and kept as a table (`from_idx`)."""

import os
import re

import numpy as np

from nnviz.data.digits import subset
from nnviz.data.idx import idx_from_bytes, read_idx
from nnviz.data.table import Table

SIDE = 28
PIXELS = tuple(f"pixel {r},{c}" for r in range(SIDE) for c in range(SIDE))
# Names the files go by: the original distribution, and the dotted variant some mirrors use.
STEMS = {
    "images": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "labels": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
}
# An uploaded file's name says which set it is and what it holds, however it is spelled
# (train-images-idx3-ubyte.gz, t10k-labels.idx1-ubyte, "train-images-idx3-ubyte (1).gz").
UPLOAD_NAME = re.compile(r"(train|t10k)\W*(images|labels)", re.IGNORECASE)
UPLOAD_NAMES = {("train", "images"): "train-images-idx3-ubyte",
                ("train", "labels"): "train-labels-idx1-ubyte",
                ("t10k", "images"): "t10k-images-idx3-ubyte",
                ("t10k", "labels"): "t10k-labels-idx1-ubyte"}


def find(path, kind):
    """The images or labels file under a directory, or next to a prefix such as
    `data/train` (giving `data/train-images-idx3-ubyte[.gz]`)."""
    path = os.fspath(path)
    if os.path.isdir(path):
        candidates = [os.path.join(path, s + gz) for s in STEMS[kind] for gz in ("", ".gz")]
    else:
        suffix = "-images-idx3-ubyte" if kind == "images" else "-labels-idx1-ubyte"
        candidates = [path + suffix + gz for gz in ("", ".gz")]
    for c in candidates:
        if os.path.isfile(c):
            return c
    names = ", ".join(os.path.basename(c) for c in candidates)
    where = f"directory {path!r}" if os.path.isdir(path) else f"prefix {path!r}"
    raise ValueError(f"no MNIST {kind} file for {where}; looked for: {names}")


DEFAULT_SAMPLES = 10_000   # 60,000 images are 376 MB as float64; a playground needs fewer


def check(images, labels, images_name, labels_name):
    """Raise ValueError unless `images` (n, 28, 28) and `labels` (n,) are MNIST's:
    uint8 pixels, one label 0..9 per image."""
    if images.ndim != 3 or images.shape[1:] != (SIDE, SIDE) or images.dtype != np.uint8:
        raise ValueError(f"{images_name!r} holds {images.dtype} of shape {images.shape}; "
                         f"MNIST images are uint8 of shape (n, {SIDE}, {SIDE})")
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise ValueError(f"{labels_name!r} holds {labels.dtype} of shape {labels.shape}; "
                         "MNIST labels are uint8 of shape (n,)")
    if len(labels) != len(images):
        raise ValueError(f"{len(images)} images in {images_name!r} but {len(labels)} labels "
                         f"in {labels_name!r}; they must match")
    if labels.max() > 9:
        raise ValueError(f"{labels_name!r} holds label {int(labels.max())}; "
                         "MNIST labels are 0 to 9")


def mnist(path, n_samples=None, seed=0):
    """X: (n, 784) pixels scaled to [0, 1]; y: (n,) int64 digits 0..9.

    `path` is a directory holding the training IDX files, or a file prefix.
    `n_samples` None takes DEFAULT_SAMPLES (or every row, if the files hold fewer);
    fewer rows than the files hold are a seeded random subset.
    """
    images_file, labels_file = find(path, "images"), find(path, "labels")
    images, labels = read_idx(images_file), read_idx(labels_file)
    check(images, labels, images_file, labels_file)
    if n_samples is not None and n_samples > len(images):
        raise ValueError(f"n_samples={n_samples} but the MNIST files hold "
                         f"{len(images)} images")
    if n_samples is None:
        n_samples = min(DEFAULT_SAMPLES, len(images))
    X, y = subset(images.reshape(len(images), -1), labels, n_samples, seed)
    return X.astype(np.float64) / 255.0, y.astype(np.int64)


def from_idx(files, max_rows=DEFAULT_SAMPLES, seed=0, max_bytes=None):
    """(Table of MNIST images, images in the files) from uploaded IDX files.

    files: {file name: bytes, raw or gzip-compressed}: the train pair (images and
    labels), the t10k pair, or both, which are pooled; each name says what it holds
    (train-images-idx3-ubyte.gz, ...). The table holds at most `max_rows` of the
    images, a seeded random sample (pixels scaled to [0, 1], one column each);
    `max_bytes` bounds each file once decompressed. Bad files raise ValueError.
    """
    pairs = _pairs(files)
    pixels, digits = [], []
    for images_name, labels_name in pairs.values():
        images = idx_from_bytes(files[images_name], images_name, max_bytes)
        labels = idx_from_bytes(files[labels_name], labels_name, max_bytes)
        check(images, labels, images_name, labels_name)
        pixels.append(images.reshape(len(images), -1))
        digits.append(labels)
    if len(pairs) > 1:                      # one pair is used as it is, without a copy
        pixels, digits = [np.concatenate(pixels)], [np.concatenate(digits)]
    (pixels,), (digits,) = pixels, digits
    n = len(pixels)
    pixels, digits = subset(pixels, digits, min(max_rows, n), seed)
    classes = np.unique(digits)
    if len(classes) < 2:
        raise ValueError(f"every image is labelled {classes[0]}; training needs at least "
                         "2 digits")
    X = pixels.astype(np.float64) / 255.0
    y = np.searchsorted(classes, digits).astype(np.int64)
    return Table(X, y, "classification", PIXELS, ("label",), classes.astype(np.int64),
                 len(classes)), n


def _pairs(files):
    """{"train" | "t10k": (images file name, labels file name)} of the uploaded files."""
    if not files:
        raise ValueError("no files: upload train-images-idx3-ubyte and "
                         "train-labels-idx1-ubyte (or the t10k pair), raw or .gz")
    roles = {}
    for name in files:
        match = UPLOAD_NAME.search(name)
        if match is None:
            raise ValueError(f"{name!r} is not named like an MNIST file; the names say what "
                             f"each holds: {', '.join(UPLOAD_NAMES.values())} (raw or .gz)")
        role = (match[1].lower(), match[2].lower())
        if role in roles:
            raise ValueError(f"{roles[role]!r} and {name!r} both hold the {role[0]} "
                             f"{role[1]}; upload one of them")
        roles[role] = name
    pairs = {}
    for part in ("train", "t10k"):
        images, labels = roles.get((part, "images")), roles.get((part, "labels"))
        if (images is None) != (labels is None):
            given, missing = (images, "labels") if labels is None else (labels, "images")
            raise ValueError(f"{given!r} needs its {missing}: upload "
                             f"{UPLOAD_NAMES[part, missing]} too (raw or .gz)")
        if images is not None:
            pairs[part] = (images, labels)
    return pairs
