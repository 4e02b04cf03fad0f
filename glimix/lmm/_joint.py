"""Candidate sets of k columns tested jointly, a batch of sets at once, at fixed variances.

For a set 𝙼 (n×k) the alternative is 𝐲 ∼ 𝓝(𝚄𝜸 + 𝙼𝜷, s𝙲), 𝙲 = a𝙺 + b𝙸 the null's covariance,
𝙱 = 𝙲⁻¹. The Schur complement of the shared covariate block, now k×k,

    𝚂 = 𝙼ᵀ𝙱𝙼 − 𝙰ᵀ𝙰₀⁻¹𝙰,   𝙰 = 𝚄ᵀ𝙱𝙼,   𝛈 = 𝙼ᵀ𝙱𝐲 − 𝙰ᵀ𝜸₀,

gives 𝜷 = 𝚂⁻¹𝛈, 𝜸 = 𝜸₀ − 𝙰₀⁻¹𝙰𝜷, Q = Q₀ − 𝛈ᵀ𝜷, s = Q/n, Cov(𝜷) = s𝚂⁻¹ and
Cov(𝜸) = s(𝙰₀⁻¹ + 𝙰₀⁻¹𝙰𝚂⁻¹𝙰ᵀ𝙰₀⁻¹) — the blocks of s(𝙴ᵀ𝙱𝙴)⁻¹ for 𝙴 = [𝚄 𝙼]. A batch of sets is
handled with stacked k×k matrices (batched eigendecompositions), no loop over sets.

Collinear columns (within a set, or with the covariates) make 𝚂 singular. 𝚂 is then inverted on
its range in the coordinates where each column has unit 𝙱-norm (eigenvalues of the normalised 𝚂
at most 10⁻⁹ are dropped — for k = 1 the rule ``fast_scan`` applies): the log-likelihood is
still exact, 𝜷 is the minimum-norm solution in those coordinates, and an effect that the data
cannot separate from the others gets an infinite standard error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._null import NullFit, profiled_lml
from ._rotated import RotatedNull
from ._scan_fixed import COLLINEAR_RTOL

__all__ = ["RotatedSet", "joint_tests"]

Array = NDArray[np.float64]

#: An effect is estimable on its own when the null space of 𝚂 has less than this weight on it.
_ALONE_TOL = 1e-6


@dataclass(frozen=True)
class RotatedSet:
    """𝚀₀ᵀ𝙼, 𝚄ᵀ𝙼, 𝐲ᵀ𝙼 and 𝙼ᵀ𝙼 for one set of candidates 𝙼 (n×k)."""

    R: Array
    UM: Array
    yM: Array
    MM: Array

    @classmethod
    def of(cls, data: RotatedNull, M: Array) -> RotatedSet:
        """Rotate the finite n×k matrix 𝙼."""
        return cls(data.Q0.T @ M, data.basis.U.T @ M, data.y @ M, M.T @ M)

    def products(self, fit: NullFit) -> tuple[Array, Array, Array]:
        """(𝙼ᵀ𝙱𝙼, 𝚄ᵀ𝙱𝙼, 𝙼ᵀ𝙱𝐲) at the weights of ``fit``, as a batch of one set."""
        data = fit.data
        RW = self.R * fit.w0[:, None]
        DM = self.R.T @ RW + fit.w1 * self.MM
        A = data.QU.T @ RW + fit.w1 * self.UM
        e = data.Qy @ RW + fit.w1 * self.yM
        return DM[None], A[:, None, :], e[None]


def joint_tests(fit: NullFit, DM: Array, A: Array, e: Array) -> dict[str, Array]:
    """Log-likelihood, effect sizes and standard errors of b candidate sets of k columns.

    Parameters
    ----------
    fit
        The null model.
    DM
        𝙼ⱼᵀ𝙱𝙼ⱼ for each set, shape (b, k, k).
    A
        𝚄ᵀ𝙱𝙼ⱼ, shape (p, b, k).
    e
        𝙼ⱼᵀ𝙱𝐲, shape (b, k).

    Returns
    -------
    dict
        ``lml``, ``scale`` (b,), ``effsizes0``/``effsizes0_se`` (b, c),
        ``effsizes1``/``effsizes1_se`` (b, k).
    """
    data = fit.data
    n = data.n
    b, k = e.shape
    H = np.einsum("pq,qjt->pjt", fit.Ainv, A)
    S = DM - np.einsum("pjt,pju->jtu", A, H)
    S = (S + np.swapaxes(S, 1, 2)) / 2
    eta = e - np.einsum("p,pjt->jt", fit.gamma, A)
    norms = np.sqrt(np.clip(np.einsum("jtt->jt", DM), 0.0, None))
    norms[norms == 0] = 1.0
    outer = norms[:, :, None] * norms[:, None, :]
    if k:
        lam, V = np.linalg.eigh(S / outer)
    else:
        lam, V = np.zeros((b, 0)), np.zeros((b, 0, 0))
    keep = lam > COLLINEAR_RTOL
    inv_lam = np.where(keep, 1.0 / np.where(keep, lam, 1.0), 0.0)
    Sinv = np.einsum("jtm,jm,jum->jtu", V, inv_lam, V) / outer
    beta = np.einsum("jtu,ju->jt", Sinv, eta)
    Q = np.maximum(fit.Q - np.einsum("jt,jt->j", eta, beta), 0.0)
    scale = Q / n
    lml = profiled_lml(n, fit.logdet, scale)
    hidden = np.einsum("jtm,jm->jt", V**2, (~keep).astype(float))
    variance1 = np.clip(scale[:, None] * np.einsum("jtt->jt", Sinv), 0.0, None)
    se1 = np.where(hidden <= _ALONE_TOL, np.sqrt(variance1), np.inf)
    basis = data.basis
    gamma = fit.gamma[None, :] - np.einsum("pjt,jt->jp", H, beta)
    TH = np.einsum("cp,pjt->jct", basis.T, H)
    base = np.einsum("cp,pq,cq->c", basis.T, fit.Ainv, basis.T)
    extra = np.einsum("jct,jtu,jcu->jc", TH, Sinv, TH)
    variance0 = np.clip(scale[:, None] * (base[None, :] + extra), 0.0, None)
    return {
        "lml": lml,
        "effsizes0": gamma @ basis.T.T,
        "effsizes0_se": np.sqrt(variance0),
        "effsizes1": beta,
        "effsizes1_se": se1,
        "scale": scale,
    }
