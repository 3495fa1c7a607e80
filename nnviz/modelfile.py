"""Models on disk: one .npz of plain arrays, never pickles.

Arrays (MEMBERS): `format` ("nnviz-model-1"), `config` (the Config as JSON), `n_layers`,
`W{i}`, `b{i}` (float64), `steps`, `epoch`, the preprocessing (`pre_*`, see
`Preprocessor.to_arrays`), for CSV data the table (`table_*`) and for MNIST the
files' `data_path`. A file holds exactly the arrays its model uses.

Model files come from strangers, so `read` trusts nothing it has not checked:

1. the zip directory: at the end of the file, at most MAX_DIRECTORY_BYTES;
2. every member, from the directory and its .npy header alone: a name MEMBERS
   defines, a dtype and number of dimensions MEMBERS allows, a declared size of at
   most MAX_MEMBER_BYTES (MAX_TOTAL_BYTES in all) that the zip's uncompressed size
   of the member agrees with;
3. the arrays themselves, each read only when the checks of the model ask for it.
   A member nothing asked for (a table in a circles model, a layer beyond
   `n_layers`) is refused, by name, without being decompressed.

Anything wrong is a ValueError of one sentence saying what is wrong and what is allowed.
"""

import io
import math
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.lib import format as npy

from nnviz import datasets
from nnviz.config import Config, ConfigError
from nnviz.limits import MAX_HIDDEN_LAYERS
from nnviz.limits import MAX_TABLE_COLUMNS as MAX_COLUMNS
from nnviz.limits import MAX_TABLE_ROWS as MAX_ROWS

FORMAT = "nnviz-model-1"

# What each member may hold: (dtype, dimensions) pairs; "text" is a str array of any length.
TEXT, INT, FLOAT = "text", "int64", "float64"
MEMBERS = {
    "format": ((TEXT, 0),), "config": ((TEXT, 0),), "n_layers": ((INT, 0),),
    "steps": ((INT, 0),), "epoch": ((INT, 0),),
    "pre_task": ((TEXT, 0),), "pre_features": ((TEXT, 1),), "pre_n_inputs": ((INT, 0),),
    "pre_x_mean": ((FLOAT, 1),), "pre_x_std": ((FLOAT, 1),),
    "pre_y_mean": ((FLOAT, 1),), "pre_y_std": ((FLOAT, 1),),
    "table_X": ((FLOAT, 2),), "table_y": ((INT, 1), (FLOAT, 2)),    # labels or targets
    "table_task": ((TEXT, 0),), "table_features": ((TEXT, 1),), "table_target": ((TEXT, 0), (TEXT, 1)),
    "table_classes": ((INT, 1),), "data_path": ((TEXT, 0),),
}
MAX_LAYERS = MAX_HIDDEN_LAYERS + 1
LAYER_MEMBERS = {"W": ((FLOAT, 2),), "b": ((FLOAT, 1),)}       # W0 .. W6, b0 .. b6
SPECS = {**MEMBERS, **{f"{w}{i}": spec for w, spec in LAYER_MEMBERS.items()
                       for i in range(MAX_LAYERS)}}

# Sizes, checked before any array is read. The largest legitimate model: 6 hidden
# layers of 512 units on 784 inputs (or on a CSV's 999) with its saved CSV table of
# MAX_ROWS x MAX_COLUMNS float64 (100,000 x 1,000). Its table_X is the largest member,
# 800,000,000 bytes; the weights add under 15 MB, labels, names, preprocessing and
# config a few MB more: about 820 MB in all.
MAX_MEMBER_BYTES = MAX_ROWS * MAX_COLUMNS * 8          # 800,000,000
MAX_TOTAL_BYTES = MAX_MEMBER_BYTES + 64 * 2**20        # 867,108,864: the table and the rest
MAX_HEADER_BYTES = 4096            # one .npy header; np.save writes 128 bytes for ours
MAX_DIRECTORY_BYTES = 64 * 1024    # the zip directory; a model's is ~40 entries of ~80 bytes
# The zip's end-of-central-directory record (APPNOTE 4.3.16): signature, 4 counts,
# directory size and offset, comment length; last in a file without comment. A ZIP64
# locator (4.3.15, 20 bytes) just before it would replace its sizes; zipfile writes one
# only past 2 GiB or 65,535 entries, far beyond a model.
END_RECORD = struct.Struct("<4s4H2LH")
END_SIGNATURE, ZIP64_LOCATOR, ZIP64_LOCATOR_SIZE = b"PK\x05\x06", b"PK\x06\x07", 20
# What zipfile and numpy raise on a damaged archive or .npy (NotImplementedError: a zip
# feature zipfile lacks, such as a newer version or patched data)
DAMAGED = (ValueError, EOFError, OSError, zipfile.BadZipFile, zlib.error, NotImplementedError)


