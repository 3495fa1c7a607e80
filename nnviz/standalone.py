"""The exported script's own steps: load the data, split and scale it, train the
textbook network (`engine/reference.py`) in minibatches, report.

`nnviz.export` copies `main`, one loader and everything they use into a single
file after a `RUN` dict of settings, and ends it with `main(RUN, loader)`. The run
is nnviz's, bit for bit where nnviz is deterministic (data, split, scaling, first
weights, batch order); the arithmetic is the reference network's, which agrees
with the tuned engine to about 1e-14.

A loader is `load(run, path) -> (X, y, task, n_classes)`: raw inputs (n, d), class
labels (n,) or regression targets (n, k), "classification" or "regression", and
the number of classes (None for regression). `path` is the script's data argument
(None when `run["data_argument"]` is None).
"""

import argparse
import json

import numpy as np

from nnviz.data.digits import from_pixels, unpack
from nnviz.data.preprocess import Preprocessor
from nnviz.data.split import split
from nnviz.data.table import from_csv
from nnviz.engine.losses import CLASS_OUTPUTS, output_and_loss
from nnviz.engine.metrics import accuracy, r2
from nnviz.engine.optimizers import make
from nnviz.engine.reference import (
    backward,
    data_loss,
    forward,
    init_params,
    n_outputs,
    targets,
)
from nnviz.training import network_targets, smaller_lr

# -- loaders, one per kind of data ---------------------------------------------------


def generated(generate):
    """A loader for data made by `generate(n_samples, noise, seed, **options)`."""
    def load(run, path=None):
        X, y = generate(n_samples=run["n_samples"], noise=run["noise"], seed=run["seed"],
                        **run["options"])
        return X, y, run["task"], run["n_classes"]
    return load


def packed_digits(text):
    """A loader for the digits packed in `text` (see nnviz.data.digits.pack)."""
    pixels, labels = unpack(text)

    def load(run, path=None):
        X, y = from_pixels(pixels, labels, run["n_samples"], run["seed"])
        return X, y, run["task"], run["n_classes"]
    return load


def files(read):
    """A loader for data `read(path=..., n_samples=..., seed=...)` takes from files."""
    def load(run, path):
        X, y = read(path=path, n_samples=run["n_samples"], seed=run["seed"])
        return X, y, run["task"], run["n_classes"]
    return load


def table_file(rows):
    """A loader for the CSV file at `path`, read as nnviz reads an upload; `rows(table,
    n_samples, seed)` takes the rows the run uses."""
    def load(run, path):
        table = from_csv(path)
        X, y = rows(table=table, n_samples=run["n_samples"], seed=run["seed"])
        return X, y, table.task, table.n_classes
    return load


# -- the run --------------------------------------------------------------------------


def parse_args(run, argv=None):
    parser = argparse.ArgumentParser(description=f"Train nnviz's {run['dataset']} run.")
    if run["data_argument"]:
        parser.add_argument("data", help=run["data_argument"])
    parser.add_argument("--epochs", type=int, default=run["epochs"],
                        help=f"passes over the training set (default {run['epochs']})")
    parser.add_argument("--dump", metavar="PATH",
                        help="also save the data, the first and the last weights (.npz)")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    if not run["data_argument"]:
        args.data = None
    return args


def evaluate(params, activations, loss, task, X, Y, labels):
    """(mean data loss, accuracy or mean R²) of the network on a whole set: inputs X,
    the targets Y the loss compares with, the class labels (classification)."""
    Zs, As = forward(params, activations, X)
    if task == "classification":
        score = accuracy(CLASS_OUTPUTS[activations[-1]].proba(As[-1]), labels)
    else:
        score = float(np.mean(r2(As[-1], Y)))
    return data_loss(Zs, As, Y, loss), score


