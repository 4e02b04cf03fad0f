"""Tilted moments of every site, the expectation-propagation step that touches the likelihood.

For site i with outcome yᵢ and cavity 𝓝(z; μᵢ, σᵢ²) the tilted distribution is

    p̂ᵢ(z) = p(yᵢ | z) 𝓝(z; μᵢ, σᵢ²) / Ẑᵢ,    Ẑᵢ = ∫ p(yᵢ | z) 𝓝(z; μᵢ, σᵢ²) dz,

and :func:`tilted_moments` returns log Ẑᵢ, its mean E[z] = ∫ z p̂ᵢ(z) dz and its variance
Var[z] = ∫ (z − E[z])² p̂ᵢ(z) dz, for all sites at once (vectorised: no Python loop over sites).

Probit Bernoulli sites have a closed form (``_tilted_probit.py``): Ẑ = Φ(κ) with
κ = (2y − 1)μ/√(1 + σ²), and the moments from the inverse Mills ratio 𝓝(κ)/Φ(κ).

Logit Bernoulli, logit binomial and log-link Poisson sites are integrated numerically:

1. Mode. The log tilted density f(z) = log p(yᵢ | z) − (z − μᵢ)²/(2σᵢ²) is strictly concave for
   these log-concave likelihoods; its mode ẑᵢ is found by a safeguarded Newton iteration
   (logit, ``_tilted_logit.py``) or by Newton's iteration for Lambert's W (Poisson,
   ``_tilted_poisson.py``), and sᵢ = (−f″(ẑᵢ))^(−1/2) gives the scale.
2. Change of variables. With z = ẑᵢ + d and F(d) = exp(f(ẑᵢ + d) − f(ẑᵢ)) ≤ 1,

       log Ẑᵢ = f(ẑᵢ) − ½log(2πσᵢ²) + log ∫F(d) dd,
       E[z] = ẑᵢ + ∫d F(d) dd / ∫F(d) dd,    Var[z] = ∫d² F / ∫F − (∫d F / ∫F)²,

   where f(ẑᵢ + d) − f(ẑᵢ) is computed from d without cancellation (``_tilted_density.py``), so
   neither a tiny σᵢ² (F ≈ the cavity, to the last digit) nor a huge count (ℓ of order 10⁵)
   costs accuracy, and nothing overflows.
3. Quadrature. Every site first gets the trapezoid rule in the standardised t = d/sᵢ, step ½
   on [−9, 9], checked against the step-1 rule on every other node and against the size of F
   at ±9 (``_tilted_integrate.py``). Sites that fail the check — cavities much wider than the
   features of the likelihood, whose tilted density is skewed (Poisson y = 0 or a logit
   outcome against a wide cavity) — get the trapezoid rule again on a range fitted to each side
   of the mode, with half the step (``_tilted_ranged.py``). The few that still fail
   (ranges of hundreds of curvature scales) are integrated by adaptive Gauss–Kronrod (10/21
   points) between the points where F falls to e^(−36), halving intervals until the error
   estimates are below 10⁻¹⁰.

Accuracy: against adaptive quadrature the relative errors stay below 10⁻⁹ (log Ẑ relative to
max(1, |log Ẑ|), the mean relative to the tilted standard deviation, the variance relative to
itself) for |μ| ≤ 50, 10⁻⁸ ≤ σ² ≤ 10⁴ and counts up to 10⁴ (``tests/glimix/ep/test_tilted.py``).

Failures never pass silently: a mode search or quadrature that does not converge, or a result
that is not finite, raises :class:`TiltedMomentsError` naming the sites.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import finite_vector
from ..lik import BernoulliProdLik, BinomialProdLik, PoissonProdLik, ProdLik
from ..link import LogitLink, LogLink, ProbitLink
from ._tilted_density import TiltedDensity
from ._tilted_error import TiltedMomentsError, failure_message
from ._tilted_integrate import adaptive_pass, trapezoid_pass
from ._tilted_logit import LogitBinomialDensity
from ._tilted_poisson import PoissonLogDensity
from ._tilted_probit import probit_moments
from ._tilted_ranged import ranged_trapezoid_pass

__all__ = ["TiltedMoments", "TiltedMomentsError", "tilted_moments"]

Array = NDArray[np.float64]

_SUPPORTED = (
    "BernoulliProdLik with LogitLink or ProbitLink, BinomialProdLik with LogitLink, "
    "PoissonProdLik with LogLink"
)


class TiltedMoments(NamedTuple):
    """log Ẑᵢ, mean and variance of each site's tilted distribution p(yᵢ | z)𝓝(z; μᵢ, σᵢ²)/Ẑᵢ."""

    #: log Ẑᵢ = log ∫ p(yᵢ | z) 𝓝(z; μᵢ, σᵢ²) dz.
    log_z: Array
    #: E[z] under the normalised tilted density.
    mean: Array
    #: Var[z] under the normalised tilted density.
    variance: Array


