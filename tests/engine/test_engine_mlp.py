"""The MLP: learning, determinism, dtypes, params, trace and every validation error."""

import numpy as np
import pytest

from nnviz.engine import MLP, optimizers

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def _train(net, X, y, loss, opt, steps, batch=None, seed=0):
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        idx = rng.choice(len(X), batch, replace=False) if batch else slice(None)
        net.loss_and_grads(X[idx], y[idx], loss=loss)
        opt.step(net)


def _blobs(n=60, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    y = np.arange(n) % 3
    return centres[y] + 0.5 * rng.standard_normal((n, 2)), y


def test_xor_is_learned_by_a_2_4_1_net():
    net = MLP([2, 4, 1], ["tanh", "sigmoid"], init="xavier", seed=0)
    _train(net, XOR_X, XOR_Y, "bce", optimizers.make("sgd", lr=0.5), 2000)
    assert np.array_equal((net.predict(XOR_X)[:, 0] > 0.5).astype(int), XOR_Y)
    assert net.loss(XOR_X, XOR_Y, "bce") < 0.1


def test_zero_hidden_softmax_learns_separable_blobs():
    X, y = _blobs()
    net = MLP([2, 3], ["softmax"], seed=0)
    _train(net, X, y, "cross_entropy", optimizers.make("sgd", lr=0.5), 200)
    assert np.array_equal(net.predict(X).argmax(axis=1), y)


def test_zero_hidden_linear_regression_fits_a_plane():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 3))
    y = X @ np.array([[1.0, -2.0], [0.5, 0.0], [0.0, 3.0]]) + np.array([0.2, -0.1])
    net = MLP([3, 2], ["linear"], seed=0)
    _train(net, X, y, "mse", optimizers.make("sgd", lr=0.1), 500)
    assert net.loss(X, y, "mse") < 1e-12


def test_same_seed_gives_bit_identical_weights_after_100_steps():
    X, y = _blobs(90)

    def run(seed):
        net = MLP([2, 16, 16, 3], ["relu", "tanh", "softmax"], init="he", seed=seed)
        _train(net, X, y, "cross_entropy", optimizers.make("adam", lr=0.01), 100,
               batch=16, seed=seed)
        return net.flat_params.copy()

    first = run(3)
    assert np.array_equal(first, run(3))
    assert not np.array_equal(first, run(4))


@pytest.mark.parametrize("opt_name", ["sgd", "momentum", "adam"])
def test_float32_stays_float32_throughout(opt_name):
    X, y = _blobs(30)
    net = MLP([2, 5, 3], ["sigmoid", "softmax"], dtype=np.float32)
    opt = optimizers.make(opt_name, lr=0.1)
    loss, grads = net.loss_and_grads(X, y, "cross_entropy", l1=0.01, l2=0.01)
    opt.step(net)
    assert isinstance(loss, float)
    trace = net.last_trace()
    arrays = ([net.flat_params, net.flat_grads, net.predict(X), trace.X, trace.y]
              + [a for pair in net.params + grads + trace.grads for a in pair]
              + trace.Z + trace.A + trace.dZ + net.activations_of(X)
              + [v for v in vars(opt).values() if isinstance(v, np.ndarray)])
    assert {a.dtype for a in arrays} == {np.dtype(np.float32)}
    assert net.predict(X.astype(np.float16)).dtype == np.float32


@pytest.mark.parametrize(("acts", "loss"), [
    (["tanh", "sigmoid"], "bce"),           # fused
    (["relu", "tanh"], "mse"),              # chain rule
    (["leaky_relu", "softmax"], "mse"),     # through the softmax Jacobian
])
def test_float32_gradients_agree_with_the_float64_twin(acts, loss):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    k = 1 if loss == "bce" else 3
    y = rng.integers(0, 2, 20) if loss == "bce" else rng.uniform(0, 1, (20, k))
    net32 = MLP([3, 6, k], acts, seed=1, dtype=np.float32)
    net64 = net32.copy(dtype=np.float64)
    loss32, grads32 = net32.loss_and_grads(X, y, loss, l2=0.01)
    loss64, grads64 = net64.loss_and_grads(X, y, loss, l2=0.01)
    assert loss32 == pytest.approx(loss64, rel=1e-5)
    assert net32.flat_grads.dtype == np.float32 and net32.last_trace().dZ[-1].dtype == np.float32
    scale = np.abs(net64.flat_grads).max()
    assert np.allclose(net32.flat_grads, net64.flat_grads, rtol=1e-4, atol=1e-5 * scale)


