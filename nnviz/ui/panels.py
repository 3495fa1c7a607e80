"""Small pieces of the page: counters and big metric numbers, messages, preset text."""

import dataclasses
import math

import streamlit as st

from nnviz.ui import session


def _fmt(v, percent=False):
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    return f"{100 * v:.1f}%" if percent else f"{v:.4f}"


def counters(trainer):
    """[(label, text)]: epoch and step counters, train/test loss and accuracy (or R²)."""
    m = trainer.evaluate()
    score = "accuracy" if "train_accuracy" in m else "r2"
    label = "accuracy" if score == "accuracy" else "R²"
    return [("Epoch", f"{trainer.epoch:,}"), ("Step", f"{trainer.steps:,}"),
            ("Train loss", _fmt(m.get("train_loss"))), ("Test loss", _fmt(m.get("test_loss"))),
            (f"Train {label}", _fmt(m.get(f"train_{score}"), score == "accuracy")),
            (f"Test {label}", _fmt(m.get(f"test_{score}"), score == "accuracy"))]


def _use_lr(lr):
    from nnviz.ui import controls
    controls.load_config(dataclasses.replace(session.config(), lr=lr))
    st.session_state["playing"] = True


def diverged(trainer):
    """The Trainer's divergence message, and its suggested learning rate as a button
    that applies it and trains on from the restored weights."""
    st.error(trainer.reason or "Training diverged.", icon=":material/warning:")
    if trainer.fix_lr is not None and trainer.fix_lr < trainer.config.lr:
        st.button(f"Use learning rate {trainer.fix_lr:g} and keep training", on_click=_use_lr,
                  args=(trainer.fix_lr,), key="fix_lr", type="primary",
                  icon=":material/healing:",
                  help="Keeps the weights (the last good ones) and plays on.")


def notes(items):
    """Messages queued by the last action: ("info" | "error" | "warning", text)."""
    for kind, text in items:
        {"info": st.info, "error": st.error, "warning": st.warning}[kind](text)
