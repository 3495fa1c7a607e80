"""The "Inside" panels: one training step with its real numbers, the gradient
check, the hidden space, the boundary replay and run comparison.

    from nnviz.ui.inside import record, render_inside
    record(s, trainer)                   # each live frame: keeps replay snapshots
    render_inside(s)                     # in a tab of the page

The panels' memory lives on the session (`state.Session.inside`), their widgets
under keys starting with `key` ("inside"). Every action here is held to the
budget's `action_seconds`, sampled or refused past it. The numbers come from
`nnviz.inside` (the engine's own trace); the figures from `nnviz.viz.inside`.
"""

import dataclasses
import time

import numpy as np
import streamlit as st

from nnviz import cost
from nnviz.inside import check, compare, equations
from nnviz.inside.hidden import hidden_space
from nnviz.inside.replay import Replay, frame_of
from nnviz.inside.step import random_batch, walk
from nnviz.limits import BUDGET
from nnviz.ui import player, state
from nnviz.viz import inside as fig
from nnviz.viz.theme import with_page_colors

PANELS = ("One step", "Gradient check", "Hidden space", "Replay", "Compare")
REPLAY_FRAMES = 60
REPLAY_RESOLUTION = 60
SHOW_ROWS = 16  # samples shown in a heatmap
SHOW_COLS = 32  # units (or weight rows) shown in a heatmap
MAX_PICK = 256  # largest batch chosen here
LIVE_EVERY = 0.3  # seconds between redraws of the hidden space while it trains
ANIMATE_STEPS = (1, 2, 5, 10, 20, 50)
TOLERANCE_TEXT = np.format_float_scientific(check.TOLERANCE, trim="-", exp_digits=1)  # "1e-6"
HIDDEN_HEIGHT = fig.HEIGHT + 20   # the live element's room for the figure


def _ss(key, name, default=None):
    """The panels' memory `name` (set to `default` the first time)."""
    return state.get().inside.setdefault(f"{key}.{name}", default)


def _put(key, name, value):
    state.get().inside[f"{key}.{name}"] = value


def _rows_within(trainer, share=0.3, kind="forward"):
    """Rows a `kind` pass can take in `share` of an action's time on this server."""
    return cost.rows_within_seconds(trainer.net.layer_sizes, share * BUDGET.action_seconds, kind)


# -- replay recording (cheap unless a frame is due) ------------------------------------------

def record(s, trainer, key="inside"):
    """Offer the trainer's current boundary to the replay buffer (call every frame).

    Restarts the buffer when the trainer is a new one or was reset."""
    if trainer.data.n_inputs > 2:
        return
    memory = s.inside
    buf = memory.get(f"{key}.replay")
    if buf is None or memory.get(f"{key}.replay_owner") != id(trainer) \
            or (len(buf) and trainer.steps < buf.steps[-1]):
        buf = memory[f"{key}.replay"] = Replay(REPLAY_FRAMES)
        memory[f"{key}.replay_owner"] = id(trainer)
    if trainer.state != "diverged" and buf.wants(trainer.steps):
        rows = cost.rows_within_seconds(trainer.net.layer_sizes,
                                        0.1 * BUDGET.slice_seconds, "forward")
        r = int(max(8, min(REPLAY_RESOLUTION, rows ** 0.5)))
        buf.add(frame_of(trainer, r))


# -- the panel -------------------------------------------------------------------------------

def render_inside(s, key="inside", playing=None):
    """Draw the Inside panels for session `s`'s live Trainer. When the page was playing
    (`playing`, default: it plays now), the hidden space's "Train while watching" starts
    on, so training goes on there."""
    trainer = state.trainer(s)
    playing = s.playing if playing is None else playing
    record(s, trainer, key)
    tabs = st.tabs(list(PANELS), key=f"{key}.panel", on_change="rerun")
    panels = (step_panel, gradcheck_panel, hidden_panel, replay_panel, compare_panel)
    for tab, panel in zip(tabs, panels, strict=True):
        # Only the open tab's content runs (None: state not tracked, draw all).
        if tab.open is False:
            continue
        with tab:
            if panel is hidden_panel:
                panel(trainer, key, playing=playing)
            elif panel is compare_panel:
                panel(trainer, key, table=s.table)
            else:
                panel(trainer, key)


