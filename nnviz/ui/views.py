"""The charts of the live view: thin calls from a trainer's state into `nnviz.viz`.

A view is either drawn by the browser's own canvases from plain data (`kind` plane,
line, diagram, curves: a `setup` sent when it changes and a `frame` per step) or by
Plotly (`kind` plotly: a `build` of the whole spec, for the charts that change
slowly). Adding a chart to the page is one function here and one entry in `VIEWS`.
"""

import weakref
from dataclasses import dataclass

import numpy as np

from nnviz import cost, datasets
from nnviz.data import drawn
from nnviz.limits import MAX_DRAWN_POINTS
from nnviz.training import Trainer
from nnviz.viz import canvas
from nnviz.viz import theme as th
from nnviz.viz.boundary import DEFAULT_RESOLUTION
from nnviz.viz.curves import thin
from nnviz.viz.diagram import grid_points
from nnviz.viz.digits import confusion_spec, digits_spec, first_layer_spec
from nnviz.viz.gradients import gradients_spec
from nnviz.viz.regression import parity_spec
from nnviz.viz.weights import unit_names, weights_spec

PLAYING_RESOLUTION = 48     # boundary grid while playing: 2,304 cells, 2.3 kB a frame
STILL_RESOLUTION = DEFAULT_RESOLUTION
MIN_RESOLUTION = 12         # a slow network draws a coarser grid, never coarser than this
DIAGRAM_RESOLUTION = 10     # the units' maps in the diagram
CURVE_POINTS = 400          # history points per curve when it is sent whole
MAX_POINTS = 2000           # data points drawn on the boundary
DRAW_SHARE = 0.3            # of a time slice, what the grids of one frame may take


@dataclass(frozen=True)
class Frame:
    """What one redraw knows."""

    trainer: Trainer
    theme: str = "light"
    show_test: bool = True
    discretize: bool = False
    log_loss: bool = False
    still: bool = True          # paused: full resolution and the misclassified marks
    slice_seconds: float = 0.05
    focus: tuple | None = None  # (layer, unit) of the diagram the pointer rests on
    draft: str | None = None    # drawn points too few to train on yet (their text)


@dataclass(frozen=True)
class View:
    label: str
    kind: str               # "plane" | "line" | "diagram" | "curves" | "plotly"
    applies: object         # (Trainer) -> bool
    height: int
    setup: object = None    # (Frame) -> spec, for the canvas kinds
    frame: object = None    # (Frame, spec) -> data, for the canvas kinds
    build: object = None    # (Frame) -> Plotly spec, for kind "plotly"


def shown_points(n_train, n_test, cap=MAX_POINTS):
    """How many of the (randomly ordered) train and test points to draw: all up to
    `cap`, else `cap` split in proportion."""
    if n_train + n_test <= cap:
        return n_train, n_test
    k = round(cap * n_train / (n_train + n_test))
    return k, cap - k


def resolution(frame, playing=PLAYING_RESOLUTION, still=STILL_RESOLUTION):
    """The boundary's grid: finer when paused, and coarser for a network whose forward
    pass over the grid would not fit its share of a time slice."""
    t = frame.trainer
    want = still if frame.still else playing
    if t.data.n_inputs == 1:
        return want
    rows = cost.rows_within_seconds(t.net.layer_sizes, DRAW_SHARE * frame.slice_seconds,
                                    "forward")
    return int(max(MIN_RESOLUTION, min(want, int(rows ** 0.5))))


def _points(t):
    d = t.data
    k_train, k_test = shown_points(len(d.X_train), len(d.X_test))
    return d.X_train[:k_train], d.y_train[:k_train], d.X_test[:k_test], d.y_test[:k_test]


# -- the boundary ---------------------------------------------------------------------------

def plane_setup(frame):
    t = frame.trainer
    d = t.data
    X_train, y_train, X_test, y_test = _points(t)
    extent = d.extent
    if frame.draft is not None:         # drawn points, too few to train on: shown alone
        X_train, y_train = drawn.decode(frame.draft, d.task, d.n_classes)
        X_test = y_test = None
        extent = (drawn.PLANE, drawn.PLANE)
    spec = canvas.plane_setup(
        extent, X_train, y_train, X_test, y_test, task=d.task,
        n_out=t.net.layer_sizes[-1], show_test=frame.show_test, discretize=frame.discretize,
        feature_names=d.feature_names, class_names=d.class_names,
        target_name=d.target_names[0] if d.task == "regression" else None, theme=frame.theme)
    spec["draw"] = draw_setup(t, frame)
    return spec


def draw_setup(trainer, frame):
    """What the boundary chart's drawing tools need: whether the run's data are drawn
    already, the classes one may draw (colours and names) or the values' palette, and
    how many points a set may hold."""
    d = trainer.data
    spec = {"drawing": datasets.REGISTRY[trainer.config.dataset].drawn,
            "max": MAX_DRAWN_POINTS, "draft": frame.draft is not None}
    if d.task == "classification":
        names = datasets.class_names(datasets.drawn_classes(d.n_classes))
        spec["classes"] = [{"color": th.class_color(c), "name": name}
                           for c, name in enumerate(names)]
    else:
        spec["values"] = canvas.palette(th.diverging(frame.theme))
    return spec


