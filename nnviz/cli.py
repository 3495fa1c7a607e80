"""The command line: `python -m nnviz train | export | predict | bench`.

    python -m nnviz train --dataset moons --hidden 8,8 --lr 0.03 --epochs 200 --json
    python -m nnviz train --csv data.csv --save model.npz
    python -m nnviz export --dataset moons --epochs 200 -o moons.py
    python -m nnviz train --playground "https://playground.tensorflow.org/#activation=..."
    python -m nnviz predict --model model.npz --input points.csv
    python -m nnviz bench [--json]          python -m nnviz bench --viz

Exit status: 0 done, 2 bad arguments or input (one line on stderr), 3 training
diverged, 130 stopped by Ctrl-C (the results so far are still printed and saved).
"""

import argparse
import csv
import dataclasses
import importlib
import io
import json
import math
import sys
import time

import numpy as np

EXIT_USAGE = 2
EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130
PROGRESS_DELAY = 0.5        # seconds before the progress bar appears: short runs show none


# What a run's data needs besides its settings (the registry entry's `needs`): what it
# is, and the flag that gives it.
DATA_FLAGS = {"table": ("a CSV file", "--csv FILE"),
              "path": ("IDX files", "--mnist-path DIR (the directory of "
                       "train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz])")}


class UsageError(Exception):
    """Bad arguments or input: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _hidden(text):
    text = text.strip()
    if text.lower() in ("", "none", "0"):
        return ()
    try:
        return tuple(int(p) for p in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--hidden {text!r}: give layer widths separated by commas, e.g. 8,8 "
            "(or 'none' for no hidden layer)") from None


def _names(text):
    parts = tuple(p.strip() for p in text.split(",") if p.strip())
    if not parts:
        raise argparse.ArgumentTypeError("give at least one name")
    return parts


def _activation(text):
    parts = _names(text)
    return parts[0] if len(parts) == 1 else parts


# Config field -> (flag, argparse type, metavar, help); {names} filled in from the tables
TRAIN_FLAGS = {
    "dataset": ("--dataset", str, "NAME", "{datasets}"),
    "n_samples": ("--n-samples", int, "N", "number of samples ({min_samples} to {max_samples})"),
    "noise": ("--noise", float, "X", "noise of a synthetic dataset (its own range)"),
    "n_classes": ("--classes", int, "K", "number of classes (gaussians, spiral: 2 to 8)"),
    "test_ratio": ("--test-ratio", float, "R", "share of the data held out for testing "
                   "({test_ratio})"),
    "features": ("--features", _names, "F,F,..", "inputs of 2-D data: {features}"),
    "hidden": ("--hidden", _hidden, "W,W,..", "hidden layer widths, e.g. 8,8, or none "
               "(up to {max_layers} layers of 1 to {max_units})"),
    "activation": ("--activation", _activation, "A[,A..]",
                   "one for all hidden layers, or one per layer: {activations}"),
    "output_activation": ("--output-activation", str, "A", "auto (from the task); for "
                          "classes {class_outputs} (tanh: 2 classes, targets ±1 with mse); "
                          "for regression {activations}"),
    "loss": ("--loss", str, "L", "auto (from the task), bce, cross_entropy or mse"),
    "init": ("--init", str, "I", "weight initialisation: {inits}"),
    "optimizer": ("--optimizer", str, "O", "{optimizers}"),
    "lr": ("--lr", float, "X", "learning rate ({lr})"),
    "momentum": ("--momentum", float, "X", "momentum of the momentum optimizer ({momentum})"),
    "l1": ("--l1", float, "X", "L1 regularization rate ({reg})"),
    "l2": ("--l2", float, "X", "L2 regularization rate ({reg})"),
    "batch_size": ("--batch-size", int, "N", "minibatch size (the training set's size or "
                   "more: full batch)"),
    "seed": ("--seed", int, "N", "random seed of the data, the split and the batch order "
             "(and of the first weights, unless --init-seed)"),
    "init_seed": ("--init-seed", int, "N", "random seed of the first weights (default: "
                  "--seed)"),
    "points": ("--points", str, "HEX", "drawn points, as a share link's pts= carries them "
               "(with --dataset drawn or drawn_values)"),
}
# Config field -> (flag, help) of the True/False fields: --flag and --no-flag
SWITCH_FLAGS = {
    "nesterov": ("--nesterov", "Nesterov momentum (optimizer momentum)"),
    "standardize": ("--standardize", "standardise the inputs and regression targets on the "
                    "training set (the default); --no-standardize feeds the raw numbers"),
}


def _help_names():
    from nnviz import datasets, limits
    from nnviz.engine.activations import hidden_activations
    from nnviz.engine.init import INITIALIZERS
    from nnviz.engine.losses import CLASS_OUTPUTS
    from nnviz.engine.optimizers import OPTIMIZERS

    def span(r):
        return f"{r[0]:g} to {r[1]:g}"
    return dict(
        datasets=", ".join(datasets.REGISTRY),
        min_samples=limits.MIN_SAMPLES, max_samples=f"{limits.MAX_SAMPLES:,}",
        test_ratio=span(limits.TEST_RATIO_RANGE), features=", ".join(datasets.FEATURES),
        max_layers=limits.MAX_HIDDEN_LAYERS, max_units=limits.MAX_UNITS,
        activations=", ".join(hidden_activations()), inits=", ".join(INITIALIZERS),
        class_outputs=", ".join(CLASS_OUTPUTS),
        optimizers=", ".join(OPTIMIZERS), lr=span(limits.LR_RANGE),
        momentum=span(limits.MOMENTUM_RANGE), reg=span(limits.REG_RANGE))


def build_parser():
    p = _Parser(prog="nnviz", description="A neural-network playground: headless "
                "training, prediction and benchmarks.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser,
                           metavar="{train,export,predict,bench}")

    t = sub.add_parser("train", help="train a network and report its metrics",
                       description="Train a network. Unset flags take the dataset's tuned "
                       "defaults (or those of --config).")
    _config_flags(t)
    t.add_argument("--csv", metavar="DATA.csv", help="train on a CSV file (numeric, "
                   "header row; target column label/target/y or the last)")
    t.add_argument("--target", metavar="COL[,COL..]", help="target column of --csv (name "
                   "or index); several, separated by commas, make a regression with one "
                   "output each")
    t.add_argument("--mnist-path", metavar="DIR", help="with a dataset read from files "
                   "(mnist): the directory (or file prefix) of train-images-idx3-ubyte and "
                   "train-labels-idx1-ubyte")
    t.add_argument("--task", choices=("classification", "regression"),
                   help="force the task of --csv")
    budget = t.add_mutually_exclusive_group()
    budget.add_argument("--epochs", type=int, metavar="N", help="passes over the training "
                        "set (default: the dataset's)")
    budget.add_argument("--steps", type=int, metavar="N", help="minibatch updates (instead "
                        "of --epochs)")
    t.add_argument("--save", metavar="MODEL.npz", help="write the trained model here")
    t.add_argument("--json", action="store_true", help="end with one JSON line of metrics")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    t.set_defaults(func=train)

    e = sub.add_parser("export", help="write a standalone NumPy script of a run",
                       description="Write one Python file that reproduces the run with "
                       "NumPy alone (the flags are train's). A csv or mnist run's script "
                       "takes the data path as its first argument.")
    _config_flags(e)
    e.add_argument("--epochs", type=int, metavar="N", help="passes over the training set "
                   "the script makes by default (default: the dataset's)")
    e.add_argument("-o", "--output", metavar="RUN.py", help="where to write it (default: "
                   "nnviz_<dataset>.py)")
    e.set_defaults(func=export, csv=None)

    q = sub.add_parser("predict", help="predict with a saved model, CSV in, CSV out",
                       description="Print predictions as CSV. The input CSV has a header "
                       "row and the model's raw input columns (by name, or exactly that "
                       "many columns).")
    q.add_argument("--model", required=True, metavar="MODEL.npz")
    q.add_argument("--input", required=True, metavar="POINTS.csv")
    q.set_defaults(func=predict)

    sub.add_parser("bench", add_help=False, help="time the engine (nnviz.bench); "
                   "--viz times the figures; --json for machines")
    return p


def _config_flags(parser):
    """A flag for every Config field, and --config: train's and export's."""
    names = _help_names()
    for field, (flag, type_, metavar, help_) in TRAIN_FLAGS.items():
        parser.add_argument(flag, dest=field, type=type_, default=None, metavar=metavar,
                            help=help_.format(**names))
    for field, (flag, help_) in SWITCH_FLAGS.items():
        parser.add_argument(flag, dest=field, action=argparse.BooleanOptionalAction,
                            default=None, help=help_)
    base = parser.add_mutually_exclusive_group()
    base.add_argument("--config", metavar="RUN.json", help="start from this Config JSON")
    base.add_argument("--playground", metavar="URL", help="start from the run of a "
                      "TensorFlow Playground link (what cannot come is said on stderr)")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv and argv[0] == "bench":
            return bench(argv[1:])
        args = build_parser().parse_args(argv)
        return args.func(args)
    except UsageError as e:
        print(f"nnviz: error: {_one_line(e)}", file=sys.stderr)
        return EXIT_USAGE
    except MemoryError:
        print("nnviz: error: out of memory: the input is too large for this machine",
              file=sys.stderr)
        return EXIT_USAGE
    except RecursionError:
        print("nnviz: error: the input is nested too deeply to read", file=sys.stderr)
        return EXIT_USAGE


def _one_line(e):
    return " ".join(str(e).split())


# -- train ---------------------------------------------------------------------------

def make_config(args, notes=None):
    """The Config of a `train` command line: --config, --playground or the dataset's
    defaults, then every flag given. The link's notes (what of its run could not come)
    are added to `notes`. Raises UsageError with Config's message."""
    from nnviz import datasets
    from nnviz.config import DEFAULT_DATASET, Config
    from nnviz.playground_link import from_link

    given = {f: getattr(args, f) for f in (*TRAIN_FLAGS, *SWITCH_FLAGS)
             if getattr(args, f) is not None}
    if args.csv is not None:
        table = datasets.names(kind="table")[0]
        if given.get("dataset", table) != table:
            raise UsageError(f"--csv and --dataset {given['dataset']} conflict; give one")
        given["dataset"] = table
    try:
        if args.config is not None:
            base = Config.from_json(_read_text(args.config, "--config"))
        elif args.playground is not None:
            base, link_notes = from_link(args.playground)
            if notes is not None:
                notes += link_notes
        else:
            base = Config.defaults_for(given.get("dataset", DEFAULT_DATASET))
        values = dataclasses.asdict(base)
        if given.get("dataset", base.dataset) != base.dataset:
            # another dataset: its own sizes, noise, classes and features
            values.update(n_samples=None, noise=None, n_classes=None, features=None)
        values.update(given)
        return Config(**values)
    except ValueError as e:
        raise UsageError(str(e)) from None


