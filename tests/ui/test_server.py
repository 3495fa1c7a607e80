"""What the sessions of one process share: the pace that slows every playing session
evenly when the process is busy, and the reaper that releases closed sessions."""

import gc
import weakref

import pytest

from nnviz.config import Config
from nnviz.limits import Budget
from nnviz.training import Trainer
from nnviz.ui import server, state


def test_the_pace_shrinks_past_the_cores_and_grows_back():
    pace = server.Pace(cores=1.0)
    assert pace.read(now=pace._at + 0.5, cpu=pace._cpu + 5) == 1.0      # not read yet
    share = pace.read(now=pace._at + 1.0, cpu=pace._cpu + 2.0)         # asked for 2 cores
    assert share == pytest.approx(0.5) and pace.busy
    share = pace.read(now=pace._at + 1.0, cpu=pace._cpu + 0.4)         # room again
    assert share == pytest.approx(0.5 * server.RECOVER)
    for _ in range(20):
        share = pace.read(now=pace._at + 1.0, cpu=pace._cpu + 0.2)
    assert share == 1.0 and not pace.busy
    for _ in range(40):
        share = pace.read(now=pace._at + 1.0, cpu=pace._cpu + 50)
    assert share == server.MIN_SHARE                                    # never stops


class Runtime:
    def __init__(self, active):
        self.active = set(active)

    def is_active_session(self, sid):
        return sid in self.active


def test_the_reaper_releases_sessions_gone_twice_and_keeps_their_weights(monkeypatch):
    here, gone = (state.Session(config=Config.defaults_for("moons")) for _ in range(2))
    for s in (here, gone):
        s.trainer = Trainer(s.config, budget=Budget())
        s.trainer.step(20)
    ref = weakref.ref(gone.trainer)
    weights = gone.trainer.net.flat_params.copy()
    monkeypatch.setattr(server, "_sessions", weakref.WeakValueDictionary({"a": here, "b": gone}))
    runtime = Runtime({"a"})
    away = server.reap(runtime)                     # first seen gone: kept (it may reconnect)
    assert away == {"b"} and gone.trainer is not None
    away = server.reap(runtime, away)               # still gone: released
    gc.collect()
    assert gone.trainer is None and ref() is None and here.trainer is not None
    flat, steps, _ = gone.kept
    assert steps == 20 and (flat == weights).all()


def test_a_released_session_goes_on_from_its_weights():
    s = state.Session(config=Config.defaults_for("moons"))
    t = state.trainer(s)
    t.step(30)
    weights = t.net.flat_params.copy()
    assert s.release() and s.trainer is None
    back = state.trainer(s)
    assert back is not t and back.steps == 30
    assert (back.net.flat_params == weights).all()
    assert any("goes on from step 30" in text for _, text in s.notes)
