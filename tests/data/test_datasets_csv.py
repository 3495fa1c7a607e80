"""CSV upload: good files in every form a user sends them, and one message per bad file."""

import io
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnviz.data.table import columns, default_target
from nnviz.datasets import from_csv


def csv_text(header, rows):
    return header + "\n" + "\n".join(",".join(str(v) for v in r) for r in rows) + "\n"


def points(n=12, labels=(0, 1)):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 2)).round(3)
    y = np.array(labels)[np.arange(n) % len(labels)]
    return X, y


def table_csv(n=12, labels=(0, 1), header="x1,x2,label"):
    X, y = points(n, labels)
    return csv_text(header, [(a, b, c) for (a, b), c in zip(X, y, strict=True)])


GOOD = table_csv()
LINES = GOOD.splitlines()


def with_line(i, line):
    """GOOD with its i-th line (1-based, the header is line 1) replaced."""
    lines = list(LINES)
    lines[i - 1] = line
    return "\n".join(lines) + "\n"


BAD = [
    ("empty", b"", {}, r"^the file is empty"),
    ("blank", b"  \n\n \r\n", {}, r"^the file is empty"),
    ("no header", "\n".join(LINES[1:]), {}, r"first row holds numbers, not column names; "
                                            r"add a header row"),
    ("text cell", with_line(5, "0.1,abc,1"), {}, r"^line 5, column 'x2': 'abc' is not a number$"),
    ("underscore", with_line(3, "1_000,2,1"), {}, r"line 3, column 'x1': '1_000' is not a number"),
    ("empty cell", with_line(4, ",0.5,1"), {}, r"^line 4, column 'x1' is empty"),
    ("blank cell", with_line(6, "0.5,  ,1"), {}, r"^line 6, column 'x2' is empty"),
    ("nan", with_line(3, "nan,0.5,1"), {}, r"^line 3, column 'x1' holds 'nan'; every value must "
                                           r"be a finite number"),
    ("inf", with_line(7, "0.5,-inf,0"), {}, r"^line 7, column 'x2' holds '-inf'"),
    ("ragged", with_line(4, "0.5,1"), {}, r"^line 4 has 2 cells but the header has 3 columns"),
    ("few rows", table_csv(n=7), {}, r"has 7 data rows; at least 10 are needed"),
    ("many rows", "a,b\n" + "1,0\n" * 100_001, {}, r"more than 100,000 data rows"),
    ("many columns", ",".join(f"c{i}" for i in range(1001)) + "\n", {},
     r"has 1,001 columns; at most 1,000"),
    ("one column", "label\n" + "1\n" * 12, {}, r"has one column \('label'\); it needs at least "
                                               r"one input column"),
    ("duplicate names", table_csv(header="x1,x1,label"), {}, r"names column 'x1' twice"),
    ("unnamed column", table_csv(header="x1,,label"), {}, r"column 2 has no name"),
    ("single class", table_csv(labels=(3,)), {}, r"target column 'label' holds a single class "
                                                 r"\(3\); classification needs at least 2"),
    ("too many classes", table_csv(n=60, labels=tuple(range(25))), {"task": "classification"},
     r"target column 'label' has 25 distinct values; classification allows at most 20"),
    ("fractional labels", table_csv(labels=(0, 0.5)), {"task": "classification"},
     r"holds 0.5, not a whole number"),
    ("unknown target", GOOD, {"target": "colour"}, r"no column named 'colour'; the columns are: "
                                                   r"x1, x2, label"),
    ("bad target index", GOOD, {"target": 3}, r"target must be a column name or an index from "
                                              r"0 to 2, got 3"),
    ("unknown task", GOOD, {"task": "ranking"}, r"unknown task 'ranking'; allowed: "
                                                r"classification, regression"),
    ("binary", bytes(range(256)) * 4, {}, r"binary data \(NUL bytes\), not CSV text"),
    ("pickle", pickle.dumps({"x": 1}), {}, r"is a Python pickle, not CSV text"),
    ("xlsx", b"PK\x03\x04" + bytes(100), {}, r"zip archive \(an \.xlsx workbook"),
    ("png", b"\x89PNG\r\n\x1a\n" + bytes(10), {}, r"is a PNG image"),
    ("not utf-8", "x1,x2,caf\xe9\n".encode("latin-1") + b"1,2,3\n" * 12, {},
     r"not UTF-8 text \(bad byte 0xe9 at offset 9\)"),
    ("bad quoting", 'a,b\n"1,2\n' + "1,2\n" * 12, {},
     r"a quoted cell opened on line 2 runs on to line 14; check for a missing closing quote"),
]


