"""The GLMMs' latent covariance K = v₀𝙺₀ + v₁I, with 𝙺₀ = 𝚀₀𝚂₀𝚀₀ᵀ given by its eigenvectors.

𝙺₀ is a :class:`glimix.linalg.KinshipOperator`, which keeps diag(𝙺₀) and the dense 𝙺₀ once
formed for the life of a model. :class:`Prior` is K at given (v₀, v₁); it decides how I + T̃K
is factorised: by the Woodbury identity in O(n⋅k²) (``_factor_lowrank``) or, when k > 0.8n and
the Woodbury form would cost more than a dense Cholesky, through the dense n×n 𝙺₀
(``_factor_dense``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..linalg import KinshipOperator
from ._factor_dense import DenseFactor
from ._factor_lowrank import LowRankFactor

__all__ = ["DENSE_RANK_FRACTION", "Prior", "is_dense"]

Array = NDArray[np.float64]

#: Above this rank fraction k/n the factorisation goes through the dense 𝙺₀ (module notes).
DENSE_RANK_FRACTION = 0.8

Factor = LowRankFactor | DenseFactor


def is_dense(kinship: KinshipOperator) -> bool:
    """Whether products with 𝙺₀ go through its dense matrix (rank above 0.8n)."""
    return kinship.rank > DENSE_RANK_FRACTION * kinship.n


class Prior:
    """K = v₀𝙺₀ + v₁I for non-negative v₀ and v₁."""

    def __init__(self, kinship: KinshipOperator, v0: float, v1: float) -> None:
        self.kinship = kinship
        self.v0 = float(v0) if kinship.rank else 0.0
        self.v1 = float(v1)

    def dot(self, x: Array) -> Array:
        """K𝐱 for 𝐱 of shape (n,) or (n, c)."""
        out = self.v1 * x
        if self.v0 > 0:
            k = self.kinship
            out = out + self.v0 * (k.matrix @ x if is_dense(k) else k.dot(x))
        return out

    @property
    def diag(self) -> Array:
        """diag(K)."""
        return self.v0 * self.kinship.diag + self.v1

    def matrix(self) -> Array:
        """K as a dense n×n matrix."""
        K = self.v0 * self.kinship.matrix if self.v0 > 0 else np.zeros((self.kinship.n,) * 2)
        K[np.diag_indices_from(K)] += self.v1
        return K

    def factor(self, tau: Array) -> Factor:
        """I + T̃K factorised for site precisions 𝛕̃ ≥ 0."""
        k = self.kinship
        if is_dense(k) and self.v0 > 0:
            return DenseFactor(k.matrix, self.v0, self.v1, tau)
        return LowRankFactor(k.Q0, k.S0, k.diag, self.v0, self.v1, tau)
