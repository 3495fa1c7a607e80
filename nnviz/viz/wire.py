"""One message to the browser: a JSON header and the arrays it names, as bytes.

    data = pack({"frames": [{"step": 3, "image": np.zeros((64, 64), np.uint8)}]})
    unpack(data)["frames"][0]["image"]          # the same array back

NumPy arrays anywhere in the header are moved into a binary section and replaced
by a reference `{"@": [offset, length, dtype, shape]}` (offsets aligned to 8
bytes, so the browser can view each one as a typed array without copying); the
whole message is compressed with zlib (the browser's DecompressionStream
"deflate"). Layout before compression:

    4 bytes   the header's length h, little-endian
    h bytes   the header, UTF-8 JSON
    padding   to a multiple of 8
    blobs     each array's bytes, little-endian, each padded to a multiple of 8

Only these dtypes travel: uint8, uint16, int8, float32 (float64 arrays are sent
as float32, which is all a screen needs).
"""

import struct
import zlib

import numpy as np
import orjson

DTYPES = {"u1": np.uint8, "u2": np.uint16, "i1": np.int8, "f4": np.float32}
ALIGN = 8
LEVEL = 1               # zlib: fast; quantised images still shrink several times


class _Blobs:
    def __init__(self):
        self.parts, self.size = [], 0

    def ref(self, a):
        """The reference for array `a`, whose bytes join the binary section."""
        a = np.asarray(a)
        code = a.dtype.str[1:]
        if code not in DTYPES:
            if a.dtype.kind not in "fiub":
                raise TypeError(f"cannot send an array of dtype {a.dtype}")
            a, code = a.astype(np.float32), "f4"
        raw = np.ascontiguousarray(a, dtype=np.dtype(DTYPES[code]).newbyteorder("<")).tobytes()
        ref = {"@": [self.size, len(raw), code, list(a.shape)]}
        pad = -len(raw) % ALIGN
        self.parts.append(raw + b"\0" * pad)
        self.size += len(raw) + pad
        return ref


def _default(blobs):
    def default(obj):
        if isinstance(obj, np.ndarray):
            return blobs.ref(obj)
        if isinstance(obj, np.generic):
            return obj.item()
        if isinstance(obj, tuple | set):
            return list(obj)
        raise TypeError(f"cannot send {type(obj).__name__} to the browser")
    return default


def deltas(frames, fields):
    """Frames with each 8-bit image of `fields` ((chart, key) pairs) after the first
    replaced by its difference from the one before (mod 256, still uint8) and listed in
    the chart's "delta": consecutive frames differ little, so the differences are mostly
    zeros and compress several times better. `undelta` undoes it."""
    out, last = [], {}
    for f in frames:
        charts = dict(f.get("charts", {}))
        for cid, key in fields:
            data = charts.get(cid)
            if data is None or key not in data:
                continue
            now = data[key]
            before = last.get((cid, key))
            last[(cid, key)] = now
            if before is not None and before.shape == now.shape:
                charts[cid] = {**data, key: now - before,
                               "delta": [*data.get("delta", []), key]}
                data = charts[cid]
        out.append({**f, "charts": charts})
    return out


def undelta(frames):
    """`deltas` undone: every image whole again."""
    last = {}
    for f in frames:
        for cid, data in f.get("charts", {}).items():
            for key in data.pop("delta", []):
                data[key] = (last[(cid, key)] + data[key]).astype(np.uint8)
            for key, value in data.items():
                if isinstance(value, np.ndarray) and value.dtype == np.uint8:
                    last[(cid, key)] = value
    return frames


def pack(header):
    """header: a JSON-like dict (NumPy arrays anywhere in it) -> the message's bytes."""
    blobs = _Blobs()
    text = orjson.dumps(header, default=_default(blobs))
    head = struct.pack("<I", len(text)) + text
    head += b"\0" * (-len(head) % ALIGN)
    return zlib.compress(head + b"".join(blobs.parts), LEVEL)


def unpack(data):
    """The header of a message from `pack`, with its arrays in place again."""
    raw = zlib.decompress(data)
    (n,) = struct.unpack_from("<I", raw)
    header = orjson.loads(raw[4:4 + n])
    start = 4 + n + (-(4 + n) % ALIGN)

    def restore(obj):
        if isinstance(obj, dict):
            if set(obj) == {"@"}:
                offset, length, code, shape = obj["@"]
                dtype = np.dtype(DTYPES[code]).newbyteorder("<")
                a = np.frombuffer(raw, dtype, count=length // dtype.itemsize,
                                  offset=start + offset)
                return a.reshape(shape)
            return {k: restore(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [restore(v) for v in obj]
        return obj
    return restore(header)
