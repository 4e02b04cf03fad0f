"""The Gaussian EP posterior for K = v₀QSQᵀ + v₁I, in O(n⋅k²) without any n×n matrix.

This is the prior of the GLMMs: K = s((1−𝛿)QSQᵀ + 𝛿I), with Q (n×k) the economic eigenvectors of
the kinship and S > 0 its eigenvalues, so v₀ = s(1−𝛿) and v₁ = s𝛿. Write R = Q(v₀S)^½, so that
K = RRᵀ + v₁I, and d = 𝟏 + v₁𝛕̃ (diagonal D). Then, by the Woodbury identity,

    (I + T̃K)⁻¹ = D⁻¹ − PM⁻¹RᵀD⁻¹,    P = D⁻¹T̃R,    M = I + RᵀD⁻¹T̃R  (k×k, eigenvalues ≥ 1),

and, with 𝐛 = 𝛎̃ − T̃𝐦 as in ``_posterior.py``,

    𝛂 = (I + T̃K)⁻¹𝐛,    𝛍 = 𝐦 + K𝛂 = 𝐦 + R(Rᵀ𝛂) + v₁𝛂,
    diag(Σ) = diag(K(I + T̃K)⁻¹) = ‖R/𝐝‖²ᵣₒ𝓌 + v₁/𝐝 − rowsum((R(RᵀP) + v₁P)M⁻¹ ∘ R/𝐝),
    log|I + KT̃| = ∑ log dᵢ + log|M|,
    W = (I + T̃K)⁻¹T̃ = D⁻¹T̃ − PM⁻¹Pᵀ.

The derivative of G over the two variances needs only

    tr(W) = ∑ τ̃ᵢ/dᵢ − ‖PL⁻ᵀ‖²,   tr(WQSQᵀ) = ∑ (τ̃ᵢ/dᵢ)(QSQᵀ)ᵢᵢ − ‖L⁻¹PᵀQS^½‖²,

(M = LLᵀ), 𝛂ᵀ𝛂 and 𝛂ᵀQSQᵀ𝛂: all O(n⋅k²). When v₀ = 0 (𝛿 = 1) the low-rank term vanishes and
the posterior is diagonal.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
from numpy.typing import NDArray

__all__ = ["LowRankPosterior"]

Array = NDArray[np.float64]


class LowRankPosterior:
    """EP posterior of 𝓝(𝐦, v₀QSQᵀ + v₁I) × sites (see the module notes).

    Parameters
    ----------
    mean
        Prior mean 𝐦 (n).
    Q
        n×k matrix with orthonormal columns (k may be 0).
    S
        The k positive eigenvalues belonging to Q.
    v0, v1
        Non-negative variances; v₁ > 0 unless the sites make the posterior proper.
    """

    def __init__(self, mean: Array, Q: Array, S: Array, v0: float, v1: float) -> None:
        self._m = np.asarray(mean, float)
        self._Q = np.asarray(Q, float)
        self._S = np.asarray(S, float)
        self._v0 = float(v0)
        self._v1 = float(v1)
        self._QS_diag = np.einsum("ij,j,ij->i", self._Q, self._S, self._Q)  # diag(QSQᵀ)
        self._R = self._Q * np.sqrt(self._v0 * self._S) if self._v0 > 0 else self._Q[:, :0]
        self.update(np.zeros_like(self._m), np.zeros_like(self._m))

    @property
    def size(self) -> int:
        """Number of sites, n."""
        return self._m.shape[0]

    def _K_dot(self, x: Array) -> Array:
        """K𝐱 = R(Rᵀ𝐱) + v₁𝐱."""
        return self._R @ (self._R.T @ x) + self._v1 * x

    def update(self, tau: Array, eta: Array) -> None:
        """Set the sites' natural parameters 𝛕̃ ≥ 0 and 𝛎̃, and recompute the posterior."""
        m, R, v1 = self._m, self._R, self._v1
        d = 1 + v1 * tau
        td = tau / d
        P = td[:, None] * R
        M = np.eye(R.shape[1]) + R.T @ P
        chol = scipy.linalg.cholesky(M, lower=True)
        b = eta - tau * m

        def inv_I_TK(x: Array) -> Array:  # (I + T̃K)⁻¹𝐱 = D⁻¹𝐱 − PM⁻¹RᵀD⁻¹𝐱
            return x / d - P @ scipy.linalg.cho_solve((chol, True), R.T @ (x / d))

        alpha = inv_I_TK(b)
        Rd = R / d[:, None]
        A1 = R @ (R.T @ P) + v1 * P
        self._var = (
            np.einsum("ij,ij->i", R, Rd)
            + v1 / d
            - np.einsum("ij,ij->i", scipy.linalg.cho_solve((chol, True), A1.T).T, Rd)
        )
        self._alpha = alpha
        self._mu = m + self._K_dot(alpha)
        logdet = float(np.sum(np.log(d))) + 2 * float(np.sum(np.log(np.diag(chol))))
        self._log_normaliser = float(
            -0.5 * m @ (tau * m) + eta @ m - 0.5 * logdet + 0.5 * b @ self._K_dot(alpha)
        )
        self._td, self._P, self._chol = td, P, chol

    @property
    def marginal_mean(self) -> Array:
        """Posterior means 𝛍."""
        return self._mu

    @property
    def marginal_variance(self) -> Array:
        """Posterior marginal variances diag(Σ)."""
        return self._var

    @property
    def alpha(self) -> Array:
        """𝛂 = (I + T̃K)⁻¹(𝛎̃ − T̃𝐦), so that 𝛍 = 𝐦 + K𝛂."""
        return self._alpha

    @property
    def log_normaliser(self) -> float:
        """G = log ∫ 𝓝(𝐳; 𝐦, K) exp(−½𝐳ᵀT̃𝐳 + 𝛎̃ᵀ𝐳) d𝐳."""
        return self._log_normaliser

    def trace_W(self) -> float:
        """tr(W) = ∑ τ̃ᵢ/dᵢ − ‖L⁻¹Pᵀ‖², W = (I + T̃K)⁻¹T̃."""
        Z = scipy.linalg.solve_triangular(self._chol, self._P.T, lower=True)
        return float(np.sum(self._td) - np.sum(Z * Z))

    def trace_W_QSQ(self) -> float:
        """tr(WQSQᵀ) = ∑ (τ̃ᵢ/dᵢ)(QSQᵀ)ᵢᵢ − ‖L⁻¹PᵀQS^½‖²."""
        QS_half = self._Q * np.sqrt(self._S)
        Z = scipy.linalg.solve_triangular(self._chol, self._P.T @ QS_half, lower=True)
        return float(self._td @ self._QS_diag - np.sum(Z * Z))

    def alpha_QSQ_alpha(self) -> float:
        """𝛂ᵀQSQᵀ𝛂."""
        q = self._Q.T @ self._alpha
        return float(q @ (self._S * q))

    def mean_derivative(self, dm: Array) -> Array:
        """∂G/∂θ = 𝛂ᵀ∂𝐦 for ∂𝐦 of shape (n,) or (n, k)."""
        return np.tensordot(self._alpha, dm, axes=1)
