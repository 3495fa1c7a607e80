"""Feature crosses, the split, standardisation and the Preprocessor that travels with a model."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz import datasets
from nnviz.datasets import FEATURES, Preprocessor, Standardizer, cross, split


def test_feature_crosses_by_name():
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    out = cross(X, list(FEATURES))
    assert list(FEATURES) == ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
    expected = np.column_stack([X[:, 0], X[:, 1], X[:, 0] ** 2, X[:, 1] ** 2,
                                X[:, 0] * X[:, 1], np.sin(X[:, 0]), np.sin(X[:, 1])])
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(cross(X, ["x1*x2", "x1"]), expected[:, [4, 0]])


@pytest.mark.parametrize("X, names, message", [
    (np.zeros((3, 2)), ["x3"], r"unknown feature 'x3'; allowed: x1, x2, x1\^2"),
    (np.zeros((3, 2)), [], r"choose at least one feature"),
    (np.zeros((3, 2)), ["x1", "x1"], r"features repeat a name"),
    (np.zeros((3, 1)), ["x1"], r"need inputs of shape \(n, 2\), got \(3, 1\)"),
    (np.zeros((3, 64)), ["x1"], r"got \(3, 64\)"),
])
def test_bad_feature_crosses(X, names, message):
    with pytest.raises(ValueError, match=message):
        cross(X, names)


def test_split_is_seeded_disjoint_and_stratified():
    X, y = datasets.load("spiral", n_samples=300, n_classes=3)
    X_tr, X_te, y_tr, y_te = split(X, y, test_ratio=0.2, seed=4)
    assert len(X_te) == 60 and len(X_tr) == 240
    assert np.bincount(y_te).tolist() == [20, 20, 20]
    rows = np.concatenate([X_tr, X_te])
    assert sorted(map(tuple, rows)) == sorted(map(tuple, X))
    again = split(X, y, test_ratio=0.2, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(again, (X_tr, X_te, y_tr, y_te), strict=True))
    other = split(X, y, test_ratio=0.2, seed=5)
    assert not np.array_equal(other[1], X_te)


def test_split_regression_is_plain():
    X, y = datasets.load("arithmetic", n_samples=100)
    X_tr, X_te, y_tr, y_te = split(X, y, 0.3, 0)
    assert X_te.shape == (30, 2) and y_te.shape == (30, 3) and y_tr.shape == (70, 3)
    np.testing.assert_array_equal(y_te[:, 0], X_te.sum(axis=1))   # rows stay paired


@settings(max_examples=60, derandomize=True, deadline=None)
@given(counts=st.lists(st.integers(1, 30), min_size=2, max_size=8),
       ratio=st.floats(0.05, 0.9), seed=st.integers(0, 2**32 - 1))
def test_every_class_of_two_or_more_lands_in_both_parts(counts, ratio, seed):
    y = np.repeat(np.arange(len(counts)), counts)
    X = np.arange(len(y), dtype=np.float64)[:, None]
    X_tr, X_te, y_tr, y_te = split(X, y, ratio, seed)
    assert len(X_tr) + len(X_te) == len(y)
    assert np.array_equal(np.sort(np.concatenate([X_tr, X_te])[:, 0]), X[:, 0])
    np.testing.assert_array_equal(y[X_tr[:, 0].astype(int)], y_tr)
    for c, m in enumerate(counts):
        if m >= 2:
            assert c in y_tr and c in y_te


@pytest.mark.parametrize("ratio", [0, -0.1, 0.95, 1, "0.2", None])
def test_split_ratio_is_checked(ratio):
    with pytest.raises(ValueError, match=r"test_ratio must be a number in \(0, 0.9\]"):
        split(np.zeros((10, 2)), np.zeros(10, np.int64), ratio, 0)


def test_split_length_mismatch():
    with pytest.raises(ValueError, match="X has 10 rows but y has 9"):
        split(np.zeros((10, 2)), np.zeros(9, np.int64), 0.2, 0)


def test_standardizer_constant_column_and_inverse():
    X = np.array([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]])
    s = Standardizer.fit(X)
    np.testing.assert_allclose(s.mean, [3, 5])
    np.testing.assert_allclose(s.std, [np.sqrt(8 / 3), 1.0])
    Z = s.transform(X)
    assert np.all(np.isfinite(Z)) and np.allclose(Z[:, 1], 0)
    np.testing.assert_allclose(s.inverse(Z), X)
    with pytest.raises(ValueError, match=r"shape \(n, 2\), got \(3, 3\)"):
        s.transform(np.zeros((3, 3)))


def test_scaler_is_fitted_on_train_only():
    X, y = datasets.load("moons", n_samples=200)
    X_tr, X_te, y_tr, _ = split(X, y, 0.25, 0)
    p = Preprocessor.fit(X_tr, y_tr, features=["x1", "x2", "x1*x2"], task="classification")
    F = cross(X_tr, ["x1", "x2", "x1*x2"])
    np.testing.assert_allclose(p.x.mean, F.mean(axis=0))
    np.testing.assert_allclose(p.x.std, F.std(axis=0))
    assert not np.allclose(p.x.mean, cross(X, ["x1", "x2", "x1*x2"]).mean(axis=0))
    before = p.transform(X_tr)
    X_te[:] = 1e6                                   # the test set is irrelevant to the fit
    p2 = Preprocessor.fit(X_tr, y_tr, features=["x1", "x2", "x1*x2"], task="classification")
    np.testing.assert_array_equal(p2.to_arrays()["x_mean"], p.to_arrays()["x_mean"])
    np.testing.assert_array_equal(p2.transform(X_tr), before)
    np.testing.assert_allclose(before.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(before.std(axis=0), 1)


def test_regression_targets_are_standardised_and_mapped_back():
    X, y = datasets.load("arithmetic", n_samples=500)
    p = Preprocessor.fit(X, y)   # task inferred from float (n, 3) targets
    assert p.task == "regression" and p.n_features == 2
    t = p.transform_y(y)
    np.testing.assert_allclose(t.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(t.std(axis=0), 1)
    np.testing.assert_allclose(p.inverse_y(t), y)
    labels = np.array([0, 1, 1])
    c = Preprocessor.fit(np.zeros((3, 2)), labels)
    assert c.task == "classification" and c.y is None
    assert c.transform_y(labels) is labels and c.inverse_y(labels) is labels


@pytest.mark.parametrize("name, features", [
    ("spiral", ["x1", "x2", "sin(x1)", "sin(x2)", "x1^2"]),
    ("moons", None),
    ("sine", None),
    ("arithmetic", ["x1*x2", "x1"]),
    ("digits", None),
])
def test_preprocessor_round_trip_through_npz(tmp_path, name, features):
    X, y = datasets.load(name, n_samples=150)
    p = Preprocessor.fit(X, y, features=features, task=datasets.info(name).task)
    path = tmp_path / "pre.npz"
    np.savez(path, **p.to_arrays(prefix="pre_"), other=np.arange(3))
    with np.load(path, allow_pickle=False) as f:
        q = Preprocessor.from_arrays(f, prefix="pre_")
    assert q.task == p.task and q.features == p.features and q.n_inputs == p.n_inputs
    np.testing.assert_array_equal(q.transform(X), p.transform(X))
    np.testing.assert_array_equal(q.transform_y(y), p.transform_y(y))
    for v in p.to_arrays().values():
        assert v.dtype.kind in "Uif"


def good_arrays():
    X, y = datasets.load("plane", n_samples=50)
    return Preprocessor.fit(X, y, features=["x1", "x2^2"]).to_arrays()


@pytest.mark.parametrize("change, message", [
    ({"x_mean": None}, r"missing x_mean"),
    ({"task": np.array("clustering")}, r"task must be one of"),
    ({"features": np.array(["x1", "x9"])}, r"unknown feature 'x9'"),
    ({"features": np.array([1.0, 2.0])}, r"features must be a 1-D array of names"),
    ({"n_inputs": np.array(3)}, r"feature crosses need 2 raw inputs"),
    ({"n_inputs": np.array(0)}, r"n_inputs must be a positive integer"),
    ({"x_mean": np.array([0.0, np.nan])}, r"x_mean must be a non-empty 1-D array of finite"),
    ({"x_std": np.array([1.0, 2.0, 3.0])}, r"x_mean and x_std have lengths 2 and 3"),
    ({"x_std": np.array([1.0, 0.0])}, r"x_std must be positive"),
    ({"y_std": np.array([], dtype=np.float64)}, r"y_std must be a non-empty"),
    ({"y_mean": np.array(["a"])}, r"y_mean must be a non-empty 1-D array of finite floats"),
])
def test_from_arrays_validates(change, message):
    arrays = good_arrays()
    for k, v in change.items():
        if v is None:
            del arrays[k]
        else:
            arrays[k] = v
    with pytest.raises(ValueError, match=message):
        Preprocessor.from_arrays(arrays)


@pytest.mark.parametrize("kwargs, message", [
    ({"task": "ranking"}, r"unknown task 'ranking'"),
    ({"features": ["x1", "cos(x1)"]}, r"unknown feature 'cos\(x1\)'"),
])
def test_preprocessor_fit_validates(kwargs, message):
    X, y = datasets.load("moons", n_samples=50)
    with pytest.raises(ValueError, match=message):
        Preprocessor.fit(X, y, **kwargs)


def test_preprocessor_transform_checks_width():
    X, y = datasets.load("moons", n_samples=50)
    p = Preprocessor.fit(X, y)
    with pytest.raises(ValueError, match=r"raw inputs of shape \(n, 2\), got \(4, 3\)"):
        p.transform(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"X_train has 50 rows but y_train has 49"):
        Preprocessor.fit(X, y[:49])