@pytest.mark.parametrize("content, kwargs, message",
                         [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_csv_gets_its_message(content, kwargs, message):
    data = content.encode() if isinstance(content, str) else content
    with pytest.raises(ValueError, match=message):
        from_csv(data, **kwargs)


@pytest.mark.parametrize("source, message", [
    (123, r"expected a path, bytes or a file, got int"),
    ("/no/such/file.csv", r"cannot read '/no/such/file.csv'"),
    ("a,b\n1,2\n", r"a str is read as a file path, and this one has line breaks"),
])
def test_bad_sources(source, message):
    with pytest.raises(ValueError, match=message):
        from_csv(source)


@pytest.mark.parametrize("labels", [(-1, 1), (3, 7), (0, 1, 2), (10, 20, 30, 40)])
def test_odd_labels_map_to_class_indices(labels):
    t = from_csv(table_csv(n=40, labels=labels).encode())
    X, y = points(40, labels)
    assert t.task == "classification" and t.n_classes == len(labels)
    assert t.classes.tolist() == sorted(labels) and t.classes.dtype == np.int64
    assert t.y.dtype == np.int64 and t.y.shape == (40,)
    np.testing.assert_array_equal(t.classes[t.y], y)
    np.testing.assert_array_equal(t.X, X)
    assert t.X.dtype == np.float64 and t.feature_names == ("x1", "x2") and t.target_name == "label"


def test_regression_target_and_sources(tmp_path):
    rows = [(i, i * 0.5, i * 1.25 + 0.1) for i in range(15)]
    text = csv_text("a,b,price", rows)
    path = tmp_path / "houses.csv"
    path.write_text(text)
    for source in (path, str(path), text.encode(), io.BytesIO(text.encode()), io.StringIO(text)):
        t = from_csv(source)
        assert t.task == "regression" and t.target_name == "price"
        assert t.classes is None and t.n_classes is None
        assert t.y.shape == (15, 1) and t.y.dtype == np.float64
        np.testing.assert_allclose(t.y[:, 0], [r[2] for r in rows])
        assert t.X.shape == (15, 2)


def test_upload_that_was_already_read():
    upload = io.BytesIO(GOOD.encode())
    upload.read()
    assert from_csv(upload).X.shape == (12, 2)


def test_target_by_name_index_and_default_names():
    text = table_csv(header="y,x2,x3")          # 'y' is a target name: first column
    assert from_csv(text.encode()).target_name == "y"
    t = from_csv(GOOD.encode(), target="x2")
    assert t.target_name == "x2" and t.feature_names == ("x1", "label") and t.task == "regression"
    assert from_csv(GOOD.encode(), target=0).target_name == "x1"
    assert from_csv(table_csv(header="p,q,r").encode()).target_name == "r"   # else the last
    assert from_csv(table_csv(header="a,Target,b").encode()).target_name == "Target"


def test_forced_task():
    t = from_csv(GOOD.encode(), task="regression")
    assert t.task == "regression" and t.y.shape == (12, 1)
    many = table_csv(n=60, labels=tuple(range(25))).encode()
    assert from_csv(many).task == "regression"           # > 20 values: inferred regression
    t = from_csv(table_csv(labels=(1.0, 2.0)).encode(), task="classification")
    assert t.classes.tolist() == [1, 2]


def test_formatting_variants():
    variants = [
        "\ufeff" + GOOD,                          # BOM from Excel
        GOOD.replace("\n", "\r\n"),               # Windows line ends
        GOOD.replace(",", ";"),                   # semicolons
        GOOD.replace(",", "\t"),                  # tabs
        GOOD.replace("\n", "\n\n"),               # blank lines
        GOOD.replace(",", " ,  "),                # spaces around cells
        '"x1", "x2" ,"label"\n' + "\n".join(LINES[1:]),   # quoted, spaced header
    ]
    reference = from_csv(GOOD.encode())
    for text in variants:
        t = from_csv(text.encode())
        assert t.feature_names == ("x1", "x2") and t.target_name == "label"
        np.testing.assert_array_equal(t.X, reference.X)
        np.testing.assert_array_equal(t.y, reference.y)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(X=hnp.arrays(np.float64, st.tuples(st.integers(10, 40), st.integers(1, 5)),
                    elements=st.floats(-1e12, 1e12, allow_subnormal=False)),
       seed=st.integers(0, 1000), k=st.integers(2, 20), shift=st.integers(-50, 50))
def test_any_numeric_table_round_trips(X, seed, k, shift):
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(len(X)) % min(k, len(X))) + shift
    header = ",".join(f"f{i}" for i in range(X.shape[1])) + ",label"
    text = csv_text(header, [(*map(repr, row.tolist()), c) for row, c in zip(X, labels,
                                                                           strict=True)])
    t = from_csv(text.encode())
    np.testing.assert_array_equal(t.X, X)          # repr of a float reads back exactly
    assert t.task == "classification" and t.n_classes == len(np.unique(labels))
    np.testing.assert_array_equal(t.classes[t.y], labels)


def test_a_file_over_200_mb_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:          # sparse: no 200 MB written to disk
        f.truncate(200 * 2**20 + 1)
    with pytest.raises(ValueError, match=r"huge.csv' is larger than 200 MB"):
        from_csv(path)


@pytest.mark.parametrize("head, sep, names, target", [
    ("x1,x2,label", ",", ("x1", "x2", "label"), "label"),
    ("\n\nY;a;b", ";", ("Y", "a", "b"), "Y"),
    ("a\tb\tc", "\t", ("a", "b", "c"), "c"),
])
def test_columns_in_file_order_and_the_target_from_csv_guesses(head, sep, names, target):
    text = head + "\n" + "".join(f"{i}{sep}{i % 3}{sep}{i % 2}\n" for i in range(12))
    assert columns(text.encode()) == names
    assert default_target(names) == target == from_csv(text.encode()).target_name


@pytest.mark.parametrize("text, message", [
    (b"1,2,3\n4,5,6\n", r"the first row holds numbers, not column names"),
    (b"a,a,b\n1,2,3\n", r"names column 'a' twice"),
    (b"   \n\n", r"the file is empty"),
])
def test_columns_checks_the_header_as_from_csv_does(text, message):
    with pytest.raises(ValueError, match=message):
        columns(text)
