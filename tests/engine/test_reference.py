"""The tuned MLP computes what the textbook network (reference.py) computes, to 1e-12:
the loss and every dW, db, for every activation x every valid output/loss pair x
depth, with and without L1/L2, in float64."""

import numpy as np
import pytest
from engine_cases import CASE_IDS, CASES, random_targets

from nnviz.engine import MLP, reference

PENALTIES = [(0.0, 0.0), (0.01, 0.0), (0.0, 0.03), (0.02, 0.05)]


def close(a, b, tol=1e-12):
    """|a - b| within tol of the larger of 1 and b's largest entry."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return a.shape == b.shape and np.max(np.abs(a - b), initial=0.0) <= tol * max(
        1.0, np.max(np.abs(b), initial=0.0))


@pytest.mark.parametrize(("hidden", "out", "loss", "depth"), CASES, ids=CASE_IDS)
def test_tuned_mlp_equals_the_reference(hidden, out, loss, depth):
    rng = np.random.default_rng(depth * 101 + len(hidden) + len(out))
    k = 1 if loss == "bce" else 3
    sizes = [4] + [5] * depth + [k]
    acts = [hidden] * depth + [out]
    net = MLP(sizes, acts, init="xavier", seed=int(rng.integers(1000)))
    for _, b in net.params:                  # biases away from zero, like a trained net
        b[...] = rng.uniform(-0.5, 0.5, b.shape)
    params = [(W.copy(), b.copy()) for W, b in net.params]
    X = rng.standard_normal((7, 4))
    y = random_targets(loss, 7, k, rng)
    Y = reference.targets(y, loss, k)
    for l1, l2 in PENALTIES:
        value, grads = net.loss_and_grads(X, y, loss=loss, l1=l1, l2=l2)
        ref_value, ref_grads = reference.loss_and_grads(params, acts, X, Y, loss, l1, l2)
        assert close(value, ref_value), (value, ref_value)
        for i, ((dW, db), (rdW, rdb)) in enumerate(zip(grads, ref_grads, strict=True)):
            assert close(dW, rdW), f"dW of layer {i}, l1={l1}, l2={l2}"
            assert close(db, rdb), f"db of layer {i}, l1={l1}, l2={l2}"
        assert close(net.penalty(l1, l2), reference.penalty(params, l1, l2))
    # The forward pass, and the engine's output delta: the reference's over m.
    Zs, As = reference.forward(params, acts, X)
    assert close(net.predict(X), As[-1])
    trace = net.last_trace()
    assert all(close(z, rz) for z, rz in zip(trace.Z, Zs, strict=True))
    assert close(trace.dZ[-1] * len(X), reference.output_delta(Zs[-1], As[-1], Y, out, loss))


def test_the_first_weights_are_the_reference_init():
    for init in ("small", "xavier", "he"):
        net = MLP([3, 6, 2], ["relu", "softmax"], init=init, seed=7)
        for (W, b), (rW, rb) in zip(net.params, reference.init_params([3, 6, 2], init, 7),
                                    strict=True):
            assert np.array_equal(W, rW) and np.array_equal(b, rb)


def test_backward_is_the_gradient_of_the_loss():
    # The reference on its own against central differences (the MLP's own checks are
    # in test_engine_gradients.py): one hidden tanh layer, mse, both penalties.
    rng = np.random.default_rng(3)
    params = reference.init_params([2, 3, 2], "xavier", 3)
    acts = ["tanh", "linear"]
    X, Y = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))

    def total(ps):
        Zs, As = reference.forward(ps, acts, X)
        return reference.data_loss(Zs, As, Y, "mse") + reference.penalty(ps, 0.01, 0.1)

    _, grads = reference.loss_and_grads(params, acts, X, Y, "mse", 0.01, 0.1)
    h = 1e-6
    for (W, b), (dW, db) in zip(params, grads, strict=True):
        for p, g in ((W, dW), (b, db)):
            for idx in np.ndindex(p.shape):
                keep = p[idx]
                p[idx] = keep + h
                up = total(params)
                p[idx] = keep - h
                down = total(params)
                p[idx] = keep
                assert (up - down) / (2 * h) == pytest.approx(g[idx], rel=1e-6, abs=1e-9)


def test_targets_and_output_sizes():
    y = np.array([2, 0, 1])
    assert np.array_equal(reference.targets(y, "cross_entropy", 3),
                          [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert reference.targets(np.array([1, 0]), "bce", 1).tolist() == [[1.0], [0.0]]
    assert reference.n_outputs("bce", y, 2) == 1
    assert reference.n_outputs("cross_entropy", y, 3) == 3
    assert reference.n_outputs("mse", np.zeros((4, 2)), None) == 2
