"""The null model at fixed variances: 𝐲 ∼ 𝓝(𝚇𝜷, s(a𝙺 + b𝙸)), 𝜷 and s profiled out.

With 𝙱 = (a𝙺 + b𝙸)⁻¹ and the covariate basis 𝚄 (𝚇𝜷 = 𝚄𝜸),

    𝜸 = 𝙰⁻¹𝚄ᵀ𝙱𝐲,  𝙰 = 𝚄ᵀ𝙱𝚄,   Q = 𝐲ᵀ𝙱𝐲 − (𝚄ᵀ𝙱𝐲)ᵀ𝜸 = (𝐲 − 𝚄𝜸)ᵀ𝙱(𝐲 − 𝚄𝜸),

the maximum-likelihood scale is s = Q/n and the log marginal likelihood

    log p(𝐲) = −½(n⋅log(2π) + log|a𝙺 + b𝙸| + n⋅log s + n).

This is the scanner's null hypothesis; every candidate test starts from its 𝙰⁻¹, 𝜸 and Q.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg
from numpy.typing import NDArray

from ._rotated import RotatedNull

__all__ = ["NullFit", "profiled_lml", "spd_inverse"]

Array = NDArray[np.float64]

LOG_2PI = math.log(2 * math.pi)


def profiled_lml(n: int, logdet: Array | float, scale: Array) -> Array:
    """log p(𝐲) = −½(n⋅log(2π) + n + log|𝙲| + n⋅log s) at the maximum-likelihood scale s.

    Parameters
    ----------
    n
        Number of samples.
    logdet
        log|𝙲| of the covariance without its scale, broadcastable against ``scale``.
    scale
        The optimal scales s = Q/n (a zero one gives +∞, without a warning).
    """
    with np.errstate(divide="ignore"):
        return -0.5 * (n * (LOG_2PI + 1) + logdet + n * np.log(scale))


def spd_inverse(A: Array, what: str) -> Array:
    """Inverse of a small symmetric positive-definite matrix through its Cholesky factor.

    Raises
    ------
    ValueError
        If A is not numerically positive definite; ``what`` says which matrix it is.
    """
    p = A.shape[0]
    if p == 0:
        return np.zeros((0, 0))
    try:
        factor = scipy.linalg.cho_factor(A, lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        raise ValueError(
            f"{what} is numerically singular; the covariance is too close to singular for the "
            "covariates at this variance ratio."
        ) from None
    inv = scipy.linalg.cho_solve(factor, np.eye(p), check_finite=False)
    return (inv + inv.T) / 2


@dataclass(frozen=True)
class NullFit:
    """The profiled null model at covariance s(a𝙺 + b𝙸).

    Attributes
    ----------
    data
        The rotated outcome and covariates.
    a, b
        Coefficients of 𝙺 and 𝙸 (before the scale s).
    w0, w1
        Weights of 𝙱 = (a𝙺 + b𝙸)⁻¹ = 𝚀₀ diag(𝐰₀) 𝚀₀ᵀ + w₁𝙸.
    logdet
        log|a𝙺 + b𝙸|.
    Ainv
        (𝚄ᵀ𝙱𝚄)⁻¹, p×p.
    gamma
        Effect sizes on the covariate basis 𝚄.
    Q
        (𝐲 − 𝚄𝜸)ᵀ𝙱(𝐲 − 𝚄𝜸).
    """

    data: RotatedNull
    a: float
    b: float
    w0: Array
    w1: float
    logdet: float
    Ainv: Array
    gamma: Array
    Q: float

    @classmethod
    def at(cls, data: RotatedNull, a: float, b: float) -> NullFit:
        """Profile 𝜷 and s out at covariance s(a𝙺 + b𝙸)."""
        w0, w1 = data.kinship.inverse_weights(a, b)
        gamma, Ainv, Q, _ = data.gls(w0, float(w1))
        return cls(data, a, b, w0, float(w1), float(data.kinship.logdet(a, b)), Ainv, gamma, Q)

    @property
    def scale(self) -> float:
        """Maximum-likelihood scale, s = Q/n."""
        return self.Q / self.data.n

    def lml(self) -> float:
        """log p(𝐲) = −½(n⋅log(2π) + log|a𝙺 + b𝙸| + n⋅log s + n) at the optimal 𝜷 and s."""
        n = self.data.n
        return -0.5 * (n * (LOG_2PI + 1) + self.logdet + n * math.log(self.scale))

    @property
    def beta(self) -> Array:
        """Covariate effect sizes 𝜷 = 𝚃𝜸 (minimum-norm for a rank-deficient 𝚇)."""
        return self.data.basis.to_x(self.gamma)

    @property
    def beta_covariance(self) -> Array:
        """s(𝚇ᵀ𝙱𝚇)⁻¹ (a pseudo-inverse for a rank-deficient 𝚇)."""
        return self.scale * self.data.basis.covariance_to_x(self.Ainv)
