"""Looking inside the network: one training step laid out with the engine's
own numbers (`step`), the gradient check (`gradcheck`), the hidden space
(`hidden`), the boundary replay (`replay`) and run comparison (`compare`).
Pure logic: no streamlit, no plotly.
"""