def tilted_moments(lik: ProdLik, mean: ArrayLike, variance: ArrayLike) -> TiltedMoments:
    """Tilted moments of every site: log Ẑᵢ, E[z] and Var[z] under p(yᵢ | z)𝓝(z; μᵢ, σᵢ²)/Ẑᵢ.

    Ẑᵢ = ∫ p(yᵢ | z) 𝓝(z; μᵢ, σᵢ²) dz. Probit Bernoulli sites use the closed form
    Ẑ = Φ((2y − 1)μ/√(1 + σ²)); the other likelihoods are integrated numerically around the mode
    of the tilted density (the module docstring has the method and its accuracy).

    Parameters
    ----------
    lik
        A product likelihood with its outcome set: :class:`~glimix.lik.BernoulliProdLik` with
        the logit or probit link, :class:`~glimix.lik.BinomialProdLik` with the logit link, or
        :class:`~glimix.lik.PoissonProdLik` with the log link.
    mean
        Cavity means μᵢ: a finite vector with one entry per outcome.
    variance
        Cavity variances σᵢ² > 0: a finite vector with one entry per outcome.

    Returns
    -------
    TiltedMoments
        ``log_z``, ``mean`` and ``variance``, each a vector of one entry per site.

    Raises
    ------
    ValueError
        For an unsupported likelihood or link, an unset outcome, or means and variances that are
        not finite vectors of the outcome's size or variances that are not positive.
    TiltedMomentsError
        If some site's moments cannot be computed (a search or quadrature that does not
        converge, or a result that is not finite); a subclass of ``ValueError`` naming the
        sites with their outcome, trials, cavity mean and variance.

    Examples
    --------
    >>> from glimix.lik import BernoulliProdLik, PoissonProdLik
    >>> from glimix.link import ProbitLink
    >>>
    >>> lik = BernoulliProdLik(ProbitLink())
    >>> lik.outcome = [1, 0]
    >>> moments = tilted_moments(lik, [0.0, 0.0], [1.0, 1.0])
    >>> print(np.exp(moments.log_z).round(6), moments.mean.round(6), moments.variance.round(6))
    [0.5 0.5] [ 0.56419 -0.56419] [0.68169 0.68169]
    >>> lik = PoissonProdLik()
    >>> lik.outcome = [0, 3]
    >>> moments = tilted_moments(lik, [0.0, 1.0], [0.5, 0.5])
    >>> print(moments.log_z.round(6), moments.mean.round(6), moments.variance.round(6))
    [-0.984389 -1.948294] [-0.399577  0.999436] [0.362142 0.206794]
    """
    family = _family(lik)
    outcome = lik.outcome
    if outcome is None:
        raise ValueError(
            f"outcome has not been set; assign {type(lik).__name__}.outcome before computing "
            "tilted moments."
        )
    size = outcome.shape[0]
    mu = finite_vector(mean, "mean", size=size)
    var = finite_vector(variance, "variance", size=size)
    nonpositive = int(np.count_nonzero(var <= 0))
    if nonpositive:
        raise ValueError(f"variance must be positive; {nonpositive} value(s) are not.")

    ntrials: Array | None = None
    if isinstance(lik, BinomialProdLik):
        ntrials = lik.ntrials
    elif family != "poisson":
        ntrials = np.ones(size)

    def fail(reason: str, sites: NDArray[np.intp]) -> TiltedMomentsError:
        return TiltedMomentsError(failure_message(reason, sites, outcome, ntrials, mu, var), sites)

    if family == "probit":
        log_z, tilted_mean, tilted_variance = probit_moments(outcome, mu, var)
    else:
        density: TiltedDensity
        if family == "logit":
            assert ntrials is not None
            density = LogitBinomialDensity(outcome, ntrials, mu, var)
        else:
            density = PoissonLogDensity(outcome, mu, var)
        located = density.locate()
        if not np.all(located):
            raise fail("the search for the mode did not converge", np.flatnonzero(~located))
        log_d0, m, v, accepted = trapezoid_pass(density)
        rest = np.flatnonzero(~accepted)
        if rest.size:
            log_d0[rest], m[rest], v[rest], settled = ranged_trapezoid_pass(density, rest)
            rest = rest[~settled]
        if rest.size:
            log_d0[rest], m[rest], v[rest], converged = adaptive_pass(density, rest)
            if not np.all(converged):
                raise fail("the adaptive quadrature did not converge", rest[~converged])
        with np.errstate(over="ignore", invalid="ignore"):
            log_z = density.log_peak() + log_d0
            tilted_mean = density.mode + m
        tilted_variance = v

    good = np.isfinite(log_z) & np.isfinite(tilted_mean) & np.isfinite(tilted_variance)
    good &= tilted_variance > 0
    if not np.all(good):
        raise fail("the result is not finite", np.flatnonzero(~good))
    return TiltedMoments(log_z, tilted_mean, tilted_variance)


def _family(lik: object) -> str:
    """ "probit", "logit" or "poisson"; a ``ValueError`` for anything else."""
    link = getattr(lik, "link", None)
    if isinstance(lik, BernoulliProdLik) and isinstance(link, ProbitLink):
        return "probit"
    if isinstance(lik, (BernoulliProdLik, BinomialProdLik)) and isinstance(link, LogitLink):
        return "logit"
    if isinstance(lik, PoissonProdLik) and isinstance(link, LogLink):
        return "poisson"
    if isinstance(lik, ProdLik):
        raise ValueError(f"tilted moments are available for {_SUPPORTED}; got {lik!r}.")
    raise ValueError(
        f"lik must be a glimix.lik product likelihood ({_SUPPORTED}); got {type(lik).__name__}."
    )
