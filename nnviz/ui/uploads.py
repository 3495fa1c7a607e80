"""Data a person brings: a CSV (and which of its columns are the targets), or MNIST's
IDX files. Either becomes the session's table (a `datasets.Table`, the data of the
registry's "table" entry), parsed from bytes by nnviz's own readers (`from_csv`,
`mnist.from_idx`): nothing uploaded is unpickled or run.

Images take room: a session keeps at most `image_rows()` of them, a random sample,
so that a run on them stays within its share (`limits.DATA_SHARE`) of the session's
memory budget, and never more than the `mnist` dataset's default.
"""

import dataclasses

import streamlit as st

from nnviz import cost, datasets
from nnviz.config import Config
from nnviz.data import mnist
from nnviz.data.table import columns, default_target
from nnviz.limits import BUDGET, DATA_SHARE, MAX_IDX_BYTES, MAX_TABLE_CLASSES
from nnviz.ui import state

# Uploaded images train with the tuned settings of the same images read from files.
IMAGE_SETTINGS = "mnist"


def table_entry():
    """The registry's name of an uploaded table."""
    return datasets.names(kind="table")[0]


def image_rows(budget=BUDGET):
    """The most MNIST images a session keeps: what fits its share of `budget`'s memory,
    at most the mnist dataset's default."""
    fits = cost.data_rows_within_bytes(len(mnist.PIXELS), DATA_SHARE * budget.session_bytes)
    return min(mnist.DEFAULT_SAMPLES, fits)


def from_default_csv(s):
    """True when the session's table is a CSV read with the target `from_csv` picks by
    itself, the way an exported script reads it (not images, not chosen targets)."""
    return s.csv is not None and s.table.target_names == (default_target(s.csv_columns),)


def _use(s, table, config):
    """Make `table` the session's data, with Config `config`; False (and the table as
    it was) when the run cannot be built on it."""
    previous = s.table
    s.table = table
    if not state.propose(s, config, fresh=True, quiet=True):
        s.table = previous
        return False
    s.preset = None                 # the preset's paragraph is about other data
    return True


def _what(table):
    if table.task == "classification":
        return f"{table.n_classes} classes"
    k = len(table.target_names)
    return f"regression of {k} target{'s' if k > 1 else ''}"


def _on_csv():
    """A CSV was chosen (or removed): read it with `datasets.from_csv`, or say why not."""
    s = state.get()
    f = state.widget("w_csv")
    if f is None:
        return
    data = f.getvalue()
    try:
        table = datasets.from_csv(data)
        names = columns(data)
    except ValueError as e:
        s.note("error", f"Could not use {f.name}: {e}")
        return
    before = (s.csv, s.csv_columns, s.table_name)
    s.csv, s.csv_columns, s.table_name = data, names, f.name
    if not _use(s, table, Config.defaults_for(table_entry())):
        s.csv, s.csv_columns, s.table_name = before
        return
    s.note("info", f"Loaded {f.name}: {len(table.X):,} rows, {table.X.shape[1]} features, "
                   f"target {table.target_name!r} ({_what(table)}). Choose other target "
                   "columns under the upload.")


def _on_targets():
    """Other target columns chosen: the same CSV read again with them."""
    s = state.get()
    chosen = list(state.widget("w_targets") or [])
    if not chosen:
        s.note("error", "Choose at least one target column.")
        return
    try:
        table = datasets.from_csv(s.csv, target=chosen if len(chosen) > 1 else chosen[0])
    except ValueError as e:
        s.note("error", f"Could not use those targets: {e}")
        return
    if _use(s, table, s.config):
        s.note("info", f"Target {table.target_name!r}: {table.X.shape[1]} inputs, "
                       f"{_what(table)}. The network was reset (new weights, step 0).")


def _on_idx():
    """MNIST IDX files were chosen: read them into a table of images, or say why not."""
    s = state.get()
    files = state.widget("w_idx") or []
    if not files:
        return
    rows = image_rows()
    try:
        table, n = mnist.from_idx({f.name: f.getvalue() for f in files}, max_rows=rows,
                                  max_bytes=MAX_IDX_BYTES)
    except ValueError as e:
        s.note("error", f"Could not use those files: {e}")
        return
    before = (s.csv, s.csv_columns, s.table_name)
    s.csv, s.csv_columns, s.table_name = None, (), "MNIST images"
    config = dataclasses.replace(Config.defaults_for(IMAGE_SETTINGS), dataset=table_entry(),
                                 n_samples=None)
    if not _use(s, table, config):
        s.csv, s.csv_columns, s.table_name = before
        return
    kept = len(table.X)
    sample = "" if kept == n else (
        f" (a random {kept:,} of the {n:,} images: a session on this server keeps at most "
        f"{rows:,}, so that a run on them stays within "
        f"{DATA_SHARE * BUDGET.session_bytes / 2**20:.0f} MB)")
    s.note("info", f"Loaded MNIST images: {kept:,} images of 28×28 pixels{sample}, "
                   f"{_what(table)}.")


def sidebar(s, where):
    """The upload widgets under the Data controls: a CSV, its target columns once one is
    in use, and MNIST's IDX files."""
    where.file_uploader(f"Or upload a CSV (numbers; target: a column named label, target or "
                        f"y, else the last; up to {st.get_option('server.maxUploadSize')} MB)",
                        type=["csv"], key="w_csv", on_change=_on_csv)
    if s.csv is not None and s.config.dataset == table_entry():
        targets = list(s.table.target_names)
        if state.widget("w_targets") != targets:
            state.set_widget("w_targets", targets)
        where.multiselect("Target columns", s.csv_columns, key="w_targets",
                          on_change=_on_targets,
                          help="What the network predicts; the other columns are its inputs. "
                               f"One column of at most {MAX_TABLE_CLASSES} whole numbers is a "
                               "classification, anything else a regression with one output "
                               "per column.")
    with where.expander("Or upload MNIST (IDX files)"):
        st.file_uploader("train-images-idx3-ubyte and train-labels-idx1-ubyte, and the t10k "
                         "pair if you like, raw or .gz", accept_multiple_files=True,
                         key="w_idx", on_change=_on_idx)
        st.caption(f"Use the .gz files: the raw training images (47 MB) are over the "
                   f"upload limit. A session keeps at most {image_rows():,} images, a random "
                   "sample of all you upload; the run holds out its own test share.")