def _theme():
    """The page's theme as Streamlit reports it ("light" when it does not say)."""
    theme = st.context.theme.type
    return theme if theme in ("light", "dark") else "light"


def _clip(M, rows=SHOW_ROWS, cols=SHOW_COLS):
    """(M[:rows, :cols], note) so a heatmap stays readable."""
    M = np.asarray(M)
    if M.ndim == 1:
        M = M[None, :]
    r, c = M.shape
    parts = []
    if r > rows:
        parts.append(f"the first {rows} of {r} rows")
    if c > cols:
        parts.append(f"the first {cols} of {c} columns")
    return M[:rows, :cols], " and ".join(parts)


def values(M, title, row_labels=None, row_name="sample", col_name="unit"):
    """A heatmap panel of samples × units (clipped to stay readable)."""
    shown, note = _clip(M)
    panel = dict(M=shown, title=title, row_name=row_name, col_name=col_name, note=note)
    if row_labels is not None:
        panel["row_labels"] = list(row_labels)[:shown.shape[0]]
    return panel


def params(W, b, title):
    """A panel of [W; b]: rows are the inputs and a last row 'b' (the engine's layout)."""
    M = np.vstack([W, np.asarray(b)[None, :]])
    labels = [*range(1, W.shape[0] + 1), "b"]
    note = ""
    if M.shape[0] > SHOW_COLS:  # keep the bias row in view for wide inputs
        M = np.vstack([M[:SHOW_COLS - 1], M[-1:]])
        labels = [*labels[:SHOW_COLS - 1], "b"]
        note = f"inputs 1–{SHOW_COLS - 1} of {W.shape[0]} and the bias row"
    if M.shape[1] > SHOW_COLS:
        note = (note + " and " if note else "") + f"the first {SHOW_COLS} of {M.shape[1]} units"
        M = M[:, :SHOW_COLS]
    return dict(M=M, title=title, row_labels=labels, row_name="input", col_name="unit", note=note)


def _show(panels, key):
    st.plotly_chart(fig.matrices_figure(panels, theme=_theme()), key=key,
                    config={"displayModeBar": False})
    notes = [f"{p['title']}: {p['note']}" for p in panels if p.get("note")]
    if notes:
        st.caption("Showing " + "; ".join(notes) + ".")


# -- one step -----------------------------------------------------------------------------

def _choose_batch(trainer, key):
    """The minibatch the panel walks through: (indices, description)."""
    n = len(trainer.data.X_train)
    source = st.radio("Minibatch", ["Next training batch", "Random batch", "Pick samples"],
                      horizontal=True, key=f"{key}.source",
                      help="The next training batch is exactly what one training step uses.")
    if source == "Next training batch":
        idx = trainer.next_batch_indices()
        return idx, (f"the {len(idx)} training rows the next training step uses "
                     f"(batch size {trainer.batch_size})")
    if source == "Random batch":
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        size = c1.slider("Batch size", 1, min(n, MAX_PICK), min(trainer.batch_size, n, MAX_PICK),
                         key=f"{key}.size")
        if c2.button("Draw another", key=f"{key}.redraw"):
            _put(key, "seed", _ss(key, "seed", 0) + 1)
        idx = random_batch(n, size, _ss(key, "seed", 0))
        return idx, f"{len(idx)} training rows drawn at random"
    # Pick samples: by index, or by clicking / lassoing points.
    d = trainer.data
    index = st.number_input(f"Sample index (0–{n - 1})", 0, n - 1, 0, step=1, key=f"{key}.index")
    picked = []
    if d.n_inputs <= 2:
        # The figure depends on the index only, never on the pick: a chart whose figure
        # changes is a new element and forgets its selection, which would drop the
        # picked rows at the next rerun (e.g. after Next step).
        event = st.plotly_chart(
            fig.pick_figure(d.X_train, d.y_train, selected=[int(index)],
                            selected_name=f"row {int(index)} (the index)",
                            title="Click a point, or drag a box or lasso around several",
                            theme=_theme()),
            key=f"{key}.pick", on_select="rerun", selection_mode=("points", "box", "lasso"))
        rows = [p.get("customdata") for p in event.selection.get("points", [])]
        rows = sorted({int(r[0] if isinstance(r, list) else r) for r in rows
                       if isinstance(r, (int, float, list)) and r != []})
        picked = [r for r in rows if 0 <= r < n][:MAX_PICK]
        st.caption("Click a point for a single sample, or use the box or lasso tool for "
                   "several; double-click the chart to clear and go back to the index.")
    if len(picked) == 1:
        return np.array(picked), f"training row {picked[0]} (picked on the chart)"
    if picked:
        return np.array(picked), f"{len(picked)} training rows picked on the chart"
    return np.array([int(index)]), f"training row {int(index)}"


