"""An orthonormal basis of the covariates' span, so that rank-deficient 𝚇 is harmless.

With the economic SVD 𝚇 = 𝚄𝚺𝚆ᵀ (p = rank 𝚇 non-zero singular values), every model quantity
depends on 𝚇 only through span(𝚇) = span(𝚄). The models therefore work with the n×p matrix 𝚄
(orthonormal, so 𝚄ᵀ𝚄 = 𝙸 and perfectly conditioned) and map effect sizes back:

    𝜷 = 𝚃𝜸,  𝚃 = 𝚆𝚺⁻¹,   Cov(𝜷) = 𝚃 Cov(𝜸) 𝚃ᵀ,

which for a full-rank 𝚇 is the unique solution, and for a rank-deficient 𝚇 the minimum-norm
one (𝚃 Cov(𝜸) 𝚃ᵀ = s(𝚇ᵀ𝙱𝚇)⁺, the pseudo-inverse).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..linalg import economic_svd

__all__ = ["CovariateBasis"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class CovariateBasis:
    """𝚄 (n×p, orthonormal) and 𝚃 (c×p) with 𝚇𝚃 = 𝚄, from 𝚇 = 𝚄𝚺𝚆ᵀ.

    Attributes
    ----------
    U
        Orthonormal basis of span(𝚇).
    T
        Map from coefficients 𝜸 on 𝚄 to the minimum-norm coefficients 𝜷 = 𝚃𝜸 on 𝚇.
    sigma_wt
        𝚺𝚆ᵀ (p×c): the coefficients on 𝚄 of 𝚇𝜷 are 𝜸 = 𝚺𝚆ᵀ𝜷.
    """

    U: Array
    T: Array
    sigma_wt: Array

    @classmethod
    def of(cls, X: Array) -> CovariateBasis:
        """The basis of a finite n×c matrix 𝚇 (already validated)."""
        U, S, VT = economic_svd(X)
        return cls(np.ascontiguousarray(U), VT.T / S, S[:, None] * VT)

    @property
    def rank(self) -> int:
        """p, the numerical rank of 𝚇."""
        return int(self.U.shape[1])

    def to_x(self, gamma: Array) -> Array:
        """𝜷 = 𝚃𝜸 (on the first axis, so a p×m matrix maps to c×m)."""
        return self.T @ gamma

    def from_x(self, beta: Array) -> Array:
        """𝜸 = 𝚺𝚆ᵀ𝜷, the coordinates of 𝚇𝜷 on 𝚄."""
        return self.sigma_wt @ beta

    def covariance_to_x(self, cov: Array) -> Array:
        """Cov(𝜷) = 𝚃 Cov(𝜸) 𝚃ᵀ."""
        return self.T @ cov @ self.T.T
