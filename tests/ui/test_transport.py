"""The bar over the tabs: it shows Pause only while something trains. Play and Step
train in the Playground's live view, so the Inside tab pauses them, and Play or Step
pressed there bring the Playground back."""

from test_app import finish, session

from nnviz.ui.state import PAGE_TAB
from nnviz.ui.transport import INSIDE, PLAYGROUND


def keys(at):
    return {b.key for b in at.button}


def to_tab(at, name):
    at.session_state[PAGE_TAB] = name
    at.run()
    assert not at.exception


def test_the_inside_tab_shows_play_while_nothing_trains(app):
    app.run()
    app.button(key="play").click().run()
    s = session(app)
    assert s.playing and "pause" in keys(app)
    to_tab(app, INSIDE)
    assert s.job is None
    assert "play" in keys(app) and "pause" not in keys(app)
    steps = s.trainer.steps
    for _ in range(3):
        app.run()
    assert s.trainer.steps == steps                  # and indeed nothing trains
    # the hidden space, opened from a page that was playing, trains by its own toggle
    app.session_state["inside.panel"] = "Hidden space"
    app.run()
    assert app.toggle(key="inside.animate").value is False   # the page no longer plays


def test_play_and_step_on_the_inside_tab_go_back_to_the_playground(app):
    app.run()
    to_tab(app, INSIDE)
    app.button(key="play").click().run()
    s = session(app)
    assert app.session_state[PAGE_TAB] == PLAYGROUND and s.playing
    assert "pause" in keys(app)
    steps = s.trainer.steps
    app.run()
    assert s.trainer.steps > steps                   # it trains there
    app.button(key="pause").click().run()
    to_tab(app, INSIDE)
    epoch = s.trainer.epoch
    app.button(key="step").click().run()
    finish(app)
    assert app.session_state[PAGE_TAB] == PLAYGROUND and s.trainer.epoch == epoch + 1


def test_the_hidden_space_trains_on_when_the_page_was_playing(app):
    app.run()
    app.button(key="play").click().run()
    app.session_state["inside.panel"] = "Hidden space"
    to_tab(app, INSIDE)
    assert session(app).job is None and "pause" not in keys(app)
    assert app.toggle(key="inside.animate").value is True
