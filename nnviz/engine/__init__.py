"""The network engine: a from-scratch NumPy MLP whose every gradient is checked.

    from nnviz.engine import MLP, optimizers
    net = MLP([2, 8, 8, 1], activations=["tanh", "tanh", "sigmoid"], seed=0)
    opt = optimizers.make("sgd", lr=0.1)
    loss, grads = net.loss_and_grads(X, y, loss="bce"); opt.step(net)

`reference` is the same network written as the textbook does (read it first).
"""

from . import optimizers, reference
from .activations import ACTIVATIONS, Activation, hidden_activations, output_activations
from .gradcheck import GradCheck, LayerCheck, gradcheck, relative_error
from .init import INITIALIZERS
from .losses import (
    CLASS_OUTPUTS,
    LOSSES,
    ClassOutput,
    Fused,
    Loss,
    fused,
    output_and_loss,
    valid_pairs,
)
from .mlp import MLP, StepTrace
from .optimizers import OPTIMIZERS, SGD, Adam, Momentum

__all__ = [
    "ACTIVATIONS", "Activation", "hidden_activations", "output_activations",
    "LOSSES", "Loss", "Fused", "fused", "valid_pairs", "output_and_loss", "CLASS_OUTPUTS",
    "ClassOutput", "INITIALIZERS",
    "MLP", "StepTrace", "reference",
    "OPTIMIZERS", "SGD", "Momentum", "Adam", "optimizers",
    "gradcheck", "GradCheck", "LayerCheck", "relative_error",
]
