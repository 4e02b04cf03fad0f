"""Maxima of Chebyshev interpolants (the exact scan's refinement of 𝛿) against known maxima."""

import numpy as np
import pytest

from glimix._optimize._chebyshev_max import chebyshev_points, maximize_interpolants


def test_interior_and_boundary_maxima_of_smooth_functions():
    x = chebyshev_points(16)
    rng = np.random.default_rng(0)
    centres = rng.uniform(-0.95, 0.95, 50)
    widths = rng.uniform(0.3, 3.0, 50)
    values = -((x - centres[:, None]) ** 2) / (2 * widths[:, None] ** 2)  # maxima at the centres
    where, top = maximize_interpolants(values)
    np.testing.assert_allclose(where, centres, atol=1e-10)
    np.testing.assert_allclose(top, 0.0, atol=1e-12)
    # increasing and decreasing functions peak at the ends
    where, top = maximize_interpolants(np.vstack([np.exp(x), np.exp(-x)]))
    np.testing.assert_array_equal(where, [1.0, -1.0])
    np.testing.assert_allclose(top, np.e, rtol=1e-14)


def test_skewed_peak_matches_a_fine_search():
    x = chebyshev_points(16)
    # singularities at distance 2π from the axis, as the log-likelihood's over a grid bracket
    f = lambda t: 3 * np.log1p(np.exp(t / 2)) - 2.0 * t**2 - 0.5 * np.exp(t / 2)  # noqa: E731
    where, top = maximize_interpolants(f(x)[None, :])
    fine = np.linspace(-1, 1, 2_000_001)
    best = fine[np.argmax(f(fine))]
    assert where[0] == pytest.approx(best, abs=2e-6)
    assert top[0] == pytest.approx(f(fine).max(), abs=1e-11)


def test_rows_with_non_finite_values_give_nan():
    x = chebyshev_points(8)
    values = np.vstack([-(x**2), np.where(x > 0.5, -np.inf, -(x**2))])
    where, top = maximize_interpolants(values)
    assert where[0] == pytest.approx(0.0, abs=1e-12) and np.isnan(where[1]) and np.isnan(top[1])


def test_points_are_the_chebyshev_extrema_in_increasing_order():
    x = chebyshev_points(4)
    np.testing.assert_allclose(x, [-1, -np.sqrt(0.5), 0, np.sqrt(0.5), 1], atol=1e-15)
