"""Reader for IDX files, the format MNIST ships in (raw or gzip-compressed).

Layout: two zero bytes, a dtype code, the number of dimensions `ndim`, then `ndim`
big-endian uint32 sizes, then the data in big-endian C order.
"""

import gzip
import os
import zlib

import numpy as np

from nnviz.limits import MAX_IDX_DIMS

DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def read_idx(path):
    """Read an IDX file (`.gz` or raw, detected from its bytes) into a NumPy array
    of native byte order; raise ValueError saying what is wrong with a bad file."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ValueError(f"cannot read IDX file {name!r}: {e.strerror or e}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise ValueError(f"{name!r} is not a valid gzip file: {e}") from None
    return parse_idx(raw, name)


def parse_idx(raw, name="<bytes>"):
    """Decode the bytes of an uncompressed IDX file; see `read_idx`."""
    if len(raw) < 4:
        raise ValueError(f"{name!r} is too short to be an IDX file: {len(raw)} bytes, "
                         "the header alone needs at least 4")
    if raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{name!r} is not an IDX file: its magic number starts with "
                         f"0x{raw[0]:02x}{raw[1]:02x}, expected 0x0000")
    code, ndim = raw[2], raw[3]
    if code not in DTYPES:
        allowed = ", ".join(f"0x{c:02x}" for c in DTYPES)
        raise ValueError(f"{name!r}: unknown IDX data type code 0x{code:02x}; "
                         f"allowed: {allowed}")
    if not 1 <= ndim <= MAX_IDX_DIMS:
        raise ValueError(f"{name!r}: IDX header gives {ndim} dimensions; "
                         f"allowed: 1 to {MAX_IDX_DIMS}")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{name!r} is truncated inside its header: {len(raw)} bytes, "
                         f"the header for {ndim} dimensions needs {header}")
    shape = tuple(int(s) for s in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    if 0 in shape:
        raise ValueError(f"{name!r}: IDX header gives shape {shape}; every size must be >= 1")
    dtype = DTYPES[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(raw) - header
    if found < expected:
        raise ValueError(f"{name!r} is truncated: shape {shape} of {dtype.name} needs "
                         f"{expected} data bytes, found {found}")
    if found > expected:
        raise ValueError(f"{name!r} has {found - expected} extra bytes after the data "
                         f"for shape {shape} of {dtype.name}")
    data = np.frombuffer(raw, dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="))
