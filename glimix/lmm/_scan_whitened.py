"""One block of candidates tested at the null's variances, in whitened coordinates.

``_scan_fixed`` forms the Schur complement σ = 𝐠ᵀ𝙱𝐠 − 𝐚ᵀ𝙰⁻¹𝐚 from products with 𝙱 and the
inverse of 𝙰 = 𝚄ᵀ𝙱𝚄. When 𝙱 = (a𝙺 + b𝙸)⁻¹ has a huge weight in some direction — a singular 𝙺
(a centred kinship: K𝟏 = 𝟎) with b → 0 gives 𝟏/√n the weight 1/b — and the covariates reach
into it (an offset), both terms of σ carry that weight, 𝙰 is ill-conditioned, and σ loses about
log₁₀(w²·d₀) digits: p-values wrong by orders of magnitude (``tests/reliability``). This module
computes the same statistics without forming either term.

With the whitening 𝚉 = [𝚀₀ diag(𝙳₀^(−½))  √w₁𝚀₁] (𝙳₀ = a𝚂₀ + b, w₁ = 1/b, 𝚀₁ an orthonormal
basis of the complement of span(𝚀₀), built explicitly when it has few columns), 𝙱 = 𝚉𝚉ᵀ and
every 𝙱-product is a Euclidean product of whitened vectors 𝐯̃ = 𝚉ᵀ𝐯. Let 𝙷 be an orthonormal
basis of the whitened covariates 𝚄̃ = 𝙷𝚃 (a QR factorisation, once) and 𝐲̃ᵣ = 𝐲̃ − 𝙷𝙷ᵀ𝐲̃ the
whitened residual of the null. For a candidate, 𝐜 = 𝙷ᵀ𝐠̃ and

    σ = ‖𝐠̃ − 𝙷𝐜‖²,   η = 𝐲̃ᵣᵀ𝐠̃ (= 𝐠ᵀ𝙱(𝐲 − 𝚄𝜸₀)),   𝙰⁻¹𝐚 = 𝚃⁻¹𝐜,

σ the squared norm of a residual vector: the large components cancel coordinate by coordinate,
before squaring, so σ keeps its relative precision whatever w₁. (Where d − ‖𝐜‖² cancels less
than three digits — most candidates — that difference is used and the residual not formed.)
The rest (β = η/σ, 𝜸, Q, s, the log-likelihood and the standard errors) follows as in
``_scan_fixed``. A whitened residual costs 2np multiply-adds per candidate, against the n² of
the rotation itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from ._null import NullFit

__all__ = ["COMPLEMENT_MAX", "WhitenedRotation", "complement_basis", "rotate_columns"]

Array = NDArray[np.float64]

#: σ = d − ‖𝐜‖² is kept when it is above this fraction of d (at most three digits cancelled,
#: relative error ≤ 10³ε); otherwise σ is the squared norm of the residual vector.
CANCELLATION = 1e-3
#: Largest number of columns of 𝚀₁ built explicitly (n − r: 1 for a centred kinship); beyond
#: it ``_scan_fixed``'s products are used.
COMPLEMENT_MAX = 64


def complement_basis(Q0: Array, rng_seed: int = 0) -> Array:
    """An orthonormal basis 𝚀₁ (n×(n − r)) of the orthogonal complement of span(𝚀₀).

    Projects n − r Gaussian vectors off span(𝚀₀) twice (classical Gram–Schmidt repeated, which
    is as accurate as modified Gram–Schmidt) and orthonormalises them by QR: O(n⋅r⋅(n − r)).

    Examples
    --------
    >>> Q0 = np.linalg.qr(np.random.default_rng(1).standard_normal((5, 3)))[0]
    >>> Q1 = complement_basis(Q0)
    >>> print(Q1.shape, np.allclose(Q0.T @ Q1, 0), np.allclose(Q1.T @ Q1, np.eye(2)))
    (5, 2) True True
    """
    n, r = Q0.shape
    if r >= n:
        return np.zeros((n, 0))
    omega = np.random.default_rng(rng_seed).standard_normal((n, n - r))
    for _ in range(2):
        omega -= Q0 @ (Q0.T @ omega)
        omega = np.linalg.qr(omega)[0]
    return omega


def rotate_columns(
    Z: Array, G: Array, workspace: Array | None = None, Z_single: NDArray[np.float32] | None = None
) -> Array:
    """The product 𝚉ᵀ𝙶 of a rotation 𝚉 (n×q) and a block 𝙶 (n×b), in ``workspace`` if given.

    With ``Z_single`` (𝚉 in float32) the product is formed in single precision — the block is
    converted to float32, the O(n⋅q⋅b) product runs at single-precision speed — and returned in
    float64, so that every statistic computed from it is accumulated in double precision. Each
    entry of the product then carries a relative error of about √n⋅2⁻²⁴ (dosages themselves are
    exact in float32).

    Parameters
    ----------
    Z
        The rotation, n×q.
    G
        The block of candidates, n×b.
    workspace
        A flat float64 buffer of at least q⋅b entries to hold the q×b product (reusing one across
        blocks saves allocating it for each), or ``None`` for a new array.
    Z_single
        ``Z`` as float32, for a single-precision product; ``None`` for double precision.

    Returns
    -------
    array
        𝚉ᵀ𝙶, q×b float64 (a view of ``workspace`` when one is given).
    """
    rows, b = Z.shape[1], G.shape[1]
    if Z_single is not None:
        product = Z_single.T @ np.asarray(G, dtype=np.float32)
        if workspace is None:
            return product.astype(np.float64)
        out = workspace[: rows * b].reshape(rows, b)
        out[...] = product
        return out
    if workspace is None:
        return Z.T @ G
    return np.matmul(Z.T, G, out=workspace[: rows * b].reshape(rows, b))


@dataclass(frozen=True)
class WhitenedRotation:
    """What multiplies each block, and the null's whitened covariates and residual.

    Attributes
    ----------
    Z
        The whitening 𝚉 (n×n, or n×r when r = n).
    H
        Orthonormal basis of 𝚉ᵀ𝚄 (n×p).
    Tinv
        𝚃⁻¹ with 𝚉ᵀ𝚄 = 𝙷𝚃 (p×p).
    y_residual
        𝐲̃ᵣ = 𝐲̃ − 𝙷𝙷ᵀ𝐲̃.
    """

    Z: Array
    H: Array
    Tinv: Array
    y_residual: Array

    @cached_property
    def Z_single(self) -> NDArray[np.float32]:
        """𝚉 in float32, for single-precision products (made once)."""
        return self.Z.astype(np.float32)

    @classmethod
    def of(cls, fit: NullFit) -> WhitenedRotation | None:
        """The whitening of the null ``fit``; ``None`` when 𝚀₁ would have too many columns."""
        data = fit.data
        n, r = data.n, data.rank_k
        if n - r > COMPLEMENT_MAX:
            return None
        D0 = fit.a * data.S0 + fit.b
        Z = data.Q0 / np.sqrt(D0)
        if r < n:
            Z = np.column_stack([Z, complement_basis(data.Q0) * np.sqrt(fit.w1)])
        U = data.basis.U
        H, T = np.linalg.qr(Z.T @ U)
        ytil = Z.T @ data.y
        return cls(Z, H, np.linalg.inv(T), ytil - H @ (H.T @ ytil))


def whitened_statistics(
    rot: WhitenedRotation, G: Array, workspace: Array | None = None, single: bool = False
) -> tuple[Array, Array, Array, Array]:
    """(d, σ, η, 𝙰⁻¹𝐚) of every column of the n×b block ``G`` (module notes).

    d = ‖𝐠̃‖² = 𝐠ᵀ𝙱𝐠 is returned for the finiteness check and the collinearity test σ ≤ ε⋅d.
    ``single``: the rotation 𝚉ᵀ𝙶 in single precision (:func:`rotate_columns`).
    """
    with np.errstate(invalid="ignore", over="ignore"):
        Gt = rotate_columns(rot.Z, G, workspace, rot.Z_single if single else None)
        d = np.einsum("ij,ij->j", Gt, Gt)
        c = rot.H.T @ Gt
        eta = rot.y_residual @ Gt
        sigma = d - np.einsum("ij,ij->j", c, c)
        # Where the difference cancelled more than three digits, the residual vector itself.
        close = np.flatnonzero(~(sigma > CANCELLATION * d))
        if close.size:
            residual = Gt[:, close] - rot.H @ c[:, close]
            sigma[close] = np.einsum("ij,ij->j", residual, residual)
    return d, sigma, eta, rot.Tinv @ c
