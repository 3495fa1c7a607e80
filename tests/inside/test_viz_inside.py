import numpy as np
import plotly.graph_objects as go
import pytest

from nnviz.viz import inside as vi
from nnviz.viz import theme as th
from nnviz.viz.boundary import boundary_spec
from nnviz.viz.typed import unpack


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
    out = np.random.default_rng(0).random((4, 5, 3))
    multi = vi.replay_figure(x1, x2, out, np.zeros((3, 2)), np.array([0, 1, 2]), n_classes=3)
    z = unpack(multi.data[0].z)
    assert z.shape == (4, 5)
    np.testing.assert_array_equal(np.rint(z), out.argmax(axis=2))   # the predicted class
    with pytest.raises(ValueError, match="len\\(x2\\)"):
        vi.replay_figure(x1, x2, np.zeros((5, 4, 1)), np.zeros((3, 2)), np.array([0, 1, 1]),
                         n_classes=2)
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
    assert [t.uid for t in fig.frames[0].data] == ["boundary-heat", "boundary-contour"]
    assert [t.uid for t in fig.data[:2]] == ["boundary-heat", "boundary-contour"]
    assert "boundary-train" in [t.uid for t in fig.data[2:]]
    assert unpack(fig.frames[2].data[0].z)[0, 0] == pytest.approx(0.9)
    assert [f.layout.title.text for f in fig.frames] == ["step 0", "step 1", "step 2"]
    line = vi.replay_animation_figure([dict(x1=x1, x2=None, out=np.zeros((5, 1)), title="")],
                                      np.zeros((3, 1)), np.zeros((3, 1)))
    assert fig.layout.updatemenus[0].buttons[0].label == "▶ Play" and len(line.frames) == 1
    assert line.frames[0].data[0].uid == "boundary-fit"


# -- one colour convention everywhere: orange negative / class 0, blue positive / class 1 --

def _ends(scale):
    return scale[0][1], scale[-1][1]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_step_matrices_are_orange_negative_blue_positive_and_say_so(theme):
    fig = vi.matrices_figure([dict(M=np.array([[-2.0, 1.0]]), title="Z"),
                              dict(M=np.array([[0.5, 3.0]]), title="A")], theme=theme)
    t = th.THEMES[theme]
    for heat in fig.data:
        low, high = _ends(heat.colorscale)
        assert (low, high) == (th.ORANGE, th.BLUE) and heat.colorscale[1] == (0.5, t.neutral)
        assert heat.zmin == -heat.zmax                      # centred on 0
    key = fig.data[0].colorbar
    assert fig.data[0].showscale and not fig.data[1].showscale   # one key for all panels
    assert list(key.ticktext) == ["negative", "0", "positive"]
    assert list(key.tickvals) == [fig.data[0].zmin, 0, fig.data[0].zmax]


def test_replay_draws_the_live_boundary():
    """A replay frame is the boundary figure of the main view: same scale, same values."""
    x1, x2 = np.linspace(-1, 1, 6), np.linspace(-2, 2, 5)
    out = np.random.default_rng(3).random((5, 6, 1))
    X, y = np.random.default_rng(4).uniform(-1, 1, (9, 2)), np.arange(9) % 2
    fig = vi.replay_figure(x1, x2, out, X, y, n_classes=2, class_names=["a", "b"], theme="dark")
    spec = boundary_spec(x1, x2, out, X, y, class_names=["a", "b"], theme="dark")
    heat = next(t for t in spec["data"] if t["uid"] == "boundary-heat")
    assert fig.data[0].colorscale == tuple(tuple(c) for c in heat["colorscale"])
    assert _ends(fig.data[0].colorscale)[1] == th.blend(th.BLUE, th.THEMES["dark"].neutral,
                                                        th.THEMES["dark"].fade)
    np.testing.assert_array_equal(unpack(fig.data[0].z), unpack(heat["z"]))
    assert fig.data[0].colorbar.title.text == "P(b)"            # the colour bar names its class
    assert fig.layout.xaxis.scaleanchor is None and fig.layout.yaxis.scaleanchor == "x"
    # page colours are the host page's (Streamlit's theme), data colours are the theme's
    assert fig.layout.paper_bgcolor is None and fig.layout.font.color is None


