"""The null model's data in the eigenbasis of 𝙺: what every 𝙱-weighted product needs.

For the outcome 𝐲 and the covariate basis 𝚄 (see ``_covariates``) it keeps 𝚀₀ᵀ𝐲, 𝚀₀ᵀ𝚄, 𝐲ᵀ𝐲 and
𝚄ᵀ𝐲 (𝚄ᵀ𝚄 = 𝙸), computed once in O(n·r·p). Then, for any weights (𝐰₀, w₁) of
𝙱 = 𝚀₀ diag(𝐰₀) 𝚀₀ᵀ + w₁𝙸 (see ``_eigen``), the products

    𝐲ᵀ𝙱𝐲,  𝚄ᵀ𝙱𝐲,  𝚄ᵀ𝙱𝚄

cost O(r·p²) — for many values of 𝛿 at once as matrix products.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from ._covariates import CovariateBasis

__all__ = ["RotatedNull"]

Array = NDArray[np.float64]

#: 𝐲 counts as lying in span(𝚇) when its residual norm is below this fraction of ‖𝐲‖.
_SPAN_RTOL = 1e-10


@dataclass(frozen=True)
class RotatedNull:
    """𝐲, 𝚄 and their rotations by 𝚀₀ (with 𝚂₀ and n, the whole null model's data)."""

    y: Array
    Q0: Array
    S0: Array
    basis: CovariateBasis
    Qy: Array
    QU: Array
    yy: float
    Uy: Array

    @classmethod
    def of(cls, y: Array, X: Array, Q0: Array, S0: Array) -> RotatedNull:
        """Rotate 𝐲 and the basis of span(𝚇) (inputs already validated).

        Raises
        ------
        ValueError
            If 𝐲 is a linear combination of the columns of 𝚇 (then Q = 0 and the likelihood
            grows without bound as s → 0), which includes every case with n ≤ rank(𝚇).
        """
        basis = CovariateBasis.of(X)
        U = basis.U
        Uy = U.T @ y
        resid = y - U @ Uy
        if float(resid @ resid) <= _SPAN_RTOL**2 * float(y @ y):
            raise ValueError(
                "y is a linear combination of the columns of X (residual norm "
                f"{float(np.sqrt(resid @ resid)):.3g}); the likelihood is unbounded as the scale "
                "goes to zero."
            )
        QyU = Q0.T @ np.column_stack([y, U])
        return cls(
            y=y,
            Q0=Q0,
            S0=S0,
            basis=basis,
            Qy=np.ascontiguousarray(QyU[:, 0]),
            QU=np.ascontiguousarray(QyU[:, 1:]),
            yy=float(y @ y),
            Uy=Uy,
        )

    @property
    def n(self) -> int:
        """Number of samples."""
        return int(self.y.shape[0])

    @property
    def rank_k(self) -> int:
        """r, the number of eigenvectors in 𝚀₀."""
        return int(self.S0.shape[0])

    @property
    def p(self) -> int:
        """Rank of the covariates."""
        return self.basis.rank

    @cached_property
    def _product_factors(self) -> Array:
        """[𝚀₀ᵀ𝐲∘𝚀₀ᵀ𝐲, 𝚀₀ᵀ𝚄∘𝚀₀ᵀ𝐲, (𝚀₀ᵀ𝐮ₖ∘𝚀₀ᵀ𝐮ₗ)ₖₗ]: r×(1 + p + p²), one product per 𝐰₀."""
        QU, Qy = self.QU, self.Qy
        pairs = (QU[:, :, None] * QU[:, None, :]).reshape(QU.shape[0], self.p**2)
        return np.ascontiguousarray(np.column_stack([Qy * Qy, QU * Qy[:, None], pairs]).T)

    def products(self, W0: Array, w1: Array) -> tuple[Array, Array, Array]:
        """𝐲ᵀ𝙱𝐲, 𝚄ᵀ𝙱𝐲 and 𝚄ᵀ𝙱𝚄 for L weight sets at once (one matrix product).

        Parameters
        ----------
        W0
            r×L matrix, one column 𝐰₀ per weight set.
        w1
            L values of w₁.

        Returns
        -------
        yBy
            Shape (L,).
        UBy
            Shape (L, p).
        UBU
            Shape (L, p, p), symmetric.
        """
        p = self.p
        L = W0.shape[1]
        F = self._product_factors @ W0
        yBy = F[0] + w1 * self.yy
        UBy = F[1 : 1 + p].T + w1[:, None] * self.Uy
        UBU = F[1 + p :].T.reshape(L, p, p) + w1[:, None, None] * np.eye(p)
        return yBy, UBy, UBU
