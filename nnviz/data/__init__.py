"""Datasets, CSV upload and preprocessing; the public face is `nnviz.datasets`."""
