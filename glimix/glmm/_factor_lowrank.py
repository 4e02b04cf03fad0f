"""I + T̃K factorised by the Woodbury identity for K = RRᵀ + v₁I with R of few columns: O(n⋅k²).

R = 𝚀₀(v₀𝚂₀)^½ is n×k. With 𝐝 = 𝟏 + v₁𝛕̃ (diagonal D), 𝐞 = 𝛕̃/𝐝 (diagonal E),
P = ER and M = I + RᵀER = LLᵀ (k×k, eigenvalues ≥ 1, so well conditioned):

    (I + T̃K)⁻¹ = D⁻¹ − PM⁻¹RᵀD⁻¹,
    log|I + T̃K| = ∑ log dᵢ + log|M|,
    Σ = K(I + T̃K)⁻¹ = v₁D⁻¹ + (D⁻¹R)M⁻¹(D⁻¹R)ᵀ,
    W = (I + T̃K)⁻¹T̃ = E − PM⁻¹Pᵀ.

The last two are sums of positive terms where it matters: diag(Σ) = v₁/𝐝 + ‖L⁻¹(D⁻¹R)ᵀ‖² per
column, with no cancellation however informative the sites are. The traces the gradient needs,

    tr(W) = ∑ eᵢ − ‖L⁻¹Pᵀ‖²,    tr(W𝙺₀) = ∑ eᵢ(𝙺₀)ᵢᵢ − ‖L⁻¹(Pᵀ𝚀₀)𝚂₀^½‖²,

(𝙺₀ = 𝚀₀𝚂₀𝚀₀ᵀ) cost O(n⋅k²) too. No n×n matrix is formed, except by :meth:`covariance`.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
from numpy.typing import NDArray

__all__ = ["LowRankFactor"]

Array = NDArray[np.float64]


class LowRankFactor:
    """I + T̃K for K = RRᵀ + v₁I and site precisions 𝛕̃ ≥ 0 (see the module notes).

    Parameters
    ----------
    Q0, S0
        Eigenvectors (n×k) and eigenvalues (k) of 𝙺₀.
    K0_diag
        diag(𝙺₀).
    v0, v1
        Non-negative coefficients of K = v₀𝙺₀ + v₁I.
    tau
        Site precisions 𝛕̃ ≥ 0.
    """

    def __init__(
        self, Q0: Array, S0: Array, K0_diag: Array, v0: float, v1: float, tau: Array
    ) -> None:
        R = Q0 * np.sqrt(v0 * S0) if v0 > 0 else Q0[:, :0]
        d = 1 + v1 * tau
        e = tau / d
        P = e[:, None] * R
        M = R.T @ P
        M[np.diag_indices_from(M)] += 1
        self._L = scipy.linalg.cholesky(M, lower=True, check_finite=False)
        self._R, self._P, self._d, self._e, self._v1 = R, P, d, e, v1
        self._Q0, self._S0, self._K0_diag = Q0, S0, K0_diag
        self._Z = scipy.linalg.solve_triangular(
            self._L, (R / d[:, None]).T, lower=True, check_finite=False
        )

    def solve(self, x: Array) -> Array:
        """(I + T̃K)⁻¹𝐱 for 𝐱 of shape (n,) or (n, c)."""
        d = self._d if x.ndim == 1 else self._d[:, None]
        xd = x / d
        y = scipy.linalg.cho_solve((self._L, True), self._R.T @ xd, check_finite=False)
        return xd - self._P @ y

    @property
    def logdet(self) -> float:
        """log|I + T̃K|."""
        return float(np.sum(np.log(self._d)) + 2 * np.sum(np.log(np.diag(self._L))))

    @property
    def variance(self) -> Array:
        """diag(Σ) = v₁/𝐝 + ‖L⁻¹(D⁻¹R)ᵀ‖² column by column."""
        return self._v1 / self._d + np.einsum("ij,ij->j", self._Z, self._Z)

    def covariance(self) -> Array:
        """Σ = v₁D⁻¹ + (D⁻¹R)M⁻¹(D⁻¹R)ᵀ as a dense n×n matrix."""
        cov = self._Z.T @ self._Z
        cov[np.diag_indices_from(cov)] += self._v1 / self._d
        return cov

    def trace_W(self) -> float:
        """tr(W) = ∑ eᵢ − ‖L⁻¹Pᵀ‖²."""
        Y = scipy.linalg.solve_triangular(self._L, self._P.T, lower=True, check_finite=False)
        return float(np.sum(self._e) - np.sum(Y * Y))

    def trace_W_K0(self) -> float:
        """tr(W𝙺₀) = ∑ eᵢ(𝙺₀)ᵢᵢ − ‖L⁻¹(Pᵀ𝚀₀)𝚂₀^½‖²."""
        PQ = (self._P.T @ self._Q0) * np.sqrt(self._S0)
        Y = scipy.linalg.solve_triangular(self._L, PQ, lower=True, check_finite=False)
        return float(self._e @ self._K0_diag - np.sum(Y * Y))
