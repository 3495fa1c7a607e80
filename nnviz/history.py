"""A bounded training history: at most `capacity` points, however long the run.

Points are taken every `every` steps (always at multiples of it, starting at
step 0), and wherever else the trainer is asked for one (a live view, at each frame
it draws). When the buffer is full, every other point is dropped and `every`
doubles, so the kept points still span the whole run and memory never grows after
construction.
"""

import numpy as np


class History:
    """scalars: names of per-point numbers (e.g. train_loss); n_layers: width of
    the per-layer series `weight_norm` and `grad_norm` ((n_points, n_layers))."""

    def __init__(self, scalars, n_layers, capacity=2000, every=1):
        if capacity < 2 or capacity % 2:
            raise ValueError(f"capacity must be an even number >= 2, got {capacity!r}")
        if every < 1:
            raise ValueError(f"every must be a positive number of steps, got {every!r}")
        self.capacity, self.every, self.n = capacity, int(every), 0
        self.scalar_names = ("step", "epoch", *scalars)
        self._scalars = {k: np.full(capacity, np.nan) for k in self.scalar_names}
        self._layers = {k: np.full((capacity, n_layers), np.nan)
                        for k in ("weight_norm", "grad_norm")}

    def due(self, step):
        """True when a point should be recorded at this step: `every` steps after the
        latest one (however that one came: a live view records a point per frame)."""
        last = self.last_step
        return last is None or step - last >= self.every

    def record(self, step, weight_norm, grad_norm, **scalars):
        """Append one point (step, epoch and every scalar name must be given)."""
        if self.n == self.capacity:
            self._halve()
        i = self.n
        self._scalars["step"][i] = step
        for k in self.scalar_names[1:]:
            self._scalars[k][i] = scalars[k]
        self._layers["weight_norm"][i] = weight_norm
        self._layers["grad_norm"][i] = grad_norm
        self.n += 1

    def _halve(self):
        keep = slice(0, self.n, 2)
        m = len(range(*keep.indices(self.n)))
        for a in (*self._scalars.values(), *self._layers.values()):
            a[:m] = a[keep]
            a[m:] = np.nan
        self.n = m
        self.every *= 2

    @property
    def last_step(self):
        """The step of the latest point, or None before the first."""
        return int(self._scalars["step"][self.n - 1]) if self.n else None

    def as_dict(self):
        """Copies of the recorded points: 1-D arrays keyed by scalar name, and
        `weight_norm`, `grad_norm` of shape (n_points, n_layers)."""
        out = {k: v[:self.n].copy() for k, v in self._scalars.items()}
        out["step"] = out["step"].astype(np.int64)
        out.update({k: v[:self.n].copy() for k, v in self._layers.items()})
        return out

    @property
    def nbytes(self):
        return sum(a.nbytes for a in (*self._scalars.values(), *self._layers.values()))
