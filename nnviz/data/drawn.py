"""Points drawn by hand on the plane, small enough to travel in a link.

A drawn set is at most MAX_DRAWN_POINTS points on the square PLANE, each three bytes:
x and y as 0..255 across the plane, and its class (0, 1, ...) or, for a regression,
its value as 0..255 across VALUES. The bytes are written as hexadecimal, so a link
holds the whole set (200 points: 1,200 characters) and a script can read it back
with Python alone. The generators take that text as their `points` option.
"""

import numpy as np

from nnviz.limits import MAX_DRAWN_POINTS, MIN_DRAWN_POINTS

PLANE = (-6.0, 6.0)        # both axes, as TensorFlow Playground's
VALUES = (-1.0, 1.0)       # a drawn regression target


def _to_byte(v, lo, hi):
    return np.round((np.clip(v, lo, hi) - lo) / (hi - lo) * 255).astype(np.uint8)


def _from_byte(b, lo, hi):
    return lo + b.astype(np.float64) / 255 * (hi - lo)


def encode(X, labels, task="classification"):
    """X: (n, 2) points on PLANE; labels: (n,) classes or values -> the text of the set."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    labels = np.asarray(labels).reshape(-1)
    third = labels.astype(np.uint8) if task == "classification" else _to_byte(labels, *VALUES)
    rows = np.column_stack([_to_byte(X[:, 0], *PLANE), _to_byte(X[:, 1], *PLANE), third])
    return rows.astype(np.uint8).tobytes().hex()


def decode(text, task="classification", n_classes=None):
    """The text of a set -> (X (n, 2) on PLANE, classes (n,) int64 or values (n, 1)).
    ValueError says what is wrong with a text that is not one."""
    if not isinstance(text, str):
        raise ValueError(f"drawn points are a text of hexadecimal digits, got {type(text).__name__}")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise ValueError("drawn points must be hexadecimal digits (0-9, a-f)") from None
    if len(raw) % 3:
        raise ValueError("drawn points come in threes of bytes (x, y, class or value); "
                         f"this text has {len(raw)} bytes")
    if len(raw) > 3 * MAX_DRAWN_POINTS:
        raise ValueError(f"{len(raw) // 3} drawn points; a set holds at most {MAX_DRAWN_POINTS}")
    rows = np.frombuffer(raw, np.uint8).reshape(-1, 3)
    X = np.column_stack([_from_byte(rows[:, 0], *PLANE), _from_byte(rows[:, 1], *PLANE)])
    if task == "classification":
        y = rows[:, 2].astype(np.int64)
        if n_classes is not None and y.size and y.max() >= n_classes:
            raise ValueError(f"a drawn point has class {int(y.max())}; this set has "
                             f"{n_classes} classes (0 to {n_classes - 1})")
        return X, y
    return X, _from_byte(rows[:, 2], *VALUES)[:, None]


def drawn(points="", n_samples=None, noise=None, seed=0, n_classes=None):
    """The drawn set: X (n, 2) on PLANE, in the order drawn, and y: (n,) labels
    0..n_classes-1, or with n_classes None (n, 1) values in VALUES. A drawn set is all
    of itself (`n_samples`, `noise`, `seed` are the registry's signature)."""
    task = "regression" if n_classes is None else "classification"
    X, y = decode(points, task, n_classes)
    if len(X) < MIN_DRAWN_POINTS or (n_classes is not None and len(np.unique(y)) < 2):
        what = "of at least two classes " if n_classes is not None else ""
        raise ValueError(f"draw at least {MIN_DRAWN_POINTS} points {what}to train "
                         f"(there are {len(X)})")
    return X, y


def edit(text, task, add=(), erase=(), radius=0.5, clear=False):
    """The set `text` with points added ((x, y, class or value) each) and the points
    nearest each `erase` (x, y) within `radius` removed (all of them when `clear`)."""
    X, y = decode(text, task)
    labels = y.reshape(-1)
    if clear:
        X, labels = X[:0], labels[:0]
    for x0, y0 in erase:
        if len(X):
            d = np.hypot(X[:, 0] - x0, X[:, 1] - y0)
            k = int(np.argmin(d))
            if d[k] <= radius:
                X, labels = np.delete(X, k, axis=0), np.delete(labels, k)
    if len(add):
        new = np.asarray(add, dtype=np.float64).reshape(-1, 3)
        X = np.vstack([X, new[:, :2]])
        labels = np.concatenate([labels, new[:, 2]])
    keep = slice(max(0, len(X) - MAX_DRAWN_POINTS), None)       # the newest, at most
    return encode(X[keep], labels[keep], task)


def from_data(X, y, task, classes, limit=MAX_DRAWN_POINTS // 2, seed=0):
    """A drawn set to start from: up to `limit` of a dataset's points, spread to fill
    the PLANE (its range mapped onto the middle of it), classes kept (at most `classes`)
    or targets scaled into VALUES."""
    X = np.asarray(X, dtype=np.float64)
    rows = np.random.default_rng(seed).permutation(len(X))[:limit]
    X = X[rows]
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    inner = 0.85 * PLANE[1]
    X = (X - lo) / span * (2 * inner) - inner
    if task == "classification":
        labels = np.asarray(y)[rows] % classes
    else:
        t = np.asarray(y, dtype=np.float64).reshape(len(y), -1)[rows, 0]
        labels = (t - t.min()) / max(np.ptp(t), 1e-12) * 2 - 1
    return encode(X, labels, task)