@pytest.mark.parametrize("init", ["small", "xavier", "he"])
def test_the_init_name_sets_the_weight_scale(init):
    net = MLP([200, 300, 1], ["relu", "sigmoid"], init=init, seed=0)
    W = net.params[0][0]
    expected = {"small": 0.01, "xavier": np.sqrt(2 / 500), "he": np.sqrt(2 / 200)}[init]
    assert W.std() == pytest.approx(expected, rel=0.03)
    assert np.all(net.params[0][1] == 0)


def test_params_are_live_views_of_the_flat_buffer():
    net = MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    (W0, b0), (W1, b1) = net.params
    assert W0.shape == (2, 3) and b0.shape == (3,) and W1.shape == (3, 1) and b1.shape == (1,)
    assert net.n_params == net.flat_params.size == 3 * 3 + 4 * 1
    assert np.all(b0 == 0) and np.all(b1 == 0)
    net.flat_params[:] = np.arange(net.n_params)
    assert W0[0, 0] == 0 and b0[0] == 6 and b1[0] == 12
    assert np.array_equal(net.weight_mask, [1] * 6 + [0] * 3 + [1] * 3 + [0])


def test_params_setter_copies_and_checks_shapes():
    net = MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    W0_view = net.params[0][0]
    new = [(np.ones((2, 3)), np.full(3, 2.0)), (np.zeros((3, 1)), [5.0])]
    net.params = new
    new[0][0][0, 0] = 99.0  # the net keeps its own copy
    assert W0_view[0, 0] == 1.0 and net.params[1][1][0] == 5.0
    with pytest.raises(ValueError, match=r"params needs 2 \(W, b\) pairs, got 1"):
        net.params = new[:1]
    with pytest.raises(ValueError, match=r"params\[0\] has shapes W \(3, 2\), b \(3,\); "
                                         r"expected W \(2, 3\), b \(3,\)"):
        net.params = [(np.ones((3, 2)), np.ones(3)), new[1]]
    with pytest.raises(ValueError, match=r"params\[1\] must be a pair"):
        net.params = [new[0], np.ones(3)]
    with pytest.raises(ValueError, match=r"params\[0\] must be numeric arrays"):
        net.params = [(np.full((2, 3), "x"), np.ones(3)), new[1]]
    assert W0_view[0, 0] == 1.0  # a rejected set changes nothing


def test_predict_activations_of_and_trace_agree_with_a_plain_forward_pass():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((7, 3)), rng.integers(0, 4, 7)
    net = MLP([3, 5, 6, 4], ["leaky_relu", "sigmoid", "softmax"], seed=1)
    assert net.last_trace() is None
    A, Zs, As = X, [], [X]
    for (W, b), f in zip(net.params, [
            lambda z: np.where(z > 0, z, 0.01 * z),
            lambda z: 1 / (1 + np.exp(-z)),
            lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)], strict=True):
        Zs.append(A @ W + b)
        A = f(Zs[-1])
        As.append(A)
    assert np.allclose(net.predict(X), A, rtol=1e-12)
    assert all(np.allclose(a, b, rtol=1e-12) for a, b in zip(net.activations_of(X), As, strict=True))
    loss, grads = net.loss_and_grads(X, y, "cross_entropy")
    assert loss == pytest.approx(-np.mean(np.log(A[np.arange(7), y])), rel=1e-12)
    t = net.last_trace()
    assert t.loss == loss and t.loss_name == "cross_entropy"
    assert np.array_equal(t.X, X) and np.array_equal(t.y, np.eye(4)[y])
    assert len(t.Z) == len(t.dZ) == len(t.grads) == 3 and len(t.A) == 4
    assert all(np.allclose(a, b, rtol=1e-12) for a, b in zip(t.Z, Zs, strict=True))
    assert all(np.allclose(a, b, rtol=1e-12) for a, b in zip(t.A, As, strict=True))
    # The fused output delta is (softmax - onehot) / n; dW = A^T dZ, db = sum dZ.
    assert np.allclose(t.dZ[-1], (A - np.eye(4)[y]) / 7, rtol=1e-12)
    for i, (dW, db) in enumerate(t.grads):
        assert np.allclose(dW, As[i].T @ t.dZ[i], rtol=1e-12)
        assert np.allclose(db, t.dZ[i].sum(axis=0), rtol=1e-12)
        assert np.array_equal(dW, grads[i][0])
    # The trace is a copy: the next call does not change it, and changing it changes nothing.
    t.Z[0][:] = 0
    net.loss_and_grads(X[:3], y[:3], "cross_entropy")
    assert t.X.shape == (7, 3) and net.last_trace().X.shape == (3, 3)


