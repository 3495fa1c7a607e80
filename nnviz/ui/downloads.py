"""Download buttons: the model (.npz), the Config (.json), the history (.csv) and a
standalone NumPy script of the run (`nnviz.export`).

Files are made only when a button is pressed: Streamlit keeps the `data` callable
and calls it then. It keeps it past the session, too, so a callable holds the
session only weakly: a closed tab's trainer is never kept alive by its buttons.
"""

import csv
import io
import os
import tempfile
import weakref

import numpy as np
import streamlit as st

from nnviz import datasets
from nnviz.export import exportable, script_filename, standalone_script
from nnviz.ui import uploads


def model_bytes(trainer):
    """The trainer's .npz (Trainer.save) as bytes."""
    fd, path = tempfile.mkstemp(suffix=".npz")
    os.close(fd)
    try:
        trainer.save(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def history_csv(history):
    """history: dict of 1-D arrays plus (n, n_layers) `weight_norm`/`grad_norm` -> CSV text."""
    columns = {}
    for key, values in history.items():
        a = np.asarray(values)
        if a.ndim == 2:
            for layer in range(a.shape[1]):
                columns[f"{key}_layer{layer + 1}"] = a[:, layer]
        else:
            columns[key] = a
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    for i in range(n):
        w.writerow([_cell(v[i]) for v in columns.values()])
    return out.getvalue()


def _cell(x):
    if isinstance(x, np.integer):
        return int(x)
    x = float(x)
    return "" if np.isnan(x) else repr(x)


def later(s, make):
    """A callable for a download button: make(trainer) of session `s`'s trainer when
    pressed, held weakly (b"" once the session is gone)."""
    ref = weakref.ref(s)

    def data():
        session = ref()
        trainer = None if session is None else session.trainer
        return b"" if trainer is None else make(trainer)
    return data


def data_csv(data):
    """The run's rows (Data) as CSV text: the inputs, the target(s) (a class by its
    label), and which part each row is in; a file `from_csv` reads back (the split
    column aside: drop it, or it is read as an input)."""
    labels = data.class_labels
    head = [*data.feature_names, *(["label"] if labels else data.target_names), "split"]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(head)
    for part, X, y in (("train", data.X_train, data.y_train), ("test", data.X_test, data.y_test)):
        for x, t in zip(X, y, strict=True):
            target = [labels[int(t)]] if labels else [_cell(v) for v in np.atleast_1d(t)]
            w.writerow([*(_cell(v) for v in x), *target, part])
    return out.getvalue()


def buttons(s, where=st):
    """The download buttons: model, config, history, the data when it is not the user's
    own file, and the script for data it can rebuild."""
    config = s.config
    name = f"nnviz-{config.dataset}"
    where.download_button("Model (.npz)", later(s, model_bytes), f"{name}-model.npz",
                          mime="application/octet-stream", on_click="ignore",
                          icon=":material/download:", width="stretch",
                          help="Weights, preprocessing and Config; Trainer.load reads it back.")
    where.download_button("Config (.json)", config.to_json(), f"{name}-config.json",
                          mime="application/json", on_click="ignore",
                          icon=":material/download:", width="stretch")
    where.download_button("History (.csv)", later(s, lambda t: history_csv(t.history.as_dict())),
                          f"{name}-history.csv", mime="text/csv", on_click="ignore",
                          icon=":material/download:", width="stretch")
    if datasets.REGISTRY[config.dataset].needs is None:
        where.download_button("Data (.csv)", later(s, lambda t: data_csv(t.data)),
                              f"{name}-data.csv", mime="text/csv", on_click="ignore",
                              icon=":material/download:", width="stretch",
                              help="The points of this run (drawn ones too), train and "
                                   "test, as a CSV table.")
    upload = datasets.info(config.dataset).needs == "table"
    if config.dataset in exportable() and (not upload or uploads.from_default_csv(s)):
        where.download_button("NumPy script (.py)", later(s, lambda t: standalone_script(t.config)),
                              script_filename(config), mime="text/x-python",
                              on_click="ignore", icon=":material/download:", width="stretch",
                              help="One readable file that reproduces this run with NumPy "
                                   "alone: nnviz's own code for the data, the textbook "
                                   "network, the optimizer and the training loop.")
    elif upload:
        where.caption("No standalone script for this upload: the script reads a CSV and takes "
                      "its target from the header (label, target or y, else the last column).")
    else:
        where.caption(f"No standalone script for {config.dataset} data.")
