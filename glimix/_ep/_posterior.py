"""The Gaussian EP posterior for a dense prior covariance.

Prior 𝐳 ∼ 𝓝(𝐦, K); EP sites t̃ᵢ(zᵢ) ∝ exp(−½τ̃ᵢzᵢ² + ν̃ᵢzᵢ) with τ̃ᵢ ≥ 0 (natural parameters,
so a site without information is τ̃ᵢ = ν̃ᵢ = 0). The posterior is 𝓝(𝛍, Σ) with

    Σ = (K⁻¹ + T̃)⁻¹ = K − KT̃^½B⁻¹T̃^½K,    B = I + T̃^½KT̃^½,
    𝛍 = 𝐦 + K𝛂,    𝛂 = (I + T̃K)⁻¹𝐛 = 𝐛 − T̃^½B⁻¹T̃^½K𝐛,    𝐛 = 𝛎̃ − T̃𝐦,

where T̃ = diag(𝛕̃). B has eigenvalues ≥ 1, so its Cholesky factor is well conditioned and no K⁻¹
is ever needed (K may be singular). The log normaliser of prior × sites,

    G = log ∫ 𝓝(𝐳; 𝐦, K) exp(−½𝐳ᵀT̃𝐳 + 𝛎̃ᵀ𝐳) d𝐳
      = −½𝐦ᵀT̃𝐦 + 𝛎̃ᵀ𝐦 − ½log|B| + ½𝐛ᵀK𝛂,

and its derivative over a parameter θ of K or 𝐦 at fixed sites,

    ∂G/∂θ = ½𝛂ᵀ(∂K)𝛂 − ½tr(W∂K) + 𝛂ᵀ∂𝐦,    W = (I + T̃K)⁻¹T̃ = T̃^½B⁻¹T̃^½,

are what the EP marginal likelihood and its gradient are made of (see ``_lml.py``). Each update
costs O(n³) time and O(n²) memory.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
from numpy.typing import NDArray

__all__ = ["DensePosterior", "SitePosterior"]

Array = NDArray[np.float64]


class SitePosterior:
    """What every EP posterior of 𝓝(𝐦, K) × sites exposes once updated: 𝛍, 𝛂 and G.

    Subclasses factorise I + T̃K their own way (a dense Cholesky factor here, a structured
    factor for the GLMMs) and, in ``update``, hand 𝛂 and K𝛂 to :meth:`_set_moments`.

    Attributes
    ----------
    marginal_mean
        Posterior means 𝛍 = 𝐦 + K𝛂.
    alpha
        𝛂 = (I + T̃K)⁻¹(𝛎̃ − T̃𝐦), so that 𝛍 = 𝐦 + K𝛂.
    log_normaliser
        G = log ∫ 𝓝(𝐳; 𝐦, K) exp(−½𝐳ᵀT̃𝐳 + 𝛎̃ᵀ𝐳) d𝐳.
    """

    marginal_mean: Array
    alpha: Array
    log_normaliser: float

    def _set_moments(
        self, tau: Array, eta: Array, m: Array, alpha: Array, Ka: Array, logdet_B: float
    ) -> None:
        """Set 𝛂, 𝛍 = 𝐦 + K𝛂 and G = −½𝐦ᵀT̃𝐦 + 𝛎̃ᵀ𝐦 − ½log|B| + ½𝐛ᵀK𝛂 (𝐛 = 𝛎̃ − T̃𝐦).

        Parameters
        ----------
        tau, eta
            The sites' natural parameters 𝛕̃ and 𝛎̃.
        m
            Prior mean 𝐦.
        alpha
            𝛂 = (I + T̃K)⁻¹𝐛.
        Ka
            K𝛂.
        logdet_B
            log|B| = log|I + T̃K|.
        """
        b = eta - tau * m
        self.alpha = alpha
        self.marginal_mean = m + Ka
        self.log_normaliser = float(-0.5 * m @ (tau * m) + eta @ m - 0.5 * logdet_B + 0.5 * b @ Ka)


class DensePosterior(SitePosterior):
    """EP posterior of 𝓝(𝐦, K) × sites, for a dense K (see the module notes).

    Parameters
    ----------
    mean
        Prior mean 𝐦 (n).
    cov
        Prior covariance K (n×n), symmetric positive semi-definite.
    """

    def __init__(self, mean: Array, cov: Array) -> None:
        self._m = np.asarray(mean, float)
        self._K = np.asarray(cov, float)
        self.update(np.zeros_like(self._m), np.zeros_like(self._m))

    @property
    def size(self) -> int:
        """Number of sites, n."""
        return self._m.shape[0]

    def update(self, tau: Array, eta: Array) -> None:
        """Set the sites' natural parameters 𝛕̃ ≥ 0 and 𝛎̃, and recompute the posterior."""
        m, K = self._m, self._K
        s = np.sqrt(tau)
        B = np.eye(m.shape[0]) + s[:, None] * K * s[None, :]
        self._chol = scipy.linalg.cholesky(B, lower=True)
        self._s = s
        b = eta - tau * m
        Kb = K @ b
        alpha = b - s * scipy.linalg.cho_solve((self._chol, True), s * Kb)
        V = scipy.linalg.solve_triangular(self._chol, s[:, None] * K, lower=True)
        self._var = np.diag(K) - np.einsum("ij,ij->j", V, V)
        logdet_B = 2 * float(np.sum(np.log(np.diag(self._chol))))
        self._set_moments(tau, eta, m, alpha, K @ alpha, logdet_B)

    @property
    def marginal_variance(self) -> Array:
        """Posterior marginal variances diag(Σ)."""
        return self._var

    def W(self) -> Array:
        """W = T̃^½B⁻¹T̃^½ = (K + T̃⁻¹)⁻¹ (n×n)."""
        s = self._s
        return s[:, None] * scipy.linalg.cho_solve((self._chol, True), np.diag(s))

    def cov_derivative(self, dK: Array) -> Array:
        """∂G/∂θ = ½𝛂ᵀ(∂K)𝛂 − ½tr(W∂K) for ∂K of shape (n, n) or (n, n, k)."""
        W = self.W()
        a = self.alpha
        quad = np.einsum("i,ij...,j->...", a, dK, a)
        trace = np.einsum("ij,ji...->...", W, dK)
        return 0.5 * (quad - trace)

    def mean_derivative(self, dm: Array) -> Array:
        """∂G/∂θ = 𝛂ᵀ∂𝐦 for ∂𝐦 of shape (n,) or (n, k)."""
        return np.tensordot(self.alpha, dm, axes=1)
