"""Export a run as one standalone Python file that needs only NumPy.

    text = standalone_script(Config.defaults_for("moons"), epochs=200)
    Path(script_filename(config)).write_text(text)
    # python nnviz_moons.py [DATA] [--epochs N] [--dump run.npz]

The file is nnviz's own code, copied from its modules (`nnviz.bundle`): the data
loader, split, preprocessing, the activation, loss and initializer tables, the
textbook network of `engine/reference.py`, the optimizers, the metrics and the
training loop of `nnviz.standalone`. What is written here is only the settings of
the run (a `RUN` dict), the docstring, and the last line, `main(RUN, loader)`.
`data_kind` is the one place that says which data export and how.
"""

import numbers
import textwrap
import urllib.parse
from collections.abc import Callable
from inspect import getclosurevars
from typing import NamedTuple

from nnviz import datasets, standalone
from nnviz.bundle import bundle
from nnviz.config import Config
from nnviz.data.digits import digits, images, pack
from nnviz.limits import MAX_SCRIPT_EPOCHS, MAX_TABLE_CLASSES

RULE = "# " + "=" * 77


class DataKind(NamedTuple):
    """How an exported script gets its data.

    kind: the registry entry's kind ("generated", "drawn", "bundled", "files", "table");
    loader: the loader expression of the script's last line, `main(RUN, loader)`;
    roots: the package objects it uses (copied with all they use); argument: the help
    of the script's data argument (a path) or None; about: a sentence for the
    docstring; constants: None or a function giving (name, comment, text) string
    constants placed before the last line."""

    kind: str
    loader: str
    roots: tuple
    argument: str | None
    about: str
    constants: Callable | None = None


def _digits_constant():
    text = pack(*images())
    return (("DIGITS", "The 1797 images (8x8 pixels, 0..16) and their labels of scikit-learn's "
             "digits, zlib-compressed and base64-encoded (nnviz.data.digits.pack).", text),)


# Bundled data the script carries packed as text, by the entry's generator: (the loader
# expression, the loader's maker, the function giving the constants it reads).
PACKED = {digits: ("packed_digits(DIGITS)", standalone.packed_digits, _digits_constant)}


def data_kind(dataset):
    """The DataKind of `dataset`, or ValueError saying why it cannot be exported: the
    one place that says which data export and how, read from the registry entry's kind.

    generated: the generator is copied (it must be a self-contained NumPy function);
    drawn: the reader of the points is copied, the points are in the settings;
    bundled: the data is packed into the script (see PACKED); files: the generator is
    copied and reads the path given to the script; table: the CSV file given to the
    script is read by the upload's rules."""
    if dataset not in datasets.REGISTRY:
        raise ValueError(f"unknown dataset {dataset!r}; exportable: {', '.join(exportable())}")
    info = datasets.REGISTRY[dataset]
    generate, what = info.generate, info.description[0].lower() + info.description[1:]
    if info.kind == "table":
        return DataKind("table", f"table_file({generate.__name__})",
                        (generate, standalone.table_file),
                        "the CSV file: a header row, then numbers",
                        "the CSV file you give on the command line, read as nnviz reads an "
                        "upload: a header row, then numbers; the target is the column named "
                        "label, target or y, else the last one; whole numbers with at most "
                        f"{MAX_TABLE_CLASSES} distinct values are classes, anything else a "
                        "regression.")
    if info.kind == "files":
        path = info.option(info.needs).description
        return DataKind("files", f"files({generate.__name__})", (generate, standalone.files),
                        path, f"{what}: give the {path} on the command line.")
    if info.kind == "bundled":
        if generate not in PACKED:
            raise ValueError(f"dataset {dataset!r} cannot be exported as a script: its data "
                             "ships inside a package the script cannot import")
        loader, load, constants = PACKED[generate]
        return DataKind("bundled", loader, (load,), None,
                        f"{what}, packed at the end of this file, so nothing else is needed.",
                        constants)
    if info.drawn:
        return DataKind("drawn", f"generated({generate.__name__})",
                        (generate, standalone.generated), None,
                        f"{what}: the points are in the settings above, as nnviz drew them "
                        "(their reader is copied below).")
    foreign = _besides_numpy(generate)
    if foreign:
        raise ValueError(f"dataset {dataset!r} cannot be exported as a script: its "
                         f"generator {generate.__name__!r} uses {foreign} besides NumPy")
    return DataKind("generated", f"generated({generate.__name__})",
                    (generate, standalone.generated), None,
                    f"{what}, made by nnviz's own generator (copied below), so the same seed "
                    "gives the same points.")


def _besides_numpy(fn):
    """Names a generator uses besides NumPy (as `np`) and builtins."""
    closure = getclosurevars(fn)
    return sorted(set(closure.globals) - {"np"} | set(closure.nonlocals))


def exportable():
    """Names of the datasets a script can be made for, now."""
    names = []
    for name in datasets.REGISTRY:
        try:
            data_kind(name)
        except ValueError:
            continue
        names.append(name)
    return tuple(names)


def script_filename(config):
    """A file name for the download: nnviz_<dataset>.py."""
    _check_config(config)
    return f"nnviz_{config.dataset}.py"


