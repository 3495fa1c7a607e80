"""Compare runs: pinned loss curves, what changed between configs, and a
learning-rate sweep.

A run is summarised by its Config and its loss history; the legend of the
overlay names each run by the settings that differ between them, e.g.
"optimizer sgd→adam, lr 0.03→0.3".
"""

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from nnviz.limits import MAX_PINS, SWEEP_MAX_PARAMS, SWEEP_MAX_STEPS

# Short names for the legend; fields not listed use their own name.
SHORT_NAMES = {"learning_rate": "lr", "n_samples": "samples", "batch_size": "batch",
               "activation": "act", "activations": "act", "test_ratio": "test"}
SWEEP_RATES = 5


@dataclass(frozen=True)
class Run:
    """A finished or ongoing run: its config and its history (1-D arrays by name)."""

    config: object
    history: dict
    label: str = ""
    state: str = ""

    def curve(self, key="train_loss"):
        """(steps (n,), values (n,)) of one history entry; empty arrays when missing."""
        x = np.asarray(self.history.get("step", []), dtype=np.float64)
        y = np.asarray(self.history.get(key, []), dtype=np.float64)
        n = min(len(x), len(y))
        return x[:n], y[:n]


def run_of(trainer, label=""):
    """The trainer's run so far: a copy of its history, ending at the current step
    (the history is sampled; the latest metrics close the curves)."""
    snap = trainer.snapshot()
    history = {k: np.array(v, copy=True) for k, v in snap.history.items()}
    steps = history.get("step")
    if steps is not None and (len(steps) == 0 or steps[-1] < snap.steps):
        for k, v in history.items():
            latest = snap.metrics.get(k)
            if v.ndim == 1 and isinstance(latest, (int, float)):
                history[k] = np.append(v, latest)
        n = len(history["step"])
        history = {k: v for k, v in history.items() if v.ndim != 1 or len(v) == n}
    return Run(config=trainer.config, history=history, label=label, state=trainer.state)


def _fields(config):
    if dataclasses.is_dataclass(config):
        return {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}
    if isinstance(config, dict):
        return dict(config)
    raise TypeError(f"a config must be a dataclass or a dict, got {type(config).__name__}")


def _show(value):
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (tuple, list)):
        return ",".join(_show(v) for v in value) or "none"
    if isinstance(value, dict):
        return ",".join(f"{k}={_show(v)}" for k, v in sorted(value.items())) or "none"
    return str(value)


def config_diff(old, new):
    """The settings that differ: list of (name, old value, new value) as display strings."""
    a, b = _fields(old), _fields(new)
    out = []
    for key in list(a) + [k for k in b if k not in a]:
        va, vb = a.get(key), b.get(key)
        if va != vb:
            out.append((SHORT_NAMES.get(key, key), _show(va), _show(vb)))
    return out


def describe_change(old, new):
    """One line naming what changed, e.g. "optimizer sgd→adam, lr 0.03→0.3"."""
    diff = config_diff(old, new)
    if not diff:
        return "same settings"
    return ", ".join(f"{name} {va}→{vb}" for name, va, vb in diff)


def legend_labels(runs, current):
    """A legend label per pinned run and one for `current`, each naming its own
    values of the settings that differ from the current run."""
    labels = []
    for i, run in enumerate(runs):
        diff = config_diff(run.config, current.config)
        own = ", ".join(f"{name} {va}" for name, va, _ in diff) or "same settings"
        labels.append(f"pinned {i + 1}: {run.label or own}" if run.label else f"pinned {i + 1}: {own}")
    changed = {}
    for run in runs:
        for name, _, vb in config_diff(run.config, current.config):
            changed[name] = vb
    now = ", ".join(f"{k} {v}" for k, v in changed.items())
    labels.append(f"now: {now}" if now else "now")
    return labels


def pin(pins, run, max_pins=MAX_PINS):
    """pins + [run], dropping the oldest beyond `max_pins` (a new list)."""
    return (list(pins) + [run])[-max_pins:]


def sweep_rates(lr, n=SWEEP_RATES, low=1e-5, high=10.0):
    """n rates spread evenly in log scale over a factor 10 each side of `lr`,
    rounded to 2 significant digits and kept within [low, high]."""
    if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        raise ValueError(f"learning rate must be a positive number, got {lr!r}")
    centre = min(max(math.log10(lr), math.log10(low) + 1), math.log10(high) - 1)
    rates = []
    for e in np.linspace(centre - 1, centre + 1, n):
        r = float(f"{10 ** e:.2g}")
        rates.append(min(max(r, low), high))
    return rates


def lr_sweep(config, rates, steps, make_trainer, progress=None, lr_field="lr",
             max_params=SWEEP_MAX_PARAMS, chunk=50, seconds=None):
    """Train `config` once per learning rate for `steps` updates each.

    make_trainer: Config -> Trainer. progress(fraction, text) is called as it
    goes. Returns one Run per rate (a diverged run stops early, its state says so).
    Raises ValueError when the network is too big, the step count is out of range,
    or (with `seconds`) the sweep would take longer, saying how many steps would fit.
    """
    if not isinstance(steps, int) or not 1 <= steps <= SWEEP_MAX_STEPS:
        raise ValueError(f"steps must be an integer from 1 to {SWEEP_MAX_STEPS}, got {steps!r}")
    if not rates:
        raise ValueError("rates must name at least one learning rate")
    runs = []
    total = steps * len(rates)
    for i, lr in enumerate(rates):
        trainer = make_trainer(dataclasses.replace(config, **{lr_field: lr}))
        size = trainer.net.flat_params.size
        if size > max_params:
            raise ValueError(f"the sweep is for small networks: this one has {size} parameters, "
                             f"the limit is {max_params}")
        if seconds is not None and i == 0:
            need = len(rates) * steps * trainer.step_seconds()
            if need > seconds:
                fit = int(seconds / (len(rates) * trainer.step_seconds()))
                raise ValueError(f"a sweep of {len(rates)} × {steps:,} steps would take about "
                                 f"{need:.1f} s on this server, which allows {seconds:g} s: "
                                 f"try {fit:,} steps per rate or fewer")
        done = 0
        while done < steps and trainer.state != "diverged":
            n = min(chunk, steps - done)
            trainer.step(n)
            done += n
            if progress is not None:
                progress((i * steps + done) / total, f"lr {lr:g}: step {done} of {steps}")
        if progress is not None:
            progress((i + 1) * steps / total, f"lr {lr:g}: done")
        runs.append(dataclasses.replace(run_of(trainer), label=f"lr {lr:g}"))
    return runs
