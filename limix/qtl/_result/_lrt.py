"""Likelihood-ratio test p-values for many tests at once."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import chdtrc, gammaln

__all__ = ["lrt_neg_log10_pvalue", "lrt_pvalue"]

_SMALLEST = 2.2e-308
_LARGEST = 1 - np.finfo(float).eps


def lrt_pvalue(lml_null: ArrayLike, lml_alt: ArrayLike, dof: ArrayLike) -> NDArray[np.float64]:
    """P(χ²_dof > 2(ℓ_alt − ℓ_null)), elementwise, clipped to [2.2e-308, 1 − ε].

    A negative statistic — the alternative fitting slightly worse than the null it contains,
    which is round-off — counts as zero. A test with no degree of freedom (a candidate that adds
    nothing to the null's design) gets p = 1 − ε.

    Examples
    --------
    >>> print(lrt_pvalue(-100.0, [-100.0, -98.0776, -90.0], 1))
    [1.00000000e+00 4.99004726e-02 7.74421643e-06]
    """
    stat = np.maximum(2 * (np.asarray(lml_alt, float) - np.asarray(lml_null, float)), 0.0)
    dof = np.broadcast_to(np.asarray(dof, float), stat.shape)
    with np.errstate(invalid="ignore"):
        pv = np.where(dof > 0, chdtrc(np.maximum(dof, 1), stat), 1.0)
    return np.clip(pv, _SMALLEST, _LARGEST)


def lrt_neg_log10_pvalue(
    lml_null: ArrayLike, lml_alt: ArrayLike, dof: ArrayLike
) -> NDArray[np.float64]:
    """−log₁₀ P(χ²_dof > 2(ℓ_alt − ℓ_null)), elementwise, finite however small the p-value.

    :func:`lrt_pvalue` is clipped at 2.2e-308, the smallest normal double, so past that its
    logarithm carries no information. This computes the logarithm of the χ² survival function
    directly: with a = dof/2 and z = stat/2, P = Q(a, z) = Γ(a, z)/Γ(a), the regularised upper
    incomplete gamma function. Where Q > 1e-280 it is ``chdtrc`` itself; below, Legendre's
    continued fraction

        Γ(a, z) = e⁻ᶻ zᵃ / (z + 1 − a − 1·(1 − a) / (z + 3 − a − 2·(2 − a) / (z + 5 − a − …)))

    is evaluated by the modified Lentz method (it converges fast for z > a + 1, which holds
    wherever Q is that small), so that log Q = −z + a·log z − log Γ(a) + log(fraction) needs no
    value below the floating-point range. A statistic ≤ 0 or a test without a degree of freedom
    gives 0 (p = 1).

    Examples
    --------
    >>> print(lrt_neg_log10_pvalue(-100.0, [-100.0, -98.0776, 500.0], 1).round(4))
    [  0.       1.3019 262.2147]
    >>> print(lrt_neg_log10_pvalue(0.0, 2000.0, 2).round(3))  # p = exp(−stat/2) = 10^-868.589
    868.589
    """
    stat = np.maximum(2 * (np.asarray(lml_alt, float) - np.asarray(lml_null, float)), 0.0)
    dof = np.broadcast_to(np.asarray(dof, float), stat.shape)
    out = np.zeros(stat.shape)
    testable = (dof > 0) & (stat > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pv = np.where(testable, chdtrc(np.maximum(dof, 1), stat), 1.0)
    direct = testable & (pv > 1e-280)
    out[direct] = -np.log10(pv[direct])
    tail = testable & ~direct
    if tail.any():
        out[tail] = -_log_upper_gamma_q(dof[tail] / 2, stat[tail] / 2) / np.log(10)
    return out


def _log_upper_gamma_q(a: NDArray[np.float64], z: NDArray[np.float64]) -> NDArray[np.float64]:
    """log Q(a, z) by Legendre's continued fraction (modified Lentz), for z > a + 1."""
    tiny = 1e-300
    b = z + 1 - a
    c = np.full_like(z, 1 / tiny)
    d = 1 / b
    h = d.copy()
    for i in range(1, 10_000):
        an = -i * (i - a)
        b = b + 2
        d = an * d + b
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1) < 1e-15):
            break
    return -z + a * np.log(z) - gammaln(a) + np.log(h)