def test_batch_sizes_can_alternate_and_labels_can_change():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 2))
    y = rng.integers(0, 2, 40)
    net = MLP([2, 4, 1], ["tanh", "sigmoid"], seed=0)
    fresh = net.copy()
    for n in (5, 8, 13, 21, 34, 40, 5, 8):  # more sizes than buffer slots
        net.loss_and_grads(X[:n], y[:n], "bce")
    for yy in (y, 1 - y, y.astype(float).reshape(-1, 1), y.astype(bool)):
        got = net.loss_and_grads(X, yy, "bce")[0]
        assert got == pytest.approx(fresh.loss(X, np.asarray(yy, float).ravel(), "bce"))


def test_a_label_array_reused_in_place_is_read_again():
    # Scripts may refill one batch buffer every step: the engine must never reuse
    # targets made from an earlier content of the same array.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 2))
    yb = np.array([0, 1, 1, 0, 1, 0])
    net = MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    first = net.loss_and_grads(X, yb, "bce")[0]
    yb[:] = 1 - yb
    flipped = net.loss_and_grads(X, yb, "bce")[0]
    assert flipped != first
    assert flipped == pytest.approx(net.copy().loss(X, yb.copy(), "bce"), rel=1e-12)
    assert np.array_equal(net.last_trace().y[:, 0], yb)
    yb[0] = 7
    with pytest.raises(ValueError, match=r"bce labels must be 0 or 1, got \[7\]"):
        net.loss_and_grads(X, yb, "bce")
    yc = np.array([0, 1, 2, 0, 1, 2])
    soft = MLP([2, 3], ["softmax"], seed=0)
    soft.loss_and_grads(X, yc, "cross_entropy")
    yc[:] = [2, 2, 1, 1, 0, 0]
    assert np.array_equal(soft.loss_and_grads(X, yc, "cross_entropy")[1][0][0],
                          soft.copy().loss_and_grads(X, yc.copy(), "cross_entropy")[1][0][0])


def test_inputs_of_any_memory_layout_give_the_same_step_and_stay_untouched():
    rng = np.random.default_rng(0)
    base = rng.standard_normal((12, 6))
    y = rng.integers(0, 3, 12)
    net = MLP([3, 4, 3], ["tanh", "softmax"], seed=0)
    X = np.ascontiguousarray(base[:, ::2])
    loss, _ = net.loss_and_grads(X, y, "cross_entropy")
    expected = net.flat_grads.copy()
    for view in (base[:, ::2], np.asfortranarray(X), X.astype(np.float32), X.tolist()):
        kept = np.array(view, copy=True)
        got, _ = net.loss_and_grads(view, y, "cross_entropy")
        tol = 1e-6 if np.asarray(view).dtype == np.float32 else 1e-13
        assert got == pytest.approx(loss, rel=tol)
        assert np.allclose(net.flat_grads, expected, rtol=tol, atol=tol)
        assert np.array_equal(np.asarray(view), kept)