def test_replay_of_several_regression_outputs_shows_one_output_not_a_class():
    x1, x2 = np.linspace(0, 100, 7), np.linspace(0, 100, 6)
    out = np.random.default_rng(0).normal(size=(6, 7, 3)) * [1, 10, 100]
    X = np.random.default_rng(1).uniform(0, 100, (20, 2))
    Y = np.column_stack([X.sum(1), X[:, 0] - X[:, 1], np.abs(X[:, 0] - X[:, 1])])
    for j in range(3):
        fig = vi.replay_figure(x1, x2, out, X, Y, output=j, target_name=f"t{j}")
        np.testing.assert_allclose(unpack(fig.data[0].z), out[:, :, j], rtol=1e-6, atol=1e-5)
        centre = (Y[:, j].min() + Y[:, j].max()) / 2
        assert (fig.data[0].zmin + fig.data[0].zmax) / 2 == pytest.approx(centre)
        assert _ends(fig.data[0].colorscale) == (
            th.blend(th.ORANGE, th.THEMES["light"].neutral, th.THEMES["light"].fade),
            th.blend(th.BLUE, th.THEMES["light"].neutral, th.THEMES["light"].fade))
        assert fig.data[0].colorbar.title.text == f"t{j}"


def test_hidden_space_and_pick_follow_the_theme_and_the_colours():
    P = np.random.default_rng(0).normal(size=(30, 2))
    y = np.arange(30) % 2
    for theme in ("light", "dark"):
        t = th.THEMES[theme]
        fig = vi.hidden_space_figure(P, y, ("h1", "h2"), line=(np.array([0, 1]), np.array([1, 0])),
                                     regions=(np.arange(3.0), np.arange(3.0), np.eye(3, dtype=int)),
                                     theme=theme)
        points = [d for d in fig.data if d.type == "scatter" and d.mode == "markers"]
        assert [p.marker.color for p in points] == [th.ORANGE, th.BLUE]
        assert fig.data[-1].line.color == t.fg                      # visible on either page
        regions = fig.data[0].colorscale
        assert regions[0][1] == th.blend(th.ORANGE, t.neutral, 0.8)
        assert regions[-1][1] == th.blend(th.BLUE, t.neutral, 0.8)
        pick = vi.pick_figure(P, y, selected=[3], theme=theme)
        assert pick.data[-1].marker.line.color == t.fg
    targets = np.linspace(-5.0, 1.0, 30)
    reg = vi.hidden_space_figure(P, targets, ("h1", "h2")).data[0].marker
    assert _ends(reg.colorscale) == (th.ORANGE, th.BLUE)             # low orange, high blue
    assert (reg.cmin + reg.cmax) / 2 == pytest.approx(-2.0)
    assert reg.colorbar.title.text == "target"


def test_page_colours_can_be_left_to_the_host_or_filled_in():
    spec = boundary_spec(np.linspace(0, 1, 3), np.linspace(0, 1, 3), np.full((3, 3, 1), 0.5),
                         np.zeros((2, 2)), np.array([0, 1]), theme="dark", title="T")
    bare = th.without_page_colors(spec)
    lay = bare["layout"]
    assert "paper_bgcolor" not in lay and "plot_bgcolor" not in lay and "color" not in lay["font"]
    assert "color" not in lay["xaxis"]["title"]["font"] and "gridcolor" not in lay["xaxis"]
    assert "color" not in bare["data"][0]["colorbar"]["tickfont"]
    assert bare["data"][0]["colorscale"] == spec["data"][0]["colorscale"]   # data colours kept
    assert spec["layout"]["paper_bgcolor"] == th.THEMES["dark"].paper      # the input is untouched
    full = th.with_page_colors(lay, "dark")
    assert full["paper_bgcolor"] == full["plot_bgcolor"] == th.THEMES["dark"].paper
    assert full["font"]["color"] == th.THEMES["dark"].fg
    assert full["xaxis"]["gridcolor"] == th.THEMES["dark"].grid
    assert full["xaxis"]["title"]["text"] == "x1"
