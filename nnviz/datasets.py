"""Datasets and preprocessing, the public face of `nnviz.data`.

    from nnviz import datasets
    X, y = datasets.load("moons", n_samples=400, noise=0.2, seed=0)
    datasets.names("classification"); datasets.info("spiral", n_classes=3)
    table = datasets.from_csv("data.csv")          # X, y, task, feature_names, ...
"""

from nnviz.data.features import FEATURES, cross
from nnviz.data.idx import read_idx
from nnviz.data.preprocess import Preprocessor
from nnviz.data.registry import (
    KINDS,
    REGISTRY,
    DatasetInfo,
    Option,
    class_names,
    drawn_classes,
    drawn_set,
    info,
    load,
    names,
)
from nnviz.data.scale import Standardizer
from nnviz.data.split import split
from nnviz.data.table import Table, from_csv

__all__ = [
    "FEATURES", "KINDS", "REGISTRY", "DatasetInfo", "Option", "Preprocessor", "Standardizer",
    "Table", "class_names", "cross", "drawn_classes", "drawn_set", "from_csv", "info", "load",
    "names", "read_idx", "split",
]
