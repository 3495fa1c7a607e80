"""Datasets are asked, not named: no module outside the registry decides what to do by
comparing a dataset's name (its tables of tuned defaults are keyed by name, which is no
decision), and the questions it asks have one answer in the registry."""

import ast
from pathlib import Path

import pytest

from nnviz import datasets
from nnviz.limits import MAX_DRAWN_CLASSES, MIN_SAMPLES

PACKAGE = Path(datasets.__file__).resolve().parent
REGISTRY_FILE = PACKAGE / "data" / "registry.py"


def names_compared(tree):
    """(line, name) of each comparison with a dataset's name as a string literal."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        for side in [node.left, *node.comparators]:
            items = side.elts if isinstance(side, ast.Tuple | ast.List | ast.Set) else [side]
            found += [(node.lineno, i.value) for i in items
                      if isinstance(i, ast.Constant) and i.value in datasets.REGISTRY]
    return found


def test_no_module_compares_a_dataset_name():
    hits = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != REGISTRY_FILE:
            found = names_compared(ast.parse(path.read_text(encoding="utf-8")))
            if found:
                hits[str(path.relative_to(PACKAGE))] = found
    assert hits == {}


def test_the_check_finds_a_comparison():
    assert names_compared(ast.parse('if c.dataset in ("csv", "x") or k == "mnist": pass')) \
        == [(1, "csv"), (1, "mnist")]


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_the_draw_tool_has_one_set_per_task(task):
    info = datasets.REGISTRY[datasets.drawn_set(task)]
    assert info.drawn and info.task == task and info.from_link


def test_drawn_classes_and_the_fewest_samples():
    assert [datasets.drawn_classes(k) for k in (None, 1, 2, 3, 10)] == \
        [2, 2, 2, 3, MAX_DRAWN_CLASSES]
    assert datasets.REGISTRY["drawn"].option("n_classes").high == MAX_DRAWN_CLASSES
    assert datasets.info("gaussians", n_classes=8).min_samples == max(MIN_SAMPLES, 16)
    assert datasets.info("sine").min_samples == MIN_SAMPLES
    assert datasets.class_names(3) == ("class 0", "class 1", "class 2")
