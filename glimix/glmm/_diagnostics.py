"""What can go wrong when fitting a GLMM, said before the fit (an exception) or after (a warning).

Before: covariates that separate the outcomes — a direction of 𝜷 along which every site's
likelihood improves, such as an offset when every Bernoulli outcome is equal or every Poisson
count 0, or a covariate that is positive exactly for the cases — push the likelihood's supremum
to infinite effect sizes, so there is nothing to fit: a ``ValueError`` says so.

After: the optimiser ends at a bound of log s or 𝛿 (``GLMMParameters.bounds``). 𝛿 at either
bound, and s at its lower bound, are ordinary estimates on the boundary of the parameter space
(one variance is zero); s at its upper bound means the likelihood still grows with the latent
variance — typically outcomes that are (nearly) separated by the random effect — and gets a
:class:`GLMMFitWarning`. So does a fitted mean outcome at 0 or 1 to double precision (or a
Poisson rate below e⁻³⁰): effects that grow very large on nearly separated data.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import scipy.optimize
from numpy.typing import NDArray

from ..lik import BinomialProdLik, PoissonProdLik, ProdLik
from ..link import ProbitLink

__all__ = ["GLMMFitWarning", "check_fittable", "warn_boundary", "warn_separation"]

Array = NDArray[np.float64]

#: ∣𝚇𝜷∣ beyond which a logit/probit probability is 0 or 1 to double precision (and e⁻³⁰ ≈ 10⁻¹³
#: for a Poisson rate).
EXTREME_PREDICTOR = 30.0


class GLMMFitWarning(UserWarning):
    """A GLMM fit ended where the likelihood has no finite maximum (separation, a bound)."""


def check_fittable(lik: ProdLik, X: Array) -> None:
    """Raise a ``ValueError`` when the likelihood grows without bound along some 𝜷-direction.

    With 𝐳 = 𝚇𝜷 + 𝐮, moving 𝜷 along 𝐝 changes every site's likelihood monotonically when each
    𝐱ᵢᵀ𝐝 has the sign that favours its outcome: ≤ 0 for yᵢ = 0, ≥ 0 for yᵢ = nᵢ (all
    successes), and = 0 for the other outcomes (which have an interior optimum). If such a 𝐝
    with 𝚇𝐝 ≠ 0 exists — complete or quasi-complete separation, or every outcome at one end of
    the support with an offset among the covariates — log p(𝐲) increases along it for ever and
    the maximum-likelihood 𝜷 is infinite. A linear programme finds 𝐝 (maximise ∑ ∣𝐱ᵢᵀ𝐝∣ over
    the sites at an end of the support, with ∣dⱼ∣ ≤ 1).
    """
    y = lik.outcome
    assert y is not None
    if isinstance(lik, PoissonProdLik):
        trials = np.full_like(y, np.inf)
    elif isinstance(lik, BinomialProdLik):
        trials = lik.ntrials
    else:
        trials = np.ones_like(y)
    informative = trials > 0
    if not np.any(informative):
        raise ValueError("y: every sample has 0 trials; there is nothing to fit.")
    y, trials, X = y[informative], trials[informative], X[informative]
    sign = np.where(y == 0, -1.0, np.where(y == trials, 1.0, 0.0))
    direction = _recession_direction(X, sign)
    if direction is None:
        return
    if np.all(sign == sign[0]) and sign[0] != 0:
        side = "0" if sign[0] < 0 else "equal to its number of trials"
        raise ValueError(
            f"y: every outcome is {side}, so the likelihood is largest at infinite effect "
            "sizes; there is no finite maximum to fit."
        )
    separated = int(np.count_nonzero(np.abs(X @ direction) > 0))
    raise ValueError(
        f"X separates the outcomes: the likelihood keeps increasing as 𝜷 moves along "
        f"{np.array2string(direction, precision=3)} ({separated} sample(s) pushed towards their "
        "observed extreme outcome, none against), so the effect sizes have no finite maximum. "
        "Remove or merge the covariates responsible."
    )


def _recession_direction(X: Array, sign: Array) -> Array | None:
    """A 𝐝 with sign ⋅ 𝚇𝐝 ≥ 0 where sign ≠ 0, 𝚇𝐝 = 0 where sign = 0, and 𝚇𝐝 ≠ 0; or ``None``."""
    ends = sign != 0
    if not np.any(ends) or X.shape[1] == 0:
        return None
    A = sign[ends, None] * X[ends]
    inner = X[~ends]
    scale = float(np.max(np.abs(X)))
    if scale == 0:
        return None
    result = scipy.optimize.linprog(
        -A.sum(axis=0) / scale,
        A_ub=-A / scale,
        b_ub=np.zeros(A.shape[0]),
        A_eq=inner / scale if inner.shape[0] else None,
        b_eq=np.zeros(inner.shape[0]) if inner.shape[0] else None,
        bounds=[(-1.0, 1.0)] * X.shape[1],
        method="highs",
    )
    if result.status != 0:
        return None
    d = np.asarray(result.x, dtype=float)
    gain = A @ d / scale
    # A genuine direction gains clearly somewhere and violates nothing beyond round-off.
    slack = 1e-9 * X.shape[1]
    if float(np.max(gain)) <= 1e-6 or float(np.min(gain)) < -slack:
        return None
    if inner.shape[0] and float(np.max(np.abs(inner @ d))) / scale > slack:
        return None
    return d


def warn_boundary(at_bounds: tuple[str, ...], logscale: float, upper: float) -> None:
    """Warn when log s ended at its upper bound ``upper`` (see the module notes)."""
    if "logscale" in at_bounds and logscale >= upper - 1e-6:
        warnings.warn(
            f"the scale reached its upper bound e^{upper:.4g}: the likelihood still "
            "increases with the latent variance, as it does when outcomes are (nearly) separated "
            "by the random effect; the variances are not estimable from these data.",
            GLMMFitWarning,
            stacklevel=3,
        )


def warn_separation(lik: ProdLik, predictor: Array, variance: Array) -> None:
    """Warn when the fitted mean outcome is extreme for the link (see the module notes).

    The prior marginal of zᵢ is 𝓝(mᵢ, vᵢ) with mᵢ = (𝚇𝜷)ᵢ; the marginal success probability is
    Φ(mᵢ/√(1 + vᵢ)) for the probit link and about σ(mᵢ/√(1 + πvᵢ/8)) for the logit link, and
    the marginal Poisson rate is exp(mᵢ + vᵢ/2). Those arguments are compared with ±30.
    """
    if isinstance(lik, PoissonProdLik):
        extreme = int(np.count_nonzero(predictor + variance / 2 < -EXTREME_PREDICTOR))
        where = f"a marginal rate below e^−{EXTREME_PREDICTOR:g}"
    else:
        factor = 1.0 if isinstance(lik.link, ProbitLink) else math.pi / 8
        standardised = predictor / np.sqrt(1 + factor * variance)
        extreme = int(np.count_nonzero(np.abs(standardised) > EXTREME_PREDICTOR))
        where = "a marginal probability of 0 or 1 to double precision"
    if extreme:
        warnings.warn(
            f"{extreme} sample(s) have {where} at the fitted 𝜷: the outcomes are (nearly) "
            "separated by the covariates and the effect sizes grow without bound.",
            GLMMFitWarning,
            stacklevel=3,
        )
