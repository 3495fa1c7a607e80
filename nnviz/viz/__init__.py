"""nnviz.viz: Plotly figures of a network learning. Pure functions, arrays in, figure out;
no streamlit, no training.

Every figure has two builders with the same arguments:

- `*_spec(...) -> dict`: `{"data": [...], "layout": {...}}` with arrays as Plotly typed
  arrays (`{"dtype": "f4", "bdata": <base64>, "shape": ...}`; `typed.pack`), ready to be
  serialised without validation and drawn with `Plotly.react` in the live view, which
  sends them with orjson. `plotly.io.to_json(spec, validate=False, remove_uids=False)`
  works too (its default `remove_uids=True` deletes the traces' uids, in place, and it
  escapes each "/" of the base64). NumPy arrays left in a plain dict would be written
  as long JSON lists; typed arrays are about half the bytes. `typed.unpack` reads them back.
- `*_figure(...) -> go.Figure`, which is `go.Figure(*_spec(...))`.

Every builder takes `theme="light" | "dark"` and `title=None`, and sets a fixed
`layout.uirevision`, so `Plotly.react` keeps zoom and toggles between frames.

Live figures (one frame = all four):

    boundary_spec(x1, x2, out, X_train, y_train, X_test=None, y_test=None, *,
                  task="classification", pred_train=None, pred_test=None,
                  show_test=True, discretize=False, output=0, feature_names=None,
                  class_names=None, target_name=None, include_points=True,
                  theme="light", title=None)
        x1 (r1,), x2 (r2,), out (r2, r1, n_out) with out[i, j] at (x1[j], x2[i]) — the
        Trainer's Grid; for 1 input feature x2=None and out (r1, n_out): the fitted curve
        (regression) or each class's probability along the input (classification). X_* raw
        (n, 2) or (n, 1); y_* (n,) labels or (n, k) targets; pred_* (n, n_out) outputs at
        the points (marks misclassified points). `boundary.DEFAULT_RESOLUTION` = 100.
        Per frame only `boundary.FRAME_UIDS` change (heatmap or fitted curves, the P=0.5
        contour, the misclassified marks); the points and legend (uids starting with
        `boundary.STATIC_PREFIXES`) change with the data, `show_test` or the theme.
        `boundary.split_static(spec) -> (spec_without_points, static_traces)`;
        `include_points=False` skips building them.
    curves_spec(history, *, log_y=False, max_points=500, theme="light", title=None)
        history: Snapshot.history (step, train_loss, test_loss, train/test_accuracy or
        train/test_r2); NaN is a gap; empty history says so.
    weights_spec(params, *, input_names=None, output_names=None, theme="light", title=None)
        params: list of (W (n_in, n_out), b (n_out,)); one heatmap per layer, biases as the
        last row, one colour scale centred at 0 for all layers.
    diagram_spec(params, activations, *, activation_names=None, input_names=None,
                 output_names=None, max_units=DIAGRAM_MAX_UNITS, theme="light", title=None)
        activations: net.activations_of(preprocessor.transform(grid_points(x1, x2))) for an
        r x r grid (e.g. x1, x2 of trainer.predict_grid(DIAGRAM_RESOLUTION)): a list
        [A0, ..., AL] of (r*r, n_l). Each node shows its map; edges coloured by sign,
        thickened by |w|; at most max_units (12) units per layer drawn, and it says so.
        All traces change per frame. `DIAGRAM_RESOLUTION` = 16.

On demand:

    gradients_spec(history, *, layer_names=None, max_points=500, theme="light", title=None)
        history["step"], history["grad_norm"], history["weight_norm"] (n_points, n_layers).
    digits_spec(images, y_true, y_pred, *, n_show=40, columns=10, class_names=None,
                wrong_first=False, ...)           # images (n, side*side) raw pixels
    confusion_spec(y_true, y_pred, *, n_classes=None, class_names=None, ...)
    first_layer_spec(W, *, max_units=32, columns=8, ...)   # W (side*side, n_units)
    parity_spec(y_true, y_pred, *, target_names=None, ...)  # (n, k) each; R² per output

`python -m nnviz.viz.bench [--json] [--repeats N]` times one default frame.
"""

from nnviz.viz.boundary import DEFAULT_RESOLUTION, boundary_figure, boundary_spec
from nnviz.viz.curves import curves_figure, curves_spec
from nnviz.viz.diagram import DIAGRAM_RESOLUTION, diagram_figure, diagram_spec, grid_points
from nnviz.viz.digits import (
    confusion_figure,
    confusion_spec,
    digits_figure,
    digits_spec,
    first_layer_figure,
    first_layer_spec,
)
from nnviz.viz.gradients import gradients_figure, gradients_spec
from nnviz.viz.regression import parity_figure, parity_spec
from nnviz.viz.theme import THEMES
from nnviz.viz.typed import pack, unpack
from nnviz.viz.weights import weights_figure, weights_spec

__all__ = [
    "DEFAULT_RESOLUTION", "DIAGRAM_RESOLUTION", "THEMES", "boundary_figure", "boundary_spec",
    "confusion_figure", "confusion_spec", "curves_figure", "curves_spec", "diagram_figure",
    "diagram_spec", "digits_figure", "digits_spec", "first_layer_figure", "first_layer_spec",
    "gradients_figure", "gradients_spec", "grid_points", "pack", "parity_figure", "parity_spec",
    "unpack", "weights_figure", "weights_spec",
]
