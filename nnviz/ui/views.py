"""The charts of one redraw: thin calls from a trainer's state into `nnviz.viz` specs.

Each view is `build(frame) -> spec` plus `applies(trainer)`; adding a chart to the
page is one function here and one entry in `VIEWS`.
"""

from dataclasses import dataclass

import numpy as np

from nnviz.training import Trainer
from nnviz.viz.boundary import DEFAULT_RESOLUTION, boundary_spec, split_static
from nnviz.viz.curves import curves_spec
from nnviz.viz.diagram import DIAGRAM_RESOLUTION, diagram_spec, grid_points
from nnviz.viz.digits import confusion_spec, digits_spec, first_layer_spec
from nnviz.viz.gradients import gradients_spec
from nnviz.viz.regression import parity_spec
from nnviz.viz.weights import weights_spec

LIVE_RESOLUTION = 80        # boundary grid while playing: 6,400 cells
CURVE_POINTS = 400          # points per curve sent to the browser
MAX_POINTS = 2000           # data points drawn on the boundary


@dataclass(frozen=True)
class Frame:
    """What one redraw knows."""

    trainer: Trainer
    theme: str = "light"
    show_test: bool = True
    discretize: bool = False
    log_loss: bool = False
    resolution: int = DEFAULT_RESOLUTION
    mark_wrong: bool = True     # misclassified marks: hundreds of SVG markers, so off while playing


@dataclass(frozen=True)
class View:
    label: str
    build: object           # (Frame) -> spec dict
    applies: object         # (Trainer) -> bool
    height: int


def _names(trainer):
    d = trainer.data
    class_names = None
    if d.task == "classification":
        if d.classes is not None:
            class_names = [str(c) for c in d.classes]
        elif d.target_names and len(d.target_names) == (d.n_classes or 0):
            class_names = list(d.target_names)
    return list(d.feature_names), class_names


def shown_points(n_train, n_test, cap=MAX_POINTS):
    """How many of the (randomly ordered) train and test points to draw: all up to
    `cap`, else `cap` split in proportion."""
    if n_train + n_test <= cap:
        return n_train, n_test
    k = round(cap * n_train / (n_train + n_test))
    return k, cap - k


def boundary(frame, include_points=True):
    """The decision boundary (or fitted curve) over the raw inputs, with at most
    MAX_POINTS of the data points (more hide the surface and slow the browser)."""
    t = frame.trainer
    d = t.data
    grid = t.predict_grid(frame.resolution)
    features, class_names = _names(t)
    k_train, k_test = shown_points(len(d.X_train), len(d.X_test))
    X_train, y_train, X_test, y_test = (d.X_train[:k_train], d.y_train[:k_train],
                                        d.X_test[:k_test], d.y_test[:k_test])
    kwargs = {}
    if d.task == "classification":
        kwargs = {"class_names": class_names}
        if frame.mark_wrong:
            kwargs["pred_train"] = t.predict(X_train)
            kwargs["pred_test"] = t.predict(X_test) if frame.show_test else None
    else:
        kwargs = {"target_name": d.target_names[0] if d.target_names else None}
    return boundary_spec(grid.x1, grid.x2, grid.out, X_train, y_train, X_test, y_test,
                         task=d.task, show_test=frame.show_test, discretize=frame.discretize,
                         feature_names=features, include_points=include_points,
                         theme=frame.theme, **kwargs)


def boundary_parts(frame):
    """(spec without the data points, [point traces]) for the live element's overlay.

    The changing traces' legend entries (e.g. "misclassified (12)") move to the
    overlay as fixed legend-only entries, so the chart has one legend, not two.
    """
    spec, points = split_static(boundary(frame, include_points=True))
    for trace in spec["data"]:
        if trace.get("showlegend", True) and trace.get("type") == "scatter":
            trace["showlegend"] = False
            name = str(trace.get("name", "")).split(" (")[0]
            points.append({"type": "scatter", "mode": trace.get("mode", "markers"),
                           "x": [None], "y": [None], "name": name, "hoverinfo": "skip",
                           "uid": "legend-" + str(trace.get("uid", name)),
                           "marker": trace.get("marker", {}), "line": trace.get("line", {})})
    return spec, points


def live_history(trainer):
    """The history, plus the metrics of now when training has moved past its last
    point (a big data set records only every half epoch, so a curve would lag by
    seconds, or show one point)."""
    h = trainer.history.as_dict()
    if trainer.state == "diverged" or (len(h["step"]) and h["step"][-1] >= trainer.steps):
        return h
    m = trainer.evaluate()
    for k, v in h.items():
        if v.ndim == 1:
            h[k] = np.append(v, m.get(k, np.nan))
    return h


def curves(frame):
    return curves_spec(live_history(frame.trainer), log_y=frame.log_loss,
                       max_points=CURVE_POINTS, theme=frame.theme)


def weights(frame):
    t = frame.trainer
    return weights_spec(t.net.params, input_names=_inputs(t), theme=frame.theme)


def _inputs(trainer):
    """Names of the network's inputs (the crosses when chosen), or None."""
    features, _ = _names(trainer)
    crosses = trainer.data.preprocessor.features
    inputs = list(crosses) if crosses else features
    return inputs if len(inputs) == trainer.net.layer_sizes[0] else None


def diagram(frame):
    """The network as nodes and edges, each node a map of its unit over the input plane."""
    t = frame.trainer
    grid = t.predict_grid(DIAGRAM_RESOLUTION)
    A = t.net.activations_of(t.data.preprocessor.transform(grid_points(grid.x1, grid.x2)))
    return diagram_spec(t.net.params, A, activation_names=list(t.net.activations),
                        input_names=_inputs(t), theme=frame.theme)


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
    _, class_names = _names(t)
    return digits_spec(t.data.X_test, y_true, y_pred, n_show=40, columns=10,
                       class_names=class_names, theme=frame.theme)


def confusion(frame):
    t = frame.trainer
    y_true, y_pred = _test_predictions(t)
    _, class_names = _names(t)
    return confusion_spec(y_true, y_pred, n_classes=t.data.n_classes, class_names=class_names,
                          theme=frame.theme)


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
    return trainer.data.n_inputs <= 2


def _two_inputs(trainer):
    return trainer.data.n_inputs == 2


VIEWS = {
    "boundary": View("Decision boundary", boundary, _plane, 520),
    "curves": View("Loss and accuracy", curves, lambda t: True, 250),
    "diagram": View("Network", diagram, _two_inputs, 300),
    "weights": View("Weights", weights, lambda t: True, 300),
    "gradients": View("Gradient health", gradients, lambda t: True, 300),
    "digits": View("Test images", digits, _images, 440),
    "confusion": View("Confusion matrix", confusion, _classification, 320),
    "first_layer": View("First-layer weights as images", first_layer, _first_layer, 420),
    "parity": View("Predicted vs true", parity, _regression, 320),
}

# Views offered below the main row, in this order.
DETAIL = ("weights", "gradients", "diagram", "parity", "confusion", "first_layer")