def input_names(trainer):
    """The network's input columns: the feature crosses, or the raw inputs' names."""
    pre = trainer.data.preprocessor
    names = list(pre.features) if pre.features else list(trainer.data.feature_names)
    return names if len(names) == trainer.net.layer_sizes[0] else list(range(1, trainer.net.layer_sizes[0] + 1))


def output_names(trainer):
    """Class names of the output units when there is one unit per class, else None."""
    k = trainer.net.layer_sizes[-1]
    if trainer.data.task != "classification" or k < 2:
        return None
    names = trainer.data.class_names
    return names if names is not None else [str(c) for c in range(k)]


def _apply_step(trainer, indices, key):
    ran = trainer.step_on(indices)
    _put(key, "applied", f"Applied step {trainer.steps}." if ran else
         "Training has diverged, so no step was applied; lower the learning rate first.")


def step_panel(trainer, key="inside"):
    """Forward, backward and update of one step on a chosen minibatch; "Next step" applies it."""
    st.markdown("One training step on a minibatch, with the network's own numbers: the same "
                "code that trains computes everything below.")
    idx, what = _choose_batch(trainer, key)
    _put(key, "idx", np.asarray(idx))
    fits = _rows_within(trainer, 0.25, "step")
    if len(idx) > fits:
        st.warning(f"One step on {len(idx):,} rows of this network takes longer than this "
                   f"server allows for laying it out ({BUDGET.action_seconds:g} s): choose "
                   f"\"Random batch\" or \"Pick samples\" with at most {fits:,} rows.")
        return
    w = walk(trainer, idx)
    L = len(w.layers)
    m = len(idx)
    rows = w.indices

    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.markdown(f"**Step {w.step_number}** on {what}.")
    c2.button("Next step ▶", key=f"{key}.next", type="primary", on_click=_apply_step,
              args=(trainer, idx, key), disabled=w.diverged,
              help="Apply exactly this update to the live network (counted as a training step).")
    applied = _ss(key, "applied", "")
    if applied:
        st.success(applied)
        _put(key, "applied", "")
    if w.diverged:
        st.error(trainer.reason or "Training has diverged.")

    st.subheader("1 · Forward")
    st.caption(f"m = {m} sample{'s' if m != 1 else ''}, one per row (labelled by training row); "
               "X is the input after features and standardisation, Y the target as the loss "
               "sees it" + (" (one-hot)." if w.loss_name == "cross_entropy" else
                            " (standardised)." if w.loss_name == "mse" else "."))
    for layer in w.layers:
        l, n_in, n_out = layer.index, layer.W.shape[0], layer.W.shape[1]
        st.markdown(f"**Layer {l}** — {layer.activation}" + (" (output)" if l == L else ""))
        st.latex(equations.forward(l, layer.activation))
        st.latex(equations.forward_shapes(l, m, n_in, n_out))
        panels = [values(layer.Z, f"Z[{l}]", rows), values(layer.A, f"A[{l}]", rows)]
        if l == 1:
            x = values(w.X, "X (input)", rows, col_name="input")
            x["col_labels"] = input_names(trainer)[:x["M"].shape[1]]
            panels.insert(0, x)
        if l == L:
            panels.append(values(w.Y, "Y (target)", rows))
            classes = output_names(trainer)
            if classes is not None:  # one output unit per class: name them
                for pnl in panels[-3:]:
                    pnl["col_name"], pnl["col_labels"] = "class", classes
        _show(panels, f"{key}.fwd{l}")
    k = w.Y.shape[1]
    st.markdown("**Loss**")
    st.latex(equations.loss(w.loss_name, L, k, w.l1, w.l2))
    loss_text = f"{w.loss_before:.6g}"
    if w.penalty:
        loss_text += f" (data {w.data_loss:.6g} + penalty {w.penalty:.6g})"
    st.markdown(f"Loss on this batch: **{loss_text}**")

    st.subheader("2 · Backward")
    st.caption("The 1/m of the mean is folded into the output delta, so dW has no 1/m of its own.")
    for layer in reversed(w.layers):
        l, n_in, n_out = layer.index, layer.W.shape[0], layer.W.shape[1]
        st.markdown(f"**Layer {l}**")
        if l == L:
            eq, why = equations.output_delta(w.output_activation, w.loss_name, L, m, k)
            st.latex(eq)
            st.caption(why)
        else:
            st.latex(equations.hidden_delta(l, layer.activation))
            st.latex(equations.hidden_delta_shapes(l, m, n_out, w.layers[l].W.shape[1]))
        st.latex(equations.gradients(l, w.l1, w.l2))
        st.latex(equations.gradient_shapes(l, m, n_in, n_out))
        dz = values(layer.dZ, f"dZ[{l}]", rows)
        if l == L and output_names(trainer) is not None:
            dz["col_name"], dz["col_labels"] = "class", output_names(trainer)
        _show([dz, params(layer.dW, layer.db, f"dW[{l}] (rows: inputs), db[{l}] (row b)")],
              f"{key}.bwd{l}")

    st.subheader("3 · Update")
    t = trainer.config
    st.latex(equations.update(w.optimizer, w.lr, t.momentum, t.nesterov))
    if w.optimizer == "sgd":
        st.caption("For plain SGD the step is exactly −η·dW.")
    else:
        st.caption(f"The step is what {w.optimizer} takes from dW and its running state "
                   "(velocity, moments): that is what Next step applies.")
    for layer in w.layers:
        l = layer.index
        st.markdown(f"**Layer {l}**")
        _show([params(layer.W, layer.b, f"W[{l}] (rows: inputs), b[{l}] before"),
               params(layer.step_W, layer.step_b, "the step"),
               params(layer.W_after, layer.b_after, "after")], f"{key}.upd{l}")
    c1, c2 = st.columns(2)
    c1.metric("Loss on this batch, before", f"{w.loss_before:.6g}")
    c2.metric("after the update", f"{w.loss_after:.6g}", delta=f"{w.loss_after - w.loss_before:.3g}",
              delta_color="inverse")
    if w.loss_dropped:
        st.success("The loss on this batch dropped.")
    else:
        st.warning(f"The loss on this batch did not drop ({w.loss_before:.4g} → "
                   f"{w.loss_after:.4g}). The step overshot: with learning rate {w.lr:g} it is "
                   "too long for this batch here. It should drop for a small enough rate — "
                   "try a smaller one" + (", or note that momentum and Adam also carry earlier "
                                          "steps along." if w.optimizer != "sgd" else "."))


