"""The README's first lines and its Python example stay true."""

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    first_block = re.search(r"```\n(.*?)```", README, re.S).group(1).splitlines()
    assert first_block == ["pip install -r requirements.txt && streamlit run app.py",
                           "pip install -r requirements-dev.txt && python -m pytest"]


def test_readme_python_example_runs_and_learns():
    code = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    scope = {}
    exec(compile(code, "README.md", "exec"), scope)
    out, y = scope["out"], scope["y"]
    assert out.shape == (len(y), 1)
    assert ((out[:, 0] > 0.5) == y).mean() > 0.9
