"""Teaching presets: one click sets a Config and shows a paragraph explaining it.

Each preset's text makes a claim (this stays at chance, that diverges); the tests
in tests/training/test_presets.py train each one for `steps` and check the claim.
"""

import dataclasses
from dataclasses import dataclass

from nnviz.config import Config


@dataclass(frozen=True)
class Preset:
    """name: stable id (for links); title: button label; config: the run;
    text: one paragraph shown above the charts; steps: training the claim needs."""

    name: str
    title: str
    config: Config
    text: str
    steps: int


def _with(dataset, **changes):
    return dataclasses.replace(Config.defaults_for(dataset), **changes)


PRESETS = {p.name: p for p in [
    Preset(
        "circles", "Circles: a first network", Config.defaults_for("circles"),
        "Two rings of points, one inside the other: no straight line separates them. "
        "Two hidden layers of 8 tanh units bend the plane until the inner ring sits in a "
        "pocket of its own; press Play and watch the boundary close around it in a few "
        "seconds. Then try one hidden layer, or only the x1² and x2² features with no "
        "hidden layer at all: a circle is a straight line in the space of squares.",
        steps=600),
    Preset(
        "xor-hidden-layer", "XOR needs a hidden layer", _with("xor", hidden=()),
        "The classes sit in opposite quadrants, so any single straight line gets about "
        "half of the points wrong, and a network without a hidden layer can only draw one "
        "straight line: it stays near 50% however long it trains. Add a hidden layer (two "
        "layers of 8 units reach about 98%), or keep no hidden layer and add the feature "
        "x1·x2, whose sign is the class.",
        steps=1500),
    Preset(
        "spiral-depth", "Spiral needs depth", _with("spiral", hidden=()),
        "Three arms curling around the centre. With no hidden layer the network is "
        "softmax regression: it can only cut the plane into three wedges with straight "
        "borders, and every arm runs through all three, so it stalls near 55%. Add hidden "
        "layers (16,16 is the default here): each one bends the plane the next one sees, "
        "the borders start to curl with the arms, and accuracy climbs past 95%. Watch the "
        "hidden-space view straighten the arms out layer by layer.",
        steps=1500),
    Preset(
        "lr-too-high", "Learning rate too high diverges",
        _with("plane", optimizer="sgd", lr=3.0),
        "A tilted plane that a tiny network fits in seconds, but trained with plain "
        "gradient descent at a learning rate of 3: every step overshoots the minimum by "
        "more than the last, the weights grow without bound, and within a few dozen steps "
        "training stops with a divergence message (the last sane weights are kept). Lower "
        "the learning rate to 0.03 and the same network fits the plane smoothly.",
        steps=300),
    Preset(
        "vanishing-gradients", "Vanishing gradients: deep sigmoid with small init",
        _with("moons", hidden=(8,) * 6, activation="sigmoid", init="small",
              optimizer="sgd", lr=0.1),
        "Six sigmoid layers whose weights start at 0.01·N(0, 1). A sigmoid's slope is at "
        "most 1/4, and each layer multiplies the backward signal by that slope and by "
        "small weights, so the gradient reaching the first layer is more than a million "
        "times smaller than at the output (see Gradient health): the early layers never move "
        "and the loss sits at 0.69, a coin toss. Switch to tanh or ReLU with xavier or he "
        "initialisation and it trains.",
        steps=1500),
    Preset(
        "adam-vs-sgd", "Adam vs SGD on the flower", _with("flower", optimizer="sgd"),
        "The petals of the classic one-hidden-layer tutorial, trained with plain SGD at "
        "learning rate 0.03: progress is slow and uneven, because one learning rate must "
        "suit every weight. Switch the optimizer to Adam, which scales each weight's step "
        "by its own recent gradients: at the same rate its loss falls faster and ends "
        "lower. Pin the SGD run first to compare the curves.",
        steps=1200),
    Preset(
        "digits-30s", "Digits in 30 seconds", Config.defaults_for("digits"),
        "1797 real handwritten digits, 8×8 pixels each, and one hidden layer of 64 ReLU "
        "units trained with Adam: after a few passes over the training images the network "
        "recognises more than 95% of digits it has never seen. Look at the confusion "
        "matrix for the digits it mixes up, and at the first layer's weights drawn as "
        "8×8 images: stroke detectors learned from scratch.",
        steps=500),
]}

DEFAULT = "circles"


def get(name):
    """The preset called `name`, or ValueError naming the allowed ones."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; allowed: {', '.join(PRESETS)}")
    return PRESETS[name]
