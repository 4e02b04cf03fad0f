"""Many traits sharing 𝙺 and 𝚇 (expression QTL): every candidate against every trait at once.

Trait t has its own null 𝐲ₜ ∼ 𝓝(𝚇𝜶ₜ, sₜ((1 − 𝛿ₜ)𝙺 + 𝛿ₜ𝙸)), and each candidate 𝐠 is tested with
𝐲ₜ ∼ 𝓝(𝚇𝜶ₜ + 𝐠βₜ, s((1 − 𝛿ₜ)𝙺 + 𝛿ₜ𝙸)), 𝛿ₜ held at the null's, 𝜶ₜ, βₜ and s refitted — the test
of :class:`FastScanner`, for T traits. With 𝙱ₜ = ((1 − 𝛿ₜ)𝙺 + 𝛿ₜ𝙸)⁻¹
= 𝚀₀ diag(𝐰ₜ) 𝚀₀ᵀ + w₁ₜ(𝙸 − 𝚀₀𝚀₀ᵀ), 𝐰ₜ = 1/((1 − 𝛿ₜ)𝐒₀ + 𝛿ₜ), w₁ₜ = 1/𝛿ₜ (0 when 𝙺 has full
rank), every product a candidate needs is, for all traits at once, a matrix product with the
candidates rotated once, 𝙶̃ = 𝚀₀ᵀ𝙶:

    𝐠ᵀ𝙱ₜ𝐠   = [(𝙶̃∘𝙶̃)ᵀ𝚆]ⱼₜ + ‖𝐠⊥‖²w₁ₜ,
    𝐠ᵀ𝙱ₜ𝐲ₜ  = [𝙶̃ᵀ(𝚆∘𝚈̃)]ⱼₜ + (𝐠⊥ᵀ𝐲ₜ⊥)w₁ₜ,
    𝐠ᵀ𝙱ₜ𝐮ₖ  = [𝙶̃ᵀ(𝚆∘𝐮̃ₖ)]ⱼₜ + (𝐠⊥ᵀ𝐮ₖ⊥)w₁ₜ,

(𝚆 the r×T weights, ⊥ the parts outside span(𝚀₀), 𝐮ₖ the orthonormal covariate basis), and
the Schur complement against each trait's covariate block gives βₜ, its standard error and the
refitted scale for the whole candidates × traits table, with no loop over candidates or traits.
The cost per block of b candidates is O(n⋅r⋅b + r⋅b⋅T⋅p).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..linalg import KinshipOperator
from ._covariates import CovariateBasis
from ._fixed_ratio import fixed_ratio_statistics
from ._inputs import check_covariates
from ._null import profiled_lml
from ._scan_result import ScanResult

__all__ = ["TraitsScanner"]

Array = NDArray[np.float64]


class TraitsScanner:
    """Association scan of many traits sharing 𝙺 and the covariates, at given variance ratios.

    Parameters
    ----------
    Y
        n×T matrix of traits, finite.
    X
        n×c covariates (rank-deficient allowed: minimum-norm effect sizes).
    QS
        Economic eigendecomposition ``((Q0, …), S0)`` of 𝙺, or None (linear models).
    deltas
        The T variance ratios 𝛿ₜ ∈ (0, 1] of the nulls (fitted one trait at a time, e.g. by
        :class:`LMM`); 1 without 𝙺.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from numpy import ones
    >>> from glimix.linalg import economic_qs_linear
    >>> from glimix.lmm import LMM, TraitsScanner
    >>> random = RandomState(0)
    >>> n = 40
    >>> W = random.randn(n, 8)
    >>> Y = random.randn(n, 3)
    >>> G = random.randn(n, 5)
    >>> QS = economic_qs_linear(W)
    >>> deltas = []
    >>> for t in range(3):
    ...     lmm = LMM(Y[:, t], ones((n, 1)), QS)
    ...     lmm.fit(verbose=False)
    ...     deltas.append(lmm.delta)
    >>> scanner = TraitsScanner(Y, ones((n, 1)), QS, deltas)
    >>> r = scanner.fast_scan(G)
    >>> r["lml"].shape
    (5, 3)
    >>> lmm = LMM(Y[:, 1], ones((n, 1)), QS)
    >>> lmm.fit(verbose=False)
    >>> single = lmm.get_fast_scanner().fast_scan(G, verbose=False)
    >>> bool(abs(single["lml"] - r["lml"][:, 1]).max() < 1e-8)
    True
    """

    def __init__(self, Y: ArrayLike, X: ArrayLike, QS: Any, deltas: ArrayLike) -> None:
        Y = np.asarray(Y, dtype=float)
        if Y.ndim != 2 or not np.all(np.isfinite(Y)):
            raise ValueError(f"Y must be a finite n×T matrix; got shape {Y.shape}.")
        n, T = Y.shape
        X = check_covariates(X, n)
        kinship = KinshipOperator.of(QS, n)
        Q0, S0 = kinship.Q0, kinship.S0
        deltas = np.asarray(deltas, dtype=float).ravel()
        if deltas.shape != (T,) or not np.all((deltas > 0) & (deltas <= 1)):
            raise ValueError(f"deltas must be {T} values in (0, 1]; got {deltas}.")
        if S0.shape[0] == 0:
            deltas = np.ones(T)
        basis = CovariateBasis.of(X)
        U = basis.U
        self._n, self._T, self._p = n, T, U.shape[1]
        self._basis = basis
        self._Q0, self._S0 = Q0, S0
        self._deltas = deltas
        r = S0.shape[0]
        # Weights of 𝙱ₜ on span(𝚀₀) (r×T) and outside it (T).
        self._W = 1.0 / ((1 - deltas)[None, :] * S0[:, None] + deltas[None, :])
        self._w1 = 1.0 / deltas if r < n else np.zeros(T)
        self._logdet = kinship.logdet(1 - deltas, deltas)
        YU = np.column_stack([Y, U])
        rotated = Q0.T @ YU
        outside = YU - Q0 @ rotated
        self._Qy, self._QU = rotated[:, :T], rotated[:, T:]
        self._Yperp, self._Uperp = outside[:, :T], outside[:, T:]
        self._null()

    def _null(self) -> None:
        """Each trait's null: (𝚄ᵀ𝙱ₜ𝚄)⁻¹, 𝚄ᵀ𝙱ₜ𝐲ₜ, 𝜸ₜ and Qₜ = 𝐲ₜᵀ𝙱ₜ𝐲ₜ − 𝐲ₜᵀ𝙱ₜ𝚄𝜸ₜ."""
        W, w1, QU, Qy = self._W, self._w1, self._QU, self._Qy
        UpUp = self._Uperp.T @ self._Uperp
        UBU = np.einsum("it,ik,il->tkl", W, QU, QU) + w1[:, None, None] * UpUp[None]
        UBy = QU.T @ (W * Qy) + (self._Uperp.T @ self._Yperp) * w1[None, :]
        yBy = np.einsum("it,it->t", W, Qy * Qy) + w1 * np.einsum(
            "it,it->t", self._Yperp, self._Yperp
        )
        self._Ainv = np.linalg.inv(UBU)
        self._UBy = UBy.T  # T×p
        self._gamma = np.einsum("tkl,tl->tk", self._Ainv, self._UBy)
        self._Qnull = np.maximum(yBy - np.einsum("tk,tk->t", self._UBy, self._gamma), 0.0)

    def _lml(self, Q: Array) -> Array:
        return profiled_lml(self._n, self._logdet, Q / self._n)

    @property
    def null_lml(self) -> Array:
        """Log marginal likelihood of each trait's null (T), scale at its optimum."""
        return self._lml(self._Qnull)

    @property
    def null_beta(self) -> Array:
        """Covariate effect sizes of each trait's null, T×c."""
        return self._basis.to_x(self._gamma.T).T

    @property
    def null_scale(self) -> Array:
        """Scale s of each trait's null (T), of s((1 − 𝛿ₜ)𝙺 + 𝛿ₜ𝙸)."""
        return self._Qnull / self._n

    def fast_scan(self, G: ArrayLike) -> dict[str, Array]:
        """Test every column of 𝙶 (n×m, finite) against every trait.

        Returns
        -------
        dict
            ``lml``, ``effsizes1``, ``effsizes1_se`` and ``scale``, each m×T, and
            ``effsizes0``, ``effsizes0_se`` (m×T×c). A candidate in the span of the covariates
            gets effect 0, standard error ∞ and the null's lml.
        """
        G = np.asarray(G, dtype=float)
        if G.ndim != 2 or G.shape[0] != self._n:
            raise ValueError(f"G must be an n×m matrix with n = {self._n}; got {G.shape}.")
        if not np.all(np.isfinite(G)):
            raise ValueError("G has non-finite values.")
        m, T, p = G.shape[1], self._T, self._p
        W, w1 = self._W, self._w1
        Gr = self._Q0.T @ G
        Gperp = G - self._Q0 @ Gr
        gBg = (Gr * Gr).T @ W + np.einsum("ij,ij->j", Gperp, Gperp)[:, None] * w1[None, :]
        gBy = Gr.T @ (W * self._Qy) + (Gperp.T @ self._Yperp) * w1[None, :]
        WU = (W[:, :, None] * self._QU[:, None, :]).reshape(W.shape[0], T * p)
        gBU = (Gr.T @ WU).reshape(m, T, p) + (Gperp.T @ self._Uperp)[:, None, :] * w1[None, :, None]
        AinvU = np.einsum("tkl,mtl->mtk", self._Ainv, gBU)
        schur = gBg - np.einsum("mtk,mtk->mt", gBU, AinvU)
        eta = gBy - np.einsum("mtk,tk->mt", gBU, self._gamma)
        return fixed_ratio_statistics(
            np.maximum(gBg, np.finfo(float).tiny), schur, eta, AinvU, self._gamma,
            self._Ainv, self._Qnull, self._logdet, self._n, self._basis,
        )  # fmt: skip

    def test(self, block: ArrayLike, design: ArrayLike | None = None) -> ScanResult:
        """The scanner protocol: :meth:`fast_scan` of one n×b block as a :class:`ScanResult`
        (arrays b×T; ``effsizes0`` b×T×c); one column per candidate (``design`` must be None).
        """
        if design is not None:
            raise ValueError("TraitsScanner tests one column per candidate: design must be None.")
        r = self.fast_scan(block)
        b = r["lml"].shape[0]
        return ScanResult(dof=np.ones((b, self._T), dtype=np.int64), **r)
