"""Every registered dataset: shapes, dtypes, determinism, balance, geometry, validation."""

import inspect

import numpy as np
import pytest

from nnviz import datasets
from nnviz.data import digits

GENERATED = datasets.names(kind="generated")
FROM_LINK = [n for n, d in datasets.REGISTRY.items() if d.from_link and d.kind != "drawn"]


def load_small(name, seed=0):
    return datasets.load(name, n_samples=120, seed=seed)


@pytest.mark.parametrize("name", FROM_LINK)
def test_shapes_dtypes_and_determinism(name):
    d = datasets.info(name)
    X, y = load_small(name)
    n = len(X)
    assert X.dtype == np.float64 and X.shape == (n, d.n_features)
    assert X.flags.c_contiguous and np.all(np.isfinite(X))
    assert len(d.feature_names) == d.n_features
    if d.task == "classification":
        assert y.dtype == np.int64 and y.shape == (n,)
        assert set(np.unique(y)) == set(range(d.n_classes))
        assert len(d.target_names) == d.n_classes
    else:
        assert y.dtype == np.float64 and y.shape == (n, d.n_outputs)
        assert d.n_classes is None and len(d.target_names) == d.n_outputs
    X2, y2 = load_small(name)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, y3 = load_small(name, seed=1)
    assert not (np.array_equal(X, X3) and np.array_equal(y, y3))


@pytest.mark.parametrize("name", GENERATED)
def test_defaults_match_registry(name):
    d = datasets.info(name)
    X, y = datasets.load(name)
    assert len(X) == d.default_samples
    assert d.noise_range[0] <= d.default_noise <= d.noise_range[1]
    assert d.is_plane == (d.n_features == 2)
    # The extent frames the data at the default noise (a little may spill over).
    lo, hi = np.array(d.extent).T
    inside = np.all((X >= lo) & (X <= hi), axis=1)
    assert inside.mean() > 0.98


@pytest.mark.parametrize("name", GENERATED)
def test_generator_source_runs_standalone(name):
    """The exported script copies a generator's source: with NumPy alone it must
    give exactly what load gives."""
    d = datasets.info(name)
    opts = {o.name: o.high for o in d.options}
    namespace = {}
    exec("import numpy as np\n" + inspect.getsource(d.generate), namespace)
    fn = namespace[d.generate.__name__]
    X, y = fn(n_samples=99, noise=d.noise_range[1] / 2, seed=7, **opts)
    X2, y2 = datasets.load(name, n_samples=99, noise=d.noise_range[1] / 2, seed=7, **opts)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)


@pytest.mark.parametrize("name, opts", [
    ("flower", {}), ("moons", {}), ("circles", {}),
    ("gaussians", {"n_classes": 2}), ("gaussians", {"n_classes": 5}),
    ("spiral", {"n_classes": 3}), ("spiral", {"n_classes": 8}),
])
@pytest.mark.parametrize("n", [101, 400])
def test_class_balance(name, opts, n):
    _, y = datasets.load(name, n_samples=n, **opts)
    counts = np.bincount(y)
    assert len(counts) == datasets.info(name, **opts).n_classes
    assert counts.sum() == n and counts.max() - counts.min() <= 1


def test_xor_is_roughly_balanced():
    _, y = datasets.load("xor", n_samples=4000)
    assert 0.45 < y.mean() < 0.55


def test_clean_moons_lie_on_their_arcs():
    X, y = datasets.load("moons", n_samples=300, noise=0)
    outer, inner = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*outer.T), 1.0)
    assert np.all(outer[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(inner[:, 0] - 1, inner[:, 1] - 0.5), 1.0)
    assert np.all(inner[:, 1] <= 0.5 + 1e-12)


@pytest.mark.parametrize("factor", [0.3, 0.5, 0.9])
def test_clean_circles_at_their_radii(factor):
    X, y = datasets.load("circles", n_samples=200, noise=0, factor=factor)
    r = np.hypot(*X.T)
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], factor)


def test_clean_xor_labels_match_quadrants():
    X, y = datasets.load("xor", n_samples=1000, noise=0)
    assert np.all(np.abs(X) >= 0.3) and np.all(np.abs(X) <= 5.3)
    same_sign = np.sign(X[:, 0]) == np.sign(X[:, 1])
    assert np.array_equal(y, same_sign.astype(np.int64))


@pytest.mark.parametrize("k", [2, 3, 8])
def test_clean_spiral_arms_do_not_overlap(k):
    X, y = datasets.load("spiral", n_samples=800, noise=0, n_classes=k)
    r, t = np.hypot(*X.T), np.arctan2(X[:, 0], X[:, 1])
    # Arm j at radius r has angle 2πj/k + 4r: read the arm back from the point.
    arm = np.round((t - 4 * r) * k / (2 * np.pi)).astype(int) % k
    assert np.array_equal(arm, y)
    dist = np.hypot(X[:, None, 0] - X[None, :, 0], X[:, None, 1] - X[None, :, 1])
    other = y[:, None] != y[None, :]
    assert dist[other].min() > 0.02


