import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.inside.hidden import boundary_line, boundary_regions, box_around, project
from nnviz.inside.replay import Frame, Replay


def test_two_unit_layer_is_shown_as_its_activations():
    A = np.random.default_rng(0).normal(size=(50, 2))
    p = project(A)
    assert p.method == "direct"
    np.testing.assert_array_equal(p.points, A)
    assert p.axis_titles == ("h1", "h2")


def test_pca_matches_the_top_principal_axes():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(200, 6)) * np.array([5.0, 2.0, 0.1, 0.1, 0.1, 0.1])
    p = project(A)
    assert p.method == "pca" and p.points.shape == (200, 2)
    # Variance along the projected axes is the top two eigenvalues of the covariance.
    evals = np.sort(np.linalg.eigvalsh(np.cov(A.T, bias=True)))[::-1]
    np.testing.assert_allclose(p.points.var(axis=0), evals[:2], rtol=1e-10)
    np.testing.assert_allclose(p.components @ p.components.T, np.eye(2), atol=1e-12)
    assert p.explained[0] > p.explained[1] > 0


def test_pca_keeps_its_orientation_against_a_reference():
    rng = np.random.default_rng(2)
    A = rng.normal(size=(100, 5)) @ rng.normal(size=(5, 5))
    first = project(A)
    flipped = project(A, reference=-first.components)
    np.testing.assert_allclose(flipped.points, -first.points, atol=1e-10)


def test_project_rejects_bad_shapes():
    with pytest.raises(ValueError, match="n_samples, n_units"):
        project(np.zeros(5))
    with pytest.raises(ValueError, match="n_components"):
        project(np.zeros((5, 4)), n_components=4)


def test_boundary_line_lies_where_the_output_is_zero():
    W, b = np.array([[1.5], [-0.5]]), np.array([0.2])
    xs, ys = boundary_line(W, b, (-1, 1, -1, 1))
    np.testing.assert_allclose(np.column_stack([xs, ys]) @ W + b, 0, atol=1e-12)
    assert boundary_line(np.zeros((2, 1)), b, (-1, 1, -1, 1)) is None
    assert boundary_line(W, np.array([100.0]), (-1, 1, -1, 1)) is None


def test_boundary_regions_is_the_argmax_of_the_linear_output():
    W = np.array([[1.0, -1.0, 0.0], [0.0, 0.5, -1.0]])
    b = np.array([0.0, 0.1, 0.2])
    h1, h2, lab = boundary_regions(W, b, (-2, 2, -2, 2), resolution=9)
    assert lab.shape == (9, 9)
    assert lab[3, 7] == np.argmax(np.array([h1[7], h2[3]]) @ W + b)


def test_box_around_pads_a_flat_cloud():
    x0, x1, y0, y1 = box_around(np.array([[0.0, 1.0], [0.0, 1.0]]))
    assert x0 < 0 < x1 and y0 < 1 < y1


def _frame(step):
    return Frame(step=step, epoch=step / 10, x1=np.zeros(2), x2=np.zeros(2), out=np.zeros((2, 2, 1)))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(capacity=st.integers(2, 30), n=st.integers(0, 400))
def test_replay_keeps_at_most_its_bound_and_spans_the_run(capacity, n):
    r = Replay(capacity)
    for s in range(n):
        r.add(_frame(s))
        assert len(r) <= capacity
    if n:
        assert r.steps[0] == 0
        assert r.steps[-1] >= n - r.stride
        assert r.steps == sorted(r.steps)


def test_replay_restarts_with_a_new_run_and_skips_repeats():
    r = Replay(4)
    for s in range(10):
        r.add(_frame(s))
    assert not r.add(_frame(r.steps[-1]))
    assert r.add(_frame(0)) and r.steps == [0] and r.stride == 1


def test_replay_capacity_is_validated():
    with pytest.raises(ValueError, match="capacity"):
        Replay(1)


def test_hidden_space_of_a_two_unit_layer_is_its_activations():
    from nnviz.config import Config
    from nnviz.inside.hidden import hidden_space
    from nnviz.training import Trainer

    t = Trainer(Config(dataset="spiral", n_classes=3, n_samples=90, hidden=(5, 2), batch_size=10))
    t.step(5)
    view = hidden_space(t, 2)
    X = t.data.preprocessor.transform(t.data.X_train)
    np.testing.assert_array_equal(view.projection.points, t.net.activations_of(X)[2])
    assert view.regions is not None and view.line is None  # softmax: class regions
    np.testing.assert_array_equal(view.labels, t.data.y_train)
    wide = hidden_space(t, 1)
    assert wide.projection.method == "pca" and wide.regions is None
    with pytest.raises(ValueError, match="hidden layer from 1 to 2"):
        hidden_space(t, 3)


def test_replay_frames_from_a_trainer():
    from nnviz.config import Config
    from nnviz.inside.replay import frame_of
    from nnviz.training import Trainer

    t = Trainer(Config(dataset="moons", n_samples=60, hidden=(3,), batch_size=10))
    r = Replay(3)
    for _ in range(10):
        t.step(2)
        if r.wants(t.steps):
            r.add(frame_of(t, 20))
    assert len(r) <= 3 and r.steps[-1] == 20
    f = r.frames[-1]
    assert f.out.shape == (20, 20, 1) and f.out.dtype == np.float32 and "train_loss" in f.metrics
