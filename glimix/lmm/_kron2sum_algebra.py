"""Kronecker/Woodbury algebra of vec(Y) ∼ 𝓝((A⊗X)vec(B), K), K = C₀⊗GGᵀ + C₁⊗I.

Everything the multi-trait model and its scanner compute is a K⁻¹ inner product between
matrices of the form vec(V), V n×p. This module evaluates them without any n×n or (n⋅p)×(n⋅p)
matrix, from two pieces:

- :class:`RotatedData`, computed once per data set: with G = Q₀Σ₀V₀ᵀ the economic SVD of G
  (Q₀ n×r, r = rank G), an n×k matrix V splits into Q₀ᵀV (r×k) and V⊥ = V − Q₀Q₀ᵀV;
- :class:`Whitening`, computed at each value of C₀ and C₁ from :class:`glimix.cov.Kron2SumCov`:
  K⁻¹ = LᵀDL with L = Lₕ⊗Lₓ, where Lₓ = [Q₀ Q₁]ᵀ and D is 1 on the Q₁ rows.

Together (E = D₀ᵀ the r×p block of D, [E]ᵢⱼ = 1/(sₕⱼσᵢ² + 1), and Ṽ = Q₀ᵀVLₕᵀ),

    vec(U)ᵀK⁻¹vec(V) = ∑ᵢⱼ Eᵢⱼ ŨᵢⱼṼᵢⱼ + tr(C₁⁻¹U⊥ᵀV⊥),

since LₕᵀLₕ = C₁⁻¹ and Q₁Q₁ᵀ = I − Q₀Q₀ᵀ. The complement term needs only the Gram matrices
U⊥ᵀV⊥; when G has full row rank (r = n) the complement is empty and those are exactly zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
from numpy.typing import NDArray

from ..cov import Kron2SumCov

__all__ = ["GLS", "CandidateRotation", "RotatedData", "Whitening", "solve_gls"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class CandidateRotation:
    """A block of m candidates G (n×m) seen through Q₀: the only n-sized work of a scan.

    Attributes
    ----------
    Gq
        Q₀ᵀG (r×m).
    XG
        X⊥ᵀG⊥ = X⊥ᵀG (c×m), as X⊥ is orthogonal to Q₀.
    YG
        Y⊥ᵀG⊥ = Y⊥ᵀG (p×m).
    GG
        ‖G⊥‖² per column (m), = ‖g‖² − ‖Q₀ᵀg‖² clipped at zero.
    """

    Gq: Array
    XG: Array
    YG: Array
    GG: Array


@dataclass(frozen=True)
class RotatedData:
    """Y and X rotated by the left singular vectors of G, computed once per data set.

    Attributes
    ----------
    Q0
        Left singular vectors of G for its r non-zero singular values (n×r).
    sx
        Their squared singular values σᵢ², the non-zero eigenvalues of GGᵀ (r).
    Yq, Xq
        Q₀ᵀY (r×p) and Q₀ᵀX (r×c).
    YY, XY, XX
        Gram matrices of the complements: Y⊥ᵀY⊥ (p×p), X⊥ᵀY⊥ (c×p), X⊥ᵀX⊥ (c×c).
    Yperp, Xperp
        Y⊥ (n×p) and X⊥ (n×c), kept for candidates; ``None`` when r = n (empty complement).
    """

    Q0: Array
    sx: Array
    Yq: Array
    Xq: Array
    YY: Array
    XY: Array
    XX: Array
    Yperp: Array | None
    Xperp: Array | None

    @classmethod
    def build(cls, Q0: Array, sx: Array, Y: Array, X: Array) -> RotatedData:
        """Rotate Y and X; O(n⋅r⋅(p + c)) time.

        The complements are formed explicitly, V⊥ = V − Q₀(Q₀ᵀV), rather than through
        VᵀV − (Q₀ᵀV)ᵀ(Q₀ᵀV), which would lose the relative precision of a small V⊥.
        """
        n, r = Q0.shape
        Yq = Q0.T @ Y
        Xq = Q0.T @ X
        p, c = Y.shape[1], X.shape[1]
        if r == n:
            Yperp = Xperp = None
            YY, XY, XX = np.zeros((p, p)), np.zeros((c, p)), np.zeros((c, c))
        else:
            Yperp = Y - Q0 @ Yq
            Xperp = X - Q0 @ Xq
            YY, XY, XX = Yperp.T @ Yperp, Xperp.T @ Yperp, Xperp.T @ Xperp
        return cls(Q0, sx, Yq, Xq, YY, XY, XX, Yperp, Xperp)

    @property
    def nsamples(self) -> int:
        """Number of samples n."""
        return int(self.Q0.shape[0])

    def rotate(self, G: Array) -> CandidateRotation:
        """Q₀ᵀG and the complement products of a block of candidates (n×m); O(n⋅r⋅m)."""
        Gq = self.Q0.T @ G
        m = G.shape[1]
        if self.Yperp is None or self.Xperp is None:
            c, p = self.Xq.shape[1], self.Yq.shape[1]
            return CandidateRotation(Gq, np.zeros((c, m)), np.zeros((p, m)), np.zeros(m))
        GG = np.einsum("im,im->m", G, G) - np.einsum("im,im->m", Gq, Gq)
        return CandidateRotation(Gq, self.Xperp.T @ G, self.Yperp.T @ G, np.maximum(GG, 0.0))


@dataclass(frozen=True)
class Whitening:
    """The small factors of K⁻¹ = LᵀDL at one value of C₀ and C₁.

    Attributes
    ----------
    E
        D₀ᵀ (r×p): [E]ᵢⱼ = 1/(sₕⱼσᵢ² + 1), the entries of D on the span of G.
    Lh
        Lₕ = UₕᵀS₁^{-½}U₁ᵀ (p×p).
    C1inv
        C₁⁻¹ = LₕᵀLₕ (p×p).
    logdetK
        log|K| = ∑ᵢⱼ log(sₕⱼσᵢ² + 1) + n⋅log|C₁|.
    """

    E: Array
    Lh: Array
    C1inv: Array
    logdetK: float

    @classmethod
    def of(cls, cov: Kron2SumCov, r: int) -> Whitening:
        """Read the factors from ``cov`` (its p×p eigendecompositions are cached there).

        ``r`` is the rank of G, the number of rows of D that are not 1.
        """
        n = cov.G.shape[0]
        p = cov.dim
        E = np.ascontiguousarray(cov.D.reshape(p, n)[:, :r].T)
        Lh = cov.Lh
        C1inv = Lh.T @ Lh
        return cls(E, Lh, (C1inv + C1inv.T) / 2, cov.logdet())


@dataclass(frozen=True)
class GLS:
    """Generalised least squares for the mean 𝐦 = (A⊗X)𝛃 at one value of C₀ and C₁.

    With M = A⊗X (columns ordered as 𝛃 = vec(B), B c×q):

    - H = MᵀK⁻¹M = ∑ⱼ (ãⱼãⱼᵀ) ⊗ (X̃ᵀdiag(E₍:,ⱼ₎)X̃) + (AᵀC₁⁻¹A) ⊗ (X⊥ᵀX⊥),
      where ãⱼ is row j of Ã = LₕA and X̃ = Q₀ᵀX;
    - 𝐛 = MᵀK⁻¹𝐲 = vec(X̃ᵀ(E∘Ỹ)Ã + X⊥ᵀY⊥C₁⁻¹A), Ỹ = Q₀ᵀYLₕᵀ;
    - 𝛃 = H⁻¹𝐛, and the residual R = Y − XBAᵀ gives
      (𝐲−𝐦)ᵀK⁻¹(𝐲−𝐦) = ∑ E∘R̃∘R̃ + tr(C₁⁻¹R⊥ᵀR⊥), R̃ = Q₀ᵀRLₕᵀ.

    Attributes
    ----------
    At, C1invA
        Ã = LₕA and C₁⁻¹A (p×q).
    Yt, EYt
        Ỹ = Q₀ᵀYLₕᵀ and E∘Ỹ (r×p).
    H, Hchol
        H (cq×cq) and its Cholesky factor (``scipy.linalg.cho_factor`` form).
    b, beta
        𝐛 and 𝛃 = H⁻¹𝐛 (cq).
    B
        𝛃 as the c×q matrix B.
    Rt
        R̃ = Q₀ᵀRLₕᵀ (r×p).
    RR
        R⊥ᵀR⊥ (p×p).
    rKr
        (𝐲−𝐦)ᵀK⁻¹(𝐲−𝐦).
    logdetH
        log|H|.
    """

    At: Array
    C1invA: Array
    Yt: Array
    EYt: Array
    H: Array
    Hchol: tuple[Array, bool]
    b: Array
    beta: Array
    B: Array
    Rt: Array
    RR: Array
    rKr: float
    logdetH: float


def covariate_gram(data: RotatedData, white: Whitening, At: Array, C1invA: Array, A: Array):
    """H = MᵀK⁻¹M for M = A⊗X, (c⋅q)×(c⋅q) in vec order (index a + c⋅b for B[a, b])."""
    Xq = data.Xq
    c, q = Xq.shape[1], At.shape[1]
    XwX = np.einsum("ia,ij,ib->jab", Xq, white.E, Xq)  # X̃ᵀdiag(E₍:,ⱼ₎)X̃ per trait j
    H = np.einsum("jb,jd,jac->badc", At, At, XwX) + np.einsum("bd,ac->badc", A.T @ C1invA, data.XX)
    H = H.reshape(c * q, c * q)
    return (H + H.T) / 2


def solve_gls(data: RotatedData, white: Whitening, A: Array) -> GLS:
    """Form and solve the normal equations H𝛃 = 𝐛; O(r⋅p⋅(p + c²) + (c⋅q)³).

    Raises
    ------
    numpy.linalg.LinAlgError
        If H is not numerically positive definite (M = A⊗X of incomplete column rank); the
        model checks the ranks of A and X up front so that this does not happen.
    """
    Lh, E = white.Lh, white.E
    Xq = data.Xq
    c, q = Xq.shape[1], A.shape[1]
    At = Lh @ A
    C1invA = white.C1inv @ A
    Yt = data.Yq @ Lh.T
    EYt = E * Yt
    H = covariate_gram(data, white, At, C1invA, A)
    Hchol = scipy.linalg.cho_factor(H, lower=True, check_finite=False)
    b = (Xq.T @ EYt @ At + data.XY @ C1invA).ravel(order="F")
    beta = scipy.linalg.cho_solve(Hchol, b, check_finite=False)
    B = beta.reshape((c, q), order="F")
    BAt = B @ A.T  # c×p: the mean is XBAᵀ
    Rt = Yt - Xq @ B @ At.T
    XYB = data.XY.T @ BAt  # Y⊥ᵀX⊥BAᵀ
    RR = data.YY - XYB - XYB.T + BAt.T @ data.XX @ BAt
    RR = (RR + RR.T) / 2
    rKr = float(np.sum(E * Rt * Rt) + np.sum(white.C1inv * RR))
    logdetH = 2.0 * float(np.sum(np.log(np.diag(Hchol[0]))))
    return GLS(At, C1invA, Yt, EYt, H, Hchol, b, beta, B, Rt, RR, rKr, logdetH)
