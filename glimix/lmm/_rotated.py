"""The null model's data in the eigenbasis of 𝙺: what every 𝙱-weighted product needs.

For the outcome 𝐲 and the covariate basis 𝚄 (see ``_covariates``) it keeps 𝚀₀ᵀ𝐲, 𝚀₀ᵀ𝚄, 𝐲ᵀ𝐲 and
𝚄ᵀ𝐲 (𝚄ᵀ𝚄 = 𝙸), computed once in O(n·r·p). Then, for any weights (𝐰₀, w₁) of
𝙱 = 𝚀₀ diag(𝐰₀) 𝚀₀ᵀ + w₁𝙸 (see :class:`glimix.linalg.KinshipOperator`), the products

    𝐲ᵀ𝙱𝐲,  𝚄ᵀ𝙱𝐲,  𝚄ᵀ𝙱𝚄

cost O(r·p²) — for many values of 𝛿 at once as matrix products.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from ..linalg import KinshipOperator
from ._covariates import CovariateBasis

__all__ = ["RotatedNull"]

Array = NDArray[np.float64]

#: 𝐲 counts as lying in span(𝚇) when its residual norm is below this fraction of ‖𝐲‖.
_SPAN_RTOL = 1e-10


@dataclass(frozen=True)
class RotatedNull:
    """𝐲, 𝚄 and their rotations by 𝚀₀ (with 𝚂₀ and n, the whole null model's data)."""

    y: Array
    kinship: KinshipOperator
    basis: CovariateBasis
    Qy: Array
    QU: Array
    yy: float
    Uy: Array
    #: Gram matrix of the parts of [𝐲 𝚄] outside span(𝚀₀), (1 + p)×(1 + p), from the residual
    #: vectors themselves (see :meth:`products`).
    perp: Array
    #: Triangular R with RᵀR = ``perp``, from a QR factorisation of those residual vectors.
    perp_root: Array

    @classmethod
    def of(cls, y: Array, X: Array, kinship: KinshipOperator) -> RotatedNull:
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
        yU = np.column_stack([y, U])
        Q0 = kinship.Q0
        QyU = Q0.T @ yU
        outside = yU - Q0 @ QyU
        return cls(
            y=y,
            kinship=kinship,
            basis=basis,
            Qy=np.ascontiguousarray(QyU[:, 0]),
            QU=np.ascontiguousarray(QyU[:, 1:]),
            yy=float(y @ y),
            Uy=Uy,
            perp=outside.T @ outside,
            perp_root=np.linalg.qr(outside, mode="r"),
        )

    @property
    def Q0(self) -> Array:
        """The eigenvectors 𝚀₀ of 𝙺 (n×r)."""
        return self.kinship.Q0

    @property
    def S0(self) -> Array:
        """The eigenvalues 𝐬₀ of 𝙺 (r)."""
        return self.kinship.S0

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
    def covariates_fill_complement(self) -> bool:
        """Whether span(𝚇) contains every direction outside span(𝚀₀) (𝙺's null space).

        Then 𝚇 fits 𝐲 exactly there and the likelihood grows like ½(n − r)⋅log(1/𝛿) as 𝛿 → 0
        (see :meth:`glimix.lmm.LMM.fit`). A kinship of centred genotypes (𝙺𝟏 = 𝟎) with an
        offset is the common case. Rank of the basis's part outside span(𝚀₀), from ``perp_root``.
        """
        missing = self.n - self.rank_k
        if missing == 0:
            return False
        sv = np.linalg.svd(self.perp_root[:, 1:], compute_uv=False)
        return int(np.count_nonzero(sv > 1e-8)) >= missing

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
        return self.products_of_inverse((W0 + w1).T, w1)

    def products_of_inverse(self, D: Array, w1: Array) -> tuple[Array, Array, Array]:
        """:meth:`products` from the L×r matrix 𝙳 = (𝐰₀ + w₁)ᵀ, one row per weight set.

        On span(𝚀₀), 𝐰₀ + w₁ is the inverse of the covariance's eigenvalues, which is what the
        exact scan computes first, candidate by candidate (one row each).
        """
        p = self.p
        L = D.shape[0]
        # 𝐚ᵀ𝙱𝐛 = ∑ᵢ (w₀ᵢ + w₁)ãᵢb̃ᵢ + w₁⋅𝐚ᵀ(𝙸 − 𝚀₀𝚀₀ᵀ)𝐛: the weight w₁ = 1/(s𝛿)-like of the
        # complement is applied to the explicit residual products, not to 𝐚ᵀ𝐛 − ãᵀb̃, a
        # difference that cancels catastrophically when w₁ is large (𝛿 → 0) and r ≈ n.
        F = D @ self._product_factors.T
        P = self.perp
        yBy = F[:, 0] + w1 * P[0, 0]
        UBy = F[:, 1 : 1 + p] + w1[:, None] * P[1:, 0]
        UBU = F[:, 1 + p :].reshape(L, p, p) + w1[:, None, None] * P[1:, 1:]
        return yBy, UBy, UBU

    @cached_property
    def _rotated(self) -> Array:
        """[𝚀₀ᵀ𝐲 𝚀₀ᵀ𝚄], r×(1 + p)."""
        return np.column_stack([self.Qy, self.QU])

    def gls(self, w0: Array, w1: float) -> tuple[Array, Array, float, float]:
        """Generalised least squares of 𝐲 on 𝚄 with weight 𝙱, by a QR factorisation.

        𝙱 = 𝚀₀ diag(𝐰₀ + w₁) 𝚀₀ᵀ + w₁(𝙸 − 𝚀₀𝚀₀ᵀ) = 𝚉ᵀ𝚉 on span([𝐲 𝚄]), with
        𝚉 = [diag(√(𝐰₀ + w₁))⋅𝚀₀ᵀ[𝐲 𝚄]; √w₁⋅R] (R the triangular factor of the parts outside
        span(𝚀₀)). Solving min ‖𝚉_𝐲 − 𝚉_𝚄𝜸‖ through the QR factor 𝚉_𝚄 = 𝚀R_𝚄 and taking Q as the
        squared norm of the residual vector avoids forming 𝐲ᵀ𝙱𝐲 − 𝐲ᵀ𝙱𝚄(𝚄ᵀ𝙱𝚄)⁻¹𝚄ᵀ𝙱𝐲, a
        difference of two numbers of size 1/𝛿 when 𝛿 → 0 and span(𝚄) reaches outside span(𝚀₀)
        (an offset in the null space of a centred kinship): that difference loses every digit.

        Returns
        -------
        gamma
            𝜸 = (𝚄ᵀ𝙱𝚄)⁻¹𝚄ᵀ𝙱𝐲.
        Ainv
            (𝚄ᵀ𝙱𝚄)⁻¹.
        Q
            (𝐲 − 𝚄𝜸)ᵀ𝙱(𝐲 − 𝚄𝜸).
        logdet_UBU
            log|𝚄ᵀ𝙱𝚄|.
        """
        top = np.sqrt(w0 + w1)[:, None] * self._rotated
        Z = np.vstack([top, math.sqrt(w1) * self.perp_root]) if w1 > 0 else top
        zy, ZU = Z[:, 0], Z[:, 1:]
        if ZU.shape[1] == 0:
            return np.zeros(0), np.zeros((0, 0)), float(zy @ zy), 0.0
        Qz, R = np.linalg.qr(ZU)
        diag = np.abs(np.diag(R))
        if not np.all(diag > 0):
            raise ValueError("𝚄ᵀ𝙱𝚄 (the covariates' information matrix) is singular.")
        Rinv = np.linalg.inv(R)  # p×p: cheaper than a triangular solve's call overhead
        coefficients = Qz.T @ zy
        gamma = Rinv @ coefficients
        residual = zy - Qz @ coefficients
        return gamma, Rinv @ Rinv.T, float(residual @ residual), float(2 * np.sum(np.log(diag)))