@dataclass(frozen=True)
class Saved:
    """What a model file holds: params is [(W, b)] per layer."""

    config: Config
    params: list
    preprocessor: datasets.Preprocessor
    steps: int = 0
    epoch: int = 0
    table: datasets.Table | None = None
    data_path: str | None = None


def write(path, saved):
    """Write `saved` (a Saved) to `path` as .npz: the arrays its config uses (the
    table for CSV data only, the data path for MNIST only)."""
    arrays = {"format": np.array(FORMAT), "config": np.array(saved.config.to_json()),
              "steps": np.array(saved.steps, dtype=np.int64),
              "epoch": np.array(saved.epoch, dtype=np.int64),
              "n_layers": np.array(len(saved.params), dtype=np.int64)}
    for i, (W, b) in enumerate(saved.params):
        arrays[f"W{i}"], arrays[f"b{i}"] = W, b
    arrays.update(saved.preprocessor.to_arrays(prefix="pre_"))
    if saved.data_path is not None and _needs(saved.config) == "path":
        arrays["data_path"] = np.array(saved.data_path)
    t = saved.table
    if t is not None and _needs(saved.config) == "table":
        arrays.update(table_X=t.X, table_y=t.y, table_task=np.array(t.task),
                      table_features=np.array(t.feature_names, dtype=str).reshape(-1),
                      table_target=np.array(t.target_names, dtype=str).reshape(-1))
        if t.classes is not None:
            arrays["table_classes"] = np.asarray(t.classes, dtype=np.int64)
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def read(path):
    """A Saved from `path`, checked as the module docstring says; ValueError if it is
    not a whole, valid nnviz model."""
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        raise ValueError(f"no such model file: {path}") from None
    except OSError as e:
        raise ValueError(f"cannot read {path}: {e.strerror or e}") from None
    with f:
        if f.read(4) != b"PK\x03\x04":          # every .npz is a zip archive
            raise ValueError(f"{path} is not an nnviz model: not a .npz (zip) file")
        try:
            _check_directory(f)
            zf = zipfile.ZipFile(f)
        except DAMAGED as e:
            raise ValueError(f"{path} is not a readable nnviz model (.npz): {e}") from None
        with zf:
            return _read_archive(zf, path)


def _read_archive(zf, path):
    if "format.npy" not in zf.namelist():
        raise ValueError(f"{path} is not an nnviz model: it has no '{FORMAT}' format marker")
    try:
        arrays = _Archive(zf, _members(zf))
        marker = str(arrays["format"])
    except ValueError as e:
        raise ValueError(f"{path} is not a readable nnviz model: {e}") from None
    if marker != FORMAT:
        raise ValueError(f"{path} is not an nnviz model: its format marker is "
                         f"{marker!r:.60}, expected '{FORMAT}'")
    try:
        saved = _saved(arrays)
    except KeyError as e:
        raise ValueError(f"{path} is damaged: it lacks the array {e}") from None
    except (ValueError, ConfigError) as e:
        raise ValueError(f"{path} is not a valid nnviz model: {e}") from None
    unused = arrays.unread()
    if unused:
        raise ValueError(f"{path} is not a valid nnviz model: it holds the array "
                         f"{unused[0]!r}, which its {saved.config.dataset} model with "
                         f"{len(saved.params)} layers does not use")
    return saved