def plane_frame(frame, spec):
    t = frame.trainer
    d = t.data
    grid = t.predict_grid(resolution(frame), fast=not frame.still)
    wrong = None
    if frame.still and d.task == "classification" and t.steps > 0:
        X_train, y_train, X_test, y_test = _points(t)
        sets = [(X_train, y_train)] + ([(X_test, y_test)] if frame.show_test else [])
        wrong = np.concatenate([X[t.classify(X) != y] for X, y in sets])
    data = canvas.plane_frame(grid.out, spec, task=d.task, discretize=frame.discretize,
                              x1=grid.x1, x2=grid.x2, wrong=wrong)
    if frame.focus is not None:
        data["focus"] = unit_map(frame, *frame.focus, resolution(frame))
    return data


def unit_map(frame, layer, unit, r):
    """One unit's map over the plane at the boundary's resolution: what the diagram
    draws small, large (for the unit the pointer rests on), with its label."""
    t = frame.trainer
    sizes = t.net.layer_sizes
    if not (0 <= layer < len(sizes) and 0 <= unit < sizes[layer]):
        return None
    _, _, X32 = t.grid_inputs(r)            # the boundary's own grid, made once
    with np.errstate(all="ignore"):
        A = t.display_net().activations_of(X32)
    act = None if layer == 0 else t.net.activations[layer - 1]
    image = canvas.unit_image(A[layer][:, unit].reshape(r, r), act)
    names = unit_names(sizes, _inputs(t), _outputs(t))
    label = "input" if layer == 0 else "output" if layer == len(sizes) - 1 else f"hidden {layer}"
    k = sum(min(n, canvas.DIAGRAM_MAX_UNITS) for n in sizes[:layer]) + unit
    return {"image": image, "palette": canvas.palette(th.diverging(frame.theme)), "k": k,
            "label": f"{label}: {names[layer][unit]}"}


def line_setup(frame):
    t = frame.trainer
    d = t.data
    X_train, y_train, X_test, y_test = _points(t)
    grid = t.predict_grid(resolution(frame, playing=200, still=400))
    return canvas.line_setup(
        grid.x1, d.extent, X_train, y_train, X_test, y_test, task=d.task,
        n_out=t.net.layer_sizes[-1], show_test=frame.show_test,
        feature_names=d.feature_names, class_names=d.class_names,
        target_name=d.target_names[0] if d.task == "regression" else None, theme=frame.theme)


def line_frame(frame, spec):
    t = frame.trainer
    grid = t.predict_grid(len(spec["grid_x"]), fast=not frame.still)
    return canvas.line_frame(grid.out, task=t.data.task, discretize=frame.discretize)


# -- the network diagram ----------------------------------------------------------------------

def _inputs(trainer):
    """Names of the network's inputs (the crosses when chosen), or None."""
    crosses = trainer.data.preprocessor.features
    inputs = list(crosses) if crosses else list(trainer.data.feature_names)
    return inputs if len(inputs) == trainer.net.layer_sizes[0] else None


def _outputs(trainer):
    d = trainer.data
    n_out = trainer.net.layer_sizes[-1]
    names = d.class_names if d.task == "classification" else list(d.target_names)
    if d.task == "classification" and n_out == 1:
        return [f"P({names[1]})"]
    return names if names and len(names) == n_out else None


def probe(trainer):
    """The raw points each unit of the diagram is drawn over, and their (rows, cols):
    a grid over the plane (2 inputs), a line along the input (1), else a fixed square
    of test rows, sorted by their class or first target, so that a unit's map shows
    how it answers each kind of sample."""
    d = trainer.data
    r = DIAGRAM_RESOLUTION
    if d.n_inputs == 2:
        axes = [np.linspace(lo, hi, r) for lo, hi in d.extent]
        return grid_points(*axes), (r, r)
    if d.n_inputs == 1:
        return np.linspace(*d.extent[0], 4 * r)[:, None], (1, 4 * r)
    side = int(min(r, len(d.X_test) ** 0.5))
    rows = np.random.default_rng(0).permutation(len(d.X_test))[:side * side]
    key = d.y_test[rows] if d.y_test.ndim == 1 else d.y_test[rows, 0]
    return d.X_test[rows[np.argsort(key, kind="stable")]], (side, side)


_probes = weakref.WeakKeyDictionary()     # trainer -> (its data, the probe as inputs)


def probe_inputs(trainer):
    """The probe points as the network's inputs (preprocessed, float32), made once for
    each data a trainer has."""
    made = _probes.get(trainer)
    if made is None or made[0] is not trainer.data:
        points, _ = probe(trainer)
        inputs = trainer.data.preprocessor.transform(points).astype(np.float32)
        made = _probes[trainer] = (trainer.data, inputs)
    return made[1]


