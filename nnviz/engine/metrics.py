"""How well a network's outputs fit: accuracy for classes, R² for regression."""

import numpy as np


def predicted_classes(out):
    """The class each row predicts: out (m, 1) holds P(class 1), so class 1 above 0.5;
    out (m, k) holds a score per class, and the largest wins."""
    return (out[:, 0] > 0.5).astype(np.int64) if out.shape[1] == 1 else out.argmax(axis=1)


def accuracy(out, labels):
    """Share of rows whose predicted class is the label; labels: (m,)."""
    return float(np.mean(predicted_classes(out) == labels))


def r2(out, Y):
    """R² of each output column, (k,): 1 - sum (Y - out)² / sum (Y - mean Y)²."""
    return r2_from_errors(((out - Y) ** 2).sum(axis=0), Y)


def r2_from_errors(sse, Y):
    """R² of each column from its summed squared errors `sse` (k,) against targets Y
    (a constant column counts its residual against 1)."""
    ss_tot = ((Y - Y.mean(axis=0)) ** 2).sum(axis=0)
    return 1.0 - sse / np.where(ss_tot > 0, ss_tot, 1.0)
