"""docs/architecture.md's `python add-activation` block, appended as it stands to the
end of a copy of nnviz/engine/activations.py, adds softsign everywhere: Config, the
Trainer, the gradient check, the Inside tab's equations, the CLI help, the exported
script and the engine's own table-driven tests."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECKS = r'''
import json, subprocess, sys
from pathlib import Path

import numpy as np

import nnviz
from nnviz import cli
from nnviz.config import Config
from nnviz.engine import ACTIVATIONS, MLP, gradcheck, hidden_activations, reference
from nnviz.export import standalone_script
from nnviz.inside import check, equations
from nnviz.training import Trainer

assert Path(nnviz.__file__).resolve().is_relative_to(Path.cwd().resolve()), nnviz.__file__
found = {"hidden": "softsign" in hidden_activations()}

config = Config(dataset="moons", hidden=(6, 6), activation="softsign", n_samples=200)
trainer = Trainer(config)
before = trainer.evaluate()["train_loss"]
trainer.step(5 * trainer.steps_per_epoch)
found["trains"] = trainer.state == "running" and trainer.evaluate()["train_loss"] < before
view = check.run(trainer, trainer.next_batch_indices())
found["gradient check"] = view.ok

rng = np.random.default_rng(0)
net = MLP([3, 4, 2], ["softsign", "softsign"], seed=1)
X, y = rng.standard_normal((9, 3)), rng.standard_normal((9, 2))
found["gradcheck, softsign output"] = gradcheck(net, X, y, "mse", l2=0.1).max_relative_error < 1e-6
loss, grads = net.loss_and_grads(X, y, "mse")
ref_loss, ref_grads = reference.loss_and_grads(net.params, net.activations, X, y, "mse")
found["reference"] = abs(loss - ref_loss) < 1e-12 and all(
    np.allclose(a, b, rtol=1e-12, atol=1e-14) for pa, pb in zip(grads, ref_grads) for a, b in zip(pa, pb))

found["equations"] = (
    equations.forward(1, "softsign").endswith(r"\frac{Z^{[1]}}{1 + |Z^{[1]}|}")
    and r"\frac{1}{(1 + |Z^{[1]}|)^{2}}" in equations.hidden_delta(1, "softsign")
    and r"\odot" in equations.output_delta("softsign", "mse", 2, 8, 1)[0])
found["regression output"] = Config(
    dataset="sine", output_activation="softsign").output_and_loss() == ("softsign", "mse")

try:
    cli.main(["train", "--help"])
except SystemExit:
    pass

Path("run.py").write_text(standalone_script(config, epochs=2), encoding="utf-8")
script = subprocess.run([sys.executable, "-I", "run.py"], capture_output=True, text=True,
                        timeout=60)
last = json.loads(script.stdout.splitlines()[-1])
found["export"] = script.returncode == 0 and last["steps"] > 0 and last["dataset"] == "moons"
print(json.dumps(found))
'''


def the_block():
    """The fenced block whose info string is exactly `python add-activation`."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python add-activation\n(.*?)^```$", doc, flags=re.S | re.M)
    assert len(blocks) == 1, "docs/architecture.md needs one python add-activation block"
    return blocks[0]


def test_the_documented_block_adds_softsign_everywhere(tmp_path):
    shutil.copytree(ROOT / "nnviz", tmp_path / "nnviz",
                    ignore=shutil.ignore_patterns("__pycache__", "vendor", "*.js"))
    shutil.copytree(ROOT / "tests" / "engine", tmp_path / "tests" / "engine",
                    ignore=shutil.ignore_patterns("__pycache__", "test_add_activation.py"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    activations = tmp_path / "nnviz" / "engine" / "activations.py"
    assert "softsign" not in activations.read_text(encoding="utf-8")
    with activations.open("a", encoding="utf-8") as f:
        f.write(the_block())
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    result = subprocess.run([sys.executable, "-c", CHECKS], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    found = json.loads(lines[-1])
    assert all(found.values()), found
    assert "softsign" in "".join(lines[:-1])          # the CLI's --activation help
    assert "def softsign(" in (tmp_path / "run.py").read_text(encoding="utf-8")

    # The engine's own tests iterate over the table: they collect and pass softsign cases.
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/engine/test_engine_tables.py", "tests/engine/test_reference.py",
         "tests/engine/test_engine_gradients.py", "-k", "softsign and not 3x"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    passed = int(re.search(r"(\d+) passed", tests.stdout).group(1))
    assert passed >= 20, tests.stdout
