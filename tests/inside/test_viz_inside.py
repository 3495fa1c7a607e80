import numpy as np
import plotly.graph_objects as go
import pytest

from nnviz.viz import inside as vi


def test_matrix_figure_is_centred_on_zero_and_labels_rows():
    M = np.array([[1.0, -3.0], [0.5, 2.0]])
    fig = vi.matrix_figure(M, "Z1", row_labels=[7, 9])
    heat = fig.data[0]
    assert isinstance(fig, go.Figure) and heat.zmin == -3 and heat.zmax == 3
    assert list(heat.y) == ["7", "9"]
    with pytest.raises(ValueError, match="1-D or 2-D"):
        vi.matrix_figure(np.zeros((2, 2, 2)))


def test_gradcheck_figure_colours_by_tolerance():
    a = np.array([0.1, -0.2, 0.3])
    layers = [
        dict(name="layer 1", analytic=a, numerical=a + 1e-12, relative_error=1e-10, checked=3, total=3),
        dict(name="layer 2", analytic=a, numerical=a * 2, relative_error=0.3, checked=3, total=40),
    ]
    fig = vi.gradcheck_figure(layers)
    titles = [ann.text for ann in fig.layout.annotations]
    assert vi.GOOD in titles[0] and vi.BAD in titles[1] and "3 of 40" in titles[1]
    markers = [t for t in fig.data if t.mode == "markers"]
    assert [m.marker.color for m in markers] == [vi.GOOD, vi.BAD]


def test_hidden_space_figure_one_trace_per_class_and_boundary():
    P = np.random.default_rng(0).normal(size=(30, 2))
    y = np.arange(30) % 3
    fig = vi.hidden_space_figure(P, y, ("h1", "h2"), class_names=["a", "b", "c"],
                                 line=(np.array([0, 1]), np.array([1, 0])))
    names = [t.name for t in fig.data]
    assert names == ["a", "b", "c", "output boundary"]
    fig3 = vi.hidden_space_figure(np.zeros((4, 3)), np.array([0, 1, 0, 1]), ("a", "b", "c"))
    assert isinstance(fig3.data[0], go.Scatter3d)
    strip = vi.hidden_space_figure(np.zeros((4, 1)), np.array([0, 1, 0, 1]), ("h1",))
    assert len(strip.data) == 2


def test_replay_and_compare_figures():
    x1, x2 = np.linspace(-1, 1, 5), np.linspace(-1, 1, 4)
    fig = vi.replay_figure(x1, x2, np.full((4, 5, 1), 0.3), np.zeros((3, 2)), np.array([0, 1, 1]),
                           n_classes=2)
    assert fig.data[0].zmin == 0 and fig.data[0].zmax == 1
    multi = vi.replay_figure(x1, x2, np.random.default_rng(0).random((4, 5, 3)))
    assert multi.data[0].z.shape == (4, 5)
    with pytest.raises(ValueError, match="len\\(x2\\)"):
        vi.replay_figure(x1, x2, np.zeros((5, 4, 1)))
    cmp = vi.compare_figure([dict(label="pinned: sgd", x=[0, 1], y=[1.0, 0.5], dash=True),
                             dict(label="now: adam", x=[0, 1], y=[1.0, np.inf])])
    assert [t.name for t in cmp.data] == ["pinned: sgd", "now: adam"]
    assert np.isnan(cmp.data[1].y[1])


def test_matrices_figure_puts_panels_side_by_side():
    fig = vi.matrices_figure([dict(M=np.eye(3), title="Z", row_labels=[4, 5, 6]),
                              dict(M=np.array([1.0, -2.0]), title="b", row_name="input")])
    assert [t.type for t in fig.data] == ["heatmap", "heatmap"]
    assert list(fig.data[0].y) == ["4", "5", "6"] and fig.data[1].zmax == 2
    assert [a.text for a in fig.layout.annotations] == ["Z", "b"]
    with pytest.raises(ValueError, match="at least one"):
        vi.matrices_figure([])


def test_replay_animation_has_a_frame_per_snapshot_and_draws_points_once():
    x1, x2 = np.linspace(-1, 1, 5), np.linspace(-1, 1, 4)
    frames = [dict(x1=x1, x2=x2, out=np.full((4, 5, 1), p), title=f"step {i}")
              for i, p in enumerate([0.2, 0.5, 0.9])]
    fig = vi.replay_animation_figure(frames, np.zeros((3, 2)), np.array([0, 1, 1]), n_classes=2)
    assert len(fig.frames) == 3 and len(fig.layout.sliders[0].steps) == 3
    assert [f.traces for f in fig.frames] == [(0, 1)] * 3  # heatmap and contour only
    assert fig.frames[2].data[0].z[0][0] == 0.9
    line = vi.replay_animation_figure([dict(x1=x1, x2=None, out=np.zeros((5, 1)), title="")],
                                      np.zeros((3, 1)), np.zeros(3))
    assert fig.layout.updatemenus[0].buttons[0].label == "▶ Play" and len(line.frames) == 1
