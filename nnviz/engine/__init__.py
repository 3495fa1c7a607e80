"""The network engine: a from-scratch NumPy MLP whose every gradient is checked.

    from nnviz.engine import MLP, optimizers
    net = MLP([2, 8, 8, 1], activations=["tanh", "tanh", "sigmoid"], seed=0)
    opt = optimizers.make("sgd", lr=0.1)
    loss, grads = net.loss_and_grads(X, y, loss="bce"); opt.step(net)
"""

from . import optimizers
from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, Activation
from .gradcheck import GradCheck, LayerCheck, gradcheck, relative_error
from .init import INITIALIZERS
from .losses import FUSED, LOSSES, VALID_PAIRS, Loss
from .mlp import MAX_HIDDEN_LAYERS, MAX_WIDTH, MLP, StepTrace
from .optimizers import OPTIMIZERS, SGD, Adam, Momentum

__all__ = [
    "ACTIVATIONS", "HIDDEN_ACTIVATIONS", "OUTPUT_ACTIVATIONS", "Activation",
    "LOSSES", "VALID_PAIRS", "FUSED", "Loss", "INITIALIZERS",
    "MLP", "StepTrace", "MAX_HIDDEN_LAYERS", "MAX_WIDTH",
    "OPTIMIZERS", "SGD", "Momentum", "Adam", "optimizers",
    "gradcheck", "GradCheck", "LayerCheck", "relative_error",
]
