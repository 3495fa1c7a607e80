"""The Inside tab's equations are built from the engine's tables: every activation,
loss and optimizer in them renders, and one added to a table shows up at once."""

import numpy as np
import pytest

from nnviz import cli
from nnviz.config import Config, ConfigError
from nnviz.engine import ACTIVATIONS, LOSSES, MLP, OPTIMIZERS, Activation, valid_pairs
from nnviz.engine.activations import LEAKY_SLOPE
from nnviz.inside import equations


def balanced(tex):
    depth = 0
    for i, c in enumerate(tex):
        if c == "{" and tex[i - 1:i] != "\\":
            depth += 1
        elif c == "}" and tex[i - 1:i] != "\\":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def every_equation():
    for name, act in ACTIVATIONS.items():
        yield equations.forward(2, name)
        if act.df is not None:
            yield equations.hidden_delta(1, name)
    for loss, outs in valid_pairs().items():
        yield equations.loss(loss, 2, 3, l1=0.01, l2=0.1)
        for out in outs:
            k = 1 if loss == "bce" else 3
            yield equations.output_delta(out, loss, 2, 16, k)[0]
    for name in OPTIMIZERS:
        yield equations.update(name, 0.05, 0.8, True)


def test_every_table_entry_gives_a_well_formed_equation():
    texts = list(every_equation())
    assert len(texts) > 20
    for tex in texts:
        assert balanced(tex), tex
        assert "^{[2]}^" not in tex and "^{[1]}^" not in tex, tex   # a double superscript


def test_symbols_get_the_layer_and_the_size():
    assert equations.forward(3, "tanh").endswith(r"A^{[3]} = \tanh(Z^{[3]})")
    assert r"{A^{[1]}}^{2}" in equations.hidden_delta(1, "tanh")
    assert r"\sum_{c=1}^{4}" in equations.loss("cross_entropy", 2, 4)
    assert r"\max" in equations.forward(1, "relu")          # commands are left alone


def test_the_leaky_slope_is_the_engines():
    assert f"{LEAKY_SLOPE:g}" in equations.forward(1, "leaky_relu")
    assert f"{LEAKY_SLOPE:g}" in equations.hidden_delta(1, "leaky_relu")


def test_a_loss_the_table_lacks_is_refused():
    with pytest.raises(ValueError, match="unknown loss 'hinge'; allowed: bce"):
        equations.loss("hinge", 2, 1)


def _cube(z, out=None):
    return np.power(z, 3, out=out)


def _cube_df(z, a, out=None):
    out = np.multiply(z, z, out=out)
    return np.multiply(out, 3.0, out=out)


def test_an_activation_added_to_the_table_shows_up_everywhere(monkeypatch, capsys):
    monkeypatch.setitem(ACTIVATIONS, "cube", Activation(_cube, _cube_df, "Z^{3}", "3 Z^{2}"))
    assert Config(activation="cube").activation == "cube"
    assert Config(dataset="sine", output_activation="cube").output_and_loss() == ("cube", "mse")
    MLP([2, 3, 1], ["cube", "sigmoid"])
    assert "cube" in valid_pairs()["mse"]
    assert equations.forward(1, "cube").endswith("= {Z^{[1]}}^{3}")
    assert equations.hidden_delta(1, "cube").endswith(r"\big(3 {Z^{[1]}}^{2}\big)")
    with pytest.raises(SystemExit):
        cli.main(["train", "--help"])
    assert "cube" in capsys.readouterr().out
    monkeypatch.delitem(ACTIVATIONS, "cube")
    with pytest.raises(ConfigError, match="activation='cube' is not known"):
        Config(activation="cube")


def test_loss_titles_and_fused_notes_come_from_the_table():
    for name, loss in LOSSES.items():
        out = loss.fused.activation
        eq, why = equations.output_delta(out, name, 2, 8, 1 if name == "bce" else 2)
        assert why.startswith(loss.fused.why)