def _check_directory(f):
    """Refuse a zip directory that is not last in the file or too large to parse:
    zipfile reads all of it into memory, a few hundred bytes per entry."""
    f.seek(0, io.SEEK_END)
    size = f.tell()
    if size < END_RECORD.size + ZIP64_LOCATOR_SIZE:
        raise ValueError(f"the file is {size} bytes, too short to hold a model")
    f.seek(size - END_RECORD.size)
    signature, *_, directory, _, comment = END_RECORD.unpack(f.read(END_RECORD.size))
    f.seek(size - END_RECORD.size - ZIP64_LOCATOR_SIZE)
    if signature != END_SIGNATURE or comment or f.read(4) == ZIP64_LOCATOR:
        raise ValueError("the zip directory is not where np.savez puts it, at the very "
                         "end of the file (no comment, no ZIP64 end record)")
    if directory > MAX_DIRECTORY_BYTES:
        raise ValueError(f"the zip directory is {directory:,} bytes; a model's is at "
                         f"most {MAX_DIRECTORY_BYTES:,}")


def _members(zf):
    """{name: ZipInfo} of the archive, after checking each member's name, storage, .npy
    header and sizes against MEMBERS and the limits; ValueError says what is wrong."""
    infos, total = {}, 0
    for info in zf.infolist():
        name = info.filename.removesuffix(".npy")
        if name == info.filename or name not in SPECS:
            raise ValueError(f"it holds {info.filename!r}, which is not an array of the "
                             f"format; allowed: {_allowed()} (each as .npy)")
        if name in infos:
            raise ValueError(f"it holds {info.filename!r} twice")
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                              zipfile.ZIP_DEFLATED):
            raise ValueError(f"the array {name!r} is encrypted or compressed with zip method "
                             f"{info.compress_type}; allowed: stored or deflated, unencrypted")
        if info.file_size > MAX_HEADER_BYTES + MAX_MEMBER_BYTES:
            raise ValueError(f"the array {name!r} is {info.file_size:,} bytes uncompressed; "
                             f"an array may have at most {MAX_MEMBER_BYTES:,}")
        dtype, shape, header = _header(zf, info, name)
        kind = (_dtype_name(dtype), len(shape))
        if kind not in SPECS[name]:
            raise ValueError(f"the array {name!r} is {_kind(*kind)}; allowed: "
                             f"{' or '.join(_kind(*k) for k in SPECS[name])}")
        if any(n < 0 for n in shape):
            raise ValueError(f"the array {name!r} declares the shape {shape}; sizes must "
                             "be 0 or more")
        nbytes = math.prod(shape) * dtype.itemsize
        if nbytes > MAX_MEMBER_BYTES:
            raise ValueError(f"the array {name!r} declares the shape {shape} of {dtype}, "
                             f"{nbytes:,} bytes; an array may have at most "
                             f"{MAX_MEMBER_BYTES:,}")
        if header + nbytes != info.file_size:
            raise ValueError(f"the array {name!r} declares the shape {shape} of {dtype}, "
                             f"{nbytes:,} bytes, but the archive holds "
                             f"{info.file_size - header:,} bytes of data for it; they "
                             "must agree")
        total += nbytes
        infos[name] = info
    if total > MAX_TOTAL_BYTES:
        raise ValueError(f"its arrays declare {total:,} bytes in all; a model may have at "
                         f"most {MAX_TOTAL_BYTES:,}")
    return infos


def _header(zf, info, name):
    """(dtype, shape, header length) of a member, from at most MAX_HEADER_BYTES of it."""
    try:
        with zf.open(info) as member:
            head = io.BytesIO(member.read(MAX_HEADER_BYTES))
        version = npy.read_magic(head)
        if version not in ((1, 0), (2, 0)):
            raise ValueError(f"version {version} of .npy; allowed: 1.0 or 2.0")
        read_header = npy.read_array_header_1_0 if version == (1, 0) else \
            npy.read_array_header_2_0
        shape, _, dtype = read_header(head, max_header_size=MAX_HEADER_BYTES)
    except DAMAGED as e:
        raise ValueError(f"the array {name!r} is damaged or not in .npy format "
                         f"({' '.join(str(e).split()):.200})") from None
    return dtype, shape, head.tell()