def test_tensorflow_playgrounds_circle():
    X, y = datasets.load("tf_circle", n_samples=1000, noise=0)
    r = np.hypot(*X.T)
    assert np.bincount(y).tolist() == [500, 500]
    assert np.all(r[y == 1] < 2.5) and np.all((r[y == 0] >= 3.5) & (r[y == 0] <= 5))
    X2, y2 = datasets.load("tf_circle", n_samples=1000, noise=0.5)   # same points, noisier labels
    np.testing.assert_array_equal(np.hypot(*X2.T) < 3, np.hypot(*X.T) < 3)
    flipped = y2 != (np.hypot(*X2.T) < 3)
    assert 0.1 < flipped.mean() < 0.5


@pytest.mark.parametrize("noise, variance", [(0.0, 0.5), (0.5, 4.0)])
def test_tensorflow_playgrounds_gaussians(noise, variance):
    X, y = datasets.load("tf_gauss", n_samples=20_000, noise=noise)
    for label, centre in ((1, 2.0), (0, -2.0)):
        part = X[y == label]
        assert len(part) == 10_000
        np.testing.assert_allclose(part.mean(axis=0), centre, atol=0.05)
        np.testing.assert_allclose(part.var(axis=0), variance, rtol=0.05)


def test_tensorflow_playgrounds_spiral():
    X, y = datasets.load("tf_spiral", n_samples=500, noise=0)
    r, t = np.hypot(*X.T), np.arctan2(X[:, 0], X[:, 1])
    # point i of m = 250 per arm: radius 5i/m, angle 1.75·2π·i/m, plus π for class 0
    i = r * 250 / 5
    np.testing.assert_allclose(i, np.round(i), atol=1e-9)
    off = t - 1.75 * 2 * np.pi * i / 250 - np.pi * (1 - y)
    np.testing.assert_allclose(np.cos(off[r > 0]), 1.0, atol=1e-9)
    assert r.max() < 5 and np.bincount(y).tolist() == [250, 250]
    noisy, _ = datasets.load("tf_spiral", n_samples=500, noise=0.5)
    assert 0 < np.abs(noisy - X).max() <= 0.5


def test_clean_flower_lies_on_its_rose():
    X, y = datasets.load("flower", noise=0)
    r, t = np.hypot(*X.T), np.arctan2(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r, np.abs(4 * np.sin(4 * t)), atol=1e-9)
    assert np.bincount(y).tolist() == [200, 200]


@pytest.mark.parametrize("k", [2, 6])
def test_clean_gaussians_sit_on_their_centres(k):
    X, y = datasets.load("gaussians", n_samples=60, noise=0, n_classes=k)
    centres = np.array([X[y == j][0] for j in range(k)])
    for j in range(k):
        assert np.all(X[y == j] == centres[j])
    np.testing.assert_allclose(np.hypot(*centres.T), 4.0)


def test_arithmetic_targets_are_exact():
    info = datasets.info("arithmetic")
    assert (info.default_samples, info.n_outputs, info.n_features) == (10_000, 3, 2)
    X, y = datasets.load("arithmetic", n_samples=1000, noise=0)
    a, b = X.T
    assert np.all((X >= 0) & (X <= 100))
    assert np.array_equal(y, np.column_stack([a + b, a - b, np.abs(a - b)]))


def test_plane_multigauss_and_sine_formulas():
    X, z = datasets.load("plane", n_samples=500, noise=0)
    np.testing.assert_allclose(z[:, 0], X.sum(axis=1) / 10)
    assert np.all(np.abs(z) <= 1.2) and np.abs(z).max() > 1
    X, z = datasets.load("multigauss", n_samples=2000, noise=0)
    bumps = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    expected = np.zeros(len(X))
    for cx, cy, sign in bumps:   # the bumps (radius 2) do not overlap
        d = np.hypot(X[:, 0] - cx, X[:, 1] - cy)
        expected += sign * np.clip(1 - d / 2, 0, 1)
    np.testing.assert_allclose(z[:, 0], expected)
    X, y = datasets.load("sine", noise=0)
    np.testing.assert_allclose(y[:, 0], np.sin(X[:, 0]))


def test_noise_moves_points():
    clean, _ = datasets.load("moons", noise=0)
    noisy, _ = datasets.load("moons", noise=0.3)
    assert 0.1 < np.std(noisy - clean) < 1.0   # same order of points, same seed


def test_digits_real_data():
    X, y = datasets.load("digits")
    assert X.shape == (1797, 64) and X.min() == 0 and X.max() == 1
    assert np.bincount(y).min() >= 170
    Xs, ys = datasets.load("digits", n_samples=100, seed=3)
    assert Xs.shape == (100, 64)
    rows = {tuple(r) for r in X}
    assert all(tuple(r) in rows for r in Xs)


def test_digits_pack_into_text_and_back_exactly():
    pixels, labels = digits.images()
    text = digits.pack(pixels, labels)
    assert text.isascii() and len(text) < 70_000
    back_pixels, back_labels = digits.unpack(text)
    assert np.array_equal(back_pixels, pixels) and np.array_equal(back_labels, labels)
    for n, seed in ((None, 0), (300, 5)):
        X, y = digits.from_pixels(back_pixels, back_labels, n, seed)
        X0, y0 = datasets.load("digits", n_samples=n, seed=seed)
        assert np.array_equal(X, X0) and np.array_equal(y, y0) and y.dtype == y0.dtype


