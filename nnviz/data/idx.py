"""Reader for IDX files, the format MNIST ships in (raw or gzip-compressed).

Layout: two zero bytes, a dtype code, the number of dimensions `ndim`, then `ndim`
big-endian uint32 sizes, then the data in big-endian C order.
"""

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
    return idx_from_bytes(raw, name)


def idx_from_bytes(raw, name="<bytes>", max_bytes=None):
    """The array of an IDX file's bytes, raw or gzip-compressed (an upload, say). With
    `max_bytes`, a file that holds more once decompressed is refused before it is
    decompressed further."""
    if raw[:2] == b"\x1f\x8b":
        raw = _gunzip(raw, name, max_bytes)
    elif max_bytes is not None and len(raw) > max_bytes:
        raise ValueError(f"{name!r} holds {len(raw):,} bytes; at most {max_bytes:,} are allowed")
    return parse_idx(raw, name)


def _gunzip(raw, name, max_bytes):
    """The decompressed bytes of a gzip file (one member or several), at most
    `max_bytes` of them (None: any number)."""
    out, size, rest = [], 0, raw
    try:
        while rest:
            member = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            # max_length 0 is no limit; else one byte past the limit says it is over
            part = member.decompress(rest, 0 if max_bytes is None else max_bytes + 1 - size)
            size += len(part)
            if max_bytes is not None and size > max_bytes:
                raise ValueError(f"{name!r} holds more than {max_bytes:,} bytes once "
                                 "decompressed, more than this server reads")
            if not member.eof:
                raise EOFError("the compressed data ends early")
            out.append(part)
            rest = member.unused_data
    except (EOFError, zlib.error) as e:
        raise ValueError(f"{name!r} is not a valid gzip file: {e}") from None
    return b"".join(out)


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
