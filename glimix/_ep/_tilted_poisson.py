"""Tilted density of Poisson sites with the log link.

Site i has count yᵢ with rate eᶻ:

    ℓ(z) = yᵢz − eᶻ − log yᵢ!,    ℓ′(z) = yᵢ − eᶻ,    −ℓ″(z) = eᶻ.

Around the mode ẑ, Δℓ(d) = yᵢd − N(d) with N(d) = e^ẑ(eᵈ − 1), computed with ``expm1`` so that it
stays accurate for small d however large e^ẑ is.

The mode solves yᵢ − eᶻ − (z − μᵢ)/σᵢ² = 0. With u = μᵢ + σᵢ²yᵢ − z ≥ 0 this is
u·eᵘ = σᵢ²e^(μᵢ+σᵢ²yᵢ),
u = W(σᵢ²e^(μᵢ+σᵢ²yᵢ)) (Lambert's W), and r = log u solves

    φ(r) = r + eʳ − L = 0,    L = log σᵢ² + μᵢ + σᵢ²yᵢ.

φ is convex and increasing, and r₀ = L (if L < 1) or log L (if L ≥ 1) satisfies φ(r₀) ≥ 0, so
Newton's iteration from r₀ decreases monotonically to the zero, quadratically, with no overflow
and no safeguard, whatever the size of L. A last Newton step in z polishes ẑ = μᵢ + σᵢ²yᵢ − eʳ.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaln

from ._tilted_density import TiltedDensity

__all__ = ["PoissonLogDensity"]

Array = NDArray[np.float64]
Rows = NDArray[np.intp] | slice

#: Largest number of Newton iterations for r = log u.
MAX_MODE_ITERATIONS = 100
#: Below this mode e^ẑ may underflow to 0 while eᵈ − 1 overflows: N(d) is then e^(ẑ+d).
_UNDERFLOW = -700.0


class PoissonLogDensity(TiltedDensity):
    """Tilted densities e^(yᵢz − eᶻ)/yᵢ! 𝓝(z; μᵢ, σᵢ²) of Poisson sites with the log link.

    Parameters
    ----------
    outcome
        Counts yᵢ.
    mean, variance
        Cavity means μᵢ and variances σᵢ² > 0.
    """

    #: exp(−eᶻ) stays bounded only for |Im z| < π/2, where Re eᶻ > 0: the strip that
    #: governs the trapezoid rule's aliasing error, although eᶻ itself is entire.
    analytic_halfwidth = math.pi / 2

    def __init__(self, outcome: Array, mean: Array, variance: Array) -> None:
        TiltedDensity.__init__(self, outcome, mean, variance)
        self._rate = np.ones_like(mean)
        self._tiny = np.zeros(mean.shape, dtype=bool)

    def _find_mode(self) -> tuple[Array, NDArray[np.bool_]]:
        top = self.mu + self.var * self.y
        with np.errstate(over="ignore", invalid="ignore"):
            level = np.log(self.var) + top
            r = np.where(level < 1, level, np.log(np.maximum(level, 1.0)))
            converged = np.zeros(r.shape, dtype=bool)
            active = np.flatnonzero(np.isfinite(r))
            for _ in range(MAX_MODE_ITERATIONS):
                if active.size == 0:
                    break
                ra = r[active]
                er = np.exp(ra)
                step = (ra + er - level[active]) / (1 + er)
                ra = ra - step
                r[active] = ra
                done = np.abs(step) <= 4 * np.finfo(float).eps * np.maximum(1.0, np.abs(ra))
                converged[active[done]] = True
                active = active[~done]
            mode = top - np.exp(r)
            # One Newton step in z on g(z) = y − eᶻ − (z − μ)/σ², kept where it reduces |g|.
            rate = np.exp(mode)
            g = self.y - rate - (mode - self.mu) / self.var
            polished = mode + g / (rate + 1 / self.var)
            g_polished = self.y - np.exp(polished) - (polished - self.mu) / self.var
            mode = np.where(np.abs(g_polished) < np.abs(g), polished, mode)
        return mode, converged

    def _loglik(self, z: Array) -> Array:
        with np.errstate(over="ignore"):
            return self.y * z - np.exp(z) - gammaln(self.y + 1)

    def _curvature(self, z: Array) -> Array:
        with np.errstate(over="ignore"):
            return np.exp(z)

    def _prepare(self) -> None:
        with np.errstate(over="ignore"):
            self._rate = np.exp(self.mode)
        self._tiny = self.mode < _UNDERFLOW

    def _nonlinear(self, rows: Rows, d: Array) -> Array:
        out = np.expm1(d)
        out *= self._rate[rows][:, None]
        tiny = self._tiny[rows]
        if np.any(tiny):
            zhat = self.mode[rows][:, None]
            out = np.where(tiny[:, None] & (d > 0), np.exp(zhat + d) - np.exp(zhat), out)
        return out

    def _nonlinear_slope(self, rows: Rows, d: Array) -> Array:
        return np.exp(self.mode[rows][:, None] + d)