def standalone_script(config, epochs=None):
    """The text of one Python file (NumPy only) that reproduces the run of `config`.

    `epochs`: how many passes over the training set the script trains by default
    (None: `config.default_epochs()`); the script's `--epochs` flag overrides it.
    Raises ValueError for a dataset it cannot rebuild (see `data_kind`) or bad epochs.
    """
    _check_config(config)
    if epochs is None:
        epochs = config.default_epochs()
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) \
            or not 1 <= epochs <= MAX_SCRIPT_EPOCHS:
        raise ValueError(f"epochs must be a whole number from 1 to {MAX_SCRIPT_EPOCHS:,}, "
                         f"got {epochs!r}")
    kind = data_kind(config.dataset)
    import_blocks, sections = bundle([*kind.roots, standalone.main])
    constants = kind.constants() if kind.constants else ()
    head = "\n\n".join([_docstring(config, int(epochs), kind), *import_blocks,
                         _banner("Settings of the run (change them and run again)")])
    parts = [head + "\n" + _settings(config, int(epochs), kind)]
    for s in sections:
        parts.append(_banner(f"{s.path}: {s.doc}") + "\n" + s.text)
    parts += [_constant(*c) for c in constants]
    parts.append(f'if __name__ == "__main__":\n    main(RUN, {kind.loader})')
    return "\n\n\n".join(parts) + "\n"


def _check_config(config):
    if not isinstance(config, Config):
        raise ValueError(f"config must be an nnviz Config, got {type(config).__name__}")


def _banner(title):
    return "\n".join([RULE, *textwrap.wrap(title, 78, initial_indent="# ",
                                            subsequent_indent="# ", break_on_hyphens=False),
                      RULE])


def _docstring(config, epochs, kind):
    name = script_filename(config)
    data_arg = " DATA" if kind.argument else ""
    hidden = "-".join(map(str, config.hidden)) or "no hidden layer"
    acts = ", ".join(dict.fromkeys(config.hidden_activations())) or "linear model"
    query = urllib.parse.urlencode(config.to_query(), safe=",")
    lines = [
        f"{config.dataset}: hidden layers {hidden} ({acts}), {config.optimizer}, "
        f"{epochs} epochs.",
        "",
        "Exported from nnviz, the neural-network playground. Needs only NumPy.",
        "",
        f"    python {name}{data_arg}                 # train, then one JSON line of metrics",
        f"    python {name}{data_arg} --epochs 20     # a shorter run",
        f"    python {name}{data_arg} --dump run.npz  # also save the data and the weights",
        "",
        *textwrap.wrap("The data: " + kind.about, 78),
        "",
        *textwrap.wrap(
            "Everything below the settings is nnviz's own code, copied from the modules "
            "each section names; read engine/reference.py's section for the network. The "
            "run is nnviz's, bit for bit: the data, the train/test split, the "
            + ("standardisation (fitted on the training set only)" if config.standardize
               else "raw, unscaled inputs")
            + ", the first weights and the order of the minibatches. The arithmetic is "
            "the textbook one, Z = A @ W + b; nnviz's tuned engine computes "
            "Z = [A, 1] @ [W; b] in one product, which rounds differently in the last "
            "digit, so the losses agree to about 14 digits after a few hundred steps.", 78),
        "",
        "Open the same run in nnviz by adding this to the app's address:",
        f"    ?{query}",
    ]
    return '"""' + "\n".join(lines) + '\n"""'


def _settings(config, epochs, kind):
    """RUN = {...}: one aligned `"key": value,  # comment` line each."""
    rows = [("dataset", config.dataset, "")]
    if kind.kind == "table":
        rows.append(("n_samples", config.n_samples, "None: every row; else a random subset"))
    else:
        info = datasets.info(config.dataset, **config.dataset_options())
        options = {o.name: o.default for o in info.options if o.kind not in ("path", "table")}
        options.update(config.dataset_options())
        rows += [("n_samples", config.n_samples, "samples before the split"),
                 ("noise", config.noise, "" if config.noise is not None else "real data"),
                 ("options", options, "more settings of the generator"),
                 ("task", info.task, ""),
                 ("n_classes", info.n_classes, "None for regression")]
    out_note = "\"auto\": follows the task (output_and_loss)"
    rows += [
        ("test_ratio", config.test_ratio, "share of the samples held out for testing"),
        ("features", list(config.features) if config.features else None,
         "crosses of 2-D inputs (FEATURES); None: the raw inputs"),
        ("standardize", config.standardize, "False: inputs and targets as they are"),
        ("hidden", list(config.hidden), "units in each hidden layer"),
        ("activations", config.hidden_activations(), "one per hidden layer (ACTIVATIONS)"),
        ("output_activation", config.output_activation, out_note),
        ("loss", config.loss, out_note),
        ("init", config.init, "how the first weights are drawn (INITIALIZERS)"),
        ("optimizer", config.optimizer, "OPTIMIZERS"),
        ("optimizer_settings", config.optimizer_settings(), "e.g. momentum, nesterov"),
        ("lr", config.lr, "learning rate"),
        ("l1", config.l1, "penalties on the weights, never the biases"),
        ("l2", config.l2, ""),
        ("batch_size", config.batch_size, "larger than the training set: full batch"),
        ("seed", config.seed, "data, split and batch order"),
        ("weight_seed", config.weight_seed, "the first weights"),
        ("epochs", epochs, "passes over the training set (or --epochs N)"),
        ("data_argument", kind.argument, "the help of the data path argument, if any"),
    ]
    lines = []
    for key, value, comment in rows:
        line = f"    {_literal(key)}: {_literal(value)},"
        lines.append(f"{line:<44}# {comment}" if comment else line)
    return "RUN = {\n" + "\n".join(lines) + "\n}"


def _literal(value):
    """Python source for a setting, strings in double quotes."""
    if isinstance(value, str):
        return '"' + value + '"' if value.isprintable() and not set(value) & set('"\\') \
            else repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(_literal, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _constant(name, comment, text, width=76):
    """NAME = ("..." "...") wrapped at `width`, under its comment."""
    chunks = [text[i:i + width] for i in range(0, len(text), width)]
    body = "\n".join(f'    "{chunk}"' for chunk in chunks)
    notes = "\n".join("# " + line for line in textwrap.wrap(comment, 76))
    return f"{notes}\n{name} = (\n{body}\n)"
