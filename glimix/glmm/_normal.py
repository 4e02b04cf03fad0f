"""LMM with heterogeneous Normal likelihoods: the EP pseudo-observations of a GLMM."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import readonly
from .._optimize import FACTR, PGTOL
from ..linalg import KinshipOperator
from ._inputs import check_covariates, check_sites
from ._parameters import GLMMParameters
from ._posterior import Posterior
from ._scanner import PseudoDataScanner

__all__ = ["GLMMNormal"]

Array = NDArray[np.float64]

LOG_2PI = math.log(2 * math.pi)


class GLMMNormal(GLMMParameters):
    """LMM with heterogeneous Normal likelihoods.

    We model

        𝛍̃ ∼ 𝓝(𝚇𝜷, v₀𝙺 + v₁𝙸 + Σ̃),

    where 𝛍̃ and Σ̃ are typically given by EP approximation to non-Normal likelihood (please,
    refer to :class:`glimix.glmm.GLMMExpFam`). If that is the case, Σ̃ is a diagonal matrix with
    non-negative values. Those EP parameters are given to this class via their natural forms:
    eta and tau, μ̃ᵢ = ηᵢ/τᵢ and Σ̃ = diag(1/τᵢ).

    As in :class:`~glimix.glmm.GLMMExpFam`, v₀ = s(1−𝛿) and v₁ = s𝛿. The log-likelihood and
    its gradient cost O(n⋅k²) for a 𝙺 of rank k (Woodbury identity with the diagonal
    v₁𝙸 + Σ̃; no n×n matrix), or O(n³) when k > 0.8n. :meth:`fit` profiles 𝜷 out in closed form,
    𝚇ᵀ(K + Σ̃)⁻¹𝚇𝜷 = 𝚇ᵀ(K + Σ̃)⁻¹𝛍̃, and maximises over log s and 𝛿 by L-BFGS-B.

    Parameters
    ----------
    eta
        [μ̃₀σ̃₀⁻² μ̃₁σ̃₁⁻² ⋯ μ̃ₙσ̃ₙ⁻²], finite.
    tau
        [σ̃₀⁻² σ̃₁⁻² ⋯ σ̃ₙ⁻²], finite and positive.
    X
        Covariates, an n×c matrix (a vector is one covariate).
    QS
        Economic eigendecomposition ``((Q0, Q1), S0)`` of 𝙺 (Q1 is not used), or ``None``.

    Raises
    ------
    ValueError
        For non-finite values, a non-positive tau, or inputs of mismatched sizes.

    Examples
    --------
    >>> from numpy import ones
    >>> from numpy.random import RandomState
    >>> from glimix.glmm import GLMMNormal
    >>> from glimix.linalg import economic_qs_linear
    >>>
    >>> random = RandomState(4)
    >>> n = 50
    >>> G = random.randn(n, 5)
    >>> tau = random.uniform(0.5, 2.0, n)
    >>> mu = 0.5 + G @ random.randn(5) / 2 + random.randn(n) + random.randn(n) / tau ** 0.5
    >>> glmm = GLMMNormal(mu * tau, tau, ones((n, 1)), economic_qs_linear(G))
    >>> print('%.4f' % glmm.value())
    -102.4548
    >>> glmm.fit(verbose=False)
    >>> print('%.4f' % glmm.value())
    -91.4482
    >>> print('%.3f %.3f' % (glmm.v0, glmm.v1))
    0.740 0.817
    """

    def __init__(self, eta: ArrayLike, tau: ArrayLike, X: ArrayLike, QS: Any = None) -> None:
        eta, tau = check_sites(eta, tau)
        n = tau.shape[0]
        X = check_covariates(X, n)
        GLMMParameters.__init__(self, X, KinshipOperator.of(QS, n).positive())
        self._eta = readonly(eta.copy())
        self._tau = readonly(tau.copy())
        # G − log 𝓝(𝛍̃; 𝐦, K + Σ̃) (``_posterior``): what the sites add beyond the Gaussian density.
        self._site_constant = float(np.sum(0.5 * eta**2 / tau + 0.5 * (LOG_2PI - np.log(tau))))
        self._posterior: Posterior | None = None

    def _changed(self) -> None:
        self._posterior = None

    def _evaluate(self, scale: float, delta: float, beta: Array, profile: bool) -> Posterior:
        posterior = Posterior(self._prior(scale, delta), self._X, beta, profile)
        posterior.update(self._tau, self._eta)
        return posterior

    def _current(self) -> Posterior:
        if self._posterior is None:
            self._posterior = self._evaluate(self._scale, self._delta, self._beta, False)
        return self._posterior

    @property
    def eta(self) -> Array:
        """𝛈 = 𝛍̃/σ̃² (read-only)."""
        return self._eta

    @property
    def tau(self) -> Array:
        """𝛕 = 1/σ̃² (read-only)."""
        return self._tau

    def value(self) -> float:
        """Log of the marginal likelihood.

        Formally,

            −(n/2)log(2π) − ½log|v₀𝙺 + v₁𝙸 + Σ̃| − ½(𝛍̃ − 𝚇𝜷)ᵀ(v₀𝙺 + v₁𝙸 + Σ̃)⁻¹(𝛍̃ − 𝚇𝜷).

        Returns
        -------
        float
            log p(𝛍̃).
        """
        return self._current().log_normaliser - self._site_constant

    def lml(self) -> float:
        """Log of the marginal likelihood, the same as :meth:`value`."""
        return self.value()

    def gradient(self) -> dict[str, Any]:
        """Gradient of :meth:`value` over the free variables.

        Returns
        -------
        dict
            ``"beta"``: 𝚇ᵀ(K + Σ̃)⁻¹(𝛍̃ − 𝚇𝜷); ``"logscale"``, ``"delta"``: derivatives over
            log s and 𝛿 (K = v₀𝙺 + v₁𝙸).
        """
        return self._gradient_at(self._current())

    @property
    def beta_covariance(self) -> Array:
        """Covariance of the generalised least-squares 𝜷, (𝚇ᵀ(K + Σ̃)⁻¹𝚇)⁻¹ (pseudo-inverse)."""
        return self._current().beta_covariance()

    def fit(self, verbose: bool = True, factr: float = FACTR, pgtol: float = PGTOL) -> None:
        """Maximise the marginal likelihood.

        𝜷 (unless fixed) is profiled out in closed form; log s and 𝛿 (those not fixed)
        are maximised by L-BFGS-B on the analytic gradient.

        Parameters
        ----------
        verbose
            ``True`` for progress output; ``False`` otherwise.
        factr, pgtol
            Stopping criteria of L-BFGS-B, as for :meth:`GLMMExpFam.fit`.
        """
        profile = not self._fixed["beta"]
        beta = self._beta.copy()

        def evaluate(scale: float, delta: float) -> tuple[float, dict[str, float]]:
            posterior = self._evaluate(scale, delta, beta, profile)
            value = posterior.log_normaliser - self._site_constant
            return value, self._chain(*posterior.variance_gradient(), scale, delta)

        objective, _ = self._maximise_variances(
            evaluate, "GLMMNormal", profile, verbose, factr, pgtol
        )
        scale, delta = objective.point()
        posterior = self._evaluate(scale, delta, beta, profile)
        self._scale, self._delta, self._beta = scale, delta, posterior.beta
        self._changed()
        if verbose:
            print(
                f"GLMMNormal fit: scale = {scale:.6g}, delta = {delta:.6g}, "
                f"lml = {self.value():.10g}"
            )

    #: Variance parameters (``"scale"``, ``"delta"``) that the last :meth:`fit` left at a bound.
    at_bounds: tuple[str, ...] = ()

    def get_fast_scanner(self, *, fixed_scale: bool = False) -> PseudoDataScanner:
        """Return a :class:`glimix.lmm.FastScanner` for the current variances.

        It tests candidates 𝐠 with 𝛍̃ ∼ 𝓝(𝚇𝜶 + 𝐠β, s(v₀𝙺 + v₁𝙸 + Σ̃)) at the current v₀ and v₁,
        refitting 𝜶, β and s (or only 𝜶 and β with ``fixed_scale=True``, s = 1: see
        :class:`PseudoDataScanner`); its log-likelihoods are on the scale of :meth:`value`,
        which is the case s = 1 (so ``null_lml()`` ≥ :meth:`value` at the GLS 𝜷).
        """
        return self._pseudo_data_scanner(self._tau, self._eta, fixed_scale)
