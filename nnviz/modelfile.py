"""Models on disk: one .npz of plain arrays, never pickles.

Arrays: `format` ("nnviz-model-1"), `config` (the Config as JSON), `n_layers`,
`W{i}`, `b{i}` (float64), `steps`, `epoch`, the preprocessing (`pre_*`, see
`Preprocessor.to_arrays`), for CSV data the table (`table_*`) and for MNIST the
files' `data_path`. `read` checks every one and says what is wrong with a
damaged or foreign file.
"""

import zipfile
from dataclasses import dataclass

import numpy as np

from nnviz import datasets
from nnviz.config import Config, ConfigError

FORMAT = "nnviz-model-1"


@dataclass(frozen=True)
class Saved:
    """What a model file holds: params is [(W, b)] per layer."""

    config: Config
    params: list
    preprocessor: datasets.Preprocessor
    steps: int = 0
    epoch: int = 0
    table: datasets.Table | None = None
    data_path: str | None = None


def write(path, saved):
    """Write `saved` (a Saved) to `path` as .npz."""
    arrays = {"format": np.array(FORMAT), "config": np.array(saved.config.to_json()),
              "steps": np.array(saved.steps, dtype=np.int64),
              "epoch": np.array(saved.epoch, dtype=np.int64),
              "n_layers": np.array(len(saved.params), dtype=np.int64)}
    for i, (W, b) in enumerate(saved.params):
        arrays[f"W{i}"], arrays[f"b{i}"] = W, b
    arrays.update(saved.preprocessor.to_arrays(prefix="pre_"))
    if saved.data_path is not None:
        arrays["data_path"] = np.array(saved.data_path)
    t = saved.table
    if t is not None:
        arrays.update(table_X=t.X, table_y=t.y, table_task=np.array(t.task),
                      table_features=np.array(t.feature_names, dtype=str).reshape(-1),
                      table_target=np.array(t.target_names, dtype=str).reshape(-1))
        if t.classes is not None:
            arrays["table_classes"] = np.asarray(t.classes, dtype=np.int64)
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def read(path):
    """A Saved from `path`, read with allow_pickle=False; ValueError if it is not a
    whole, valid nnviz model."""
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        raise ValueError(f"no such model file: {path}") from None
    except OSError as e:
        raise ValueError(f"cannot read {path}: {e.strerror or e}") from None
    with f:
        if f.read(4) != b"PK\x03\x04":          # every .npz is a zip archive
            raise ValueError(f"{path} is not an nnviz model: not a .npz (zip) file")
        f.seek(0)
        try:
            with np.load(f, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as e:
            raise ValueError(f"{path} is not a readable nnviz model (.npz): {e}") from None
    if str(arrays.get("format", "")) != FORMAT:
        raise ValueError(f"{path} is not an nnviz model: it has no '{FORMAT}' format marker")
    try:
        config = Config.from_json(str(arrays["config"]))
        params = [_layer(arrays, i) for i in range(_count(arrays, "n_layers"))]
        return Saved(
            config=config, params=params,
            preprocessor=datasets.Preprocessor.from_arrays(arrays, prefix="pre_"),
            steps=_count(arrays, "steps"), epoch=_count(arrays, "epoch"),
            table=_table(arrays) if _needs(config) == "table" else None,
            data_path=str(arrays["data_path"]) if _needs(config) == "path" else None)
    except KeyError as e:
        raise ValueError(f"{path} is damaged: it lacks the array {e}") from None
    except (ValueError, ConfigError) as e:
        raise ValueError(f"{path} is not a valid nnviz model: {e}") from None


def _needs(config):
    """What the config's dataset cannot be made without ("table", "path"), or None."""
    return datasets.info(config.dataset).needs


def _layer(arrays, i):
    W, b = arrays[f"W{i}"], arrays[f"b{i}"]
    if W.dtype != np.float64 or b.dtype != np.float64 or W.ndim != 2 \
            or b.shape != (W.shape[1],):
        raise ValueError(f"layer {i} has W {W.dtype}{W.shape} and b {b.dtype}{b.shape}; "
                         "expected float64 (n_in, n_out) and (n_out,)")
    if not (np.isfinite(W).all() and np.isfinite(b).all()):
        raise ValueError(f"layer {i} holds NaN or infinite values")
    return W, b


def _count(arrays, key):
    a = arrays[key]
    if a.shape != () or a.dtype.kind not in "iu" or int(a) < 0:
        raise ValueError(f"{key} must be a non-negative integer scalar, got {a!r:.60}")
    return int(a)


def _table(arrays):
    X, y = arrays["table_X"], arrays["table_y"]
    task = str(arrays["table_task"])
    classes = arrays.get("table_classes")
    ok = X.dtype == np.float64 and X.ndim == 2 and len(y) == len(X) and np.isfinite(X).all()
    if task == "classification":
        ok = ok and classes is not None and classes.ndim == 1 and y.ndim == 1 \
            and y.dtype == np.int64 and y.min() >= 0 and y.max() < len(classes)
    else:
        ok = ok and task == "regression" and y.dtype == np.float64 and y.ndim == 2 \
            and np.isfinite(y).all()
    if not ok:
        raise ValueError("the saved CSV table has a bad task, shape or dtype")
    return datasets.Table(X, y, task, tuple(str(f) for f in arrays["table_features"]),
                          tuple(str(t) for t in np.atleast_1d(arrays["table_target"])),
                          classes, None if classes is None else len(classes))
