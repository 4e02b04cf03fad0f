"""The EP posterior of a GLMM, 𝓝(𝐳; 𝚇𝜷, K) × sites, optionally with 𝜷 profiled out.

With EP sites t̃ᵢ(zᵢ) ∝ exp(−½τ̃ᵢzᵢ² + ν̃ᵢzᵢ) and a factorisation of I + T̃K (``_prior``), for the
prior mean 𝐦 = 𝚇𝜷 and 𝐛 = 𝛎̃ − T̃𝐦:

    𝛂 = (I + T̃K)⁻¹𝐛,    𝛍 = 𝐦 + K𝛂,    Σ = K(I + T̃K)⁻¹,
    G = log ∫ 𝓝(𝐳; 𝐦, K) exp(−½𝐳ᵀT̃𝐳 + 𝛎̃ᵀ𝐳) d𝐳
      = −½𝐦ᵀT̃𝐦 + 𝛎̃ᵀ𝐦 − ½log|I + T̃K| + ½𝐛ᵀK𝛂.

For τ̃ᵢ > 0, G = log 𝓝(𝛍̃; 𝐦, K + T̃⁻¹) + ∑ᵢ (½ν̃ᵢ²/τ̃ᵢ + ½log(2π/τ̃ᵢ)) with the pseudo-observations
μ̃ᵢ = ν̃ᵢ/τ̃ᵢ: the marginal likelihood of a heteroscedastic LMM (:class:`~glimix.glmm.GLMMNormal`).
Its derivatives at fixed sites, with W = (I + T̃K)⁻¹T̃ = (K + T̃⁻¹)⁻¹ and K = v₀𝙺₀ + v₁I, are

    ∂G/∂𝜷 = 𝚇ᵀ𝛂,    ∂G/∂v₀ = ½𝛂ᵀ𝙺₀𝛂 − ½tr(W𝙺₀),    ∂G/∂v₁ = ½𝛂ᵀ𝛂 − ½tr(W),

which at an EP fixed point are also the derivatives of log Z_EP (``glimix._ep._engine``).

Profiling 𝜷. G is a concave quadratic in 𝜷; its maximiser solves 𝚇ᵀW𝚇𝜷 = 𝚇ᵀ(I + T̃K)⁻¹𝛎̃ (the
generalised least squares of the pseudo-observations). With ``profile=True`` every update first
moves 𝜷 there, by the Newton step 𝜷 ← 𝜷 + (𝚇ᵀW𝚇)⁺𝚇ᵀ𝛂 (a pseudo-inverse, so directions without
information — before the first sweep, or collinear covariates — keep their value). Inside EP this
makes the fixed point the joint one of the sites and 𝜷, where 𝚇ᵀ𝛂 = 0: log Z_EP maximised over
𝜷 at the given variances. It costs two more solves (c and 1 right-hand sides) per update.
Steps whose Newton decrement 𝐠ᵀ(𝚇ᵀW𝚇)⁺𝐠 (𝐠 = 𝚇ᵀ𝛂, twice the rise of G they bring) is below
10⁻¹² are skipped: they would only pass round-off on to the posterior means. After a step 𝛂 is
recomputed from the residual 𝛎̃ − T̃𝐦, not as 𝛂 − W𝚇Δ𝜷, whose two terms are large and nearly
cancel when the sites are precise (huge counts): that round-off, of the order of ε⋅∣𝛎̃∣, kept EP
from settling.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .._ep._posterior import SitePosterior
from ._prior import Factor, Prior

__all__ = ["Posterior"]

Array = NDArray[np.float64]

#: Eigenvalues of 𝚇ᵀW𝚇 below this fraction of the largest count as zero (no information).
_RCOND = 1e-12
#: Newton decrement 𝐠ᵀ(𝚇ᵀW𝚇)⁺𝐠 (twice the rise of G) below which 𝜷 is left where it is.
_MIN_DECREMENT = 1e-12


class Posterior(SitePosterior):
    """EP posterior of 𝓝(𝚇𝜷, K) × sites; the ``Posterior`` protocol of the EP engine.

    Parameters
    ----------
    prior
        K = v₀𝙺₀ + v₁I.
    X
        n×c covariates.
    beta
        Effect sizes 𝜷 (copied); with ``profile`` only the starting point.
    profile
        Move 𝜷 to the maximiser of G at every update (module notes).

    Nothing is computed until the first :meth:`update` (the EP engine starts with one).
    """

    def __init__(self, prior: Prior, X: Array, beta: Array, profile: bool = False) -> None:
        self.prior = prior
        self._X = X
        self._beta = np.array(beta, dtype=float)
        self._profile = profile

    @property
    def size(self) -> int:
        """Number of sites, n."""
        return int(self._X.shape[0])

    def update(self, tau: Array, eta: Array) -> None:
        """Set the sites' natural parameters 𝛕̃ ≥ 0 and 𝛎̃ (copied), and recompute."""
        tau = np.array(tau, dtype=float)
        eta = np.array(eta, dtype=float)
        X = self._X
        factor = self.prior.factor(tau)
        m = X @ self._beta
        alpha = factor.solve(eta - tau * m)
        if self._profile and X.shape[1]:
            gradient = X.T @ alpha
            WX = factor.solve(tau[:, None] * X)
            step = _pinv(X.T @ WX) @ gradient
            if float(gradient @ step) > _MIN_DECREMENT:
                self._beta = self._beta + step
                m = X @ self._beta
                alpha = factor.solve(eta - tau * m)
        self._factor: Factor = factor
        self._tau, self._eta, self._m = tau, eta, m
        self._set_moments(tau, eta, m, alpha, self.prior.dot(alpha), factor.logdet)

    @property
    def beta(self) -> Array:
        """Effect sizes 𝜷 of the prior mean (a copy)."""
        return self._beta.copy()

    @property
    def mean(self) -> Array:
        """Prior mean 𝐦 = 𝚇𝜷."""
        return self._m

    @property
    def marginal_variance(self) -> Array:
        """Posterior marginal variances diag(Σ)."""
        return self._factor.variance

    def covariance(self) -> Array:
        """Posterior covariance Σ = K(I + T̃K)⁻¹ (dense n×n)."""
        return self._factor.covariance()

    def beta_gradient(self) -> Array:
        """∂G/∂𝜷 = 𝚇ᵀ𝛂."""
        return self._X.T @ self.alpha

    def variance_gradient(self) -> tuple[float, float]:
        """(∂G/∂v₀, ∂G/∂v₁) at fixed sites and 𝜷."""
        a = self.alpha
        kinship = self.prior.kinship
        g0 = 0.5 * (kinship.quad(a) - self._factor.trace_W_K0()) if kinship.rank else 0.0
        g1 = 0.5 * (float(a @ a) - self._factor.trace_W())
        return g0, g1

    def beta_covariance(self) -> Array:
        """(𝚇ᵀW𝚇)⁺, the covariance of the generalised least-squares 𝜷 at fixed sites."""
        X = self._X
        A = X.T @ self._factor.solve(self._tau[:, None] * X)
        return _pinv(0.5 * (A + A.T))


def _pinv(A: Array) -> Array:
    if A.size == 0:
        return A.copy()
    vals, vecs = np.linalg.eigh(0.5 * (A + A.T))
    top = float(vals[-1])
    keep = vals > _RCOND * top if top > 0 else np.zeros(vals.shape, bool)
    return (vecs[:, keep] / vals[keep]) @ vecs[:, keep].T