def _allowed():
    layers = [f"{w}0 to {w}{MAX_LAYERS - 1}" for w in LAYER_MEMBERS]
    return ", ".join([*MEMBERS, *layers])


def _dtype_name(dtype):
    if dtype.kind == "U" and dtype.itemsize > 0:
        return TEXT
    if dtype in (np.dtype("<i8"), np.dtype("<f8")):     # little-endian, as np.savez writes
        return dtype.name
    return str(dtype)


def _kind(dtype_name, ndim):
    return f"{ndim}-D {dtype_name}"


class _Archive(Mapping):
    """The checked members of an open model file by name, each array read from the
    archive the first time it is asked for."""

    def __init__(self, zf, infos):
        self._zf, self._infos, self._arrays = zf, infos, {}

    def __getitem__(self, name):
        if name not in self._arrays:
            info = self._infos[name]            # KeyError: the file lacks it
            try:
                with self._zf.open(info) as member:
                    self._arrays[name] = npy.read_array(member, allow_pickle=False,
                                                        max_header_size=MAX_HEADER_BYTES)
            except DAMAGED as e:
                raise ValueError(f"the array {name!r} is damaged ({e})") from None
        return self._arrays[name]

    def __contains__(self, name):
        return name in self._infos

    def __iter__(self):
        return iter(self._infos)

    def __len__(self):
        return len(self._infos)

    def unread(self):
        """Names of the members nobody asked for."""
        return [name for name in self._infos if name not in self._arrays]


def _saved(arrays):
    config = Config.from_json(str(arrays["config"]))
    params = [_layer(arrays, i) for i in range(_count(arrays, "n_layers"))]
    return Saved(
        config=config, params=params,
        preprocessor=datasets.Preprocessor.from_arrays(arrays, prefix="pre_"),
        steps=_count(arrays, "steps"), epoch=_count(arrays, "epoch"),
        table=_table(arrays) if _needs(config) == "table" else None,
        data_path=str(arrays["data_path"]) if _needs(config) == "path" else None)


def _needs(config):
    """What the config's dataset cannot be made without ("table", "path"), or None."""
    return datasets.info(config.dataset).needs


def _layer(arrays, i):
    W, b = arrays[f"W{i}"], arrays[f"b{i}"]       # float64, 2-D and 1-D (MEMBERS)
    if b.shape != (W.shape[1],):
        raise ValueError(f"layer {i} has W {W.shape} and b {b.shape}; expected "
                         "(n_in, n_out) and (n_out,)")
    if not (np.isfinite(W).all() and np.isfinite(b).all()):
        raise ValueError(f"layer {i} holds NaN or infinite values")
    return W, b


def _count(arrays, key):
    a = arrays[key]                             # an int64 scalar (MEMBERS)
    if int(a) < 0:
        raise ValueError(f"{key} must be a non-negative integer, got {int(a)}")
    return int(a)


def _table(arrays):
    """The saved CSV table; dtypes and dimensions are those MEMBERS allows."""
    X, y = arrays["table_X"], arrays["table_y"]
    task = str(arrays["table_task"])
    features = tuple(str(f) for f in arrays["table_features"])
    classes = arrays["table_classes"] if task == "classification" else None
    ok = len(y) == len(X) > 0 and len(features) == X.shape[1] and np.isfinite(X).all()
    if task == "classification":
        ok = ok and y.ndim == 1 and y.min() >= 0 and y.max() < len(classes)
    else:
        ok = ok and task == "regression" and y.ndim == 2 and np.isfinite(y).all()
    if not ok:
        raise ValueError("the saved CSV table has a bad task, shape or dtype")
    return datasets.Table(X, y, task, features,
                          tuple(str(t) for t in np.atleast_1d(arrays["table_target"])), classes,
                          None if classes is None else len(classes))
