"""CSV upload: a numeric table with a header row -> inputs, target and task.

Parsed with the csv module and float(); nothing is unpickled or evaluated.
"""

import csv
import io
import os
from dataclasses import dataclass

import numpy as np

from nnviz.limits import MAX_TABLE_BYTES as MAX_BYTES
from nnviz.limits import MAX_TABLE_CLASSES as MAX_CLASSES
from nnviz.limits import MAX_TABLE_COLUMNS as MAX_COLUMNS
from nnviz.limits import MAX_TABLE_ROWS as MAX_ROWS
from nnviz.limits import MIN_TABLE_ROWS as MIN_ROWS

TARGET_NAMES = ("label", "target", "y")
TASKS = ("classification", "regression")
# File signatures people upload by mistake, so the message can say what the file is.
SIGNATURES = {
    b"PK\x03\x04": "a zip archive (an .xlsx workbook is one; save it as CSV)",
    b"\xd0\xcf\x11\xe0": "an old Excel/Office document (save it as CSV)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive (decompress it first)",
    b"\x93NUMPY": "a NumPy .npy file",
    b"\x80": "a Python pickle",
}


@dataclass(frozen=True)
class Table:
    """X: (n, d) float64; y: (n,) int64 labels 0..k-1 (classification) or (n, k)
    float64 targets (regression, one column per target); `classes` holds the
    original label of each class index (None for regression)."""

    X: np.ndarray
    y: np.ndarray
    task: str
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    classes: np.ndarray | None
    n_classes: int | None

    @property
    def target_name(self):
        """The target column's name (several targets: their names joined)."""
        return ", ".join(self.target_names)


def from_csv(file_or_path, target=None, task=None):
    """Read a numeric CSV (path, bytes, or a binary/text file-like) into a Table.

    `target`: column name (or index) of the target, or a list of them for several
    regression targets; default the column named label, target or y, else the
    last. `task`: "classification" or "regression"; default inferred: one
    integer-valued target with at most MAX_CLASSES (20) distinct values is classification.
    Any bad input raises ValueError saying what to fix.
    """
    if task is not None and task not in TASKS:
        raise ValueError(f"unknown task {task!r}; allowed: {', '.join(TASKS)}")
    header, *rows = _rows(_text(_bytes(file_or_path)))
    values = _numbers(header, *rows)
    columns = _target_columns(header, target)
    if len(columns) == len(header):
        raise ValueError(f"every column is a target ({', '.join(header)}); "
                         "leave at least one as an input")
    X = np.ascontiguousarray(np.delete(values, columns, axis=1))
    features = tuple(h for i, h in enumerate(header) if i not in columns)
    names = tuple(header[j] for j in columns)
    if len(columns) > 1:
        if task == "classification":
            raise ValueError(f"several targets ({', '.join(names)}) make a regression; "
                             "classification takes one target column")
        return Table(X, np.ascontiguousarray(values[:, columns]), "regression", features,
                     names, None, None)
    j = columns[0]
    t = values[:, j]
    integral = bool(np.all(t == np.round(t)))
    distinct = np.unique(t)
    if task is None:
        task = "classification" if integral and len(distinct) <= MAX_CLASSES else "regression"
    name = header[j]
    if task == "regression":
        return Table(X, np.ascontiguousarray(t[:, None]), task, features, names, None, None)
    if not integral:
        bad = t[t != np.round(t)][0]
        raise ValueError(f"target column {name!r} holds {bad:g}, not a whole number; "
                         "classification needs integer class labels (or use task='regression')")
    if len(distinct) < 2:
        raise ValueError(f"target column {name!r} holds a single class ({distinct[0]:g}); "
                         "classification needs at least 2")
    if len(distinct) > MAX_CLASSES:
        raise ValueError(f"target column {name!r} has {len(distinct)} distinct values; "
                         f"classification allows at most {MAX_CLASSES} classes "
                         "(use task='regression' for a numeric target)")
    y = np.searchsorted(distinct, t).astype(np.int64)
    return Table(X, y, task, features, names, distinct.astype(np.int64), len(distinct))


def columns(file_or_path):
    """The column names of a CSV's header row, in file order (checked as `from_csv`
    checks them)."""
    reader, _ = _reader(_text(_bytes(file_or_path)))
    try:
        cells = next((c for c in reader if "".join(c).strip()), None)
    except csv.Error as e:
        raise ValueError(f"the header row is not valid CSV: {e}") from None
    if cells is None:
        raise ValueError("the file has no header row")
    return tuple(_header([c.strip() for c in cells]))


def default_target(names):
    """The column `from_csv` takes as the target when none is given, of the columns
    `names`: the one named label, target or y, else the last."""
    return names[_target_column(list(names), None)]


def table_rows(table, n_samples=None, seed=0):
    """(X, y) of `table`: every row, or a seeded random subset of `n_samples` rows kept
    in file order (all rows when the table has no more)."""
    X, y = table.X, table.y
    if n_samples is not None and n_samples < len(X):
        rows = np.sort(np.random.default_rng(seed).permutation(len(X))[:n_samples])
        X, y = X[rows], y[rows]
    return X, y


