"""Small pieces of the page: the big numbers, messages, the divergence fix."""

import dataclasses
import html
import math

import streamlit as st

from nnviz import cost
from nnviz.limits import BUDGET
from nnviz.ui import state


def _fmt(v, percent=False):
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    return f"{100 * v:.1f}%" if percent else f"{v:.4f}"


def counters(trainer):
    """[(label, text)]: epoch and step counters, train/test loss and accuracy (or R²);
    when the metrics come from a sample of the rows, the labels say so."""
    m = trainer.evaluate()
    score = "accuracy" if "train_accuracy" in m else "r2"
    label = "accuracy" if score == "accuracy" else "R²"
    on = f" ({m['rows']:,} rows)" if trainer.sampled else ""
    return [("Epoch", f"{trainer.epoch:,}"), ("Step", f"{trainer.steps:,}"),
            (f"Train loss{on}", _fmt(m.get("train_loss"))),
            (f"Test loss{on}", _fmt(m.get("test_loss"))),
            (f"Train {label}", _fmt(m.get(f"train_{score}"), score == "accuracy")),
            (f"Test {label}", _fmt(m.get(f"test_{score}"), score == "accuracy"))]


USABLE_STEP_SECONDS = 1.0   # slower steps still run (split across redraws), with a word


def _use_batch(batch):
    s = state.get()
    state.propose(s, dataclasses.replace(s.config, batch_size=batch))


def slow_run(trainer):
    """When one step of the run takes longer than USABLE_STEP_SECONDS here: how long,
    what the budget does about it, and the largest batch that trains a step per redraw."""
    seconds = trainer.step_seconds()
    if seconds <= USABLE_STEP_SECONDS:
        return
    sizes = trainer.net.layer_sizes
    hidden = sizes[1:-1]
    shape = (f"{len(hidden)} hidden layer{'s' if len(hidden) != 1 else ''} of up to "
             f"{max(hidden):,} units" if hidden else "no hidden layer")
    fits = cost.rows_within_seconds(sizes, BUDGET.slice_seconds, "step")
    message("warning",
            f"One training step of this run takes about {seconds:,.0f} s on this server "
            f"({trainer.batch_size:,} rows a batch through {shape}). It runs anyway, in "
            f"slices of {1000 * BUDGET.slice_seconds:g} ms, so the charts move only when a "
            f"step is done. A batch of {fits:,} rows trains a step at every redraw.")
    if fits < trainer.batch_size:
        st.button(f"Use batch size {fits:,}", on_click=_use_batch, args=(fits,),
                  key="fit_batch", icon=":material/speed:")


def _use_lr(lr):
    s = state.get()
    if state.propose(s, dataclasses.replace(s.config, lr=lr)):
        s.play()


def diverged(s, trainer):
    """The Trainer's divergence message, and its suggested learning rate as a button
    that applies it (through `state.propose`, like the sidebar) and trains on from
    the restored weights."""
    message("error", trainer.reason or "Training diverged.")
    if trainer.fix_lr is not None and trainer.fix_lr < trainer.config.lr:
        st.button(f"Use learning rate {trainer.fix_lr:g} and keep training", on_click=_use_lr,
                  args=(trainer.fix_lr,), key="fix_lr", type="primary",
                  icon=":material/healing:",
                  help="Keeps the weights (the last good ones) and plays on.")


KINDS = ("info", "warning", "error")
# The boxes take Streamlit's alert colours; the text is the page's own.
NOTE_CSS = """<style>
.nnviz-note { padding: 0.75rem 1rem; border-radius: 0.5rem; line-height: 1.5;
              overflow-wrap: anywhere; }
.nnviz-note.info { background: rgba(28, 131, 225, 0.1); }
.nnviz-note.warning { background: rgba(255, 227, 18, 0.12); }
.nnviz-note.error { background: rgba(255, 43, 43, 0.09); }
</style>"""


def message(kind, text):
    """A message box ("info" | "warning" | "error") holding `text` as plain text: it is
    HTML-escaped and never goes through Markdown, so nothing in it (a link's key, a file
    name) can become a link, an image or styling."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    st.html(f'<div class="nnviz-note {kind}" role="alert">{html.escape(str(text))}</div>')


def notes(items):
    """Messages queued by the last action: ("info" | "error" | "warning", text)."""
    for kind, text in items:
        message(kind, text)
