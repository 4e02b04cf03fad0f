"""Fitting the heritability models: REML LMM for normal traits, EP GLMM for the others."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from glimix.lmm import LMM

__all__ = ["LATENT_RESIDUAL", "fit_glmm", "fit_normal"]

Array = NDArray[np.float64]

#: Variance of the latent residual of each link on the liability scale: the logistic
#: distribution's π²/3 for the logit link, the standard normal's 1 for the probit link; the
#: log link (Poisson) has none.
LATENT_RESIDUAL = {
    "bernoulli": math.pi**2 / 3,
    "binomial": math.pi**2 / 3,
    "probit": 1.0,
    "poisson": 0.0,
}

#: Relative step of the central difference for the curvature of the REML profile in 𝛿.
_STEP = 1e-4


def fit_normal(y: Array, M: Array, QS: Any) -> tuple[float, float, float]:
    """v₀, v₁ and the standard error of h² = v₀/(v₀ + v₁) by REML.

    With v₀ = s(1 − 𝛿) and v₁ = s𝛿, h² = 1 − 𝛿, so its standard error is that of 𝛿:
    (−∂²ℓ/∂𝛿²)^(−1/2) at the REML estimate, ℓ the restricted log-likelihood profiled over 𝜶
    and s (the curvature by a central difference). At a bound of [0, 1] the estimate is not an
    interior maximum and no standard error is given (NaN).
    """
    lmm = LMM(y, M, QS, restricted=True)
    lmm.fit(verbose=False)
    v0, v1, delta = lmm.v0, lmm.v1, lmm.delta
    se = math.nan
    h = _STEP * max(1.0, delta)
    if h < delta < 1 - h:
        lmm.fix("delta")
        values = []
        for d in (delta - h, delta, delta + h):
            lmm.delta = d
            values.append(lmm.lml())
        curvature = (values[0] - 2 * values[1] + values[2]) / h**2
        if curvature < 0:
            se = 1 / math.sqrt(-curvature)
    return v0, v1, se


def fit_glmm(y: Array, lik: Any, M: Array, QS: Any) -> tuple[float, float]:
    """v₀ and v₁ of the latent 𝐳 ∼ 𝓝(𝙼𝜶, v₀𝙺 + v₁𝙸) by maximum likelihood (EP)."""
    from glimix.glmm import GLMMExpFam

    glmm = GLMMExpFam(y, lik, M, QS)
    glmm.fit(verbose=False)
    return float(glmm.v0), float(glmm.v1)