# -- gradient check ----------------------------------------------------------------------------

def _run_check(trainer, idx, max_per_layer, key):
    try:
        view = check.run(trainer, idx, max_per_layer=max_per_layer,
                         seconds=BUDGET.action_seconds)
    except ValueError as e:
        _put(key, "check", None)
        _put(key, "check_error", str(e))
        return
    _put(key, "check", ((id(trainer), trainer.config), trainer.steps, len(idx), view))
    _put(key, "check_error", "")


def gradcheck_panel(trainer, key="inside"):
    """The engine's central-difference check on the current network and minibatch."""
    st.markdown("Backprop against central differences, (L(θ+ε) − L(θ−ε)) / 2ε for each "
                "parameter, on the current network and the step panel's minibatch. In float64 "
                f"the two agree to a relative error far below {TOLERANCE_TEXT}.")
    idx = _ss(key, "idx", None)
    if idx is None or len(idx) == 0 or idx.max() >= len(trainer.data.X_train):
        idx = trainer.next_batch_indices()
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    max_per_layer = int(c1.number_input("Parameters checked per layer (at most)", 10, 2000,
                                        check.MAX_CHECK_PER_LAYER, step=10,
                                        key=f"{key}.max_per_layer"))
    counts = check.plan(trainer.net.layer_sizes, max_per_layer)
    big = [(i + 1, total, n) for i, (total, n) in enumerate(counts) if n < total]
    for l, total, n in big:
        st.warning(f"Layer {l} has {total:,} parameters and each costs two forward passes: "
                   f"a random {n} of them will be checked.")
    c2.button("Run gradient check", key=f"{key}.run_check", type="primary", on_click=_run_check,
              args=(trainer, idx, max_per_layer, key))
    st.caption(f"On {len(idx)} training row(s) at step {trainer.steps}.")
    err = _ss(key, "check_error", "")
    if err:
        st.error(err)
    stored = _ss(key, "check", None)
    if stored is None or stored[0] != (id(trainer), trainer.config):  # none, or another run
        return
    _, steps, m, view = stored
    if steps != trainer.steps:
        st.info(f"This check is from step {steps}; run it again for the current weights.")
    if view.ok:
        st.success(f"Every layer agrees: relative error below {TOLERANCE_TEXT}.")
    else:
        st.error("Some layer's gradients disagree; see below.")
    for note in view.notes:
        st.caption(note)
    st.dataframe(
        {"layer": [x["name"] for x in view.layers],
         "relative error": [f"{x['relative_error']:.2e}" for x in view.layers],
         "checked": [f"{x['checked']} of {x['total']}" for x in view.layers],
         f"below {TOLERANCE_TEXT}": ["yes" if x["ok"] else "no" for x in view.layers]},
        hide_index=True)
    st.plotly_chart(fig.gradcheck_figure(view.layers, theme=_theme()), key=f"{key}.check_fig")


