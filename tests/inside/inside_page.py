"""A page with only the Inside panels on a small live Trainer (for AppTest and the browser)."""

import os

import streamlit as st

from nnviz.config import Config
from nnviz.ui import state
from nnviz.ui.inside import render_inside

if not state.started():
    dataset = os.environ.get("NNVIZ_INSIDE_DATASET", "moons")
    hidden = tuple(int(h) for h in os.environ.get("NNVIZ_INSIDE_HIDDEN", "4,2").split(","))
    state.start(Config(dataset=dataset, n_samples=120, hidden=hidden, batch_size=8,
                       optimizer="sgd", lr=0.1))
s = state.get()
if st.button("Train 20 steps", key="train20"):
    state.trainer(s).step(20)
render_inside(s)
