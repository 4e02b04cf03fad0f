"""The fixed-variance-ratio test of one candidate column, from its four 𝙱-products: one kernel.

With 𝙱 = (a𝙺 + b𝙸)⁻¹ the null's (inverse) covariance, 𝚄 an orthonormal basis of the covariates,
𝙰 = 𝚄ᵀ𝙱𝚄 and the null's 𝜸₀ = 𝙰⁻¹𝚄ᵀ𝙱𝐲 and Q₀ = 𝐲ᵀ𝙱𝐲 − 𝐲ᵀ𝙱𝚄𝜸₀, a candidate 𝐠 enters through

    d = 𝐠ᵀ𝙱𝐠,   𝐡 = 𝙰⁻¹𝚄ᵀ𝙱𝐠,   σ = d − (𝚄ᵀ𝙱𝐠)ᵀ𝐡 (the Schur complement),   η = 𝐠ᵀ𝙱𝐲 − (𝚄ᵀ𝙱𝐠)ᵀ𝜸₀,

and the alternative 𝐲 ∼ 𝓝(𝚄𝜸 + 𝐠β, s𝙱⁻¹) is, in closed form,

    β = η/σ,   𝜸 = 𝜸₀ − 𝐡β,   Q = Q₀ − βη,   s = Q/n,
    log p(𝐲) = −½(n⋅log(2π) + n + log|𝙱⁻¹| + n⋅log s),
    se(β) = √(s/σ),   se(𝜸ᵢ) on 𝚇 from s((𝙰⁻¹) + 𝐡𝐡ᵀ/σ) mapped by 𝚃 (𝚇𝚃 = 𝚄).

How the products are formed differs between the scanners (one kinship for every candidate, or
one variance ratio per trait, the whitened or the product form); what follows from them is
:func:`fixed_ratio_statistics`, shared by ``FastScanner`` (``_scan_fixed``) and
``TraitsScanner``. A candidate with σ ≤ 10⁻⁹·d lies (numerically) in the span of the covariates:
β = 0 with se(β) = ∞, and the null's 𝜸, s and likelihood.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._covariates import CovariateBasis
from ._null import profiled_lml

__all__ = ["COLLINEAR_RTOL", "fixed_ratio_statistics", "schur_test"]

Array = NDArray[np.float64]

#: A candidate whose Schur complement is at most this fraction of 𝐠ᵀ𝙱𝐠 is not estimable.
COLLINEAR_RTOL = 1e-9


def schur_test(
    d: Array, sigma: Array, eta: Array, Q0: Array | float, logdet: Array | float, n: int
) -> tuple[Array, Array, Array, Array, Array]:
    """β = η/σ, s = (Q₀ − βη)/n and log p(𝐲) of candidates, from their Schur complements.

    Parameters
    ----------
    d, sigma, eta
        𝐠ᵀ𝙱𝐠, the Schur complement σ and η (module notes), of one shape S.
    Q0, logdet
        The null's Q₀ and log|𝙱⁻¹|, broadcastable against S.
    n
        Number of samples.

    Returns
    -------
    lml, beta, ok, safe_sigma, scale
        The log-likelihood, β (0 where not estimable), whether σ > 10⁻⁹⋅d, σ with 1 where it is
        not, and s, each of shape S.
    """
    ok = sigma > COLLINEAR_RTOL * d
    safe = np.where(ok, sigma, 1.0)
    beta = np.where(ok, eta / safe, 0.0)
    scale = np.maximum(Q0 - beta * eta, 0.0) / n
    return profiled_lml(n, logdet, scale), beta, ok, safe, scale


def fixed_ratio_statistics(
    d: Array,
    sigma: Array,
    eta: Array,
    h: Array,
    gamma0: Array,
    Ainv: Array,
    Q0: Array | float,
    logdet: Array | float,
    n: int,
    basis: CovariateBasis,
) -> dict[str, Array]:
    """The test's statistics for candidates indexed by the leading axes (module notes).

    Parameters
    ----------
    d, sigma, eta
        𝐠ᵀ𝙱𝐠, the Schur complement and η, shape S (any shape of candidates, e.g. (b,) or
        (m, T)).
    h
        𝙰⁻¹𝚄ᵀ𝙱𝐠, shape S + (p,).
    gamma0, Ainv, Q0, logdet
        The null's 𝜸₀ (… × p), 𝙰⁻¹ (… × p × p), Q₀ and log|𝙱⁻¹|, broadcastable against S.
    n
        Number of samples.
    basis
        The covariates' basis (maps 𝜸 on 𝚄 to effect sizes on 𝚇).

    Returns
    -------
    dict
        ``lml``, ``effsizes1``, ``effsizes1_se``, ``scale`` (shape S), ``effsizes0`` and
        ``effsizes0_se`` (S × c).
    """
    lml, beta, ok, safe, scale = schur_test(d, sigma, eta, Q0, logdet, n)
    T = basis.T  # c×p
    gamma = gamma0 - h * beta[..., None]
    Th = h @ T.T  # S × c
    base = np.einsum("ij,...jk,ik->...i", T, Ainv, T)  # diag(𝚃𝙰⁻¹𝚃ᵀ), broadcast × c
    var0 = scale[..., None] * (base + np.where(ok[..., None], Th**2 / safe[..., None], 0.0))
    with np.errstate(divide="ignore"):
        se1 = np.where(ok, np.sqrt(scale / safe), np.inf)
    return {
        "lml": lml,
        "effsizes0": gamma @ T.T,
        "effsizes0_se": np.sqrt(var0),
        "effsizes1": beta,
        "effsizes1_se": se1,
        "scale": scale,
    }
