"""The 8-bit images of the canvas charts: values over [lo, hi] to levels 0..255."""

import numpy as np
import pytest

from nnviz.viz.canvas import LEVELS, quantize


def test_the_ends_of_the_scale_are_the_first_and_last_levels():
    q = quantize(np.array([[-1.0, 0.0, 1.0]]), -1.0, 1.0)
    assert q.dtype == np.uint8 and q.shape == (1, 3)
    assert q.tolist() == [[0, round((LEVELS - 1) / 2), LEVELS - 1]]


def test_each_value_is_its_nearest_level():
    values = np.linspace(0.2, 0.7, 101)
    q = quantize(values, 0.2, 0.7)
    assert np.abs(q - (values - 0.2) / 0.5 * (LEVELS - 1)).max() <= 0.5 + 1e-4


@pytest.mark.filterwarnings("error")
def test_outside_values_are_clipped_and_nan_goes_to_the_middle():
    values = np.array([-5.0, 7.0, -np.inf, np.inf, np.nan], dtype=np.float32)
    assert quantize(values, 0.0, 1.0).tolist() == [0, LEVELS - 1, 0, LEVELS - 1,
                                                  round((LEVELS - 1) / 2)]


def test_a_flat_scale_does_not_divide_by_zero():
    assert quantize(np.array([3.0, 3.0]), 3.0, 3.0).tolist() == [0, 0]
