"""Opening TensorFlow Playground links: real links from the web give the expected Config
and train; what cannot come is named; and TensorFlow Playground's own update rule (its
src/nn.ts, transcribed below node by node) takes exactly nnviz's steps once the learning
rate is halved and the regularization rate doubled."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.config import Config
from nnviz.engine import optimizers
from nnviz.limits import MAX_PLAYGROUND_LINK
from nnviz.playground_link import from_link, nnviz_seed
from nnviz.training import Trainer

SITE = "https://playground.tensorflow.org/#"
REST = ("&showTestData=false&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false"
        "&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false"
        "&collectStats=false&problem=classification&initZero=false&hideText=false")
ALL_INPUTS = ("&x=true&y=true&xTimesY=true&xSquared=true&ySquared=true&cosX=false&sinX=true"
              "&cosY=false&sinY=true&collectStats=false&problem=classification&initZero=false"
              "&hideText=false")
TF = dict(init="tfp", optimizer="sgd", loss="mse", standardize=False)
CLASSES = dict(TF, n_samples=500, output_activation="tanh")
REGRESSION = dict(TF, n_samples=1200, output_activation="linear")
XY = ("x1", "x2")
EVERY_INPUT = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")

# Links found on the web, as their authors shared them, and the Config each must give.
LINKS = {
    "circle-default": (
        SITE + "activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane"
        "&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2&seed=0.80370" + REST,
        dict(CLASSES, dataset="tf_circle", noise=0.0, test_ratio=0.5, features=XY,
             hidden=(4, 2), activation="tanh", lr=0.015, batch_size=10, seed=80370)),
    "xor-one-unit": (
        "http://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=xor"
        "&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=1"
        "&seed=0.60237" + REST,
        dict(CLASSES, dataset="xor", noise=0.0, test_ratio=0.5, features=XY, hidden=(1,),
             activation="tanh", lr=0.015, batch_size=10, seed=60237)),
    "gauss-no-hidden-layer-noisy": (
        SITE + "activation=relu&batchSize=1&dataset=gauss&regDataset=reg-plane"
        "&learningRate=0.00001&regularizationRate=0&noise=35&networkShape=&seed=0.17057"
        "&showTestData=false&discretize=true&percTrainData=50&x=true&y=true&xTimesY=false"
        "&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false"
        "&collectStats=false&problem=classification&initZero=false&hideText=false",
        dict(CLASSES, dataset="tf_gauss", noise=0.35, test_ratio=0.5, features=XY, hidden=(),
             activation="relu", lr=5e-6, batch_size=1, seed=17057)),
    "spiral-six-layers-l2-every-input": (
        SITE + "activation=relu&regularization=L2&batchSize=10&dataset=spiral"
        "&regDataset=reg-gauss&learningRate=0.03&regularizationRate=0.01&noise=0"
        "&networkShape=8,6,8,8,6,2&seed=0.45009&showTestData=false&discretize=false"
        "&percTrainData=50" + ALL_INPUTS,
        dict(CLASSES, dataset="tf_spiral", noise=0.0, test_ratio=0.5, features=EVERY_INPUT,
             hidden=(8, 6, 8, 8, 6, 2), activation="relu", lr=0.015, l2=0.02, batch_size=10,
             seed=45009)),
    "spiral-l1-at-rate-0": (
        "http://playground.tensorflow.org/#activation=relu&regularization=L1&batchSize=10"
        "&dataset=spiral&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0"
        "&networkShape=4,2,2&seed=0.58835&showTestData=false&discretize=false"
        "&percTrainData=50" + ALL_INPUTS,
        dict(CLASSES, dataset="tf_spiral", noise=0.0, test_ratio=0.5, features=EVERY_INPUT,
             hidden=(4, 2, 2), activation="relu", lr=0.015, l1=0.0, batch_size=10,
             seed=58835)),
    "spiral-batch-1-70-percent": (
        SITE + "activation=relu&batchSize=1&dataset=spiral&regDataset=reg-gauss"
        "&learningRate=0.01&regularizationRate=0&noise=0&networkShape=8,8,6,4&seed=0.75558"
        "&showTestData=false&discretize=false&percTrainData=70&x=true&y=true&xTimesY=false"
        "&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false"
        "&collectStats=false&problem=classification&initZero=false&hideText=false",
        dict(CLASSES, dataset="tf_spiral", noise=0.0, test_ratio=0.3, features=XY,
             hidden=(8, 8, 6, 4), activation="relu", lr=0.005, batch_size=1, seed=75558)),
    "xor-sigmoid-with-hidden-controls": (
        SITE + "activation=sigmoid&batchSize=10&dataset=xor&regDataset=reg-gauss"
        "&learningRate=0.03&regularizationRate=0&noise=0&networkShape=8,7&seed=0.16126" + REST
        + "&regularization_hide=true&batchSize_hide=true&learningRate_hide=true"
        "&regularizationRate_hide=true&discretize_hide=true&problem_hide=true"
        "&percTrainData_hide=true",
        dict(CLASSES, dataset="xor", noise=0.0, test_ratio=0.5, features=XY, hidden=(8, 7),
             activation="sigmoid", lr=0.015, batch_size=10, seed=16126)),
    "reg-plane-linear-model": (
        SITE + "activation=linear&batchSize=10&dataset=circle&regDataset=reg-plane"
        "&learningRate=0.03&regularizationRate=0&noise=0&networkShape=&seed=0.45772"
        + REST.replace("problem=classification", "problem=regression"),
        dict(REGRESSION, dataset="plane", noise=0.0, test_ratio=0.5, features=XY, hidden=(),
             activation="linear", lr=0.015, batch_size=10, seed=45772)),
    "reg-plane-noisy-with-hidden-controls": (
        SITE + "activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane"
        "&learningRate=0.03&regularizationRate=0&noise=25&networkShape=&seed=0.27079"
        + REST.replace("problem=classification", "problem=regression")
        + "&showTestData_hide=false&activation_hide=true&noise_hide=false"
        "&discretize_hide=true&dataset_hide=true&batchSize_hide=true&percTrainData_hide=true"
        "&numHiddenLayers_hide=true&problem_hide=true",
        dict(REGRESSION, dataset="plane", noise=0.25, test_ratio=0.5, features=XY, hidden=(),
             activation="tanh", lr=0.015, batch_size=10, seed=27079)),
    "reg-gauss-30-percent": (
        SITE + "activation=tanh&batchSize=10&dataset=circle&regDataset=reg-gauss"
        "&learningRate=0.003&regularizationRate=0&noise=0&networkShape=3,3&seed=0.75122"
        "&showTestData=false&discretize=true&percTrainData=30&x=true&y=true&xTimesY=false"
        "&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false"
        "&collectStats=false&problem=regression&initZero=false&hideText=false",
        dict(REGRESSION, dataset="multigauss", noise=0.0, test_ratio=0.7, features=XY,
             hidden=(3, 3), activation="tanh", lr=0.0015, batch_size=10, seed=75122)),
}


@pytest.mark.parametrize("name", LINKS)
def test_real_links_give_their_run_and_train(name):
    link, expected = LINKS[name]
    config, notes = from_link(link)
    assert config == Config(**expected)
    assert all(isinstance(n, str) and n and "\n" not in n for n in notes)
    assert any("Math.random" in n for n in notes)
    assert any(f"learning rate {expected['lr'] * 2:g} is carried as {expected['lr']:g}" in n
               for n in notes)
    t = Trainer(config)
    assert t.step(3 * t.steps_per_epoch) == 3 * t.steps_per_epoch
    m = t.evaluate()
    assert t.state != "diverged" and math.isfinite(m["train_loss"])
    assert (t.output_activation, t.loss) == (expected["output_activation"], "mse")


def test_a_link_copied_from_a_pages_source_reads_the_same():
    link, expected = LINKS["reg-gauss-30-percent"]
    assert from_link(link.replace("&", "&amp;")) == from_link(link)


def test_the_datasets_points_and_split_are_its():
    for name in LINKS:
        config, _ = from_link(LINKS[name][0])
        t = Trainer(config)
        n = len(t.data.X_train) + len(t.data.X_test)
        assert n == (500 if config.task == "classification" else 1200)
        assert abs(len(t.data.X_train) - round(n * (1 - config.test_ratio))) <= 2
        assert t.data.extent[0][0] <= -6 and t.data.extent[0][1] >= 6   # its [-6, 6] plane


def test_what_cannot_come_is_named():
    config, notes = from_link(
        SITE + "activation=relu&regularization=L1&regularizationRate=0.003&dataset=spiral"
        "&learningRate=abc&networkShape=8,8,x&batchSize=7&percTrainData=70&noise=35"
        "&xSquared=true&cosX=true&showTestData=true&discretize=true&foo=1&initZero=true"
        "&tutorial=spiral&seed=hello&activation_hide=true")
    text = " ".join(notes)
    assert config.lr == 0.015 and config.hidden == (4, 2) and config.l1 == 0.006
    assert config.features == ("x1", "x2", "x1^2") and config.noise == 0.35
    assert config.seed == nnviz_seed("hello") and config.test_ratio == pytest.approx(0.3)
    for words in ("learningRate='abc': not a number; its default 0.03 is used",
                  "networkShape='8,8,x'", "'foo'", "'tutorial', 'activation_hide'",
                  "L1 pushes across zero", "initZero", "Ignored cosX",
                  "Show test data and Discretize output are switches",
                  "carries its last, shorter batch",         # 350 training points, batches of 7: no
                  "the L1 rate 0.003 as 0.006", "from its seed 'hello'"):
        if words == "carries its last, shorter batch":
            assert words not in text
        else:
            assert words in text, words
    _, notes = from_link(SITE + "batchSize=8&percTrainData=50")   # 250 = 31·8 + 2
    assert any("carries its last, shorter batch" in n for n in notes)


def test_its_limits_and_defaults():
    config, notes = from_link("https://playground.tensorflow.org/")
    assert config == Config(**CLASSES, dataset="tf_circle", noise=0.0, test_ratio=0.5,
                            features=XY, hidden=(4, 2), activation="tanh", lr=0.015,
                            batch_size=10, seed=0)
    assert any("the link has no seed" in n for n in notes)
    config, notes = from_link("#noise=90&learningRate=30&regularization=L2"
                              "&regularizationRate=10&x=false&y=false&percTrainData=100")
    assert config.noise == 0.5 and config.lr == 10.0 and config.l2 == 10.0
    assert config.features == XY and config.test_ratio == 0.5
    text = " ".join(notes)
    for words in ("learning rate 30 would be 15", "regularization rate 10 would be 20",
                  "every input off", "percTrainData=100"):
        assert words in text, words
    assert from_link("#noise=70&dataset=xor")[0].noise == 0.5          # its slider stops at 50
    assert (nnviz_seed("0.80370"), nnviz_seed("0.5"), nnviz_seed(None)) == (80370, 5, 0)


@pytest.mark.parametrize("text, message", [
    ("", "not a TensorFlow Playground link"),
    ("https://example.com/#a=1&b=2", "not a TensorFlow Playground link"),
    ("ds=moons&lr=0.1", "not a TensorFlow Playground link"),
    (SITE + "x=true" * 1000, f"at most {MAX_PLAYGROUND_LINK:,}"),
    (None, "is text"),
])
def test_what_is_not_a_link_says_so(text, message):
    with pytest.raises(ValueError, match=message):
        from_link(text)


PIECES = st.sampled_from(["activation=", "networkShape=", "learningRate=", "batchSize=",
                          "regularization=", "regularizationRate=", "noise=", "x=", "seed=",
                          "percTrainData=", "problem=", "dataset=", "regDataset=", "&", "=",
                          "#", "%", "L1", "relu", "1e9", "-3", "nan", "0.5", "8,8", ",", ""])


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=30))
def test_any_hash_gives_a_config_or_one_clear_error(pieces):
    try:
        config, notes = from_link(SITE + "".join(pieces))
    except ValueError as e:
        assert "\n" not in str(e)
        return
    assert isinstance(config, Config) and all(isinstance(n, str) for n in notes)


# -- TensorFlow Playground's update rule, transcribed from its src/nn.ts --------------------

TF_ACTIVATIONS = {
    "tanh": (math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    "relu": (lambda x: max(0.0, x), lambda x: 0.0 if x <= 0 else 1.0),
    "sigmoid": (lambda x: 1 / (1 + math.exp(-x)),
                lambda x: (1 / (1 + math.exp(-x))) * (1 - 1 / (1 + math.exp(-x)))),
    "linear": (lambda x: x, lambda x: 1.0),
}
TF_REGULARIZATION = {"L1": lambda w: -1.0 if w < 0 else (1.0 if w > 0 else 0.0),
                     "L2": lambda w: w}


class Node:
    def __init__(self, bias, activation):
        self.bias, self.f, self.df = bias, *TF_ACTIVATIONS[activation]
        self.links, self.outputs = [], []
        self.output = self.total = self.output_der = self.input_der = 0.0
        self.acc_input_der, self.n_acc = 0.0, 0


class Link:
    def __init__(self, source, dest, weight):
        self.source, self.dest, self.weight = source, dest, weight
        self.dead, self.acc_error_der, self.n_acc = False, 0.0, 0


def tf_network(params, activations):
    """Its Node[][] with nnviz's first weights: W[i, j] links node i to node j."""
    layers = [[Node(0.0, "linear") for _ in range(params[0][0].shape[0])]]
    for (W, b), act in zip(params, activations, strict=True):
        layer = [Node(float(b[j]), act) for j in range(W.shape[1])]
        for j, node in enumerate(layer):
            for i, prev in enumerate(layers[-1]):
                link = Link(prev, node, float(W[i, j]))
                prev.outputs.append(link)
                node.links.append(link)
        layers.append(layer)
    return layers


