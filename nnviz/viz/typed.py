"""Arrays in a figure spec as Plotly typed arrays: float32 in base64.

`plotly.io.to_json` writes NumPy arrays found in a plain dict as JSON lists
(about 10 characters per number, NaN as null). A typed-array dict is what
`go.Figure` itself sends: `{"dtype": "f4", "bdata": <base64>, "shape": "r, c"}`,
about 5.4 characters per number, and plotly.js decodes it into a Float32Array.
`go.Figure(spec)` accepts these dicts unchanged.
"""

import base64

import numpy as np

_DTYPES = {"f4": np.float32, "f8": np.float64, "i1": np.int8, "u1": np.uint8,
           "i2": np.int16, "u2": np.uint16, "i4": np.int32, "u4": np.uint32}


def pack(a):
    """a: array-like of any shape -> typed-array dict of float32 (NaN kept as NaN)."""
    a = np.ascontiguousarray(a, dtype=np.float32)
    spec = {"dtype": "f4", "bdata": base64.b64encode(a).decode("ascii")}
    if a.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in a.shape)
    return spec


def unpack(v):
    """Inverse of `pack` (and of Plotly's own encoding); plain lists pass through np.asarray."""
    if isinstance(v, dict) and "bdata" in v:
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=_DTYPES[v["dtype"]])
        if "shape" in v:
            a = a.reshape([int(n) for n in str(v["shape"]).split(",")])
        return a
    return np.asarray(v)
