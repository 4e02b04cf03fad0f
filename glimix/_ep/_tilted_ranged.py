"""The second quadrature pass: nested trapezoid rules over each site's own range.

The first pass (``_tilted_integrate.trapezoid_pass``) puts 37 nodes on ±9 curvature scales sᵢ
around the mode. It fails the tilted densities that are skewed — a cavity wider than the
features of the likelihood: a logit outcome against a wide cavity, Poisson's e^(−eᶻ) wall —
mostly because the wide side has not decayed at 9sᵢ. Those are integrated here, still by the
trapezoid rule in the offset d = z − ẑᵢ, but on a range fitted to each side:

1. Range. On each side the distance eᵢ is the first rung of the ladder 9sᵢ·ρᵏ (ρ =
   ``LADDER_RATIO``) where F(±eᵢ) = exp(Δf(±eᵢ)) ≤ e^(−K), K = ``RANGED_DROP``. As f″ ≤ −1/σᵢ²,
   Δf(d) ≤ −d²/(2σᵢ²), so the ladder stops by 9·max(sᵢ, σᵢ·√(2K)/9)·ρ; log-concavity bounds the
   tail beyond eᵢ by e^(−K)·eᵢ/K of the peak.
2. Step. h = min(sᵢ/4, 2πa/``ALIASING_EXPONENT``) with a the half-width of the strip where the
   likelihood is analytic. The rule's error is about e^(−2πa/h) times the weight of the density
   near the singularities (and e^(−2π²sᵢ²/h²) for a Gaussian core). The step is half the first
   pass's, so that the comparison rule with step 2h is itself converging: with h = sᵢ/2 on
   skewed logit sites the two rules differed by 10⁻⁵ and the fine one was off by 10⁻⁸.
3. Nodes. d = kh for k = −Lᵢ, …, Rᵢ with Lᵢ, Rᵢ even (Lᵢh ≥ eᵢ on the left, Rᵢh ≥ eᵢ on the
   right). The rule with step 2h uses the nodes with even k; as halving the step squares the
   error, the fine result is kept when both agree to ``RANGED_TOLERANCE`` in log D₀, in the mean
   (relative to the standard deviation) and in the variance (relative to itself).

Sites are sorted by node count and processed in chunks whose rows share the chunk's largest
count: a row with fewer nodes is padded on the right, where F ≈ 0 and contributes nothing.
Sites that need more than ``RANGED_MAX_NODES`` nodes, or fail the comparison, are left to the
adaptive Gauss–Kronrod pass.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from ._tilted_density import TiltedDensity
from ._tilted_integrate import nested_agreement

__all__ = ["ranged_trapezoid_pass"]

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]

#: Drop of log F at the ends of each site's range.
RANGED_DROP = 32.0
#: Largest step in units of the curvature scale sᵢ.
RANGED_STEP = 0.25
#: Ratio of successive rungs of the ladder that finds the range, starting at 9sᵢ.
LADDER_RATIO = 1.25
#: Smallest 2πa/h, a the likelihood's strip of analyticity and h the step (see
#: ``_tilted_integrate.FAST_ALIASING_EXPONENT``); the comparison rule has half of it.
ALIASING_EXPONENT = 40.0
#: Largest difference between the step-h and step-2h results that is accepted.
RANGED_TOLERANCE = 1e-5
#: Largest number of nodes of one site; wider sites go to the adaptive pass.
RANGED_MAX_NODES = 481
#: Rows × nodes processed at once, to keep arrays in cache.
CHUNK_ELEMENTS = 1 << 17


def ranged_trapezoid_pass(
    density: TiltedDensity, sites: NDArray[np.intp]
) -> tuple[Array, Array, Array, Mask]:
    """Nested trapezoid rules in d over each site's range, for the given sites.

    Parameters
    ----------
    density
        The located tilted densities.
    sites
        Indices of the sites to integrate.

    Returns
    -------
    log_d0, m, v, accepted
        log D₀, m = D₁/D₀ and v = D₂/D₀ − m² with Dₖ = ∫dᵏF(d)dd (as for the other passes) for
        ``sites``, and which of them passed the checks of the module docstring.
    """
    count = sites.size
    log_d0 = np.full(count, np.nan)
    m = np.full(count, np.nan)
    v = np.full(count, np.nan)
    accepted = np.zeros(count, dtype=bool)
    if count == 0:
        return log_d0, m, v, accepted
    scale = density.scale[sites]
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        step = np.minimum(
            RANGED_STEP * scale, 2 * math.pi * density.analytic_halfwidth / ALIASING_EXPONENT
        )
        left = _reach(density, sites, -1.0)
        right = _reach(density, sites, 1.0)
        left_nodes = 2 * np.ceil(left / (2 * step))
        right_nodes = 2 * np.ceil(right / (2 * step))
        total = left_nodes + right_nodes + 1
        fits = np.isfinite(total) & (total <= RANGED_MAX_NODES)
        candidates = np.flatnonzero(fits)
        candidates = candidates[np.argsort(total[candidates], kind="stable")]
        start = 0
        while start < candidates.size:
            rows_per_chunk = max(1, CHUNK_ELEMENTS // int(total[candidates[start]]))
            stop = min(candidates.size, start + rows_per_chunk)
            chunk = candidates[start:stop]
            width = int(total[chunk[-1]])
            result = _chunk_moments(density, sites[chunk], step[chunk], left_nodes[chunk], width)
            log_d0[chunk], m[chunk], v[chunk], accepted[chunk] = result
            start = stop
    return log_d0, m, v, accepted


def _reach(density: TiltedDensity, sites: NDArray[np.intp], side: float) -> Array:
    """Distance eᵢ from the mode on one side where F(side·eᵢ) ≤ e^(−``RANGED_DROP``).

    The first rung 9sᵢρᵏ of the ladder that is decayed; ∞ for a site the ladder does not settle
    within the bound 9·max(sᵢ, σᵢ√(2K)/9)·ρ that concavity guarantees (only if Δf is not finite).
    """
    distance = 9.0 * density.scale[sites]
    bound = LADDER_RATIO * np.maximum(distance, math.sqrt(2 * RANGED_DROP) * density.sd[sites])
    reach = np.full(sites.size, np.inf)
    active = np.arange(sites.size)
    while active.size:
        drop = density.log_ratio(sites[active], side * distance[active, None])[:, 0]
        done = drop <= -RANGED_DROP
        reach[active[done]] = distance[active[done]]
        active = active[~done]
        distance[active] *= LADDER_RATIO
        active = active[distance[active] <= bound[active]]
    return reach


def _chunk_moments(
    density: TiltedDensity,
    sites: NDArray[np.intp],
    step: Array,
    left_nodes: Array,
    width: int,
) -> tuple[Array, Array, Array, Mask]:
    """Fine and coarse trapezoid sums of one chunk, whose rows share ``width`` nodes."""
    k = np.arange(width, dtype=float)[None, :] - left_nodes[:, None]
    values = density.log_ratio(sites, k * step[:, None])
    np.exp(values, out=values)
    coarse_weight = np.where(np.arange(width) % 2 == 0, 2.0, 0.0)
    powers = np.stack([np.ones(width), np.arange(width, dtype=float)], axis=1)
    table = np.concatenate([powers, powers * coarse_weight[:, None]], axis=1)
    squares = values * (k * k)
    # Sums of F and of (k + L)F, then shifted to sums of kF; k² from its own product.
    sums = values @ table
    fine = np.stack([sums[:, 0], sums[:, 1] - left_nodes * sums[:, 0], squares.sum(axis=1)], axis=1)
    squares[:, 1::2] = 0.0
    coarse = np.stack(
        [sums[:, 2], sums[:, 3] - left_nodes * sums[:, 2], 2.0 * squares.sum(axis=1)], axis=1
    )
    log_fine, fine_m, fine_v, accepted = nested_agreement(fine, coarse, RANGED_TOLERANCE)
    log_d0 = log_fine + np.log(step)
    return log_d0, fine_m * step, fine_v * step * step, accepted
