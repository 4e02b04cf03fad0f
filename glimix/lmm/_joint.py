"""A set of k candidates tested jointly: 𝐲 ∼ 𝓝(𝚄𝜸 + 𝙼𝜷, s𝙲), 𝙲 = a𝙺 + b𝙸 held fixed.

The Schur complement of the covariate block, now k×k,

    𝚂 = 𝙼ᵀ𝙱𝙼 − 𝙰ᵀ𝙰₀⁻¹𝙰,   𝙰 = 𝚄ᵀ𝙱𝙼,   𝛈 = 𝙼ᵀ𝙱𝐲 − 𝙰ᵀ𝜸₀,

gives 𝜷 = 𝚂⁻¹𝛈, 𝜸 = 𝜸₀ − 𝙰₀⁻¹𝙰𝜷, Q = Q₀ − 𝛈ᵀ𝜷, s = Q/n, Cov(𝜷) = s𝚂⁻¹ and
Cov(𝜸) = s(𝙰₀⁻¹ + 𝙰₀⁻¹𝙰𝚂⁻¹𝙰ᵀ𝙰₀⁻¹) — the blocks of s(𝙴ᵀ𝙱𝙴)⁻¹ for 𝙴 = [𝚄 𝙼].

Collinear candidates (with each other or with the covariates) make 𝚂 singular. 𝚂 is then
inverted on its range in the coordinates where each column has unit 𝙱-norm (eigenvalues of the
normalised 𝚂 at most 10⁻⁹ are dropped, the rule ``fast_scan`` applies to one candidate): the
log-likelihood is still exact, 𝜷 is the minimum-norm solution in those coordinates, and an
effect that the data cannot separate from the others gets an infinite standard error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._null import LOG_2PI, NullFit
from ._rotated import RotatedNull
from ._scan_fixed import COLLINEAR_RTOL

__all__ = ["RotatedSet", "joint_test"]

Array = NDArray[np.float64]

#: An effect is estimable on its own when the null space of 𝚂 has less than this weight on it.
_ALONE_TOL = 1e-6


@dataclass(frozen=True)
class RotatedSet:
    """𝚀₀ᵀ𝙼, 𝚄ᵀ𝙼, 𝐲ᵀ𝙼 and 𝙼ᵀ𝙼 for a set of candidates 𝙼 (n×k)."""

    R: Array
    UM: Array
    yM: Array
    MM: Array

    @classmethod
    def of(cls, data: RotatedNull, M: Array) -> RotatedSet:
        """Rotate the finite n×k matrix 𝙼."""
        return cls(data.Q0.T @ M, data.basis.U.T @ M, data.y @ M, M.T @ M)


def joint_test(fit: NullFit, cols: RotatedSet) -> dict[str, float | Array]:
    """Log-likelihood, effect sizes and standard errors with the k candidates added to the null.

    Returns
    -------
    dict
        ``lml`` and ``scale`` (floats), ``effsizes0``/``effsizes0_se`` (c,),
        ``effsizes1``/``effsizes1_se`` (k,).
    """
    data = fit.data
    n, k = data.n, cols.R.shape[1]
    RW = cols.R * fit.w0[:, None]
    DM = cols.R.T @ RW + fit.w1 * cols.MM
    A = data.QU.T @ RW + fit.w1 * cols.UM
    e = data.Qy @ RW + fit.w1 * cols.yM
    H = fit.Ainv @ A
    S = DM - A.T @ H
    S = (S + S.T) / 2
    eta = e - A.T @ fit.gamma
    norms = np.sqrt(np.clip(np.diag(DM), 0.0, None))
    norms[norms == 0] = 1.0
    lam, V = np.linalg.eigh(S / np.outer(norms, norms)) if k else (np.zeros(0), np.zeros((0, 0)))
    keep = lam > COLLINEAR_RTOL
    Sinv = (V[:, keep] / lam[keep]) @ V[:, keep].T / np.outer(norms, norms)
    beta = Sinv @ eta
    Q = max(fit.Q - float(eta @ beta), 0.0)
    scale = Q / n
    lml = -0.5 * (n * (LOG_2PI + 1) + fit.logdet + n * math.log(scale)) if scale > 0 else math.inf
    alone = np.sum(V[:, ~keep] ** 2, axis=1) <= _ALONE_TOL
    se1 = np.where(alone, np.sqrt(np.clip(scale * np.diag(Sinv), 0.0, None)), np.inf)
    gamma = fit.gamma - H @ beta
    basis = data.basis
    cov_gamma = scale * (fit.Ainv + H @ Sinv @ H.T)
    cov0 = basis.covariance_to_x(cov_gamma)
    return {
        "lml": float(lml),
        "effsizes0": basis.to_x(gamma),
        "effsizes0_se": np.sqrt(np.clip(np.diag(cov0), 0.0, None)),
        "effsizes1": beta,
        "effsizes1_se": se1,
        "scale": float(scale),
    }
