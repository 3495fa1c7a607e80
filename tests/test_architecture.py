"""docs/architecture.md matches the code: its layer diagram names every module of the
package once and every import points down it, and the page names every module and
every file the browser loads."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nnviz"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PACKAGES = ("data", "engine", "inside", "ui", "viz")        # drawn as one unit each
UNIT = re.compile(r"(?<![\w/])(app\.py|nnviz/\w+/|nnviz/\w+\.py)")


def diagram():
    """{unit: row} of the `text layers` block: row 0 at the top."""
    block = re.search(r"^```text layers\n(.*?)^```$", DOC, flags=re.S | re.M)
    assert block, "docs/architecture.md needs a ```text layers block"
    rows = [UNIT.findall(line) for line in block.group(1).splitlines()]
    rows = [r for r in rows if r]
    units = [u for r in rows for u in r]
    assert len(units) == len(set(units)), "a unit is drawn twice"
    return {u: i for i, r in enumerate(rows) for u in r}


def unit_of(path):
    """The diagram's unit of a file: its package, or the module itself."""
    rel = path.relative_to(ROOT)
    if rel.parts[0] == "nnviz" and len(rel.parts) > 2:
        return f"nnviz/{rel.parts[1]}/"
    return rel.as_posix()


def sources():
    files = [ROOT / "app.py", *sorted(PACKAGE.rglob("*.py"))]
    return [p for p in files if p.name != "__init__.py" or p.parent != PACKAGE]


def imports(path):
    """The units of nnviz `path` imports (by absolute import)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] != "nnviz" or len(parts) < 2:
                continue
            if parts[1] in PACKAGES:
                found.add(f"nnviz/{parts[1]}/")
            elif (PACKAGE / f"{parts[1]}.py").exists():
                found.add(f"nnviz/{parts[1]}.py")
    return found


def test_the_diagram_has_every_module_of_the_package_once():
    drawn = set(diagram())
    assert drawn == {unit_of(p) for p in sources()}


@pytest.mark.parametrize("path", sources(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_import_points_down_the_diagram(path):
    rows = diagram()
    unit = unit_of(path)
    up = sorted(u for u in imports(path) if u != unit and rows[u] <= rows[unit])
    assert up == [], f"{unit} (row {rows[unit]}) imports {up}, drawn at or above it"


def test_the_page_names_every_module_and_every_browser_file():
    modules = [p for p in PACKAGE.rglob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    browser = [p for p in (ROOT / "static").iterdir() if p.suffix == ".js"]
    missing = sorted(p.name for p in modules + browser if p.name not in DOC)
    assert missing == []


def test_the_diagram_is_checked_against_real_imports():
    assert imports(PACKAGE / "training.py") >= {"nnviz/config.py", "nnviz/engine/"}
    assert diagram()["nnviz/limits.py"] == max(diagram().values())