# -- hidden space ------------------------------------------------------------------------------

def hidden_panel(trainer, key="inside", playing=False):
    """The training points in a hidden layer's space; "Train while watching" steps the
    trainer on a timer and redraws in place, so the layer is seen untangling the classes."""
    n_hidden = trainer.net.n_layers - 1
    if n_hidden < 1:
        st.info("This network has no hidden layer. Add one in Network to see how it "
                "re-arranges the points.")
        return
    sizes, acts = trainer.net.layer_sizes, trainer.net.activations
    c1, c2, c3 = st.columns([2, 1.4, 1.2], vertical_alignment="bottom")
    layer = c1.selectbox("Hidden layer", list(range(1, n_hidden + 1)), index=n_hidden - 1,
                         key=f"{key}.layer",
                         format_func=lambda l: f"layer {l}: {sizes[l]} units, {acts[l - 1]}")
    animate_key = f"{key}.animate"
    if state.get().inside.pop(f"{key}.animate_stop", False) \
            or state.widget(animate_key) is None:
        state.set_widget(animate_key, bool(playing) and trainer.state != "diverged")
    animate = c2.toggle("Train while watching", key=animate_key,
                        help="Keep training here and redraw this view as the weights change.")
    per = c3.select_slider("Steps per redraw", ANIMATE_STEPS, value=5, key=f"{key}.per")

    @st.fragment(run_every=LIVE_EVERY if animate else None)
    def draw():
        if animate:
            trainer.advance(per, deadline=time.perf_counter() + BUDGET.slice_seconds)
            if trainer.state == "diverged":
                _put(key, "animate_stop", True)
                st.rerun()
        ref_key = f"components{layer}"
        view = hidden_space(trainer, layer, reference=_ss(key, ref_key, None),
                            max_points=max(50, min(1500, _rows_within(trainer, 0.1))))
        _put(key, ref_key, view.projection.components)
        p = view.projection
        title = f"Layer {layer} ({view.units} units, {view.activation}) at step {trainer.steps}"
        live_key = f"{key}.hidden_live"
        theme = player.page_theme(live_key, _theme()) if animate else _theme()
        f = fig.hidden_space_figure(p.points, view.labels, p.axis_titles,
                                    class_names=trainer.data.class_names, line=view.line,
                                    regions=view.regions, title=title, theme=theme)
        if animate:
            # Updated in place (Plotly.react): no blank frames while it redraws. Drawn
            # outside Streamlit's chart theming, so the page colours are filled in here.
            seq = _ss(key, "hidden_seq", 0) + 1
            _put(key, "hidden_seq", seq)
            spec = f.to_plotly_json()
            spec["layout"].pop("template", None)
            spec = {"data": spec["data"], "layout": with_page_colors(spec["layout"], theme)}
            player.send(live_key, {
                "seq": seq, "stream": 0, "mode": "still", "theme": theme,
                "rows": [player.row((1, [("hidden", "plotly", HIDDEN_HEIGHT)]))],
                "frames": [{"step": trainer.steps, "plotly": {"hidden": spec}}]})
        else:
            st.plotly_chart(f, key=f"{key}.hidden_fig")
        record(state.get(), trainer, key)

    draw()
    view_note(trainer, layer)