def tf_forward(network, inputs):
    for node, x in zip(network[0], inputs, strict=True):
        node.output = x
    for layer in network[1:]:
        for node in layer:
            node.total = node.bias + sum(link.weight * link.source.output for link in node.links)
            node.output = node.f(node.total)
    return network[-1][0].output


def tf_backward(network, target):
    network[-1][0].output_der = network[-1][0].output - target      # Errors.SQUARE.der
    for k in range(len(network) - 1, 0, -1):
        for node in network[k]:
            node.input_der = node.output_der * node.df(node.total)
            node.acc_input_der += node.input_der
            node.n_acc += 1
        for node in network[k]:
            for link in node.links:
                if not link.dead:
                    link.acc_error_der += node.input_der * link.source.output
                    link.n_acc += 1
        if k > 1:
            for node in network[k - 1]:
                node.output_der = sum(out.weight * out.dest.input_der for out in node.outputs)


def tf_update(network, learning_rate, regularization_rate, regularization):
    der = TF_REGULARIZATION.get(regularization)
    for layer in network[1:]:
        for node in layer:
            if node.n_acc > 0:
                node.bias -= learning_rate * node.acc_input_der / node.n_acc
                node.acc_input_der, node.n_acc = 0.0, 0
            for link in node.links:
                if link.dead:
                    continue
                reg = der(link.weight) if der else 0.0
                if link.n_acc > 0:
                    link.weight -= (learning_rate / link.n_acc) * link.acc_error_der
                    new = link.weight - learning_rate * regularization_rate * reg
                    if regularization == "L1" and link.weight * new < 0:
                        link.weight, link.dead = 0.0, True
                    else:
                        link.weight = new
                    link.acc_error_der, link.n_acc = 0.0, 0