def main(run, load, argv=None):
    """Train the network `run` describes on the data of `load`; the last line printed
    is one JSON object of metrics."""
    args = parse_args(run, argv)
    try:
        X, y, task, n_classes = load(run, args.data)
        output, loss = output_and_loss(task, n_classes, run["output_activation"], run["loss"])
        X_train_raw, X_test_raw, y_train_raw, y_test_raw = split(
            X, y, run["test_ratio"], run["seed"], stratify=task == "classification")
        # Feature crosses and standardisation (unless it is off), fitted on the training
        # part only.
        pre = Preprocessor.fit(X_train_raw, y_train_raw, run["features"], task,
                               run["standardize"])
    except ValueError as e:
        raise SystemExit(f"error: {e}") from None
    X_train, X_test = pre.transform(X_train_raw), pre.transform(X_test_raw)
    y_train, y_test = (network_targets(y, task, pre, output) for y in (y_train_raw, y_test_raw))
    k = n_outputs(loss, y_train, n_classes)
    Y_train, Y_test = targets(y_train, loss, k), targets(y_test, loss, k)

    sizes = [X_train.shape[1], *run["hidden"], k]
    activations = [*run["activations"], output]
    params = init_params(sizes, run["init"], run["weight_seed"])
    first = [(W.copy(), b.copy()) for W, b in params]
    optimizer = make(run["optimizer"], run["lr"], **run["optimizer_settings"])
    print(f"{run['dataset']}: {len(X_train)} training and {len(X_test)} test samples; "
          f"{'-'.join(map(str, sizes))} network, {', '.join(activations)}; {loss} loss; "
          f"{run['optimizer']}, learning rate {run['lr']:g}")

    # Minibatches: each epoch visits the training set in a new random order, drawn
    # from its own random stream; a batch of the whole set keeps the rows in order.
    n, batch = len(X_train), min(run["batch_size"], len(X_train))
    rng = np.random.default_rng([run["seed"], 1])
    order = rng.permutation(n)
    steps, state = 0, "running"
    for epoch in range(1, args.epochs + 1):
        for start in range(0, n, batch):
            rows = order[start:start + batch] if batch < n else slice(None)
            Zs, As = forward(params, activations, X_train[rows])
            batch_loss = data_loss(Zs, As, Y_train[rows], loss)
            if not np.isfinite(batch_loss):
                state = "diverged"
                break
            grads = backward(params, activations, Zs, As, Y_train[rows], loss,
                             run["l1"], run["l2"])
            optimizer.update([p for pair in params for p in pair],
                             [g for pair in grads for g in pair])
            steps += 1
        if state == "diverged":
            print(f"Training diverged at step {steps + 1}: the loss became {batch_loss}. "
                  f"Try a learning rate of {smaller_lr(run['lr']):g} or lower.")
            break
        if batch < n:
            order = rng.permutation(n)
        if epoch % max(1, args.epochs // 10) == 0 or epoch == args.epochs:
            train = evaluate(params, activations, loss, task, X_train, Y_train, y_train_raw)
            print(f"epoch {epoch:>5}  step {steps:>7}  train loss {train[0]:.5f}  "
                  f"{'accuracy' if task == 'classification' else 'R²'} {train[1]:.4f}")

    train_loss, train_score = evaluate(params, activations, loss, task, X_train, Y_train,
                                       y_train_raw)
    test_loss, test_score = evaluate(params, activations, loss, task, X_test, Y_test, y_test_raw)
    if args.dump:
        arrays = {"X": X, "y": y, "X_train_raw": X_train_raw, "X_test_raw": X_test_raw,
                  "y_train_raw": y_train_raw, "y_test_raw": y_test_raw,
                  "X_train": X_train, "X_test": X_test, "y_train": y_train, "y_test": y_test,
                  "steps": steps, "train_loss": train_loss, "test_loss": test_loss,
                  "train_score": train_score, "test_score": test_score}
        for i, ((W0, b0), (W, b)) in enumerate(zip(first, params, strict=True)):
            arrays.update({f"W{i}_first": W0, f"b{i}_first": b0, f"W{i}": W, f"b{i}": b})
        np.savez(args.dump, **arrays)
        print(f"saved {args.dump}")
    score = "accuracy" if task == "classification" else "r2"
    print(json.dumps({"train_loss": train_loss, "test_loss": test_loss,
                      f"train_{score}": train_score, f"test_{score}": test_score,
                      "steps": steps, "epochs": epoch if state != "diverged" else epoch - 1,
                      "state": state, "dataset": run["dataset"]}))