def test_registry_and_names():
    assert datasets.names() == list(datasets.REGISTRY)
    assert set(datasets.names("classification")) == {
        "flower", "moons", "circles", "xor", "gaussians", "spiral", "tf_circle", "tf_gauss",
        "tf_spiral", "drawn", "digits", "mnist"}
    assert set(datasets.names("regression")) == {"arithmetic", "plane", "multigauss", "sine",
                                                  "drawn_values"}
    for d in datasets.REGISTRY.values():
        assert d.description and "\n" not in d.description
    assert {d.kind for d in datasets.REGISTRY.values()} == set(datasets.KINDS)
    assert set(GENERATED) == {"flower", "moons", "circles", "xor", "gaussians", "spiral",
                              "tf_circle", "tf_gauss", "tf_spiral", "arithmetic", "plane",
                              "multigauss", "sine"}
    needs = {n: d.needs for n, d in datasets.REGISTRY.items() if not d.from_link}
    assert needs == {"mnist": "path", "csv": "table"}
    three = datasets.info("spiral", n_classes=3)
    assert three.n_classes == 3 and len(three.target_names) == 3
    assert datasets.info("spiral").n_classes == 2
    assert datasets.info("mnist").n_features == 784   # listing needs no path


def test_an_uploaded_table_is_a_dataset_like_any_other():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    text = "a,b,c,label\n" + "\n".join(f"{a},{b},{c},{int(a > 0) * 7}" for a, b, c in X)
    table = datasets.from_csv(text.encode())
    d = datasets.info("csv", table=table)
    assert (d.task, d.n_features, d.n_classes, d.target_names) == \
        ("classification", 3, 2, ("0", "7"))
    X1, y1 = datasets.load("csv", table=table)
    assert np.array_equal(X1, table.X) and np.array_equal(y1, table.y)
    X2, y2 = datasets.load("csv", n_samples=20, seed=3, table=table)
    rows = [int(np.flatnonzero((table.X == x).all(axis=1))[0]) for x in X2]
    assert len(X2) == 20 and rows == sorted(rows)          # a subset, in file order
    with pytest.raises(ValueError, match="needs table="):
        datasets.load("csv")
    with pytest.raises(ValueError, match="must be a Table"):
        datasets.load("csv", table="data.csv")


@pytest.mark.parametrize("call, message", [
    (lambda: datasets.load("moon"), r"unknown dataset 'moon'; choose one of: flower, moons"),
    (lambda: datasets.load(3), r"unknown dataset 3"),
    (lambda: datasets.load("moons", n_samples=5), r"n_samples for moons must be an integer "
                                                  r"from 10 to 100,000, got 5"),
    (lambda: datasets.load("moons", n_samples=10**6), r"got 1000000"),
    (lambda: datasets.load("moons", n_samples=50.5), r"got 50.5"),
    (lambda: datasets.load("moons", n_samples=True), r"got True"),
    (lambda: datasets.load("spiral", n_samples=10, n_classes=8), r"from 16 to"),
    (lambda: datasets.load("moons", noise=-0.1), r"noise for moons must be a number from 0 to 1"),
    (lambda: datasets.load("moons", noise=float("nan")), r"got nan"),
    (lambda: datasets.load("moons", noise="0.2"), r"got '0.2'"),
    (lambda: datasets.load("moons", seed=-1), r"seed must be a non-negative integer"),
    (lambda: datasets.load("moons", seed=1.5), r"seed must be a non-negative integer"),
    (lambda: datasets.load("moons", n_classes=3), r"unknown option 'n_classes' for dataset "
                                                  r"'moons'; allowed: none"),
    (lambda: datasets.load("spiral", arms=3), r"allowed: n_classes \(int, 2 to 8\)"),
    (lambda: datasets.load("spiral", n_classes=9), r"n_classes for spiral must be an integer "
                                                   r"from 2 to 8, got 9"),
    (lambda: datasets.load("gaussians", n_classes=2.0), r"got 2.0"),
    (lambda: datasets.load("circles", factor=1.0), r"factor for circles must be a number from "
                                                   r"0.1 to 0.9"),
    (lambda: datasets.load("digits", noise=0.1), r"digits is real data and has no noise"),
    (lambda: datasets.load("digits", n_samples=2000), r"from 20 to 1,797"),
    (lambda: datasets.load("mnist"), r"dataset 'mnist' needs path="),
    (lambda: datasets.load("mnist", path=3), r"path must be a path, got 3"),
    (lambda: datasets.info("nope"), r"unknown dataset 'nope'"),
    (lambda: datasets.names("clustering"), r"unknown task 'clustering'; allowed: "
                                           r"classification, regression"),
])
def test_bad_arguments_say_what_is_allowed(call, message):
    with pytest.raises(ValueError, match=message):
        call()