def diagram_setup(frame):
    t = frame.trainer
    _, shape = probe(t)
    return canvas.diagram_setup(t.net.layer_sizes, list(t.net.activations),
                                input_names=_inputs(t), output_names=_outputs(t),
                                map_shape=shape, smooth=t.data.n_inputs <= 2,
                                theme=frame.theme)


def diagram_frame(frame, spec):
    t = frame.trainer
    with np.errstate(all="ignore"):
        A = t.display_net().activations_of(probe_inputs(t))
    return canvas.diagram_frame(t.net.params, A, list(t.net.activations), spec)


# -- the curves -----------------------------------------------------------------------------

def _metric(trainer):
    return "accuracy" if trainer.data.task == "classification" else "R²"


def curves_setup(frame):
    """The curves' panels and the whole history so far (thinned to CURVE_POINTS): each
    frame of a message draws the points up to its own step, then its point of now."""
    t = frame.trainer
    h = t.history.as_dict()
    keep = thin(len(h["step"]), CURVE_POINTS)
    spec = canvas.curves_setup(_metric(t), log_y=frame.log_loss, theme=frame.theme)
    spec["history"] = canvas.curve_points({k: v[keep] for k, v in h.items()},
                                          canvas.CURVE_KEYS[_metric(t)])
    return spec


def curves_frame(frame, spec):
    """The metrics of now, as the curves' last point (step, losses, metric), kept in the
    history so the curves have a point for every frame drawn."""
    t = frame.trainer
    m = t.record()
    keys = canvas.CURVE_KEYS[_metric(t)]
    return {"now": [float(t.steps), m["train_loss"], m["test_loss"], m[keys[0]], m[keys[1]]]}


# -- the charts Plotly draws ----------------------------------------------------------------

def weights(frame):
    t = frame.trainer
    return weights_spec(t.net.params, input_names=_inputs(t), theme=frame.theme)


def gradients(frame):
    t = frame.trainer
    names = [f"layer {l + 1}" for l in range(t.net.n_layers)]
    return gradients_spec(t.history.as_dict(), layer_names=names, theme=frame.theme)


def _test_predictions(t):
    d = t.data
    return d.y_test, t.classify(d.X_test)


def digits(frame):
    """Test images with predicted / true labels (wrong ones marked)."""
    t = frame.trainer
    y_true, y_pred = _test_predictions(t)
    return digits_spec(t.data.X_test, y_true, y_pred, n_show=40, columns=10,
                       class_names=t.data.class_names, theme=frame.theme)


def confusion(frame):
    t = frame.trainer
    y_true, y_pred = _test_predictions(t)
    return confusion_spec(y_true, y_pred, n_classes=t.data.n_classes,
                          class_names=t.data.class_names, theme=frame.theme)


def first_layer(frame):
    t = frame.trainer
    return first_layer_spec(t.net.params[0][0], theme=frame.theme)


def parity(frame):
    """Predicted against true test targets, one panel per output."""
    t = frame.trainer
    d = t.data
    return parity_spec(d.y_test, t.predict(d.X_test), target_names=list(d.target_names) or None,
                       theme=frame.theme)


def _images(trainer):
    d = trainer.data
    if d.task != "classification" or d.n_inputs <= 2 or trainer.data.preprocessor.features:
        return False
    side = int(round(d.n_inputs ** 0.5))
    return side * side == d.n_inputs and side >= 4


def _classification(trainer):
    return trainer.data.task == "classification"


def _regression(trainer):
    return trainer.data.task == "regression"


def _first_layer(trainer):
    return _images(trainer) and trainer.net.n_layers > 1


def _plane(trainer):
    return trainer.data.n_inputs == 2


def _line(trainer):
    return trainer.data.n_inputs == 1


def _always(trainer):
    return True


VIEWS = {
    "boundary": View("Decision boundary", "plane", _plane, 520, plane_setup, plane_frame),
    "fit": View("Fitted curve", "line", _line, 520, line_setup, line_frame),
    "curves": View("Loss and accuracy", "curves", _always, 250, curves_setup, curves_frame),
    "diagram": View("Network", "diagram", _always, 300, diagram_setup, diagram_frame),
    "weights": View("Weights", "plotly", _always, 300, build=weights),
    "gradients": View("Gradient health", "plotly", _always, 300, build=gradients),
    "digits": View("Test images", "plotly", _images, 440, build=digits),
    "confusion": View("Confusion matrix", "plotly", _classification, 320, build=confusion),
    "first_layer": View("First-layer weights as images", "plotly", _first_layer, 420,
                        build=first_layer),
    "parity": View("Predicted vs true", "plotly", _regression, 320, build=parity),
}

# Views offered below the main row, in this order.
DETAIL = ("weights", "gradients", "diagram", "parity", "confusion", "first_layer")
