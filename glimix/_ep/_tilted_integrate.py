"""The two quadrature passes over the tilted densities: nested trapezoid, then adaptive Kronrod.

Both integrate F(d) = exp(Δf(d)), the tilted density divided by its value at the mode, in the
offset d = z − ẑᵢ, and return per site

    log D₀,    m = D₁/D₀,    v = D₂/D₀ − m²,    Dₖ = ∫ dᵏ F(d) dd,

so that log Ẑᵢ = f(ẑᵢ) − ½log(2πσᵢ²) + log D₀, the tilted mean is ẑᵢ + m and the variance v.
Nothing overflows: F ≤ 1, with F = 1 at the mode.

1. Trapezoid pass, every site. In the standardised variable t = d/sᵢ (sᵢ the curvature scale
   at the mode) F(sᵢt) = exp(−t²/2 + O(t³)), and the trapezoid rule with step ½ on t ∈ [−9, 9]
   (37 nodes) is accurate to far below 10⁻⁹ when the tilted density is close to Gaussian on the
   scale of the strip where it is analytic (for the logit link, |Im z| < π). The rule with step 1
   on every other node estimates its error: as halving the step squares the error, the fine
   result is kept when both agree to ``FAST_TOLERANCE`` in log D₀, in m (relative to √v) and in
   v (relative to v), and F(±9sᵢ) ≤ e^(−30), which bounds the truncated tails (F is log-concave)
   by ~10⁻¹³ of D₀.
2. Adaptive Gauss–Kronrod pass, the sites that neither this trapezoid pass nor the one over each
   site's own range (``_tilted_ranged.py``) settled: skewed tilted densities whose likelihood has
   features much narrower than the spread of the cavity (a wide cavity against a sigmoid, Poisson's
   e^(−eᶻ) wall), spanning hundreds of curvature scales. On each side of the mode the integral is
   truncated where F falls to e^(−K) (K = ``ROBUST_DROP``), found by safeguarded Newton on Δf(d) =
   −K starting from sᵢ√(2K) inside the bracket [0, σᵢ√(2K)·1.1] (f″ ≤ −1/σᵢ² bounds the drop from
   below by d²/(2σᵢ²)); log-concavity bounds the tail beyond by e^(−K) of the integral. Each
   interval gets the 10-point Gauss and 21-point Kronrod rules; the difference, converted into
   errors of log D₀, m and v as above, must be below ``ROBUST_TOLERANCE`` times the interval's share
   of the site's range, otherwise the interval is halved. Every stage works on all pending intervals
   of all sites at once.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from ._quadrature import gauss_kronrod, nested_trapezoid
from ._tilted_density import TiltedDensity
from ._tilted_newton import safeguarded_newton

__all__ = ["adaptive_pass", "nested_agreement", "trapezoid_pass"]

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]

#: Trapezoid pass: step in units of the curvature scale, and half the number of intervals.
FAST_STEP = 0.5
FAST_HALF_NODES = 18
#: Trapezoid pass: smallest drop of log F at the ends ±9 of the standardised range.
FAST_DROP = 30.0
#: Trapezoid pass: largest difference between the two steps' results that is accepted.
FAST_TOLERANCE = 1e-5
#: Trapezoid pass: smallest 2πa/h (a the likelihood's strip of analyticity, h = step·sᵢ the
#: step in z). The aliasing error is about e^(−2πa/h) times the weight of the tilted density
#: near the singularities at distance a, and it is invisible to the comparison of the two steps
#: (both steps alias alike); without this check a wide cavity deep in a tail of the sigmoid had
#: a variance error of 10⁻⁶. With 14 the largest relative error measured against adaptive
#: quadrature (tests/glimix/ep/test_tilted.py's grid and random cavities) was 5·10⁻¹¹.
FAST_ALIASING_EXPONENT = 14.0
#: Adaptive pass: drop of log F where each side is truncated.
ROBUST_DROP = 36.0
#: Adaptive pass: Gauss points per interval (Kronrod points: twice that plus one).
ROBUST_GAUSS_NODES = 10
#: Adaptive pass: target of the summed Gauss–Kronrod error estimates.
ROBUST_TOLERANCE = 1e-10
#: Adaptive pass: smallest share of the error budget an interval is given. Budgets
#: proportional to length alone would ask a short interval across a steep feature for an error
#: below round-off, and it would be halved without end; with this floor the total error stays
#: below ``ROBUST_TOLERANCE``·(1 + ``ROBUST_MIN_SHARE``·number of intervals).
ROBUST_MIN_SHARE = 1e-3
#: Adaptive pass: largest number of halving stages.
ROBUST_MAX_STAGES = 60
#: Adaptive pass: largest number of safeguarded Newton iterations for a truncation point.
ROBUST_MAX_ENDPOINT_ITERATIONS = 200
#: Rows of (sites or intervals) × nodes processed at once, to keep arrays in cache.
CHUNK = 4096


def trapezoid_pass(density: TiltedDensity) -> tuple[Array, Array, Array, Mask]:
    """Nested trapezoid rules in t = d/sᵢ for every site.

    Returns
    -------
    log_d0, m, v, accepted
        The moments described in the module docstring and which sites passed the checks.
    """
    nodes, weights = nested_trapezoid(FAST_STEP, FAST_HALF_NODES)
    powers = np.stack([np.ones_like(nodes), nodes, nodes * nodes], axis=1)
    table = np.concatenate([weights[:, :1] * powers, weights[:, 1:] * powers], axis=1)
    size = density.size
    sums = np.empty((size, 6))
    ends = np.empty((size, 2))
    scale = density.scale
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for start in range(0, size, CHUNK):
            rows = slice(start, min(size, start + CHUNK))
            values = density.log_ratio(rows, scale[rows, None] * nodes)
            np.exp(values, out=values)
            sums[rows] = values @ table
            ends[rows, 0] = values[:, 0]
            ends[rows, 1] = values[:, -1]
        log_fine, fine_m, fine_v, agree = nested_agreement(sums[:, :3], sums[:, 3:], FAST_TOLERANCE)
        accepted = (
            agree
            & np.all(ends <= math.exp(-FAST_DROP), axis=1)
            & (
                2 * math.pi * density.analytic_halfwidth
                >= FAST_ALIASING_EXPONENT * FAST_STEP * scale
            )
        )
        log_d0 = log_fine + np.log(scale)
        m = fine_m * scale
        v = fine_v * scale * scale
    return log_d0, m, v, accepted


def nested_agreement(
    fine: Array, coarse: Array, tolerance: float
) -> tuple[Array, Array, Array, Mask]:
    """Moments of the step-h sums and whether the step-2h ones agree with them.

    ``fine`` and ``coarse`` hold the columns ∫F, ∫tF, ∫t²F of each site. Returns log ∫F, the
    mean and variance from ``fine``, and which sites are finite with a positive variance and
    agree within ``tolerance`` in log ∫F, in the mean (relative to the standard deviation) and in
    the variance (relative to itself): as halving the step squares the error, the fine result is
    then accurate far beyond ``tolerance``.
    """
    fine_m, fine_v = _mean_variance(fine)
    coarse_m, coarse_v = _mean_variance(coarse)
    log_fine = np.log(fine[:, 0])
    agree = (
        np.isfinite(log_fine)
        & (fine_v > 0)
        & (np.abs(log_fine - np.log(coarse[:, 0])) <= tolerance)
        & (np.abs(fine_m - coarse_m) <= tolerance * np.sqrt(fine_v))
        & (np.abs(fine_v - coarse_v) <= tolerance * fine_v)
    )
    return log_fine, fine_m, fine_v, agree


def _mean_variance(sums: Array) -> tuple[Array, Array]:
    """Mean and variance from the columns ∫F, ∫tF, ∫t²F."""
    m = sums[:, 1] / sums[:, 0]
    return m, sums[:, 2] / sums[:, 0] - m * m


def adaptive_pass(
    density: TiltedDensity, sites: NDArray[np.intp]
) -> tuple[Array, Array, Array, Mask]:
    """Adaptive Gauss–Kronrod quadrature in d for the given sites.

    Parameters
    ----------
    density
        The located tilted densities.
    sites
        Indices of the sites to integrate.

    Returns
    -------
    log_d0, m, v, converged
        The moments of the module docstring for ``sites``, and which sites converged (their
        truncation points found and every interval within tolerance in at most
        ``ROBUST_MAX_STAGES`` stages).
    """
    count = sites.size
    right, right_ok = _truncation(density, sites, 1.0)
    left, left_ok = _truncation(density, sites, -1.0)
    width = left + right
    owner = np.concatenate([np.arange(count), np.arange(count)])
    lower = np.concatenate([-left, np.zeros(count)])
    upper = np.concatenate([np.zeros(count), right])
    accepted = np.zeros((count, 3))
    pending = np.zeros(count, dtype=bool)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        for _ in range(ROBUST_MAX_STAGES):
            if owner.size == 0:
                break
            kronrod, gauss = _kronrod_sums(density, sites[owner], lower, upper)
            totals = accepted.copy()
            for k in range(3):
                totals[:, k] += np.bincount(owner, weights=kronrod[:, k], minlength=count)
            d0 = totals[owner, 0]
            m = totals[owner, 1] / d0
            second = totals[owner, 2] / d0
            v = second - m * m
            diff = np.abs(kronrod - gauss)
            err_d0 = diff[:, 0] / d0
            err_m = (diff[:, 1] + np.abs(m) * diff[:, 0]) / d0
            err_v = (
                diff[:, 2] + 2 * np.abs(m) * diff[:, 1] + (second + 2 * m * m) * diff[:, 0]
            ) / d0
            error = np.maximum(err_d0, np.maximum(err_m / np.sqrt(v), err_v / v))
            share = np.maximum((upper - lower) / width[owner], ROBUST_MIN_SHARE)
            ok = error <= ROBUST_TOLERANCE * share
            for k in range(3):
                accepted[:, k] += np.bincount(owner[ok], weights=kronrod[ok, k], minlength=count)
            split = ~ok
            owner = np.repeat(owner[split], 2)
            middle = 0.5 * (lower[split] + upper[split])
            lower, upper = (
                np.stack([lower[split], middle], axis=1).ravel(),
                np.stack([middle, upper[split]], axis=1).ravel(),
            )
        pending[owner] = True
        m, v = _mean_variance(accepted)
        log_d0 = np.log(accepted[:, 0])
        converged = right_ok & left_ok & ~pending & np.isfinite(log_d0) & (v > 0)
    return log_d0, m, v, converged


def _kronrod_sums(
    density: TiltedDensity, sites: NDArray[np.intp], lower: Array, upper: Array
) -> tuple[Array, Array]:
    """Kronrod and Gauss estimates of ∫F, ∫dF, ∫d²F over each interval [lower, upper]."""
    nodes, kronrod_w, gauss_w = gauss_kronrod(ROBUST_GAUSS_NODES)
    table = np.stack([kronrod_w, gauss_w], axis=1)
    count = lower.size
    kronrod = np.empty((count, 3))
    gauss = np.empty((count, 3))
    for start in range(0, count, CHUNK):
        rows = slice(start, min(count, start + CHUNK))
        centre = 0.5 * (lower[rows] + upper[rows])
        half = 0.5 * (upper[rows] - lower[rows])
        d = centre[:, None] + half[:, None] * nodes
        values = density.log_ratio(sites[rows], d)
        np.exp(values, out=values)
        for k in range(3):
            both = (values @ table) * half[:, None]
            kronrod[rows, k] = both[:, 0]
            gauss[rows, k] = both[:, 1]
            if k < 2:
                values *= d
    return kronrod, gauss


def _truncation(density: TiltedDensity, sites: NDArray[np.intp], side: float) -> tuple[Array, Mask]:
    """Distances e > 0 from the mode, on one side, where Δf(side·e) = −``ROBUST_DROP``.

    Solves g(e) = K + Δf(side·e) = 0, decreasing in e, by safeguarded Newton in [0, hi] with
    hi = 1.1σᵢ√(2K), enlarged if g(hi) is not yet negative.
    """
    drop = ROBUST_DROP

    def fun(rows: NDArray[np.intp], e: Array) -> tuple[Array, Array]:
        d = side * e[:, None]
        g = drop + density.log_ratio(sites[rows], d)[:, 0]
        return g, side * density.slope(sites[rows], d)[:, 0]

    reach = math.sqrt(2 * drop)
    every = np.arange(sites.size)
    hi = 1.1 * reach * density.sd[sites]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(8):
            g, _ = fun(every, hi)
            short = ~(g <= 0)
            if not np.any(short):
                break
            hi = np.where(short, 4 * hi, hi)
        lo = np.zeros_like(hi)
        scale = density.scale[sites]
        e, _, _, converged = safeguarded_newton(
            fun, reach * scale, lo, hi, 0.01 * scale, ROBUST_MAX_ENDPOINT_ITERATIONS
        )
        reached = fun(every, e)[0] <= 1.0  # log F(side·e) ≤ 1 − K
    return e, converged & reached & np.isfinite(e) & (e > 0)
