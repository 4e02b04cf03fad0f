"""Tilted moments of Bernoulli sites with the probit link, in closed form.

With P(y = 1 | z) = Φ(z), c = 2y − 1 ∈ {−1, 1} and a cavity 𝓝(z; μ, σ²),

    Ẑ = ∫ Φ(cz) 𝓝(z; μ, σ²) dz = Φ(κ),    κ = cμ/√(1 + σ²),

(Φ(cz) = P(ε < cz) for ε ∼ 𝓝(0, 1) independent of z, and cz − ε ∼ 𝓝(cμ, 1 + σ²)). Differentiating
log Ẑ in μ, with the inverse Mills ratio ρ(κ) = 𝓝(κ)/Φ(κ) and ρ′ = −ρ(κ + ρ),

    E[z] = μ + σ² ∂log Ẑ/∂μ = μ + cσ²ρ(κ)/√(1 + σ²),
    Var[z] = σ² + σ⁴ ∂²log Ẑ/∂μ² = σ² − σ⁴ρ(κ)(κ + ρ(κ))/(1 + σ²)
           = σ²(1 + σ²w(κ))/(1 + σ²),    w(κ) = 1 − ρ(κ)(κ + ρ(κ)),

where w(κ) ∈ (0, 1) is the variance of a standard normal truncated to (−∞, κ); the last form
adds positive terms only. Numerically:

* log Ẑ = log Φ(κ) by :func:`scipy.special.log_ndtr`, accurate in both tails;
* ρ(κ) = √(2/π)/erfcx(−κ/√2), as Φ(κ) = ½erfcx(−κ/√2)e^(−κ²/2): no cancellation, no
  underflow for κ → −∞ (where ρ ≈ −κ), and 1/∞ = 0 = ρ for κ ≳ 38;
* for κ < −4, where κ + ρ and w lose digits to cancellation, x = −κ and Laplace's continued
  fraction: with qₖ = k/(x + qₖ₊₁), κ + ρ(κ) = q₁ and w(κ) = q₁(q₂ − q₁) (60 terms are exact in
  double precision for x ≥ 4).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from scipy.special import erfcx, log_ndtr

__all__ = ["probit_moments", "truncated_normal_terms"]

Array = NDArray[np.float64]

#: Below this κ the continued fraction replaces the direct formulas.
_CONTINUED_BELOW = -4.0
#: Terms of the continued fraction.
_TERMS = 60


def truncated_normal_terms(kappa: Array) -> tuple[Array, Array, Array]:
    """ρ(κ) = 𝓝(κ)/Φ(κ), κ + ρ(κ) and w(κ) = 1 − ρ(κ)(κ + ρ(κ)), all to full relative accuracy.

    Examples
    --------
    >>> import numpy as np
    >>> rho, gap, w = truncated_normal_terms(np.array([-30.0, 0.0, 30.0]))
    >>> print(rho.round(6), gap.round(6), w.round(6))
    [30.03326   0.797885  0.      ] [ 0.03326   0.797885 30.      ] [0.001104 0.36338  1.      ]
    """
    kappa = np.asarray(kappa, dtype=float)
    with np.errstate(over="ignore"):
        rho = math.sqrt(2 / math.pi) / erfcx(-kappa / math.sqrt(2))
    gap = kappa + rho
    w = 1 - rho * gap
    low = kappa < _CONTINUED_BELOW
    if np.any(low):
        x = -kappa[low]
        q = np.zeros_like(x)
        q2 = q
        for k in range(_TERMS, 0, -1):
            q = k / (x + q)
            if k == 2:
                q2 = q
        gap[low] = q
        w[low] = q * (q2 - q)
    return rho, gap, w


def probit_moments(outcome: Array, mean: Array, variance: Array) -> tuple[Array, Array, Array]:
    """log Ẑ, tilted mean and tilted variance of probit Bernoulli sites (module docstring).

    Parameters
    ----------
    outcome
        yᵢ ∈ {0, 1}.
    mean, variance
        Cavity means μᵢ and variances σᵢ² > 0.
    """
    c = 2 * outcome - 1
    root = np.sqrt(1 + variance)
    kappa = c * mean / root
    rho, _, w = truncated_normal_terms(kappa)
    log_z = log_ndtr(kappa)
    tilted_mean = mean + c * variance * (rho / root)
    tilted_variance = variance / (1 + variance) * (1 + variance * w)
    return log_z, tilted_mean, tilted_variance