def test_returned_gradients_are_views_that_the_next_call_overwrites():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((5, 2)), rng.integers(0, 2, 5)
    net = MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    _, grads = net.loss_and_grads(X, y, "bce")
    assert all(np.shares_memory(g, net.flat_grads) for pair in grads for g in pair)
    assert [g.shape for pair in grads for g in pair] == [(2, 3), (3,), (3, 1), (1,)]
    kept = net.flat_grads.copy()
    net.loss_and_grads(X, 1 - y, "bce")
    assert not np.array_equal(net.flat_grads, kept)
    assert np.array_equal(np.concatenate([g.ravel() for pair in grads for g in pair]),
                          net.flat_grads)


def test_penalty_and_its_gradient_cover_weights_only():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((6, 2)), rng.standard_normal((6, 2))
    net = MLP([2, 3, 2], ["tanh", "linear"], seed=0)
    for _, b in net.params:
        b[...] = 1.0
    Ws = [W for W, _ in net.params]
    assert net.penalty(l2=0.5) == pytest.approx(0.25 * sum((W**2).sum() for W in Ws))
    assert net.penalty(l1=0.1) == pytest.approx(0.1 * sum(np.abs(W).sum() for W in Ws))
    plain = [(dW.copy(), db.copy()) for dW, db in net.loss_and_grads(X, y, "mse")[1]]
    loss, grads = net.loss_and_grads(X, y, "mse", l1=0.1, l2=0.5)
    assert loss == pytest.approx(net.loss(X, y, "mse"))  # the data loss only
    assert net.loss(X, y, "mse", l1=0.1, l2=0.5) == pytest.approx(loss + net.penalty(0.1, 0.5))
    for (dW, db), (pW, pb), W in zip(grads, plain, Ws, strict=True):
        assert np.allclose(dW - pW, 0.5 * W + 0.1 * np.sign(W), rtol=1e-12)
        assert np.array_equal(db, pb)


def test_non_canonical_pairs_use_the_chain_rule():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((5, 2)), rng.uniform(-1, 1, (5, 1))
    net = MLP([2, 1], ["tanh"], seed=0)
    net.loss_and_grads(X, y, "mse")
    a = net.predict(X)
    t = net.last_trace()
    assert np.allclose(t.dZ[0], 2 * (a - y) / 5 * (1 - a**2), rtol=1e-12)


OUTPUT_PAIRS = [("sigmoid", "bce"), ("softmax", "cross_entropy")] + [
    (out, "mse") for out in ("sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax")]


@pytest.mark.parametrize("big", [1000.0, 1e4])
@pytest.mark.parametrize(("out", "loss"), OUTPUT_PAIRS)
def test_extreme_logits_through_the_net_stay_finite_and_exact(out, loss, big):
    # 0 hidden layers and W = I: the output logits are the inputs, +-big.
    X = np.array([[big, -big], [-big, big], [0.0, 0.0]])
    k = 1 if loss == "bce" else 2
    net = MLP([2, k], [out], seed=0)
    net.params = [(np.eye(2)[:, :k], np.zeros(k))]
    y = {"bce": np.array([1, 0, 1]), "cross_entropy": np.array([0, 1, 1]),
         "mse": np.zeros((3, k))}[loss]
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        value, _ = net.loss_and_grads(X, y, loss, l1=0.1, l2=0.1)
        total = net.loss(X, y, loss, l1=0.1, l2=0.1)
    assert np.isfinite(value) and np.isfinite(total) and np.all(np.isfinite(net.flat_grads))
    if loss != "mse":  # two confident right answers and one coin toss: ln 2 / 3
        assert value == pytest.approx(np.log(2) / 3, rel=1e-12)
        net.params = [(-np.eye(2)[:, :k], np.zeros(k))]  # now confidently wrong
        gap = big if loss == "bce" else 2 * big  # logit of the wrong side minus the right
        assert net.loss_and_grads(X, y, loss)[0] == pytest.approx((2 * gap + np.log(2)) / 3)


