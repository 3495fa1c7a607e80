"""One contour level of a grid as line segments (marching squares, vectorised).

Drawn as a single line with NaN between segments: a few kB, where a Plotly `contour`
trace would resend the whole grid and trace it in the browser. Only the cells the
level crosses are visited (a boundary crosses a few hundred of 10,000), so the cost
follows the length of the line, not the size of the grid.
"""

import numpy as np


def level_segments(x, y, z, level):
    """x: (nx,), y: (ny,), z: (ny, nx) with z[i, j] at (x[j], y[i]).

    Returns (xs, ys), each (3 * n_segments,): segment ends followed by NaN.
    """
    z = np.asarray(z, dtype=np.float64) - level
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    above = z > 0
    # cells (i, j) whose four corners are not all on one side of the level
    corners = (above[:-1, :-1], above[:-1, 1:], above[1:, 1:], above[1:, :-1])
    mixed = (corners[0] != corners[1]) | (corners[0] != corners[2]) | (corners[0] != corners[3])
    i, j = np.nonzero(mixed)
    if i.size == 0:
        return np.empty(0), np.empty(0)
    a, b = z[i, j], z[i, j + 1]             # corners (i, j), (i, j+1)
    c, d = z[i + 1, j + 1], z[i + 1, j]     # corners (i+1, j+1), (i+1, j)
    x0, x1, y0, y1 = x[j], x[j + 1], y[i], y[i + 1]

    def cross(p, q):                        # where p + t (q - p) = 0 on each edge, and whether
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(p / (p - q), 0.0, 1.0)
        return (p > 0) != (q > 0), t

    # edges 0 bottom (a-b, at y0), 1 right (b-c, at x1), 2 top (d-c, at y1), 3 left (a-d, at x0)
    hit, px, py = [], [], []
    for p, q, horizontal, at in ((a, b, True, y0), (b, c, False, x1),
                                 (d, c, True, y1), (a, d, False, x0)):
        h, t = cross(p, q)
        hit.append(h)
        if horizontal:
            px.append(x0 + t * (x1 - x0))
            py.append(at)
        else:
            px.append(at)
            py.append(y0 + t * (y1 - y0))
    hit, px, py = np.stack(hit), np.stack(px), np.stack(py)     # (4 edges, cells)
    n = hit.sum(axis=0)
    cells = np.arange(i.size)
    pairs = []
    two = n == 2
    if two.any():
        first = np.argmax(hit, axis=0)
        last = 3 - np.argmax(hit[::-1], axis=0)
        pairs.append((two, first, last))
    four = n == 4
    if four.any():  # saddle: the centre's side decides which corners are cut off
        centre_like_a = ((a + b + c + d) / 4 > 0) == (a > 0)
        e = np.zeros(i.size, dtype=int)
        pairs.append((four & centre_like_a, e + 0, e + 1))    # cut corner b
        pairs.append((four & centre_like_a, e + 3, e + 2))    # cut corner d
        pairs.append((four & ~centre_like_a, e + 0, e + 3))   # cut corner a
        pairs.append((four & ~centre_like_a, e + 1, e + 2))   # cut corner c
    xs, ys = [], []
    for mask, start, stop in pairs:
        k = cells[mask]
        s, t = start[k], stop[k]
        gap = np.full(k.size, np.nan)
        xs.append(np.column_stack([px[s, k], px[t, k], gap]).ravel())
        ys.append(np.column_stack([py[s, k], py[t, k], gap]).ravel())
    if not xs:
        return np.empty(0), np.empty(0)
    return np.concatenate(xs), np.concatenate(ys)
