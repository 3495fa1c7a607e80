"""How well a network's outputs fit: accuracy for classes, R² for regression."""

import numpy as np


def accuracy(out, labels):
    """Share of rows whose predicted class is the label. out: (m, 1) P(class 1)
    (predicted 1 above 0.5) or (m, k) class scores (the largest wins); labels: (m,)."""
    predicted = (out[:, 0] > 0.5) if out.shape[1] == 1 else out.argmax(axis=1)
    return float(np.mean(predicted == labels))


def r2(out, Y):
    """R² of each output column, (k,): 1 - sum (Y - out)² / sum (Y - mean Y)²
    (a constant column counts its residual against 1)."""
    ss_res = ((out - Y) ** 2).sum(axis=0)
    ss_tot = ((Y - Y.mean(axis=0)) ** 2).sum(axis=0)
    return 1.0 - ss_res / np.where(ss_tot > 0, ss_tot, 1.0)
