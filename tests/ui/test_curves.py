"""Loss curves on large data: after a few seconds of playing, the curves the browser
draws have many points, not the few the history's regular cadence gives (one every
~50 steps when 5,000 rows stand behind each point)."""

import dataclasses
import time

import pytest
from test_app import message, session

from nnviz.config import Config

PLAY_SECONDS = 3.0


@pytest.mark.parametrize("n_samples", [10_000, 100_000])
def test_curves_have_many_points_after_seconds_of_playing(app, n_samples):
    c = dataclasses.replace(Config.defaults_for("arithmetic"), n_samples=n_samples)
    app.query_params.update(c.to_query())
    app.run()
    assert session(app).config == c
    app.button(key="play").click().run()
    start = time.perf_counter()
    while time.perf_counter() - start < PLAY_SECONDS:
        app.run()
    t = session(app).trainer
    m = message(app)
    steps, train_loss = m["setups"]["curves"]["history"][:2]
    frames = m["frames"]
    assert len(steps) >= 40, (len(steps), t.steps, t.history.every)
    assert len(steps) > 3 * (t.steps // t.history.every)     # far more than the cadence gives
    assert steps[0] == 0 and steps[-1] <= frames[0]["step"]   # the history, then the frames
    assert train_loss[-1] < train_loss[0]