def tf_params(network):
    return [(np.array([[link.weight for link in node.links] for node in layer]).T,
             np.array([node.bias for node in layer])) for layer in network[1:]]


ALGEBRA = {
    "classes-tanh-l2": SITE + "activation=tanh&dataset=xor&networkShape=3,2&batchSize=10"
                              "&learningRate=0.1&regularization=L2&regularizationRate=0.03"
                              "&xTimesY=true&percTrainData=20&seed=0.1",
    "classes-relu-l1": SITE + "activation=relu&dataset=circle&networkShape=4&batchSize=7"
                              "&learningRate=0.03&regularization=L1&regularizationRate=0.001"
                              "&xSquared=true&ySquared=true&percTrainData=20&seed=0.2",
    "regression-sigmoid": SITE + "activation=sigmoid&problem=regression&regDataset=reg-gauss"
                                 "&networkShape=5&batchSize=10&learningRate=0.3"
                                 "&percTrainData=10&seed=0.3",
}


@pytest.mark.parametrize("name", ALGEBRA)
def test_half_the_rate_and_twice_the_penalty_take_its_very_steps(name):
    """Its loss ½(out − t)² per point, averaged over a batch, has half the gradient of
    nnviz's (out − t)²: lr_tf · g_tf = (lr_tf / 2) · (2 g_tf), and its penalty step
    lr_tf · r_tf · R'(w) = (lr_tf / 2) · (2 r_tf) · R'(w). So each update is the same."""
    link = ALGEBRA[name]
    config, _ = from_link(link)
    state = dict(p.split("=") for p in link.split("#")[1].split("&"))
    t = Trainer(config)
    X, Y = t.data.preprocessor.transform(t.data.X_train), t.targets_of(t.data.y_train)
    net = t.net.copy()
    tf = tf_network(net.params, net.activations)
    opt = optimizers.make("sgd", lr=config.lr)
    batch = config.batch_size
    for start in range(0, len(X) - len(X) % batch, batch):     # its batches, in its order
        rows = slice(start, start + batch)
        net.loss_and_grads(X[rows], Y[rows], loss="mse", l1=config.l1, l2=config.l2)
        opt.step(net)
        for x, target in zip(X[rows], Y[rows, 0], strict=True):
            tf_forward(tf, x)
            tf_backward(tf, target)
        tf_update(tf, float(state["learningRate"]), float(state.get("regularizationRate", 0)),
                  state.get("regularization", "none"))
    assert not any(link.dead for layer in tf for node in layer for link in node.links)
    moved = 0.0
    for (W, b), (W_tf, b_tf), (W0, _) in zip(net.params, tf_params(tf), t.net.params,
                                             strict=True):
        np.testing.assert_allclose(W, W_tf, rtol=0, atol=1e-13)
        np.testing.assert_allclose(b, b_tf, rtol=0, atol=1e-13)
        moved = max(moved, float(np.abs(W - W0).max()))
    assert moved > 1e-3                                      # the steps were not nothing
    out = np.array([tf_forward(tf, x) for x in X])
    np.testing.assert_allclose(out, net.predict(X)[:, 0], rtol=0, atol=1e-13)