def test_no_warnings_on_huge_inputs():
    X = np.array([[1e4, -1e4], [-1e4, 1e4], [0.0, 0.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        for acts, loss, y in [(["sigmoid"], "bce", [0, 1, 1]),
                              (["softmax"], "cross_entropy", [0, 1, 1])]:
            k = 1 if loss == "bce" else 2
            net = MLP([2, 8, k], ["tanh"] + acts, seed=0)
            net.params = [(np.full((2, 8), 50.0), np.zeros(8)), (np.full((8, k), 50.0) *
                          np.where(np.arange(k) % 2, -1, 1), np.zeros(k))]
            loss_value, grads = net.loss_and_grads(X, np.array(y), loss)
            assert np.isfinite(loss_value) and np.all(np.isfinite(net.flat_grads))


BAD_NETS = [
    (([2], ["sigmoid"]), {}, r"needs at least \[n_inputs, n_outputs\]"),
    (([2, 3.5, 1], ["tanh", "sigmoid"]), {}, "must be a list of integers"),
    (("abc", ["sigmoid"]), {}, "must be a list of integers"),
    (([2, 0, 1], ["tanh", "sigmoid"]), {}, "hidden layer width 0 given; a layer needs at least 1"),
    (([0, 1], ["sigmoid"]), {}, "input and output sizes must be at least 1"),
    (([2, 4, 1], ["tanh"]), {}, "1 activations given for 2 layers"),
    (([2, 4, 1], "tanh"), {}, "activations must be a list of 2 names"),
    (([2, 4, 1], ["swish", "sigmoid"]), {}, "unknown activation 'swish'; allowed: sigmoid, tanh"),
    (([2, 4, 3], ["softmax", "softmax"]), {}, "'softmax' is for the output layer only"),
    (([2, 1], ["softmax"]), {}, "softmax output needs at least 2 units, got 1"),
    (([2, 1], ["sigmoid"]), {"init": "zeros"}, "unknown init 'zeros'; allowed: small, xavier, he"),
    (([2, 1], ["sigmoid"]), {"dtype": np.int32}, "dtype must be float32 or float64"),
    (([2, 1], ["sigmoid"]), {"dtype": "fancy"}, "dtype must be float32 or float64"),
    (([2, 1], ["sigmoid"]), {"seed": -1}, "seed must be a non-negative integer"),
    (([2, 1], ["sigmoid"]), {"seed": 1.5}, "seed must be a non-negative integer"),
]


@pytest.mark.parametrize(("args", "kwargs", "match"), BAD_NETS)
def test_bad_networks_are_rejected_with_a_clear_message(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        MLP(*args, **kwargs)


def test_limits_are_inclusive():
    MLP([2] + [1] * 6 + [1], ["tanh"] * 6 + ["sigmoid"])
    MLP([2, 512, 1], ["relu", "sigmoid"])


X4 = np.zeros((4, 2))
BAD_CALLS = [
    ([2, 1], ["sigmoid"], X4, [0, 1, 1, 0], {"loss": "hinge"}, "unknown loss 'hinge'; allowed: bce, cross_entropy, mse"),
    ([2, 3], ["softmax"], X4, [0, 1, 1, 0], {"loss": "bce"}, "loss 'bce' does not fit a 'softmax' output layer; 'bce' needs output activation sigmoid"),
    ([2, 2], ["sigmoid"], X4, [0, 1, 1, 0], {"loss": "bce"}, "bce needs exactly 1 output unit, the net has 2"),
    ([2, 1], ["sigmoid"], X4, [0, 1, 1, 0], {"loss": "cross_entropy"}, "'cross_entropy' needs output activation softmax"),
    ([2, 1], ["sigmoid"], X4, [0, 1, 2, 0], {"loss": "bce"}, r"bce labels must be 0 or 1, got \[2\]"),
    ([2, 1], ["sigmoid"], X4, np.array([0, -1, 1, 0], dtype=np.int8), {"loss": "bce"}, r"bce labels must be 0 or 1, got \[-1\]"),
    ([2, 1], ["sigmoid"], X4, [0, 1, 0.5, 0], {"loss": "bce"}, r"bce labels must be 0 or 1, got \[0.5\]"),
    ([2, 1], ["sigmoid"], X4, np.zeros((4, 2)), {"loss": "bce"}, r"bce labels must have shape \(4,\) or \(4, 1\), got \(4, 2\)"),
    ([2, 3], ["softmax"], X4, [0, 1, 3, -1], {"loss": "cross_entropy"}, r"labels must be integers 0 to 2 \(the 3 classes\), got \[-1, 3\]"),
    ([2, 3], ["softmax"], X4, [0, 1, 1.5, 2], {"loss": "cross_entropy"}, r"got \[1.5\]"),
    ([2, 3], ["softmax"], X4, np.zeros((4, 2)), {"loss": "cross_entropy"}, r"integers of shape \(4,\) or one-hot of shape \(4, 3\), got \(4, 2\)"),
    ([2, 3], ["softmax"], X4, np.full((4, 3), 0.5), {"loss": "cross_entropy"}, "one-hot labels must be rows of non-negative numbers that sum to 1"),
    ([2, 2], ["linear"], X4, np.zeros(4), {"loss": "mse"}, r"mse targets must have shape \(4, 2\), got \(4,\)"),
    ([2, 1], ["linear"], X4, np.zeros((4, 3)), {"loss": "mse"}, r"mse targets must have shape \(4, 1\) or \(4,\), got \(4, 3\)"),
    ([2, 1], ["linear"], X4, np.array(["a"] * 4), {"loss": "mse"}, "y must be numeric"),
    ([2, 1], ["sigmoid"], X4, [0, 1, 1], {"loss": "bce"}, r"y has shape \(3,\) but X has 4 rows"),
    ([2, 1], ["sigmoid"], np.zeros((4, 3)), [0, 1, 1, 0], {"loss": "bce"}, r"X must have shape \(n_samples, 2\), got \(4, 3\)"),
    ([2, 1], ["sigmoid"], np.zeros(4), [0, 1, 1, 0], {"loss": "bce"}, r"X must have shape \(n_samples, 2\), got \(4,\)"),
    ([2, 1], ["sigmoid"], np.zeros((0, 2)), [], {"loss": "bce"}, "X has no rows"),
    ([2, 1], ["sigmoid"], np.array([["a", "b"]] * 4), [0, 1, 1, 0], {"loss": "bce"}, "X must be numeric"),
    ([2, 1], ["sigmoid"], X4, [0, 1, 1, 0], {"loss": "bce", "l2": -1.0}, "l2 must be a finite number >= 0, got -1.0"),
    ([2, 1], ["sigmoid"], X4, [0, 1, 1, 0], {"loss": "bce", "l1": float("nan")}, "l1 must be a finite number >= 0, got nan"),
]


@pytest.mark.parametrize(("sizes", "acts", "X", "y", "kwargs", "match"), BAD_CALLS)
def test_bad_calls_are_rejected_with_a_clear_message(sizes, acts, X, y, kwargs, match):
    net = MLP(sizes, acts)
    with pytest.raises(ValueError, match=match):
        net.loss_and_grads(X, y, **kwargs)


def test_predict_validates_its_input():
    net = MLP([3, 1], ["sigmoid"])
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 3\), got \(2, 2\)"):
        net.predict(np.zeros((2, 2)))
    assert net.predict([[0.0, 0.0, 0.0]]).shape == (1, 1)


def test_big_inputs_go_through_in_blocks_with_the_same_result():
    rng = np.random.default_rng(0)
    net = MLP([2, 8, 3], ["tanh", "softmax"], seed=0)
    X = rng.standard_normal((20000, 2))  # more rows than one block
    (W0, b0), (W1, b1) = net.params
    H = np.tanh(X @ W0 + b0)
    Z = H @ W1 + b1
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    assert np.allclose(net.predict(X), P, rtol=1e-12)
    A = net.activations_of(X)
    assert np.allclose(A[1], H, rtol=1e-12) and np.allclose(A[2], P, rtol=1e-12)
