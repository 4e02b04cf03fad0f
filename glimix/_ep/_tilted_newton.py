"""Vectorised safeguarded Newton iteration for the zeros of many decreasing functions at once."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

__all__ = ["safeguarded_newton"]

Array = NDArray[np.float64]
Rows = NDArray[np.intp]

#: Steps this small relative to |x| are floating-point noise: they end the iteration whatever
#: ``xtol`` asks.
_ROUNDING = 4 * np.finfo(float).eps


def safeguarded_newton(
    fun: Callable[[Rows, Array], tuple[Array, Array]],
    x0: Array,
    lo: Array,
    hi: Array,
    xtol: Array,
    maxiter: int,
) -> tuple[Array, Array, Array, NDArray[np.bool_]]:
    """Zeros xᵢ of decreasing functions gᵢ, by Newton steps kept inside a shrinking bracket.

    Each gᵢ is decreasing on [loᵢ, hiᵢ] with gᵢ(loᵢ) ≥ 0 ≥ gᵢ(hiᵢ). An iteration evaluates
    gᵢ(xᵢ) and gᵢ′(xᵢ) < 0, moves the bracket end on the side of the sign of gᵢ(xᵢ) to xᵢ, and
    takes the Newton step xᵢ − gᵢ/gᵢ′ unless it leaves the bracket or is more than half the step
    before it, in which case it bisects the bracket instead. The bracket at least halves every
    other iteration, and near the zero the steps are Newton's, converging quadratically. Sites
    stop once a step is within ``xtol``; only the sites still moving are evaluated (no loop over
    sites: each iteration is a few array operations on the active ones).

    Parameters
    ----------
    fun
        ``fun(rows, x)`` returns (gᵢ(xᵢ), gᵢ′(xᵢ)) for the sites ``rows`` (an index array) at the
        points ``x`` (one per row).
    x0
        Starting points; clipped into the brackets.
    lo, hi
        Brackets, updated in place: on return gᵢ(loᵢ) ≥ 0 ≥ gᵢ(hiᵢ) still holds for the
        evaluated points.
    xtol
        Absolute tolerance on each xᵢ; 4ε|xᵢ| (ε the machine epsilon) is added to it.
    maxiter
        Largest number of iterations.

    Returns
    -------
    x, lo, hi, converged
        The zeros, the final brackets and which sites converged within ``maxiter`` iterations.
    """
    x = np.clip(x0, lo, hi)
    step_before = np.abs(hi - lo)
    converged = np.zeros(x.shape, dtype=bool)
    active = np.arange(x.shape[0])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(maxiter):
            if active.size == 0:
                break
            xa = x[active]
            g, slope = fun(active, xa)
            la = np.where(g >= 0, xa, lo[active])
            ha = np.where(g <= 0, xa, hi[active])
            lo[active] = la
            hi[active] = ha
            newton = xa - g / slope
            bisect = ~((newton >= la) & (newton <= ha)) | (
                np.abs(2 * (newton - xa)) > step_before[active]
            )
            xn = np.where(bisect, 0.5 * (la + ha), newton)
            step = np.abs(xn - xa)
            x[active] = xn
            step_before[active] = step
            tol = xtol[active] + _ROUNDING * np.abs(xn)
            done = (step <= tol) | (g == 0) | (ha - la <= tol)
            converged[active[done]] = True
            active = active[~done]
    return x, lo, hi, converged
