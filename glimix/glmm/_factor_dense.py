"""I + T̃K factorised through B = I + T̃^½KT̃^½ for a dense K = v₀𝙺₀ + v₁I: O(n³) per update.

When 𝙺₀ has (nearly) full rank the Woodbury form costs about 2n⋅k² ≈ 2n³ flops per update;
this one costs n³/3 for the Cholesky factor B = UᵀU and n³/3 for U⁻¹ (or n³ for
V = U⁻ᵀT̃^½K), and it is what the GLMMs use when k > 0.8n. With 𝐬 = √𝛕̃,

    B = v₀ diag(𝐬)𝙺₀diag(𝐬) + I + v₁T̃,
    (I + T̃K)⁻¹𝐱 = 𝐱 − T̃^½B⁻¹T̃^½K𝐱,    log|I + T̃K| = log|B|,
    Σ = K(I + T̃K)⁻¹ = K − VᵀV.

K itself is never formed: K𝐱 = v₀𝙺₀𝐱 + v₁𝐱.

Marginal variances. Since T̃^½ΣT̃^½ = I − B⁻¹, Σᵢᵢ = (1 − hᵢ)/τ̃ᵢ with hᵢ = (B⁻¹)ᵢᵢ, the squared
norm of the i-th row of U⁻¹: one triangular inverse gives all of them. Its relative error is
about nε/(1 − hᵢ), so it is used where 1 − hᵢ = τ̃ᵢΣᵢᵢ ≥ 10⁻⁴; the other sites (τ̃ᵢ = 0, or so
little information that Σᵢᵢ ≈ Kᵢᵢ) get Kᵢᵢ − ‖U⁻ᵀ(𝐬 ∘ K₍:,ᵢ₎)‖², whose relative error is about
ε⋅Kᵢᵢ/Σᵢᵢ, from one product with U⁻¹. When many sites carry little information (τ̃ᵢKᵢᵢ < 10⁻²
for more than a third of them) U⁻¹ is skipped and V = U⁻ᵀ diag(𝐬)K is formed by a triangular
solve instead; then the first formula serves the sites with τ̃ᵢKᵢᵢ > 1 and the second the others,
and V diag(𝐬) = U⁻ᵀ(B − I) = U − U⁻ᵀ gives U⁻ᵀ.

Traces for the gradient: tr(W) = ∑ τ̃ᵢhᵢ and tr(WK) = tr(I − (I + T̃K)⁻¹) = ∑ (1 − hᵢ), hence
tr(W𝙺₀) = (tr(WK) − v₁tr(W))/v₀, with an absolute error of order n⋅ε/v₀ that the chain rule to
log s and 𝛿 multiplies by v₀ (W = (I + T̃K)⁻¹T̃).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
from numpy.typing import NDArray
from scipy.linalg import lapack

__all__ = ["DenseFactor"]

Array = NDArray[np.float64]

#: Sites with τ̃ᵢΣᵢᵢ = 1 − hᵢ below this get Kᵢᵢ − ‖U⁻ᵀ(𝐬 ∘ K₍:,ᵢ₎)‖² (module notes).
_MIN_INFORMATION = 1e-4
#: Sites with τ̃ᵢKᵢᵢ below this count as weak when choosing between U⁻¹ and V.
_WEAK_SITE = 1e-2


class DenseFactor:
    """I + T̃K for a dense K = v₀𝙺₀ + v₁I (v₀ > 0) and site precisions 𝛕̃ ≥ 0.

    Parameters
    ----------
    K0
        The n×n matrix 𝙺₀ (not modified).
    v0, v1
        Coefficients of K = v₀𝙺₀ + v₁I, v₀ > 0 and v₁ ≥ 0.
    tau
        Site precisions 𝛕̃ ≥ 0.

    Raises
    ------
    numpy.linalg.LinAlgError
        If the factorisation fails (B has eigenvalues ≥ 1, so only for non-finite input).
    """

    def __init__(self, K0: Array, v0: float, v1: float, tau: Array) -> None:
        tau = tau.copy()
        n = tau.shape[0]
        s = np.sqrt(tau)
        r = np.sqrt(v0) * s
        B = K0 * r[:, None]
        B *= r[None, :]
        B[np.diag_indices(n)] += 1 + v1 * tau
        # B is symmetric: its C-ordered buffer is the Fortran-ordered Bᵀ = B, factorised in place.
        U, info = lapack.dpotrf(B.T, lower=0, clean=1, overwrite_a=1)
        if info:
            raise np.linalg.LinAlgError(f"the Cholesky factorisation failed (info = {info}).")
        self._U = U
        self._K0, self._s, self._tau, self._v0, self._v1 = K0, s, tau, v0, v1
        K_diag = v0 * np.diag(K0) + v1
        if np.count_nonzero(tau * K_diag < _WEAK_SITE) > n / 3:
            V = self._solve_Ut(self._sK(np.arange(n)))
            Uinv_t = U - V * s[None, :]  # U⁻ᵀ, whose columns are the rows of U⁻¹
            self._h = np.einsum("ij,ij->j", Uinv_t, Uinv_t)
            direct = K_diag - np.einsum("ij,ij->j", V, V)
            with np.errstate(divide="ignore", invalid="ignore"):
                via_h = (1 - self._h) / tau
            self._variance = np.where(tau * K_diag > 1, via_h, direct)
        else:
            Uinv, info = lapack.dtrtri(U, lower=0)
            if info:
                raise np.linalg.LinAlgError(f"the triangular inverse failed (info = {info}).")
            self._h = np.einsum("ij,ij->i", Uinv, Uinv)
            informed = 1 - self._h
            direct_sites = np.flatnonzero(informed < _MIN_INFORMATION)
            with np.errstate(divide="ignore", invalid="ignore"):
                self._variance = informed / tau
            if direct_sites.size:
                V = Uinv.T @ self._sK(direct_sites)
                self._variance[direct_sites] = K_diag[direct_sites] - np.einsum("ij,ij->j", V, V)

    def _sK(self, columns: np.ndarray) -> Array:
        """diag(𝐬)K₍:,columns₎."""
        block = self._v0 * self._K0[:, columns]
        block[columns, np.arange(columns.size)] += self._v1
        return self._s[:, None] * block

    def _solve_Ut(self, x: Array) -> Array:
        """U⁻ᵀ𝐱."""
        return scipy.linalg.solve_triangular(self._U, x, trans="T", lower=False, check_finite=False)

    def _K_dot(self, x: Array) -> Array:
        return self._v0 * (self._K0 @ x) + self._v1 * x

    def solve(self, x: Array) -> Array:
        """(I + T̃K)⁻¹𝐱 for 𝐱 of shape (n,) or (n, c)."""
        s = self._s if x.ndim == 1 else self._s[:, None]
        y = scipy.linalg.cho_solve((self._U, False), s * self._K_dot(x), check_finite=False)
        return x - s * y

    @property
    def logdet(self) -> float:
        """log|I + T̃K| = log|B|."""
        return float(2 * np.sum(np.log(np.diag(self._U))))

    @property
    def variance(self) -> Array:
        """diag(Σ), each entry by the more accurate of the two formulas (module notes)."""
        return self._variance

    def covariance(self) -> Array:
        """Σ = K − VᵀV as a dense n×n matrix."""
        n = self._tau.shape[0]
        V = self._solve_Ut(self._sK(np.arange(n)))
        cov = self._v0 * self._K0 - V.T @ V
        cov[np.diag_indices(n)] += self._v1
        return 0.5 * (cov + cov.T)

    def trace_W(self) -> float:
        """tr(W) = ∑ τ̃ᵢhᵢ."""
        return float(self._tau @ self._h)

    def trace_W_K0(self) -> float:
        """tr(W𝙺₀) = (∑ (1 − hᵢ) − v₁tr(W))/v₀."""
        return float((np.sum(1 - self._h) - self._v1 * self.trace_W()) / self._v0)
