"""nnviz: a neural-network playground built on a from-scratch NumPy MLP.

    from nnviz import MLP, datasets
"""

import importlib

__all__ = ["MLP", "datasets"]
__version__ = "0.1.0"


def __getattr__(name):
    # Imported on first use, so `import nnviz.engine` stays light.
    if name == "MLP":
        return importlib.import_module("nnviz.engine").MLP
    if name == "datasets":
        return importlib.import_module("nnviz.datasets")
    raise AttributeError(f"module 'nnviz' has no attribute {name!r}")