def _read_text(path, flag):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"{flag} {path}: cannot read it ({e.__class__.__name__}: "
                         f"{getattr(e, 'strerror', None) or e})") from None


def _print_notes(notes):
    for note in notes:
        print(f"nnviz: note: {note}", file=sys.stderr)


def train(args):
    from nnviz import datasets, limits
    from nnviz.training import Trainer

    notes = []
    config = make_config(args, notes)
    _print_notes(notes)
    table = None
    if args.csv is not None:
        target = None
        if args.target is not None:
            target = [int(t) if t.strip().isdigit() else t.strip()
                      for t in args.target.split(",")]
            target = target[0] if len(target) == 1 else target
        try:
            table = datasets.from_csv(args.csv, target=target, task=args.task)
        except FileNotFoundError:
            raise UsageError(f"--csv {args.csv}: no such file") from None
        except (OSError, ValueError) as e:
            raise UsageError(f"--csv {args.csv}: {e}") from None
    elif args.target is not None or args.task is not None:
        raise UsageError("--target and --task apply only with --csv")
    need = datasets.info(config.dataset).needs
    if need is not None and {"table": table, "path": args.mnist_path}[need] is None:
        what, flag = DATA_FLAGS[need]
        run = f"the run in {args.config}" if args.config else f"--dataset {config.dataset}"
        raise UsageError(f"{run} reads its data from {what}: add {flag}")
    if args.mnist_path is not None and need != "path":
        raise UsageError(f"--mnist-path applies only to data read from IDX files "
                         f"(--dataset {' or '.join(datasets.names(kind='files'))})")
    for flag in ("epochs", "steps"):
        v = getattr(args, flag)
        if v is not None and not 0 <= v <= limits.MAX_RUN_STEPS:
            raise UsageError(f"--{flag} {v} is out of range: allowed 0 to "
                             f"{limits.MAX_RUN_STEPS:,}")
    try:
        trainer = Trainer(config, table=table, path=args.mnist_path)
    except ValueError as e:
        raise UsageError(str(e)) from None

    total = args.steps if args.steps is not None else \
        (args.epochs if args.epochs is not None else config.default_epochs()) \
        * trainer.steps_per_epoch
    start = time.perf_counter()
    interrupted = _run(trainer, total, quiet=args.quiet)
    seconds = time.perf_counter() - start

    m = trainer.evaluate()
    result = {k: m[k] for k in ("train_loss", "test_loss") if k in m}
    for k in ("train_accuracy", "test_accuracy", "train_r2", "test_r2",
              "train_r2_per_output", "test_r2_per_output"):
        if k in m:
            result[k] = m[k]
    result.update(steps=trainer.steps, epochs=trainer.epoch, seconds=round(seconds, 4),
                  state=trainer.state, dataset=config.dataset, config=config.to_dict())
    if trainer.state == "diverged":
        result["reason"] = trainer.reason
    if interrupted:
        result["interrupted"] = True
    if args.save is not None:
        try:
            trainer.save(args.save)
        except OSError as e:
            raise UsageError(f"--save {args.save}: {e.strerror or e}") from None
    if args.json:
        print(json.dumps(_finite(result), allow_nan=False, default=_jsonable))
    else:
        _print_summary(config, result)
    if trainer.state == "diverged":
        print(f"nnviz: diverged: {trainer.reason}", file=sys.stderr)
        return EXIT_DIVERGED
    if interrupted:
        print(f"nnviz: interrupted after {trainer.steps} steps", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


def _jsonable(v):
    return v.tolist() if isinstance(v, np.ndarray | np.generic) else str(v)


def _run(trainer, total, quiet=False):
    """Train `total` steps in chunks, with a progress bar on stderr for long runs.
    Returns True when Ctrl-C stopped it early (the results so far still count)."""
    from tqdm import tqdm

    chunk = max(1, min(trainer.steps_per_epoch, 1000, total // 100 or 1))
    with tqdm(total=total, unit="step", file=sys.stderr, delay=PROGRESS_DELAY, leave=False,
              disable=True if quiet else None, dynamic_ncols=True) as bar:
        done = 0
        try:
            while done < total and trainer.state != "diverged":
                n = trainer.step(min(chunk, total - done))
                done += n
                bar.update(n)
                if n == 0:
                    break
        except KeyboardInterrupt:
            return True
    return False


def _finite(d):
    """NaN or infinite numbers become None (JSON has no NaN)."""
    def clean(v):
        if isinstance(v, float) and not math.isfinite(v):
            return None
        return [clean(x) for x in v] if isinstance(v, list) else v
    return {k: clean(v) for k, v in d.items()}


def _print_summary(config, r):
    def pct(x):
        return f"{100 * x:.1f}%"
    print(f"{config.dataset}: {r['epochs']} epochs ({r['steps']} steps) in "
          f"{r['seconds']:.2f} s, state {r['state']}")
    print(f"loss      train {r['train_loss']:.4g}   test {r['test_loss']:.4g}")
    if "train_accuracy" in r:
        print(f"accuracy  train {pct(r['train_accuracy'])}   test {pct(r['test_accuracy'])}")
    else:
        print(f"R²        train {r['train_r2']:.4f}   test {r['test_r2']:.4f}")


# -- export ---------------------------------------------------------------------------

def export(args):
    from nnviz.export import data_kind, script_filename, standalone_script

    notes = []
    config = make_config(args, notes)
    _print_notes(notes)
    try:
        text = standalone_script(config, epochs=args.epochs)
    except ValueError as e:
        raise UsageError(str(e)) from None
    path = args.output or script_filename(config)
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise UsageError(f"--output {path}: {e.strerror or e}") from None
    argument = data_kind(config.dataset).argument
    print(f"wrote {path} ({len(text.splitlines()):,} lines); run it with python {path}"
          + (f" DATA  (DATA: {argument})" if argument else ""))
    return 0


# -- predict -------------------------------------------------------------------------

def predict(args):
    from nnviz.training import Trainer

    try:
        trainer = Trainer.load(args.model)
    except ValueError as e:
        raise UsageError(f"--model: {e}") from None
    header, X = _read_points(args.input, trainer.data.feature_names)
    out = trainer.predict(X)
    d = trainer.data
    w = csv.writer(sys.stdout, lineterminator="\n")
    if d.task == "classification":
        names = list(d.class_labels)
        labels = trainer.classify(X)
        probs = np.column_stack([1 - out[:, 0], out[:, 0]]) if out.shape[1] == 1 else out
        w.writerow([*header, "prediction", *(f"p_{c}" for c in names)])
        for x, lab, p in zip(X, labels, probs, strict=True):
            w.writerow([*map(_num, x), names[lab], *map(_num, p)])
    else:
        w.writerow([*header, *d.target_names])
        for x, y in zip(X, out, strict=True):
            w.writerow([*map(_num, x), *map(_num, y)])
    return 0


def _num(v):
    return f"{float(v):.10g}"


def _read_points(path, feature_names):
    """(header, X (n, n_inputs)) from a CSV with a header row: the columns named like
    the model's inputs if present, else exactly n_inputs columns in order. A first row
    of numbers is no header: a UsageError, not a point dropped."""
    from nnviz.data.table import is_number

    text = _read_text(path, "--input")
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise UsageError(f"--input {path}: the file is empty")
    header, body = [c.strip() for c in rows[0]], rows[1:]
    n = len(feature_names)
    if all(is_number(c) for c in header):
        raise UsageError(f"--input {path}: the first row holds numbers, not column names; "
                         f"add a header row naming the model's inputs "
                         f"({_some(feature_names)})")
    if all(f in header for f in feature_names):
        cols = [header.index(f) for f in feature_names]
    elif len(header) == n:
        cols = list(range(n))
    else:
        raise UsageError(f"--input {path}: the model needs {n} input column(s) "
                         f"({_some(feature_names)}); the header has {len(header)}: "
                         f"{_some(header)}")
    if not body:
        raise UsageError(f"--input {path}: no rows after the header")
    X = np.empty((len(body), n))
    for i, row in enumerate(body):
        for j, c in enumerate(cols):
            try:
                X[i, j] = float(row[c])
            except (IndexError, ValueError):
                cell = row[c] if c < len(row) else ""
                raise UsageError(f"--input {path}: row {i + 2}, column {header[c]!r} holds "
                                 f"{cell!r}, not a number") from None
            if not math.isfinite(X[i, j]):
                raise UsageError(f"--input {path}: row {i + 2}, column {header[c]!r} is "
                                 "not finite")
    return [header[c] for c in cols], X


def _some(names, shown=6):
    """Names joined by commas, the first few of a long list (784 pixels)."""
    names = list(names)
    if len(names) <= shown:
        return ", ".join(names)
    return ", ".join(names[:shown - 1]) + f", … ({len(names)} in all)"


# -- bench ---------------------------------------------------------------------------

def bench(argv):
    """`bench` runs the engine benchmark (nnviz.bench), `bench --viz` the figures'
    (nnviz.viz.bench); the remaining arguments go to them."""
    module = "nnviz.bench"
    if "--viz" in argv:
        argv = [a for a in argv if a != "--viz"]
        module = "nnviz.viz.bench"
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name != module:
            raise
        print(f"nnviz: error: the benchmark {module} is not installed", file=sys.stderr)
        return EXIT_USAGE
    return mod.main(argv) or 0
