"""Maxima of many smooth functions on [−1, 1] from their values at Chebyshev points.

A function f analytic inside the Bernstein ellipse E_ρ (foci ±1, semi-axes summing to ρ > 1) is
approximated by its degree-k interpolant pₖ at the Chebyshev points xⱼ = cos(πj/k), j = 0…k,
with ‖f − pₖ‖∞ ≤ 4Mρ⁻ᵏ/(ρ − 1), M = max |f| on E_ρ (Trefethen, *Approximation Theory and
Approximation Practice*, 2013, Theorem 8.2). The interpolant's coefficients in the Chebyshev
basis are a fixed linear map of the k + 1 values (a discrete cosine transform), so m functions
sampled at the same points are interpolated by one (m × (k + 1)) @ ((k + 1) × (k + 1)) product.

Each interpolant is then maximised: on a dense even grid first (one more product), then by
Newton's iteration on pₖ′ from the best grid point, with pₖ′ and pₖ″ from the differentiated
series. Sites where Newton's iteration fails (a step that does not stay within the grid
spacing, a non-negative second derivative) keep the grid's best point; the caller validates
every answer against the function itself.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.polynomial import chebyshev
from numpy.typing import NDArray

__all__ = ["chebyshev_points", "maximize_interpolants"]

Array = NDArray[np.float64]

#: Points of the dense grid on which each interpolant's maximum is located first.
DENSE_POINTS = 257
#: Newton iterations polishing the maximiser.
NEWTON_STEPS = 4


def chebyshev_points(degree: int) -> Array:
    """The degree + 1 Chebyshev points xⱼ = cos(πj/degree) in increasing order (ends included).

    Examples
    --------
    >>> print(chebyshev_points(2))
    [-1.  0.  1.]
    """
    j = np.arange(degree, -1, -1)
    x = np.cos(np.pi * j / degree)
    if degree % 2 == 0:
        x[degree // 2] = 0.0  # cos(π/2) is 6e-17 in floating point
    return x


@lru_cache(maxsize=8)
def _coefficient_map(degree: int) -> Array:
    """(k + 1)×(k + 1) matrix mapping values at the Chebyshev points to series coefficients."""
    vander = chebyshev.chebvander(chebyshev_points(degree), degree)
    inverse = np.linalg.inv(vander)
    inverse.flags.writeable = False
    return inverse


@lru_cache(maxsize=8)
def _dense_basis(degree: int) -> tuple[Array, Array]:
    """The dense grid and the Chebyshev polynomials T₀…Tₖ on it, (k + 1)×points."""
    grid = np.linspace(-1.0, 1.0, DENSE_POINTS)
    basis = chebyshev.chebvander(grid, degree).T.copy()
    for arr in (grid, basis):
        arr.flags.writeable = False
    return grid, basis


def maximize_interpolants(values: Array) -> tuple[Array, Array]:
    """The maximiser on [−1, 1] of the interpolant of each row of ``values``, and its value.

    Parameters
    ----------
    values
        m × (k + 1) matrix: row i holds fᵢ at :func:`chebyshev_points` (k).

    Returns
    -------
    x, px
        Each interpolant's maximiser in [−1, 1] and its maximum. A row with a non-finite value
        gets NaN for both.

    Examples
    --------
    >>> x = chebyshev_points(16)
    >>> values = np.vstack([np.cos(x - 0.3), -((x - 0.9) ** 2)])
    >>> where, top = maximize_interpolants(values)
    >>> print(where.round(12), top.round(12) + 0.0)  # + 0.0: a maximum of ±1e-17 prints as 0
    [0.3 0.9] [1. 0.]
    """
    m, width = values.shape
    degree = width - 1
    finite = np.all(np.isfinite(values), axis=1)
    coef = np.where(finite[:, None], values, 0.0) @ _coefficient_map(degree).T
    grid, basis = _dense_basis(degree)
    dense = coef @ basis
    best = np.argmax(dense, axis=1)
    x = grid[best]
    px = dense[np.arange(m), best]
    first = chebyshev.chebder(coef, axis=1)
    second = chebyshev.chebder(first, axis=1)
    spacing = grid[1] - grid[0]
    t = x.copy()
    for _ in range(NEWTON_STEPS):
        slope = chebyshev.chebval(t, first.T, tensor=False)
        curve = chebyshev.chebval(t, second.T, tensor=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(curve < 0, -slope / curve, 0.0)
        t = np.clip(t + step, -1.0, 1.0)
    moved = np.abs(t - x) <= 2 * spacing
    pt = chebyshev.chebval(t, coef.T, tensor=False)
    polish = moved & (pt >= px)
    x = np.where(polish, t, x)
    px = np.where(polish, pt, px)
    x[~finite] = np.nan
    px[~finite] = np.nan
    return x, px
