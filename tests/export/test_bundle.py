"""nnviz.bundle copies package code with all it uses, or says why it cannot."""

import importlib
import sys
import textwrap

import pytest

from nnviz import bundle, standalone
from nnviz.engine import reference


@pytest.fixture
def modules(tmp_path, monkeypatch):
    """Write modules into a temporary directory on sys.path; yields a maker."""
    monkeypatch.syspath_prepend(str(tmp_path))
    made = []

    def make(name, source):
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        made.append(name)
        return importlib.import_module(name)

    yield make
    for name in made:
        sys.modules.pop(name, None)
    bundle._module.cache_clear()


def run(import_blocks, sections, call):
    namespace = {}
    exec("\n\n".join([*import_blocks, *(s.text for s in sections), call]), namespace)
    return namespace["result"]


def test_a_table_and_what_is_added_to_it_later_are_copied_in_order(modules):
    m = modules("bundle_table", '''
        """A table."""
        import math

        SCALE = 2.0
        TABLE = {"one": lambda x: x}


        def twice(x):
            return SCALE * x


        TABLE["twice"] = twice


        def apply(name, x):
            return TABLE[name](math.floor(x))
        ''')
    imports, sections = bundle.bundle([m.apply])
    assert imports == ["import math"]
    text = sections[0].text
    assert text.index("def twice") < text.index('TABLE["twice"] = twice') < text.index("def apply")
    assert sections[0].doc == "A table"
    assert run(imports, sections, "result = apply('twice', 3.7)") == 6.0


def test_only_the_packages_own_imports_are_followed(modules):
    modules("bundle_low", '''
        import numpy as np

        def norm(v):
            return float(np.sqrt(np.sum(v * v)))
        ''')
    high = modules("bundle_high", '''
        from bundle_low import norm

        def unit(v):
            return v / norm(v)
        ''')
    with pytest.raises(ValueError, match="comes from bundle_low, which a standalone script "
                                         "cannot import"):
        bundle.bundle([high.unit])     # only nnviz's own modules are followed


def test_what_cannot_be_copied_is_refused(modules):
    m = modules("bundle_bad", '''
        import pytest

        def uses_pytest():
            return pytest.approx(1)
        ''')
    with pytest.raises(ValueError, match="bundle_bad.pytest comes from pytest"):
        bundle.bundle([m.uses_pytest])
    with pytest.raises(ValueError, match="not a top-level function or class"):
        bundle.bundle([lambda: 1])


def test_two_different_definitions_of_one_name_are_refused(modules):
    a = modules("bundle_a", "TINY = 1e-12\n\n\ndef small(x):\n    return x < TINY\n")
    b = modules("bundle_b", "TINY = 1e-6\n\n\ndef tiny(x):\n    return x < TINY\n")
    same = modules("bundle_c", "TINY = 1e-12   # the same, said again\n\n\n"
                               "def below(x):\n    return x < TINY\n")
    imports, sections = bundle.bundle([a.small, same.below])
    assert sum(s.text.count("TINY =") for s in sections) == 1
    with pytest.raises(ValueError, match="both define TINY, differently"):
        bundle.bundle([a.small, b.tiny])


def test_the_packages_script_code_is_copied_with_the_reference_network():
    imports, sections = bundle.bundle([standalone.generated, standalone.main])
    paths = [s.path for s in sections]
    assert paths.index("nnviz/engine/reference.py") < paths.index("nnviz/standalone.py")
    assert paths[-1] == "nnviz/standalone.py"
    ref = next(s.text for s in sections if s.path == "nnviz/engine/reference.py")
    assert "def backward(" in ref and "def forward(" in ref
    assert "import numpy as np" in imports[-1]
    assert all("nnviz" not in line for block in imports for line in block.splitlines())
    assert reference.__doc__.startswith(
        next(s.doc for s in sections if s.path == "nnviz/engine/reference.py"))


def test_a_name_imported_from_the_package_under_another_name_is_assigned_after_it():
    from nnviz.data import table
    imports, sections = bundle.bundle([table.from_csv])
    text = "\n".join(s.text for s in sections)
    limits_at = text.index("MAX_TABLE_CLASSES = ")
    assert limits_at < text.index("MAX_CLASSES = MAX_TABLE_CLASSES") < text.index("def from_csv")
    namespace = {}
    exec("\n\n".join([*imports, text]), namespace)
    assert namespace["MAX_CLASSES"] == table.MAX_CLASSES
