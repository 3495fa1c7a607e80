"""One contour level of a grid as line segments (marching squares, vectorised).

Drawn as a single scatter line with NaN between segments: a few kB, where a
Plotly `contour` trace would resend the whole grid and trace it in the browser.
"""

import numpy as np


def level_segments(x, y, z, level):
    """x: (nx,), y: (ny,), z: (ny, nx) with z[i, j] at (x[j], y[i]).

    Returns (xs, ys), each (3 * n_segments,): segment ends followed by NaN.
    """
    z = np.asarray(z, dtype=np.float64) - level
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    a, b = z[:-1, :-1], z[:-1, 1:]      # corners (i, j), (i, j+1)
    d, c = z[1:, :-1], z[1:, 1:]        # corners (i+1, j), (i+1, j+1)
    x0, x1 = x[None, :-1], x[None, 1:]
    y0, y1 = y[:-1, None], y[1:, None]

    def cross(p, q):  # where p + t (q - p) = 0 on each edge, and whether it does
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(p / (p - q), 0.0, 1.0)
        return (p > 0) != (q > 0), t

    shape = a.shape
    hit, px, py = [], [], []
    # edges 0 bottom (a-b, at y0), 1 right (b-c, at x1), 2 top (d-c, at y1), 3 left (a-d, at x0)
    for p, q, horizontal, at in ((a, b, True, y0), (b, c, False, x1),
                                 (d, c, True, y1), (a, d, False, x0)):
        h, t = cross(p, q)
        hit.append(h)
        if horizontal:
            px.append(np.broadcast_to(x0 + t * (x1 - x0), shape))
            py.append(np.broadcast_to(at, shape))
        else:
            px.append(np.broadcast_to(at, shape))
            py.append(np.broadcast_to(y0 + t * (y1 - y0), shape))
    hit, px, py = np.stack(hit), np.stack(px), np.stack(py)   # (4 edges, ny-1, nx-1)
    n = hit.sum(axis=0)

    pairs = []
    two = n == 2
    if two.any():
        first = np.argmax(hit, axis=0)
        last = 3 - np.argmax(hit[::-1], axis=0)
        pairs.append((two, first, last))
    four = n == 4
    if four.any():  # saddle: the centre's side decides which corners are cut off
        centre_like_a = ((a + b + c + d) / 4 > 0) == (a > 0)
        e = np.zeros(shape, dtype=int)
        pairs.append((four & centre_like_a, e + 0, e + 1))    # cut corner b
        pairs.append((four & centre_like_a, e + 3, e + 2))    # cut corner d
        pairs.append((four & ~centre_like_a, e + 0, e + 3))   # cut corner a
        pairs.append((four & ~centre_like_a, e + 1, e + 2))   # cut corner c
    xs, ys = [], []
    for mask, i, k in pairs:
        rows, cols = np.nonzero(mask)
        i, k = i[rows, cols], k[rows, cols]
        seg_x = np.stack([px[i, rows, cols], px[k, rows, cols], np.full(len(rows), np.nan)], axis=1)
        seg_y = np.stack([py[i, rows, cols], py[k, rows, cols], np.full(len(rows), np.nan)], axis=1)
        xs.append(seg_x.ravel())
        ys.append(seg_y.ravel())
    if not xs:
        return np.empty(0), np.empty(0)
    return np.concatenate(xs), np.concatenate(ys)
