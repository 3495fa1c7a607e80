"""MNIST (or Fashion-MNIST) training set from IDX files the user already has."""

import os

import numpy as np

from nnviz.data.digits import subset
from nnviz.data.idx import read_idx

# Names the files go by: the original distribution, and the dotted variant some mirrors use.
STEMS = {
    "images": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "labels": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
}


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


def mnist(path, n_samples=None, seed=0):
    """X: (n, 784) pixels scaled to [0, 1]; y: (n,) int64 digits 0..9.

    `path` is a directory holding the training IDX files, or a file prefix.
    `n_samples` None takes DEFAULT_SAMPLES (or every row, if the files hold fewer);
    fewer rows than the files hold are a seeded random subset.
    """
    images_file, labels_file = find(path, "images"), find(path, "labels")
    images, labels = read_idx(images_file), read_idx(labels_file)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype != np.uint8:
        raise ValueError(f"{images_file!r} holds {images.dtype} of shape {images.shape}; "
                         "MNIST images are uint8 of shape (n, 28, 28)")
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise ValueError(f"{labels_file!r} holds {labels.dtype} of shape {labels.shape}; "
                         "MNIST labels are uint8 of shape (n,)")
    if len(labels) != len(images):
        raise ValueError(f"{len(images)} images in {images_file!r} but {len(labels)} labels "
                         f"in {labels_file!r}; they must match")
    if labels.max() > 9:
        raise ValueError(f"{labels_file!r} holds label {int(labels.max())}; "
                         "MNIST labels are 0 to 9")
    if n_samples is not None and n_samples > len(images):
        raise ValueError(f"n_samples={n_samples} but the MNIST files hold "
                         f"{len(images)} images")
    if n_samples is None:
        n_samples = min(DEFAULT_SAMPLES, len(images))
    X, y = subset(images.reshape(len(images), -1), labels, n_samples, seed)
    return X.astype(np.float64) / 255.0, y.astype(np.int64)
