"""The tilted log-density of every site, written around its mode for quadrature.

Site i has the unnormalised tilted density p(yᵢ | z) 𝓝(z; μᵢ, σᵢ²), whose log is, up to the
constant −½log(2πσᵢ²),

    f(z) = ℓ(z) − (z − μᵢ)²/(2σᵢ²),    ℓ(z) = log p(yᵢ | z).

For the log-concave likelihoods handled here f is strictly concave (f″ ≤ −1/σᵢ²), so it has one
mode ẑᵢ, the zero of f′. With d = z − ẑᵢ the quadrature needs

    Δf(d) = f(ẑᵢ + d) − f(ẑᵢ) = c₁d − d²/(2σᵢ²) − N(d),
    c₁ = yᵢ − (ẑᵢ − μᵢ)/σᵢ²,

where the likelihood contributes Δℓ(d) = ℓ(ẑᵢ + d) − ℓ(ẑᵢ) = yᵢd − N(d) and each family computes
its part N(d) without cancellation (``_tilted_logit.py``, ``_tilted_poisson.py``). At the mode
c₁ = N′(0), so the linear terms cancel to first order and Δf(d) = −d²/(2sᵢ²) + O(d³), with the
curvature scale sᵢ = (−f″(ẑᵢ))^(−1/2) = σᵢ(1 + σᵢ²h)^(−1/2), h = −ℓ″(ẑᵢ) ≥ 0.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["TiltedDensity"]

Array = NDArray[np.float64]
Rows = NDArray[np.intp] | slice


class TiltedDensity:
    """Tilted log-densities f(z) = ℓ(z) − (z − μᵢ)²/(2σᵢ²) of many sites, centred at their modes.

    Subclasses give the likelihood's part: :meth:`_find_mode`, :meth:`_loglik`,
    :meth:`_curvature`, :meth:`_nonlinear` and :meth:`_nonlinear_slope`.

    Parameters
    ----------
    outcome
        Outcome yᵢ of each site.
    mean, variance
        Cavity means μᵢ and variances σᵢ² > 0.
    """

    #: Half-width a of the strip |Im z| < a around the real axis where the likelihood is
    #: analytic (∞ for an entire one). The trapezoid rule's error grows like e^(−2πa/h) for
    #: a step h, so sites whose step is not small against a go to the adaptive pass.
    analytic_halfwidth: float = math.inf

    def __init__(self, outcome: Array, mean: Array, variance: Array) -> None:
        self.y = outcome
        self.mu = mean
        self.var = variance
        self.sd = np.sqrt(variance)
        self.mode = mean.copy()
        self.scale = self.sd.copy()
        self._c1 = np.zeros_like(mean)
        self._a2 = 0.5 / variance

    @property
    def size(self) -> int:
        """Number of sites."""
        return int(self.y.shape[0])

    def locate(self) -> NDArray[np.bool_]:
        """Find every mode ẑᵢ and curvature scale sᵢ; return which mode searches converged."""
        mode, converged = self._find_mode()
        self.mode = mode
        with np.errstate(over="ignore", invalid="ignore"):
            self.scale = self.sd / np.sqrt(1 + self.var * self._curvature(mode))
            self._c1 = self.y - (mode - self.mu) / self.var
        self._prepare()
        return converged & np.isfinite(mode) & (self.scale > 0) & np.isfinite(self._c1)

    def log_peak(self) -> Array:
        """log of the tilted density at its mode, f(ẑᵢ) − ½log(2πσᵢ²).

        So that log Ẑᵢ = log_peak + log ∫ exp(Δf(d)) dd.
        """
        diff = self.mode - self.mu
        return (
            self._loglik(self.mode)
            - diff * diff * self._a2
            - 0.5 * np.log(self.var)
            - 0.5 * math.log(2 * math.pi)
        )

    def log_ratio(self, rows: Rows, d: Array) -> Array:
        """Δf(d) = f(ẑᵢ + d) − f(ẑᵢ) for the sites ``rows`` (one row of offsets ``d`` each)."""
        c1 = self._c1[rows][:, None]
        a2 = self._a2[rows][:, None]
        with np.errstate(over="ignore", invalid="ignore"):
            return d * (c1 - a2 * d) - self._nonlinear(rows, d)

    def slope(self, rows: Rows, d: Array) -> Array:
        """Δf′(d) = f′(ẑᵢ + d) for the sites ``rows``, offsets ``d`` of shape (rows, k)."""
        c1 = self._c1[rows][:, None]
        a2 = self._a2[rows][:, None]
        with np.errstate(over="ignore", invalid="ignore"):
            return c1 - 2 * a2 * d - self._nonlinear_slope(rows, d)

    # -- the likelihood's part ------------------------------------------------------------------
    def _find_mode(self) -> tuple[Array, NDArray[np.bool_]]:
        """The modes ẑᵢ and which searches converged."""
        raise TypeError(f"{type(self).__name__} must define _find_mode()")  # pragma: no cover

    def _loglik(self, z: Array) -> Array:
        """ℓ(zᵢ) = log p(yᵢ | zᵢ), one point per site."""
        raise TypeError(f"{type(self).__name__} must define _loglik()")  # pragma: no cover

    def _curvature(self, z: Array) -> Array:
        """h = −ℓ″(zᵢ) ≥ 0, one point per site."""
        raise TypeError(f"{type(self).__name__} must define _curvature()")  # pragma: no cover

    def _prepare(self) -> None:
        """Compute per-site constants at the mode used by :meth:`_nonlinear`."""

    def _nonlinear(self, rows: Rows, d: Array) -> Array:
        """N(d) with Δℓ(d) = yᵢd − N(d)."""
        raise TypeError(f"{type(self).__name__} must define _nonlinear()")  # pragma: no cover

    def _nonlinear_slope(self, rows: Rows, d: Array) -> Array:
        """N′(d)."""
        raise TypeError(f"{type(self).__name__} must define _nonlinear_slope()")  # pragma: no cover