def view_note(trainer, layer):
    units = trainer.net.layer_sizes[layer]
    if units <= 3:
        st.caption(f"Each point is a training sample placed at its {units} activation(s) in "
                   "this layer: no projection.")
    else:
        st.caption(f"{units} units, projected to 2-D with PCA (the two directions of largest "
                   "spread, computed afresh at each redraw; the axis titles give the share of "
                   "the spread each keeps).")
    if layer == trainer.net.n_layers - 1 and units == 2 and trainer.data.task == "classification":
        if trainer.net.layer_sizes[-1] == 1:
            st.caption("The dashed line is the output's decision boundary: in this space the "
                       "output layer is linear, so the classes must end up separable by a line.")
        else:
            st.caption("The shading is the class the output layer picks: straight-edged "
                       "regions, because in this space the output layer is linear.")


# -- replay ----------------------------------------------------------------------------------

def replay_panel(trainer, key="inside"):
    """Scrub back through boundary snapshots taken as training ran."""
    d = trainer.data
    if d.n_inputs > 2:
        st.info("Replay draws the output over the input plane, so it needs data with 1 or 2 "
                "inputs.")
        return
    buf = _ss(key, "replay", None)
    if buf is None or len(buf) < 2:
        st.info(f"Train for a while: snapshots are taken as training runs (at most "
                f"{REPLAY_FRAMES}, thinned evenly so they always span the whole run).")
        return
    n = len(buf)
    options = dict(n_classes=d.n_classes, feature_names=list(d.feature_names),
                   class_names=trainer.data.class_names, theme=_theme())
    c1, c2 = st.columns([1, 1], vertical_alignment="bottom")
    mode = c1.segmented_control("Replay", ["Scrub", "Animate"], default="Scrub",
                                key=f"{key}.replay_mode", label_visibility="collapsed")
    if d.task == "regression":
        targets = list(d.target_names) or [f"output {j + 1}" for j in range(d.y_train.shape[1])]
        output = 0
        if len(targets) > 1:
            output = c2.selectbox("Output", range(len(targets)), format_func=targets.__getitem__,
                                  key=f"{key}.replay_output")
        options.update(output=output, target_name=targets[output])
    # A plane keeps equal units on both axes: the chart is as wide as that plot needs.
    width = "content" if d.n_inputs == 2 else "stretch"
    if mode == "Animate":
        frames = [dict(x1=f.x1, x2=f.x2, out=f.out, title=_frame_title(f)) for f in buf.frames]
        st.plotly_chart(fig.replay_animation_figure(frames, d.X_train, d.y_train, **options),
                        key=f"{key}.replay_anim", width=width)
    else:
        i = st.slider("Snapshot", 1, n, n, key=f"{key}.frame") - 1
        frame = buf.frames[min(i, n - 1)]
        f = fig.replay_figure(frame.x1, frame.x2, frame.out, d.X_train, d.y_train,
                              title=_frame_title(frame), **options)
        st.plotly_chart(f, key=f"{key}.replay_fig", width=width)
    st.caption(f"{n} snapshots from step {buf.steps[0]} to {buf.steps[-1]}, one every "
               f"{buf.stride} step(s) or more; older ones are thinned as the run grows.")


def _frame_title(frame):
    title = f"Step {frame.step} · epoch {frame.epoch:g}"
    loss = frame.metrics.get("train_loss")
    if loss is not None:
        title += f" · train loss {loss:.4g}"
    return title


# -- compare ---------------------------------------------------------------------------------

METRICS = {"train loss": "train_loss", "test loss": "test_loss",
           "train accuracy": "train_accuracy", "test accuracy": "test_accuracy",
           "train R²": "train_r2", "test R²": "test_r2"}


def _pin(trainer, key):
    pins = _ss(key, "pins", [])
    _put(key, "pins", compare.pin(pins, compare.run_of(trainer)))


