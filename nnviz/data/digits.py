"""The 8×8 handwritten digits that ship inside scikit-learn (no download).

`pack` turns the 1797 images and their labels into about 59 kB of text (zlib, then
base64) and `unpack` reads them back, which is how an exported script carries
them without scikit-learn.
"""

import base64
import zlib

import numpy as np

N_IMAGES, N_PIXELS = 1797, 64


def digits(n_samples=None, seed=0):
    """X: (n, 64) pixels scaled to [0, 1]; y: (n,) int64 digits 0..9.

    All 1797 images by default; a smaller `n_samples` takes a seeded random subset.
    """
    return from_pixels(*images(), n_samples, seed)


def images():
    """(pixels (1797, 64) of values 0..16, labels (1797,)) as scikit-learn ships them."""
    from sklearn.datasets import load_digits

    data = load_digits()
    return data.data, data.target


def from_pixels(pixels, labels, n_samples=None, seed=0):
    """The digits dataset from its raw images: pixels (n, 64) of values 0..16 become
    X = pixels / 16; labels become int64; then `subset`."""
    X = np.asarray(pixels, dtype=np.float64) / 16.0
    y = np.asarray(labels).astype(np.int64)
    return subset(X, y, n_samples, seed)


def subset(X, y, n_samples, seed):
    """The first `n_samples` rows of a seeded permutation (all rows, in order, if None)."""
    if n_samples is None or n_samples == len(X):
        return X, y
    p = np.random.default_rng(seed).permutation(len(X))[:n_samples]
    return X[p], y[p]


def pack(pixels, labels):
    """Text holding the images (n, 64) of values 0..16 and their labels 0..9."""
    raw = np.asarray(pixels, np.uint8).tobytes() + np.asarray(labels, np.uint8).tobytes()
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def unpack(text):
    """(pixels (1797, 64) uint8, labels (1797,) uint8) from the text of `pack`."""
    raw = np.frombuffer(zlib.decompress(base64.b64decode(text)), np.uint8)
    return raw[:N_IMAGES * N_PIXELS].reshape(N_IMAGES, N_PIXELS), raw[N_IMAGES * N_PIXELS:]
