"""Fast multi-trait association scan for the Kron2Sum model, batched over candidates."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike, NDArray

from .._check import finite_matrix
from ._kron2sum_algebra import GLS, CandidateRotation, RotatedData, Whitening
from ._scan_result import ScanResult

__all__ = ["KronFastScanner", "KronScanResult"]

Array = NDArray[np.float64]

_LOG_2PI = math.log(2 * math.pi)

#: An eigenvalue of the Schur complement Sᵢ at most this fraction of max diag(Hᵢ₁₁) counts as
#: zero: that direction of the candidate design is explained by the covariates (or repeated).
_RANK_RTOL = 1e-8

#: Default memory budget of the per-block work arrays, in bytes.
_BLOCK_BUDGET = 64 * 2**20


@dataclass(frozen=True)
class KronScanResult(ScanResult):
    """Results of :meth:`KronFastScanner.scan` (a :class:`ScanResult`), one row per candidate.

    Attributes
    ----------
    lml
        Log marginal likelihood of each alternative model, scale refitted (m).
    effsizes0
        Covariate effect sizes B of each alternative model (m×c×q).
    effsizes0_se
        Their standard errors (m×c×q).
    effsizes1
        Candidate effect sizes 𝛂ᵢ, one per column of A₁ (m×q₁).
    effsizes1_se
        Their standard errors (m×q₁).
    scale
        Refitted scale s of each alternative model (m).
    dof
        Number of identifiable candidate effects (m): q₁ unless the columns of A₁⊗𝐠ᵢ are
        dependent among themselves or on A⊗X (say, a constant 𝐠ᵢ with an offset covariate,
        or A₁ = [𝟏 I]). It is the degrees of freedom of the likelihood-ratio test against
        the null model.
    C0, C1
        With ``exact=True``, each alternative's re-estimated trait covariances (m×p×p), and
        ``scale`` is 1; ``None`` for the fixed-covariance test.
    """

    C0: Array | None = None
    C1: Array | None = None


class KronFastScanner:
    """Association scan for vec(Y) ∼ 𝓝((A⊗X)vec(B) + (A₁⊗𝐠ᵢ)𝛂ᵢ, s(C₀⊗GGᵀ + C₁⊗I)).

    Obtained from :meth:`glimix.lmm.Kron2Sum.get_fast_scanner`: C₀ and C₁ are held at the
    values of the model; for each candidate 𝐠ᵢ (a column of the n×m matrix given to
    :meth:`scan`), B, 𝛂ᵢ and the scale s are refitted by maximum likelihood. With K the null
    covariance, H₀₀ = MᵀK⁻¹M (M = A⊗X), Mᵢ = A₁⊗𝐠ᵢ, H₀₁ = MᵀK⁻¹Mᵢ, H₁₁ = MᵢᵀK⁻¹Mᵢ,
    𝐛₀ = MᵀK⁻¹𝐲 and 𝐛₁ = MᵢᵀK⁻¹𝐲, the Schur complement against the shared covariates gives

    - Sᵢ = H₁₁ − H₁₀H₀₀⁻¹H₀₁ and 𝐳ᵢ = 𝐛₁ − H₁₀H₀₀⁻¹𝐛₀;
    - 𝛂ᵢ = Sᵢ⁺𝐳ᵢ and vec(Bᵢ) = H₀₀⁻¹(𝐛₀ − H₀₁𝛂ᵢ);
    - Qᵢ = (𝐲−𝐦ᵢ)ᵀK⁻¹(𝐲−𝐦ᵢ) = Q₀ − 𝐳ᵢᵀSᵢ⁺𝐳ᵢ, Q₀ that of the null model;
    - sᵢ = Qᵢ/(n⋅p) and lmlᵢ = −½(n⋅p⋅log 2π + n⋅p⋅log sᵢ + log|K| + n⋅p);
    - standard errors, the square roots of the diagonal of sᵢ times the blocks of the inverse of
      [H₀₀ H₀₁; H₁₀ H₁₁]: sᵢSᵢ⁺ for 𝛂ᵢ and sᵢ(H₀₀⁻¹ + VᵢSᵢ⁺Vᵢᵀ) for vec(Bᵢ), Vᵢ = H₀₀⁻¹H₀₁.

    Sᵢ⁺ is the pseudo-inverse (eigenvalues ≤ 10⁻⁸⋅max diag H₁₁ dropped), so a candidate design
    with dependent columns gets the minimum-norm effect sizes, the standard errors of those, the
    exact likelihood of its column space, and ``dof`` equal to that space's dimension.

    The K⁻¹ products come from the Woodbury/Kronecker algebra of
    ``glimix/lmm/_kron2sum_algebra.py``: per block of m candidates, one BLAS-3 rotation Q₀ᵀG
    (O(n⋅r⋅m)) and then O(r⋅p⋅c⋅m + m⋅(c⋅q⋅q₁)²) array operations — no Python loop over
    candidates and nothing of size (n⋅p)².

    The null model of the scan (:meth:`null_lml`, :attr:`null_beta`, :attr:`null_scale`) is
    the same likelihood with no candidate, so the likelihood-ratio statistic is
    2(lmlᵢ − null_lml()). It is maximum likelihood even for a model fitted by REML.

    Examples
    --------
    >>> from numpy import eye, ones
    >>> from numpy.random import RandomState
    >>> from glimix.lmm import Kron2Sum
    >>>
    >>> random = RandomState(0)
    >>> n, p = 50, 2
    >>> G = random.randn(n, 10) / 10 ** 0.5
    >>> X = ones((n, 1))
    >>> Y = G @ random.randn(10, p) + random.randn(n, p)
    >>> lmm = Kron2Sum(Y, eye(p), X, G, rank=2)
    >>> lmm.fit(verbose=False)
    >>>
    >>> scanner = lmm.get_fast_scanner()
    >>> print("%.4f" % scanner.null_lml())
    -155.2665
    >>> candidates = random.randn(n, 3)
    >>> r = scanner.scan(candidates, eye(p))  # one effect per trait
    >>> print(r.lml.round(4))
    [-154.9409 -155.1181 -152.3295]
    >>> print(r.effsizes1.round(3))
    [[-0.123 -0.046]
     [-0.055 -0.051]
     [-0.025  0.383]]
    >>> print(r.dof)
    [2 2 2]
    >>> r = scanner.scan(candidates, ones((p, 1)))  # one effect shared by both traits
    >>> print(r.effsizes1.shape, r.effsizes0.shape)
    (3, 1) (3, 1, 2)
    """

    def __init__(
        self,
        data: RotatedData,
        white: Whitening,
        gls: GLS,
        A: Array,
        shape: tuple[int, int],
        covariances: tuple[Array, Array],
    ) -> None:
        """Built by :meth:`glimix.lmm.Kron2Sum.get_fast_scanner` from the model's rotated data,
        K⁻¹ factors and null GLS solution (immutable: later changes to the model do not reach
        the scanner), its trait design A, the shape (n, p) of Y and the null's (C₀, C₁).
        """
        self._covariances = covariances
        self._exact_null: tuple[float, Array, Array] | None = None
        self._data = data
        self._white = white
        self._gls = gls
        self._A = A
        self._n, self._p = shape
        cq = gls.beta.size
        Hinv = scipy.linalg.cho_solve(gls.Hchol, np.eye(cq), check_finite=False)
        self._Hinv = (Hinv + Hinv.T) / 2

    # -- null model ------------------------------------------------------------------------------
    @property
    def _nobs(self) -> int:
        return self._n * self._p

    def _lml(self, Q: Array | float) -> Array | float:
        N = self._nobs
        return -0.5 * (N * _LOG_2PI + N * np.log(Q / N) + self._white.logdetK + N)

    @property
    def null_scale(self) -> float:
        """Scale of the null model, s₀ = Q₀/(n⋅p)."""
        return self._gls.rKr / self._nobs

    def null_lml(self) -> float:
        """Log marginal likelihood of the null model (no candidate), scale refitted."""
        return float(self._lml(self._gls.rKr))

    @property
    def null_beta(self) -> Array:
        """Covariate effect sizes B of the null model (c×q)."""
        return self._gls.B.copy()

    @property
    def null_beta_se(self) -> Array:
        """Standard errors of B in the null model, √(s₀⋅diag(H₀₀⁻¹)) as a c×q matrix."""
        c, q = self._gls.B.shape
        se = np.sqrt(self.null_scale * np.diag(self._Hinv))
        return se.reshape((c, q), order="F")

    @property
    def null_beta_covariance(self) -> Array:
        """Covariance of vec(B) in the null model, s₀⋅H₀₀⁻¹ ((c⋅q)×(c⋅q), vec stacking the
        columns of B); the square roots of its diagonal are :attr:`null_beta_se`."""
        return self.null_scale * self._Hinv.copy()

    # -- scan ------------------------------------------------------------------------------------
    def exact_null(self) -> tuple[float, Array, Array]:
        """The null model polished by the exact test's own optimiser: (lml, C₀, C₁).

        The maximum-likelihood null of vec(Y) ∼ 𝓝((A⊗X)vec(B), C₀⊗GGᵀ + C₁⊗I) over B, C₀ and C₁,
        started from the model's fit and maximised by the Newton iteration that
        ``scan(..., exact=True)`` uses for the alternatives, so that 2(lmlᵢ − lml₀) compares two
        maxima of the same likelihood, computed the same way. Computed once.
        """
        if self._exact_null is None:
            from ._kron2sum_exact import ExactKronTest

            test = ExactKronTest(self._data, self._A, np.zeros((self._p, 0)), self._n)
            result, _ = test.run(None, *self._covariances)
            self._exact_null = (float(result.lml[0]), result.C0[0], result.C1[0])
        return self._exact_null

    def test(self, block: ArrayLike, design: ArrayLike, exact: bool = False) -> KronScanResult:
        """The scanner protocol: :meth:`scan` of one n×b block, ``design`` the candidate's
        trait design A₁ (p×q₁)."""
        return self.scan(block, design, exact=exact)

    def _is_joint_form(self, first: Any, second: Any) -> bool:
        """``scan(A1, X1)`` (glimix-core's joint test): a p-row matrix, then an n-row one."""
        shape1, shape2 = np.shape(first), np.shape(second)
        return (
            self._p != self._n
            and len(shape1) == 2
            and len(shape2) in (1, 2)
            and shape1[0] == self._p
            and shape2[0] == self._n
        )

    def scan_joint(self, A1: ArrayLike, X1: ArrayLike) -> dict[str, Any]:
        """Test the columns of X₁ jointly: vec(Y) ∼ 𝓝((A⊗X)vec(B) + (A₁⊗X₁)vec(𝛂), s⋅K).

        glimix-core's ``scan(A1, X1)`` (which :meth:`scan` also accepts: a p-row A₁ first, an
        n-row X₁ second). With M₀ = A⊗X and M₁ = A₁⊗X₁, every block of the normal equations
        follows from the Kronecker identity

            MₐᵀK⁻¹M_b = ∑ⱼ (ãₐⱼã_bⱼᵀ) ⊗ (X̃ₐᵀdiag(E₍:,ⱼ₎)X̃_b) + (AₐᵀC₁⁻¹A_b) ⊗ (X⊥ₐᵀX⊥_b),

        Ã = LₕA and X̃ = Q₀ᵀX (``_kron2sum_algebra``), and likewise MᵀK⁻¹𝐲; the joint
        solution, its (pseudo-)inverse and the scale s = Q/(n⋅p) give the likelihood.

        Parameters
        ----------
        A1
            Trait design of the effects, p×q₁.
        X1
            n×k matrix whose columns enter jointly.

        Returns
        -------
        dict
            ``lml``, ``scale`` (floats), ``effsizes0``/``effsizes0_se`` (c×q, as B),
            ``effsizes1``/``effsizes1_se`` (k×q₁, as 𝛂 in matrix form), ``dof`` (the rank of
            the effects' design given the covariates).
        """
        A1c = finite_matrix(A1, "A1")
        if A1c.shape[0] != self._p or A1c.shape[1] < 1:
            raise ValueError(f"A1 must be p×q₁ with p = {self._p} rows; got {A1c.shape}.")
        X1c = np.asarray(X1, dtype=float)
        X1c = finite_matrix(X1c.reshape(-1, 1) if X1c.ndim == 1 else X1c, "X1")
        if X1c.shape[0] != self._n:
            raise ValueError(f"X1 must have n = {self._n} rows; got {X1c.shape}.")
        data, white, gls = self._data, self._white, self._gls
        Q0 = data.Q0
        X1q = Q0.T @ X1c
        X1perp = X1c - Q0 @ X1q
        Xperp = data.Xperp if data.Xperp is not None else np.zeros((self._n, data.Xq.shape[1]))
        Yperp = data.Yperp if data.Yperp is not None else np.zeros((self._n, self._p))
        Lh, E, C1inv = white.Lh, white.E, white.C1inv
        A, At = self._A, gls.At
        At1, C1invA1 = Lh @ A1c, C1inv @ A1c

        def gram(Xa, Xpa, Ata, Aa, Xb, Xpb, Atb, Ab):
            XwX = np.einsum("ia,ij,ib->jab", Xa, E, Xb)
            H = np.einsum("jb,jd,jac->badc", Ata, Atb, XwX)
            H = H + np.einsum("bd,ac->badc", Aa.T @ C1inv @ Ab, Xpa.T @ Xpb)
            return H.reshape(Xa.shape[1] * Ata.shape[1], Xb.shape[1] * Atb.shape[1])

        H01 = gram(data.Xq, Xperp, At, A, X1q, X1perp, At1, A1c)
        H11 = gram(X1q, X1perp, At1, A1c, X1q, X1perp, At1, A1c)
        b1 = (X1q.T @ gls.EYt @ At1 + X1perp.T @ Yperp @ C1invA1).ravel(order="F")
        H = np.block([[gls.H, H01], [H01.T, (H11 + H11.T) / 2]])
        b = np.concatenate([gls.b, b1])
        w, U = np.linalg.eigh(H)
        keep = w > 1e-10 * max(float(w.max()), 1e-300)
        Hinv = (U[:, keep] / w[keep]) @ U[:, keep].T
        coef = Hinv @ b
        yKy = gls.rKr + float(gls.b @ gls.beta)  # Q₀ + 𝐛₀ᵀH₀₀⁻¹𝐛₀
        Q = max(yKy - float(b @ coef), 0.0)
        scale = Q / self._nobs
        se = np.sqrt(np.maximum(scale * np.diag(Hinv), 0.0))
        c, q = gls.B.shape
        k, q1 = X1c.shape[1], A1c.shape[1]
        cq = c * q
        return {
            "lml": float(self._lml(Q)),
            "effsizes0": coef[:cq].reshape((c, q), order="F"),
            "effsizes0_se": se[:cq].reshape((c, q), order="F"),
            "effsizes1": coef[cq:].reshape((k, q1), order="F"),
            "effsizes1_se": se[cq:].reshape((k, q1), order="F"),
            "scale": scale,
            "dof": int(np.count_nonzero(keep)) - cq,
        }

    def scan(
        self, G: ArrayLike, A1: ArrayLike, block_size: int | None = None, exact: bool = False
    ) -> KronScanResult:
        """Test every column of G with trait design A₁.

        glimix-core's joint form ``scan(A1, X1)`` (a p-row matrix first, an n-row one second,
        with p ≠ n) is :meth:`scan_joint`.

        Parameters
        ----------
        G
            Candidates, an n×m matrix (one candidate a column). Column blocks are converted to
            float one at a time, so a lazy array (dask, say) is read block by block.
        A1
            Trait design of the candidate effects, a finite p×q₁ matrix: the candidate enters
            the mean as (A₁⊗𝐠ᵢ)𝛂ᵢ. ``ones((p, 1))`` tests one effect shared by all traits,
            ``eye(p)`` one effect per trait.
        block_size
            Candidates per block; by default as many as fit a 64 MiB work budget.
        exact
            ``False`` (default): C₀ and C₁ held at the null's, the scale s refitted.
            ``True``: C₀ and C₁ re-estimated for every candidate (no scale), by the batched
            Newton iteration of ``glimix/lmm/_kron2sum_exact.py``; compare with
            :meth:`exact_null`'s lml.

        Returns
        -------
        KronScanResult

        Raises
        ------
        ValueError
            If G is not a finite n×m matrix (naming how many values are missing), A1 not a
            finite p×q₁ matrix, or n⋅p ≤ c⋅q + q₁.
        """
        if self._is_joint_form(G, A1):
            return self.scan_joint(G, A1)  # type: ignore[return-value]
        A1c = finite_matrix(A1, "A1")
        if A1c.shape[0] != self._p or A1c.shape[1] < 1:
            raise ValueError(
                f"A1 must be p×q₁ with p = {self._p} rows (one per trait) and q₁ ≥ 1; got "
                f"shape {A1c.shape}."
            )
        if not isinstance(exact, (bool, np.bool_)):
            raise ValueError(f"exact must be True or False; got {exact!r}.")
        c, q = self._gls.B.shape
        q1 = A1c.shape[1]
        if self._nobs <= c * q + q1:
            raise ValueError(
                f"n⋅p = {self._nobs} observations cannot fit c⋅q + q₁ = {c * q + q1} effect sizes."
            )
        if not hasattr(G, "shape") or not hasattr(G, "__getitem__"):
            G = np.asarray(G, dtype=float)
        shape = tuple(G.shape)  # type: ignore[union-attr]
        if len(shape) != 2 or shape[0] != self._n:
            raise ValueError(f"G must be n×m with n = {self._n} rows; got shape {shape}.")
        m = int(shape[1])
        if block_size is None:
            r = self._data.Q0.shape[1]
            per = 8 * (self._n + 2 * r + self._p * (c + 3) + 4 * c * q * q1 + 6 * q1 * q1 + 8)
            if exact:
                per += 8 * (2 * r + 60 * self._p * (self._p + c + 2))
            block_size = max(1, _BLOCK_BUDGET // per)
        elif isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
            raise ValueError(f"block_size must be a positive integer; got {block_size!r}.")
        scan_block = self._scan_block_exact if exact else self._scan_block
        parts = [
            scan_block(self._block(G, start, min(start + block_size, m)), A1c)
            for start in range(0, m, block_size)
        ]
        if not parts:
            parts = [scan_block(np.zeros((self._n, 0)), A1c)]
        columns = [np.concatenate([part[k] for part in parts]) for k in range(7)]
        if exact:
            C0 = np.concatenate([part[7] for part in parts])
            C1 = np.concatenate([part[8] for part in parts])
            return KronScanResult(*columns, C0=C0, C1=C1)  # type: ignore[arg-type]
        return KronScanResult(*columns)  # type: ignore[arg-type]

    def _scan_block_exact(self, Gb: Array, A1: Array) -> tuple[Array, ...]:
        """One block with C₀, C₁ re-estimated per candidate; ``dof`` from the fixed test."""
        from ._kron2sum_exact import ExactKronTest

        rot = self._data.rotate(Gb)
        dof = self._scan_block(Gb, A1, rot)[6]
        _, C0, C1 = self.exact_null()
        test = ExactKronTest(self._data, self._A, A1, self._n)
        r, _ = test.run(rot, C0, C1)
        ones = np.ones(r.lml.shape)
        return (
            r.lml,
            r.effsizes0,
            r.effsizes0_se,
            r.effsizes1,
            r.effsizes1_se,
            ones,
            dof,
            r.C0,
            r.C1,
        )

    def _block(self, G: object, start: int, stop: int) -> Array:
        """Columns start…stop of G as a finite float array."""
        try:
            block = np.asarray(G[:, start:stop], dtype=float)  # type: ignore[index]
        except (TypeError, ValueError) as err:
            raise ValueError(f"G must be numeric: {err}") from None
        bad = ~np.isfinite(block)
        if bad.any():
            cols = np.flatnonzero(bad.any(axis=0)) + start
            raise ValueError(
                f"G has {int(bad.sum())} missing or non-finite value(s) in {cols.size} "
                f"candidate(s) (first: column {int(cols[0])}); impute them before scanning."
            )
        return block

    def _scan_block(
        self, Gb: Array, A1: Array, rot: CandidateRotation | None = None
    ) -> tuple[Array, ...]:
        """Scan one block of candidates (n×m); returns the seven columns of the result."""
        data, white, gls = self._data, self._white, self._gls
        E, Lh, Xq = white.E, white.Lh, data.Xq
        r, p = E.shape
        c, q = gls.B.shape
        q1 = A1.shape[1]
        cq = c * q
        m = Gb.shape[1]
        rot = data.rotate(Gb) if rot is None else rot
        Gq = rot.Gq
        At1 = Lh @ A1
        C1invA1 = white.C1inv @ A1

        # H₀₁[(b,a), e] = ∑ⱼ ÃⱼᵦÃ₁ⱼₑ ∑ᵢ Eᵢⱼ X̃ᵢₐ q𝐠ᵢ + (X⊥ᵀ𝐠⊥)ₐ (AᵀC₁⁻¹A₁)ᵦₑ
        EX = (E[:, :, None] * Xq[:, None, :]).reshape(r, p * c)
        T = (EX.T @ Gq).reshape(p, c, m)
        H01 = np.einsum("jb,je,jam->baem", gls.At, At1, T) + np.einsum(
            "be,am->baem", self._A.T @ C1invA1, rot.XG
        )
        H01 = H01.reshape(cq, q1, m)
        # H₁₁[e, f] = ∑ⱼ Ã₁ⱼₑÃ₁ⱼf ∑ᵢ Eᵢⱼ q𝐠ᵢ² + ‖𝐠⊥‖² (A₁ᵀC₁⁻¹A₁)ₑf
        h11 = E.T @ (Gq * Gq)
        H11 = np.einsum("je,jf,jm->mef", At1, At1, h11) + rot.GG[:, None, None] * (A1.T @ C1invA1)
        # 𝐛₁[e] = ∑ⱼ Ã₁ⱼₑ ∑ᵢ (E∘Ỹ)ᵢⱼ q𝐠ᵢ + (Y⊥ᵀ𝐠⊥)ᵀC₁⁻¹𝐚₁ₑ
        b1 = (At1.T @ (gls.EYt.T @ Gq) + C1invA1.T @ rot.YG).T

        V = (self._Hinv @ H01.reshape(cq, q1 * m)).reshape(cq, q1, m)
        S = H11 - np.einsum("dem,dfm->mef", H01, V)
        S = (S + S.transpose(0, 2, 1)) / 2
        z = b1 - np.einsum("dem,d->me", H01, gls.beta)

        lam, U = np.linalg.eigh(S)
        diag11 = np.einsum("mee->me", H11)
        tol = _RANK_RTOL * diag11.max(axis=1)
        keep = lam > tol[:, None]
        inv = np.zeros_like(lam)
        np.divide(1.0, lam, out=inv, where=keep)
        Splus = np.einsum("mek,mk,mfk->mef", U, inv, U)
        alpha = np.einsum("mef,mf->me", Splus, z)
        Q = gls.rKr - np.einsum("me,me->m", z, alpha)
        if np.any(Q <= 0):
            raise ValueError(
                "a candidate explains Y exactly (zero residual); its likelihood is unbounded."
            )
        scale = Q / self._nobs
        lml = self._lml(Q)
        beta0 = gls.beta[None, :] - np.einsum("dem,me->md", V, alpha)
        var1 = np.einsum("mee->me", Splus)
        var0 = np.diag(self._Hinv)[None, :] + np.einsum("dem,mef,dfm->md", V, Splus, V)
        se1 = np.sqrt(scale[:, None] * np.maximum(var1, 0.0))
        se0 = np.sqrt(scale[:, None] * np.maximum(var0, 0.0))
        # vec(B) index b⋅c + a → B[a, b]
        B = beta0.reshape(m, q, c).transpose(0, 2, 1)
        Bse = se0.reshape(m, q, c).transpose(0, 2, 1)
        dof = keep.sum(axis=1).astype(np.int64)
        return (np.asarray(lml), B, Bse, alpha, se1, scale, dof)