def _sweep(trainer, steps, table, key):
    rates = compare.sweep_rates(trainer.config.lr)
    bar = st.progress(0.0, text="Starting the sweep…")
    try:
        s = state.get()
        runs = compare.lr_sweep(trainer.config, rates, steps,
                                make_trainer=lambda c: state.make(s, c),
                                seconds=BUDGET.action_seconds,
                                progress=lambda f, text: bar.progress(min(f, 1.0), text=text))
    except ValueError as e:
        _put(key, "sweep_error", str(e))
        return
    finally:
        bar.empty()
    _put(key, "sweep", runs)
    _put(key, "sweep_error", "")


def compare_panel(trainer, key="inside", table=None):
    """Pinned runs overlaid on the current one, and a 5-rate learning-rate sweep."""
    task_metrics = [m for m, h in METRICS.items()
                    if h in trainer.history.as_dict()] or ["train loss"]
    metric = st.selectbox("Curve", task_metrics, key=f"{key}.metric")
    h = METRICS[metric]
    log_y = "loss" in metric

    c1, c2 = st.columns(2)
    c1.button("Pin this run", key=f"{key}.pin", on_click=_pin, args=(trainer, key),
              icon=":material/push_pin:",
              help="Keep this run's curves; change a setting, train again and compare.")
    if c2.button("Clear pins", key=f"{key}.clear"):
        _put(key, "pins", [])
    pins = _ss(key, "pins", [])
    current = compare.run_of(trainer)
    if pins:
        labels = compare.legend_labels(pins, current)
        runs = [dict(label=lab, x=r.curve(h)[0], y=r.curve(h)[1], dash=True)
                for lab, r in zip(labels, pins, strict=False)]
        runs.append(dict(label=labels[-1], x=current.curve(h)[0], y=current.curve(h)[1]))
        st.plotly_chart(fig.compare_figure(runs, metric=metric, log_y=log_y), key=f"{key}.cmp")
        for i, r in enumerate(pins):
            st.caption(f"pinned {i + 1} → now: {compare.describe_change(r.config, current.config)}")
    else:
        st.info("Pin this run, then change a setting (optimizer, learning rate, layers…) and "
                "train again: the curves overlay, and the legend names what changed.")

    st.subheader("Learning-rate sweep")
    rates = compare.sweep_rates(trainer.config.lr)
    n_params = trainer.net.n_params
    small = n_params <= compare.SWEEP_MAX_PARAMS
    default = int(min(compare.SWEEP_MAX_STEPS, max(100, 20 * trainer.steps_per_epoch)))
    steps = st.slider("Steps per rate", 50, compare.SWEEP_MAX_STEPS, default, step=50,
                      key=f"{key}.sweep_steps")
    st.caption("Trains the current settings from the same start at "
               + ", ".join(f"{r:g}" for r in rates) + ".")
    if not small:
        st.info(f"The sweep is for small networks (at most {compare.SWEEP_MAX_PARAMS:,} "
                f"parameters); this one has {n_params:,}.")
    if st.button("Sweep 5 learning rates", key=f"{key}.sweep_go", disabled=not small):
        _sweep(trainer, steps, table, key)
    err = _ss(key, "sweep_error", "")
    if err:
        st.error(err)
    sweep = _ss(key, "sweep", None)
    if sweep:
        runs = [dict(label=r.label + (" (diverged)" if r.state == "diverged" else ""),
                     x=r.curve(h)[0], y=r.curve(h)[1]) for r in sweep]
        st.plotly_chart(fig.compare_figure(runs, metric=metric, log_y=log_y), key=f"{key}.sweep_fig")
        st.caption(f"{len(sweep)} runs of {describe_sweep(sweep)}, all from the same initial "
                   "weights and batches: only the learning rate differs.")
        then = dataclasses.replace(sweep[0].config, lr=trainer.config.lr)
        if then != trainer.config:
            st.caption("This sweep was made before a change of settings: "
                       f"{compare.describe_change(then, trainer.config)}. Sweep again to update it.")


def describe_sweep(runs):
    steps = [int(r.curve("train_loss")[0][-1]) if len(r.curve("train_loss")[0]) else 0 for r in runs]
    return f"up to {max(steps)} steps" if steps else "no steps"