def test_a_full_batch_run_is_its_run_step_for_step():
    """With every training point in one batch, neither side's order matters: nnviz's
    Trainer, opened from the link, takes its steps epoch after epoch."""
    config, _ = from_link(SITE + "activation=tanh&dataset=gauss&networkShape=4,3"
                                 "&batchSize=1000&learningRate=0.3&noise=20&seed=0.4"
                                 "&regularization=L2&regularizationRate=0.01")
    t = Trainer(config)
    X, Y = t.data.preprocessor.transform(t.data.X_train), t.targets_of(t.data.y_train)
    tf = tf_network(t.net.params, t.net.activations)
    for _ in range(20):
        t.step(1)
        for x, target in zip(X, Y[:, 0], strict=True):
            tf_forward(tf, x)
            tf_backward(tf, target)
        tf_update(tf, 0.3, 0.01, "L2")
    for (W, b), (W_tf, b_tf) in zip(t.net.params, tf_params(tf), strict=True):
        np.testing.assert_allclose(W, W_tf, rtol=0, atol=1e-12)
        np.testing.assert_allclose(b, b_tf, rtol=0, atol=1e-12)
    its_loss = np.mean([0.5 * (tf_forward(tf, x) - y) ** 2 for x, y in zip(X, Y[:, 0],
                                                                          strict=True)])
    assert t.evaluate(exact=True)["train_loss"] == pytest.approx(2 * its_loss, rel=1e-12)
