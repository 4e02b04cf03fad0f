"""Maximisation over the variance ratio 𝛿 ∈ (0, 1): a grid over logit(𝛿), then Brent.

The profiled log-likelihood of an LMM as a function of 𝛿 can have more than one local maximum
(and maxima at the boundary, 𝛿 → 0 or 𝛿 → 1). A local optimiser started at one point may climb
the wrong one; so θ = logit(𝛿) = log(𝛿/(1 − 𝛿)) is first evaluated on an even grid over
[−θₘₐₓ, θₘₐₓ] (θₘₐₓ = 20, so 𝛿 ∈ [2.1·10⁻⁹, 1 − 2.1·10⁻⁹]), and Brent's bounded method then
refines the best grid point within its two neighbours. Two maxima closer than a grid step can
still be confused; the grid step (0.5 by default) is far finer than the width of the likelihood's
peaks in θ met in practice.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import scipy.optimize
from numpy.typing import ArrayLike, NDArray

__all__ = ["LOGIT_BOUND", "logistic", "logit", "logit_grid", "maximize_over_logit"]

Array = NDArray[np.float64]

#: θ = logit(𝛿) is searched in [−LOGIT_BOUND, LOGIT_BOUND].
LOGIT_BOUND = 20.0

#: Points of the grid over θ for a scalar search (spacing 0.5).
NGRID = 81

#: Absolute tolerance of Brent's method on θ.
XATOL = 1e-8


def logistic(theta: ArrayLike) -> Array:
    """𝛿 = 1/(1 + e⁻ᶿ), computed without overflow for large |θ|."""
    theta = np.asarray(theta, float)
    return np.exp(-np.logaddexp(0.0, -theta))


def logit(delta: float) -> float:
    """θ = log(𝛿/(1 − 𝛿)), clipped to [−LOGIT_BOUND, LOGIT_BOUND]."""
    if delta <= 0:
        return -LOGIT_BOUND
    if delta >= 1:
        return LOGIT_BOUND
    return float(np.clip(math.log(delta) - math.log1p(-delta), -LOGIT_BOUND, LOGIT_BOUND))


def logit_grid(npoints: int) -> Array:
    """An even grid of ``npoints`` values over [−LOGIT_BOUND, LOGIT_BOUND]."""
    return np.linspace(-LOGIT_BOUND, LOGIT_BOUND, npoints)


def maximize_over_logit(
    f: Callable[[float], float], npoints: int = NGRID, xatol: float = XATOL
) -> tuple[float, float]:
    """Maximise f(θ) over θ ∈ [−LOGIT_BOUND, LOGIT_BOUND]: grid, then Brent on the best bracket.

    Parameters
    ----------
    f
        Objective; may return −∞ (or NaN) where it is undefined, such points are never chosen.
    npoints
        Size of the grid.
    xatol
        Absolute tolerance of Brent's method on θ.

    Returns
    -------
    theta, value
        The maximiser and the maximum; the grid point itself when Brent finds nothing better
        (so a maximum on the boundary is kept).

    Raises
    ------
    ValueError
        If f is not finite anywhere on the grid.
    """
    grid = logit_grid(npoints)
    values = np.array([_finite_or_minus_inf(f(t)) for t in grid])
    k = int(np.argmax(values))
    if not np.isfinite(values[k]):
        raise ValueError("the objective is not finite for any variance ratio 𝛿 on the grid.")
    # The bracket stops at a neighbour where f is not finite: Brent's parabolic steps through
    # an infinite value would be NaN.
    left, right = max(k - 1, 0), min(k + 1, npoints - 1)
    lo = grid[left] if np.isfinite(values[left]) else grid[k]
    hi = grid[right] if np.isfinite(values[right]) else grid[k]
    if lo == hi:
        return float(grid[k]), float(values[k])
    result = scipy.optimize.minimize_scalar(
        lambda t: -_finite_or_minus_inf(f(t)),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": xatol},
    )
    if np.isfinite(result.fun) and -result.fun > values[k]:
        return float(result.x), float(-result.fun)
    return float(grid[k]), float(values[k])


def _finite_or_minus_inf(value: float) -> float:
    value = float(value)
    return value if np.isfinite(value) else -math.inf
