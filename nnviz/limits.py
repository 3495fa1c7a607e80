"""Every limit of nnviz in one place: what a run may ask for, what an upload may be,
and the budget one session may spend on a shared server.

A link, an upload or a click comes from a stranger, and every session shares one
process with the others, so each of them is bounded here and nowhere else.

The sizes are fixed. The budget is a setting of the server: `BUDGET` is read from
the environment when nnviz is imported, so whoever hosts it can make it tighter or
looser without touching the code:

    NNVIZ_SLICE_MS        training time of one redraw               (default 50)
    NNVIZ_SESSION_MB      work memory of one session's network      (default 512)
    NNVIZ_ACTION_SECONDS  longest single action (check, sweep, ...) (default 3)
    NNVIZ_EVAL_ROWS       rows behind the live numbers              (default 5000)
    NNVIZ_MAX_PLAYING     playing sessions per process, 0: no cap   (default 0)
    NNVIZ_CPU             cores one server process may keep busy    (default 1)
    NNVIZ_MNIST_DIR       a directory of MNIST IDX files the app offers (default none)

This module imports nothing of nnviz, so every layer may read it.
"""

import os
from dataclasses import dataclass, fields

# -- what a run may ask for ---------------------------------------------------------------

MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 512                    # units in one hidden layer
MIN_SAMPLES = 10
MAX_SAMPLES = 100_000
MAX_BATCH = MAX_SAMPLES
MAX_SEED = 2**32 - 1
LR_RANGE = (1e-6, 10.0)
REG_RANGE = (0.0, 10.0)            # L1 and L2 rates
MOMENTUM_RANGE = (0.0, 0.999)
TEST_RATIO_RANGE = (0.05, 0.9)

MAX_GRID = 500                     # points a side of a grid the network is drawn over
MAX_QUERY_VALUE = 64               # characters of one value in a share link
MAX_DRAWN_POINTS = 200             # points drawn by hand; they travel in the link
MIN_DRAWN_POINTS = 4               # to split and train: two per class at the least
MAX_DRAWN_CLASSES = 4              # classes one may draw
MAX_CONFIG_JSON = 64 * 1024        # characters of a config's JSON; a real one has ~400
MAX_PLAYGROUND_LINK = 4096         # characters of a TensorFlow Playground link; a real one ~400

# -- what an uploaded table may be --------------------------------------------------------

MAX_TABLE_ROWS = MAX_SAMPLES
MIN_TABLE_ROWS = MIN_SAMPLES
MAX_TABLE_COLUMNS = 1_000
MAX_TABLE_CLASSES = 20             # more distinct whole numbers: a regression target
MAX_TABLE_BYTES = 200 * 2**20      # a file read from disk; the app's upload cap is lower
MAX_IDX_DIMS = 4                   # dimensions of an IDX file (MNIST's images have 3)
MAX_IDX_BYTES = 64 * 2**20         # an uploaded IDX file once decompressed (MNIST's 60,000
                                   # training images are 47 MB)

# -- how long a headless run may be -------------------------------------------------------

MAX_RUN_STEPS = 10_000_000         # `nnviz train --epochs` or `--steps`
MAX_SCRIPT_EPOCHS = 1_000_000      # the epochs an exported script trains by default

# -- what one action of the Inside tab may take -------------------------------------------

MAX_CHECK_PER_LAYER = 200          # parameters of a layer the gradient check takes by default
MAX_CHECK_PARAMS = 50_000          # parameters one gradient check may take in all
MAX_PINS = 6                       # runs pinned side by side
SWEEP_MAX_PARAMS = 5_000           # a sweep trains five networks: small ones only
SWEEP_MAX_STEPS = 3_000            # steps of each rate of a sweep

# -- how much a session may spend ---------------------------------------------------------

DATA_SHARE = 0.5                   # of a session's memory, what uploaded images may take in a
                                   # run (the network's work arrays have the rest)


@dataclass(frozen=True)
class Budget:
    """What one session may spend, per action.

    slice_seconds: training done by one redraw of the live view (the rest of a
      step, or of the steps a frame asks for, carries over to the next redraw);
    session_bytes: work memory of the session's network (the arrays of one
      forward and backward pass); a batch that needs more is split into chunks;
    action_seconds: the longest single action outside training (a gradient
      check, a learning-rate sweep, one step laid out), sampled or refused past it;
    eval_rows: rows behind the live numbers and curves (exact numbers on demand);
    max_playing: sessions of one process that may play at once (0: no cap);
    cpu: cores one server process may keep busy (its Python runs one thread at a time,
      so about one); past it every playing session trains and draws less, evenly.
    """

    slice_seconds: float = 0.05
    session_bytes: int = 512 * 2**20
    action_seconds: float = 3.0
    eval_rows: int = 5_000
    max_playing: int = 0
    cpu: float = 1.0

    @classmethod
    def from_env(cls, environ=None):
        """The budget with any NNVIZ_* settings of `environ` (default os.environ)
        applied; a malformed or out-of-range setting raises ValueError naming it."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            name, scale, low = ENV[f.name]
            raw = environ.get(name)
            if raw is None or not raw.strip():
                continue
            try:
                number = float(raw)
            except ValueError:
                raise ValueError(f"{name}={raw!r} is not a number") from None
            if not number >= low or number == float("inf"):
                raise ValueError(f"{name}={raw!r} is out of range: allowed {low:g} or more")
            value = number * scale
            values[f.name] = int(value) if isinstance(f.default, int) else value
        return cls(**values)


# field -> (environment variable, its unit in the field's unit, smallest allowed value)
ENV = {
    "slice_seconds": ("NNVIZ_SLICE_MS", 1e-3, 1.0),
    "session_bytes": ("NNVIZ_SESSION_MB", 2**20, 16.0),
    "action_seconds": ("NNVIZ_ACTION_SECONDS", 1.0, 0.1),
    "eval_rows": ("NNVIZ_EVAL_ROWS", 1, 100.0),
    "max_playing": ("NNVIZ_MAX_PLAYING", 1, 0.0),
    "cpu": ("NNVIZ_CPU", 1.0, 0.05),
}

BUDGET = Budget.from_env()
FILES_DIR = os.environ.get("NNVIZ_MNIST_DIR") or None
