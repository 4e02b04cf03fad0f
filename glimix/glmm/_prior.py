"""The GLMMs' latent covariance K = v₀𝙺₀ + v₁I, with 𝙺₀ = 𝚀₀𝚂₀𝚀₀ᵀ given by its eigenvectors.

:class:`Kinship` holds 𝚀₀ (n×k), 𝚂₀ and diag(𝙺₀) for the life of a model, and decides how
I + T̃K is factorised: by the Woodbury identity in O(n⋅k²) (``_factor_lowrank``) or, when k > 0.8n
and the Woodbury form would cost more than a dense Cholesky, through the dense n×n matrix 𝙺₀,
formed once (``_factor_dense``). :class:`Prior` is K at given (v₀, v₁).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from ._factor_dense import DenseFactor
from ._factor_lowrank import LowRankFactor

__all__ = ["DENSE_RANK_FRACTION", "Kinship", "Prior"]

Array = NDArray[np.float64]

#: Above this rank fraction k/n the factorisation goes through the dense 𝙺₀ (module notes).
DENSE_RANK_FRACTION = 0.8

Factor = LowRankFactor | DenseFactor


class Kinship:
    """𝙺₀ = 𝚀₀ diag(𝚂₀) 𝚀₀ᵀ, with 𝚀₀ orthonormal (n×k) and 𝚂₀ > 0 (k ≥ 0)."""

    def __init__(self, Q0: Array, S0: Array) -> None:
        self.Q0 = Q0
        self.S0 = S0
        self.diag = np.einsum("ij,j,ij->i", Q0, S0, Q0)
        self.dense = Q0.shape[1] > DENSE_RANK_FRACTION * Q0.shape[0]

    @property
    def n(self) -> int:
        """Number of samples."""
        return int(self.Q0.shape[0])

    @property
    def rank(self) -> int:
        """k, the number of eigenvectors."""
        return int(self.Q0.shape[1])

    @cached_property
    def matrix(self) -> Array:
        """The dense n×n 𝙺₀ (formed on first use, then kept)."""
        K0 = (self.Q0 * self.S0) @ self.Q0.T
        return 0.5 * (K0 + K0.T)

    def quad(self, a: Array) -> float:
        """𝐚ᵀ𝙺₀𝐚 = ‖𝚂₀^½𝚀₀ᵀ𝐚‖²."""
        q = self.Q0.T @ a
        return float(q @ (self.S0 * q))

    def dot(self, x: Array) -> Array:
        """𝙺₀𝐱."""
        if self.dense:
            return self.matrix @ x
        return self.Q0 @ ((self.Q0.T @ x) * (self.S0 if x.ndim == 1 else self.S0[:, None]))


class Prior:
    """K = v₀𝙺₀ + v₁I for non-negative v₀ and v₁."""

    def __init__(self, kinship: Kinship, v0: float, v1: float) -> None:
        self.kinship = kinship
        self.v0 = float(v0) if kinship.rank else 0.0
        self.v1 = float(v1)

    def dot(self, x: Array) -> Array:
        """K𝐱 for 𝐱 of shape (n,) or (n, c)."""
        out = self.v1 * x
        if self.v0 > 0:
            out = out + self.v0 * self.kinship.dot(x)
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
        if k.dense and self.v0 > 0:
            return DenseFactor(k.matrix, self.v0, self.v1, tau)
        return LowRankFactor(k.Q0, k.S0, k.diag, self.v0, self.v1, tau)
