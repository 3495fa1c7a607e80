"""Replay: a bounded record of the decision boundary as training went.

The buffer keeps at most `capacity` frames. When it fills, every other frame is
dropped and the spacing between kept frames doubles, so the frames always span
the whole run from its first step to its latest, evenly enough to scrub through.
"""

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Frame:
    """One boundary snapshot: x1 (r,), x2 (r,), out (r, r, n_out) float32, at `step`."""

    step: int
    epoch: float
    x1: np.ndarray
    x2: np.ndarray
    out: np.ndarray
    metrics: dict = field(default_factory=dict)


class Replay:
    """At most `capacity` frames, evenly thinned as the run grows."""

    def __init__(self, capacity=60):
        if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 2:
            raise ValueError(f"capacity must be an integer >= 2, got {capacity!r}")
        self.capacity = capacity
        self.stride = 1  # keep a frame only every `stride` steps
        self.frames = []

    def __len__(self):
        return len(self.frames)

    @property
    def steps(self):
        return [f.step for f in self.frames]

    def wants(self, step):
        """True when a frame taken at `step` would be kept (call before computing one)."""
        if not self.frames:
            return True
        return step - self.frames[-1].step >= self.stride

    def add(self, frame):
        """Keep `frame` if it is due (see `wants`); returns whether it was kept.

        A step earlier than the last frame means a new run: the buffer restarts.
        """
        if self.frames and frame.step < self.frames[-1].step:
            self.clear()
        if not self.wants(frame.step):
            return False
        self.frames.append(frame)
        if len(self.frames) > self.capacity:
            self._thin()
        return True

    def clear(self):
        self.frames = []
        self.stride = 1

    def _thin(self):
        # Keep the first frame and every other one after it; the latest frame
        # survives too (it is what the live view shows) unless it was just kept.
        kept = self.frames[::2]
        if kept[-1] is not self.frames[-1]:
            kept[-1] = self.frames[-1]
        self.frames = kept
        self.stride *= 2


def frame_of(trainer, resolution=60):
    """The trainer's boundary now, as a Frame (data with 1 or 2 inputs only).

    1-D data (x2 None) gives out (r, n_out)."""
    grid = trainer.predict_grid(resolution)
    metrics = {k: v for k, v in trainer.evaluate().items() if isinstance(v, (int, float))}
    return Frame(step=int(trainer.steps), epoch=float(trainer.epoch), x1=grid.x1, x2=grid.x2,
                 out=np.asarray(grid.out, dtype=np.float32), metrics=metrics)
