"""One block of candidates tested at the null's variances, by the Schur complement.

For a candidate 𝐠 the alternative is 𝐲 ∼ 𝓝(𝚄𝜸 + 𝐠β, s𝙲) with 𝙲 = a𝙺 + b𝙸 the null's covariance
and 𝙱 = 𝙲⁻¹. Its normal equations

    [𝙰   𝐚] [𝜸]   [𝚄ᵀ𝙱𝐲]
    [𝐚ᵀ  d] [β] = [𝐠ᵀ𝙱𝐲],    𝙰 = 𝚄ᵀ𝙱𝚄, 𝐚 = 𝚄ᵀ𝙱𝐠, d = 𝐠ᵀ𝙱𝐠,

are solved through the Schur complement σ = d − 𝐚ᵀ𝙰⁻¹𝐚 against the shared covariate block:

    β = (𝐠ᵀ𝙱𝐲 − 𝐚ᵀ𝜸₀)/σ,   𝜸 = 𝜸₀ − 𝙰⁻¹𝐚β,   Q = Q₀ − β²σ,   s = Q/n,

    log p(𝐲) = −½(n⋅log(2π) + log|𝙲| + n⋅log s + n),

    se(β) = √(s/σ),   se(𝜸ᵢ) = √(s((𝙰⁻¹)ᵢᵢ + (𝙰⁻¹𝐚)ᵢ²/σ)),

the diagonal of s(𝙴ᵀ𝙱𝙴)⁻¹ for 𝙴 = [𝚄 𝐠] (mapped to the covariates 𝚇 by 𝚃). A whole block 𝙶 of
candidates is one rotation 𝚁 = (𝚀₀ diag(√|𝐰₀|))ᵀ𝙶 — with, when r < n, 𝚄ᵀ𝙶 and 𝐲ᵀ𝙶 in the same
product — and a few column-wise reductions: no loop over candidates. 𝐰₀ never changes sign
(𝐰₀ = 𝙳₀⁻¹ > 0 when r = n, 𝐰₀ = 𝙳₀⁻¹ − b⁻¹ ≤ 0 otherwise), so with ς its sign

    𝐠ᵀ𝙱𝐠 = ς‖𝐫‖² + w₁‖𝐠‖²,   𝐮ᵀ𝙱𝐠 = ς(√|𝐰₀|∘𝚀₀ᵀ𝐮)ᵀ𝐫 + w₁𝐮ᵀ𝐠,

for the column 𝐫 of 𝚁: the weights cost nothing per candidate.

When 𝙺 leaves at most a few directions out (a centred kinship: one), :func:`scan_block` uses
the whitened coordinates of ``_scan_whitened`` instead, which keep σ's precision when 𝙱's
weight outside span(𝚀₀) is huge; the products above then serve the tests of candidate sets
(``_scan_sets``) and kinships of low rank.

A candidate with σ ≤ 10⁻⁹·d lies (numerically) in the span of the covariates: the data say
nothing about its effect, which is reported as β = 0 with se(β) = ∞, the null's 𝜸, s and
log-likelihood.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from ._fixed_ratio import COLLINEAR_RTOL, fixed_ratio_statistics
from ._null import NullFit
from ._scan_whitened import WhitenedRotation, rotate_columns, whitened_statistics

__all__ = ["COLLINEAR_RTOL", "Rotation", "check_finite_columns", "rotate_block", "scan_block"]

Array = NDArray[np.float64]


def check_finite_columns(values: Array, start: int, name: str = "G") -> None:
    """Raise if a per-candidate product is not finite: its column of 𝙶 was not.

    NaN and ±∞ in a column propagate into its 𝙱-norm 𝐠ᵀ𝙱𝐠 (every row of [𝚀₀ 𝙸] is non-zero), so
    checking that one number per candidate replaces a pass over the whole block.
    """
    bad = ~np.isfinite(values)
    if bad.ndim > 1:
        bad = bad.any(axis=tuple(range(1, bad.ndim)))
    if bad.any():
        cols = np.flatnonzero(bad)
        raise ValueError(
            f"{name} has non-finite value(s) (NaN or infinity) in {cols.size} column(s), the "
            f"first being column {start + int(cols[0])}; impute or remove them before scanning."
        )


@dataclass(frozen=True)
class Rotation:
    """What multiplies each block.

    For :func:`scan_block`, the whitening of ``_scan_whitened`` when 𝙺 leaves at most a few
    directions out; otherwise (and for the candidate sets of ``_scan_sets``) the product form
    𝚉 = [𝚀₀ diag(√|𝐰₀|) 𝚄 𝐲] (or its first part when r = n), built on first use.

    Attributes
    ----------
    fit
        The null model.
    whitened
        The whitened coordinates, or ``None``.
    """

    fit: NullFit
    whitened: WhitenedRotation | None = None

    @classmethod
    def of(cls, fit: NullFit) -> Rotation:
        """The rotation of the null model ``fit``."""
        return cls(fit, WhitenedRotation.of(fit))

    @cached_property
    def _products(self) -> tuple[Array, Array, float]:
        data = self.fit.data
        sign = -1.0 if data.rank_k < data.n else 1.0
        root = np.sqrt(np.abs(self.fit.w0))
        V = np.column_stack([data.QU, data.Qy]) * root[:, None]
        Q = data.Q0 * root
        if data.rank_k == data.n:
            return Q, V, sign
        return np.column_stack([Q, data.basis.U, data.y]), V, sign

    @property
    def Z(self) -> Array:
        """n×(r + p + 1) when r < n, n×r otherwise."""
        return self._products[0]

    @cached_property
    def Z_single(self) -> NDArray[np.float32]:
        """𝚉 in float32, for single-precision products (made once)."""
        return self.Z.astype(np.float32)

    @property
    def V(self) -> Array:
        """[𝚀₀ᵀ𝚄 𝚀₀ᵀ𝐲] scaled by √|𝐰₀| (r×(p + 1))."""
        return self._products[1]

    @property
    def sign(self) -> float:
        """ς, the sign of 𝐰₀."""
        return self._products[2]

    def block_rows(self, sets: bool = False) -> int:
        """Rows of the rotated block, for sizing a workspace."""
        if self.whitened is not None and not sets:
            return int(self.whitened.Z.shape[1])
        return int(self.Z.shape[1])


def rotate_block(
    fit: NullFit,
    rot: Rotation,
    G: Array,
    workspace: Array | None = None,
    single: bool = False,
) -> tuple[Array, Array]:
    """(𝚉ᵀ𝙶, [𝚄 𝐲]ᵀ𝙱𝙶) for an n×b block: the rotation and the 𝙱-products with 𝚄 and 𝐲.

    The first r rows of 𝚉ᵀ𝙶 are 𝚁 = (𝚀₀ diag(√|𝐰₀|))ᵀ𝙶; the product is written into
    ``workspace`` (a flat float64 buffer of at least ``rot.Z.shape[1] * b`` entries) when given,
    and formed in single precision when ``single`` (:func:`rotate_columns`).
    """
    data = fit.data
    r = data.rank_k
    with np.errstate(invalid="ignore", over="ignore"):
        ZG = rotate_columns(rot.Z, G, workspace, rot.Z_single if single else None)
        ae = rot.sign * (rot.V.T @ ZG[:r])
        if r < data.n:
            ae += fit.w1 * ZG[r:]
    return ZG, ae


def _product_statistics(
    fit: NullFit, rot: Rotation, G: Array, start: int, workspace: Array | None, single: bool
) -> tuple[Array, Array, Array, Array]:
    """(d, σ, η, 𝙰⁻¹𝐚) from the 𝙱-products of the module notes."""
    data = fit.data
    ZG, ae = rotate_block(fit, rot, G, workspace, single)
    R = ZG[: data.rank_k]
    # A non-finite candidate makes inf·0 here; it is reported by the check, not by a warning.
    with np.errstate(invalid="ignore", over="ignore"):
        d = rot.sign * np.einsum("ij,ij->j", R, R)
        if data.rank_k < data.n:
            d += fit.w1 * np.einsum("ij,ij->j", G, G)
    check_finite_columns(d, start)
    a, e = ae[: data.p], ae[data.p]
    h = fit.Ainv @ a
    return d, d - np.einsum("ij,ij->j", a, h), e - fit.gamma @ a, h


def scan_block(
    fit: NullFit,
    rot: Rotation,
    G: Array,
    start: int = 0,
    workspace: Array | None = None,
    single: bool = False,
) -> dict[str, Array]:
    """Test each column of the n×b block ``G`` at the null's variances.

    Parameters
    ----------
    fit
        The null model.
    rot
        ``Rotation.of(fit)``.
    G
        An n×b block of candidates.
    start
        Index of the block's first column in the whole candidate matrix (for error messages).
    workspace
        A float64 vector of at least ``rot.Z.shape[1] * b`` entries to hold the rotated block;
        reusing one across blocks saves allocating (and page-faulting) it for each.
    single
        Form the rotation 𝚉ᵀ𝙶 in single precision (the statistics stay in double).

    Returns
    -------
    dict
        ``lml``, ``effsizes1``, ``effsizes1_se``, ``scale`` (b,), and ``effsizes0``,
        ``effsizes0_se`` (b×c).

    Raises
    ------
    ValueError
        If a column of ``G`` has a non-finite value.
    """
    data = fit.data
    n = data.n
    if rot.whitened is not None:
        d, sigma, eta, h = whitened_statistics(rot.whitened, G, workspace, single)
        check_finite_columns(d, start)
    else:
        d, sigma, eta, h = _product_statistics(fit, rot, G, start, workspace, single)
    return fixed_ratio_statistics(
        d, sigma, eta, h.T, fit.gamma, fit.Ainv, fit.Q, fit.logdet, n, data.basis
    )