def _bytes(src):
    if isinstance(src, (bytes, bytearray, memoryview)):
        data = bytes(src)
    elif isinstance(src, (str, os.PathLike)):
        path = os.fspath(src)
        if isinstance(path, str) and "\n" in path:
            raise ValueError("a str is read as a file path, and this one has line breaks; "
                             "pass CSV text as bytes or io.StringIO")
        try:
            if os.path.getsize(path) > MAX_BYTES:
                raise ValueError(f"{path!r} is larger than {MAX_BYTES // 2**20} MB")
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise ValueError(f"cannot read {path!r}: {e.strerror or e}") from None
    elif hasattr(src, "read"):
        if hasattr(src, "seek"):
            src.seek(0)
        data = src.read(MAX_BYTES + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, bytes):
            raise ValueError(f"reading the upload gave {type(data).__name__}, not bytes or text")
    else:
        raise ValueError(f"expected a path, bytes or a file, got {type(src).__name__}")
    if len(data) > MAX_BYTES:
        raise ValueError(f"the file is larger than {MAX_BYTES // 2**20} MB")
    return data


def _text(data):
    if not data.strip():
        raise ValueError("the file is empty; expected a CSV with a header row and numeric rows")
    for sig, what in SIGNATURES.items():
        if data.startswith(sig):
            raise ValueError(f"the file is {what}, not CSV text")
    if b"\x00" in data[:65536]:
        raise ValueError("the file holds binary data (NUL bytes), not CSV text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"the file is not UTF-8 text (bad byte 0x{data[e.start]:02x} at "
                         f"offset {e.start}); save it as a UTF-8 CSV") from None


def _reader(text):
    """(csv reader of `text`, its first non-blank line): the delimiter is the one of
    comma, semicolon and tab the first line holds most of."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count) if any(c in first for c in ",;\t") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                      skipinitialspace=True), first


def _rows(text):
    """(header, rows, lines, underscores): header cells stripped, data cells as read,
    blank lines skipped, row lengths checked; `lines[i]` is row i's line number;
    `underscores` says whether any data cell may hold one (1_000)."""
    reader, first = _reader(text)
    header, rows, lines = None, [], []
    previous = 0
    try:
        for cells in reader:
            if reader.line_num - previous > 1:   # a record spanning lines: a quote left open
                raise ValueError(f"a quoted cell opened on line {previous + 1} runs on to "
                                 f"line {reader.line_num}; check for a missing closing quote")
            previous = reader.line_num
            if not "".join(cells).strip():
                continue
            if header is None:
                header = _header([c.strip() for c in cells])
                continue
            if len(cells) != len(header):
                raise ValueError(f"line {reader.line_num} has {len(cells)} cells but the "
                                 f"header has {len(header)} columns")
            rows.append(cells)
            lines.append(reader.line_num)
            if len(rows) > MAX_ROWS:
                raise ValueError(f"the file has more than {MAX_ROWS:,} data rows; "
                                 "use a sample of it")
    except csv.Error as e:
        raise ValueError(f"line {reader.line_num} is not valid CSV: {e}") from None
    if len(rows) < MIN_ROWS:
        raise ValueError(f"the file has {len(rows)} data rows; at least {MIN_ROWS} are needed")
    underscores = "_" in text[text.find(first) + len(first):]
    return header, rows, lines, underscores


def _header(cells):
    if len(cells) > MAX_COLUMNS:
        raise ValueError(f"the file has {len(cells):,} columns; at most {MAX_COLUMNS:,} "
                         "are allowed")
    if all(is_number(c) for c in cells):
        raise ValueError("the first row holds numbers, not column names; add a header row "
                         "such as x1,x2,label")
    if len(cells) < 2:
        raise ValueError(f"the file has one column ({cells[0]!r}); it needs at least one "
                         "input column and a target column")
    for i, c in enumerate(cells):
        if not c:
            raise ValueError(f"column {i + 1} has no name in the header row")
    seen = set()
    for c in cells:
        if c in seen:
            raise ValueError(f"the header names column {c!r} twice; names must be unique")
        seen.add(c)
    return cells


def is_number(cell):
    """True when a CSV cell reads as a number (as float() reads it, without 1_000's
    underscores)."""
    try:
        float(cell)
    except ValueError:
        return False
    return "_" not in cell


def _numbers(header, rows, lines, underscores):
    """(n, columns) float64; ValueError naming the line and column of the first bad cell."""
    values = None
    if not underscores:   # numpy, like float(), would read 1_000 as 1000
        try:
            values = np.array(rows, dtype=np.float64)
        except ValueError:
            values = None
    if values is None:
        for row, line in zip(rows, lines, strict=True):
            for c, name in zip(row, header, strict=True):
                c = c.strip()
                if not c:
                    raise ValueError(f"line {line}, column {name!r} is empty; "
                                     "every cell needs a number")
                if not is_number(c):
                    raise ValueError(f"line {line}, column {name!r}: {c!r} is not a number")
        values = np.array(rows, dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise ValueError(f"line {lines[r]}, column {header[c]!r} holds {rows[r][c].strip()!r}; "
                         "every value must be a finite number (no NaN or inf)")
    return values


def _target_columns(header, target):
    """Column indices of the target(s), in the order given."""
    if isinstance(target, list | tuple):
        if not target:
            raise ValueError("give at least one target column")
        columns = [_target_column(header, t) for t in target]
        if len(set(columns)) != len(columns):
            raise ValueError(f"the targets name a column twice: {list(target)}")
        return columns
    return [_target_column(header, target)]


def _target_column(header, target):
    if target is None:
        for want in TARGET_NAMES:
            for i, h in enumerate(header):
                if h.lower() == want:
                    return i
        return len(header) - 1
    if isinstance(target, str):
        if target in header:
            return header.index(target)
        raise ValueError(f"no column named {target!r}; the columns are: {', '.join(header)}")
    if isinstance(target, int) and not isinstance(target, bool) \
            and -len(header) <= target < len(header):
        return target % len(header)
    raise ValueError(f"target must be a column name or an index from 0 to "
                     f"{len(header) - 1}, got {target!r}")
