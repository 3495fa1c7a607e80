"""One contour level of a grid as line segments (marching squares, vectorised).

Drawn as a single line with NaN between segments: a few kB, where a Plotly `contour`
trace would resend the whole grid and trace it in the browser. Only the cells the
level crosses are visited (a boundary crosses a few hundred of 10,000), so the cost
follows the length of the line, not the size of the grid.

A cell's corners are a = (i, j), b = (i, j+1), c = (i+1, j+1), d = (i+1, j); which of
them lie above the level makes its case, 0..15 (a 1, b 2, c 4, d 8), and the case says
which of its edges the line crosses: 0 bottom (a-b), 1 right (b-c), 2 top (d-c),
3 left (a-d). Two cases are saddles (a and c above, or b and d): the line crosses all
four edges, and the cell's centre, above or below like a, says which corners it cuts
off.
"""

import numpy as np

CORNER_AT = np.array([[0, 0], [1, 0], [1, 1], [0, 1]])     # a, b, c, d as (column, row) steps
EDGE_ENDS = np.array([[0, 1], [1, 2], [3, 2], [0, 3]])     # each edge's two corners


def _segments_of_case():
    """SEGMENTS[case, centre like a] = up to two segments, each a pair of edges (-1: none)."""
    table = np.full((16, 2, 2, 2), -1)
    for case in range(1, 15):
        up = [(case >> k) & 1 for k in range(4)]
        crossed = [e for e, (p, q) in enumerate(EDGE_ENDS) if up[p] != up[q]]
        if len(crossed) == 2:
            table[case, :, 0] = crossed
    table[5, 1], table[10, 1] = [[0, 1], [3, 2]], [[0, 1], [3, 2]]  # cut off corners b and d
    table[5, 0], table[10, 0] = [[0, 3], [1, 2]], [[0, 3], [1, 2]]  # cut off corners a and c
    return table


SEGMENTS = _segments_of_case()


def level_segments(x, y, z, level):
    """x: (nx,), y: (ny,), z: (ny, nx) with z[i, j] at (x[j], y[i]).

    Returns (xs, ys), each (3 * n_segments,): segment ends followed by NaN.
    """
    z = np.asarray(z, dtype=np.float64) - level
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    above = (z > 0).view(np.uint8)
    case = above[:-1, :-1] | above[:-1, 1:] << 1 | above[1:, 1:] << 2 | above[1:, :-1] << 3
    i, j = np.nonzero((case != 0) & (case != 15))
    if i.size == 0:
        return np.empty(0), np.empty(0)
    V = np.stack([z[i, j], z[i, j + 1], z[i + 1, j + 1], z[i + 1, j]], axis=1)
    centre_like_a = (V.sum(axis=1) > 0) == (V[:, 0] > 0)
    edges = SEGMENTS[case[i, j], centre_like_a.view(np.uint8)].reshape(-1, 2)
    cell = np.repeat(np.arange(i.size), 2)
    keep = edges[:, 0] >= 0
    edges, cell = edges[keep], cell[keep]
    # each end where the level crosses its edge: p + t (q - p) = 0 between corners p, q
    p_at, q_at = EDGE_ENDS[edges, 0], EDGE_ENDS[edges, 1]            # (segments, 2 ends)
    p, q = V[cell[:, None], p_at], V[cell[:, None], q_at]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.clip(p / (p - q), 0.0, 1.0)[..., None]
    step = CORNER_AT[p_at] + t * (CORNER_AT[q_at] - CORNER_AT[p_at])  # within the cell
    ci, cj = i[cell][:, None], j[cell][:, None]
    xs = x[cj] + step[..., 0] * (x[cj + 1] - x[cj])
    ys = y[ci] + step[..., 1] * (y[ci + 1] - y[ci])
    gap = np.full((len(edges), 1), np.nan)
    return np.hstack([xs, gap]).ravel(), np.hstack([ys, gap]).ravel()
