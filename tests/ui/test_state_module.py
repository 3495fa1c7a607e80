"""The session's state is behind nnviz.ui.state: no other module touches
st.session_state, and only the Session's own methods set what it is doing (`job`)."""

import ast
from pathlib import Path

import nnviz

PACKAGE = Path(nnviz.__file__).resolve().parent
STATE = PACKAGE / "ui" / "state.py"


def modules():
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))]


def test_only_the_state_module_touches_session_state():
    found = [f"{p.relative_to(PACKAGE)}:{n.lineno}" for p, tree in modules() if p != STATE
             for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "session_state"]
    assert found == []


def test_only_the_session_sets_its_job():
    found = [f"{p.relative_to(PACKAGE)}:{n.lineno}" for p, tree in modules() if p != STATE
             for n in ast.walk(tree) if isinstance(n, ast.Assign | ast.AugAssign)
             for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
             if isinstance(t, ast.Attribute) and t.attr == "job"]
    assert found == []
