"""Sum of two Kronecker products, K = C₀ ⊗ GGᵀ + C₁ ⊗ I, with economic solves and determinants."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import finite_matrix, finite_vector, float_array, positive_int, readonly
from .._function import Function
from ..linalg import economic_svd
from ._free_form import FreeFormCov
from ._lr_free_form import LRFreeFormCov

__all__ = ["Kron2SumCov"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class _Factors:
    """The p×p factorisation behind K⁻¹ = LᵀDL, valid for one value of the parameters.

    Attributes
    ----------
    S1
        Eigenvalues of C₁ (p).
    U1
        Eigenvectors of C₁, one per column (p×p).
    Sh
        Eigenvalues of Cₕ = S₁^{-½}U₁ᵀC₀U₁S₁^{-½}, clipped at zero (p).
    Uh
        Eigenvectors of Cₕ, one per column (p×p).
    Lh
        Lₕ = UₕᵀS₁^{-½}U₁ᵀ (p×p).
    C1inv
        C₁⁻¹ = LₕᵀLₕ (p×p).
    D0
        D₀ᵀ: entry (j, i) is 1/(sₕⱼσᵢ² + 1), for the r non-zero singular values σᵢ of G (p×r).
    """

    S1: Array
    U1: Array
    Sh: Array
    Uh: Array
    Lh: Array
    C1inv: Array
    D0: Array


def _right_multiply(Y: Array, M: Array, out: Array | None = None) -> Array:
    """V⋅Mₖ for every slice k of M, in the p×n×c layout of V (Y[j, i, c] is V[i, j] of column c).

    Returns a p×n×c×q array Z with Z[b, i, c, k] = ∑ₐ Y[a, i, c]⋅M[a, b, k], written into ``out``
    (which may be a view whose trait slices are contiguous) to avoid a transposed copy.
    """
    p, n, c = Y.shape
    q = M.shape[2]
    if out is None:
        out = np.empty((p, n, c, q))
    Yt = Y.reshape(p, n * c).T
    for b in range(p):
        target = out[b].reshape(n * c, q)
        np.matmul(Yt, M[:, b, :], out=target)
        if not np.shares_memory(target, out[b]):  # out[b] was not contiguous: reshape copied
            out[b] = target.reshape(n, c, q)
    return out


class Kron2SumCov(Function):
    """Implements K = C₀ ⊗ GGᵀ + C₁ ⊗ I.

    C₀ and C₁ are d×d symmetric matrices (d = ``dim``, the number of traits p): C₀ is a
    semi-definite positive matrix of rank at most ``rank`` (an :class:`LRFreeFormCov`, named
    "C₀") and C₁ a definite positive matrix (a :class:`FreeFormCov`, named "C₁"). G is a
    user-provided n×m matrix and I is an n×n identity. K is therefore (n⋅p)×(n⋅p). Vectors follow
    the vec convention, which stacks columns: entry (sample i, trait j) of an n×p matrix V is
    v[j⋅n + i], and (A ⊗ B)vec(V) = vec(BVAᵀ).

    The variables are ``C0.Lu`` and ``C1.Lu``, those of C₀ and C₁.

    Definitions (M = UₘSₘUₘᵀ denotes an eigendecomposition of a symmetric M):

    - X = GGᵀ = UₓSₓUₓᵀ,
    - C₁ = U₁S₁U₁ᵀ,
    - Cₕ = S₁^{-½}U₁ᵀC₀U₁S₁^{-½} = UₕSₕUₕᵀ,
    - D = (Sₕ ⊗ Sₓ + Iₕₓ)⁻¹,
    - Lₓ = Uₓᵀ, Lₕ = UₕᵀS₁^{-½}U₁ᵀ and L = Lₕ ⊗ Lₓ.

    Since LₕC₁Lₕᵀ = I, LₕC₀Lₕᵀ = Sₕ and LₓXLₓᵀ = Sₓ, we have LKLᵀ = Sₕ ⊗ Sₓ + Iₕₓ = D⁻¹, and so

        K⁻¹ = LᵀDL,    log|K| = −log|D| + n⋅log|C₁|,

    because det(Lₓ)² = 1 and det(Lₕ)² = 1/det(C₁). For a derivative ∂K over any parameter,
    ∂log|K| = tr(K⁻¹∂K) = diag(D)ᵀdiag(L(∂K)Lᵀ).

    Economic structure. Let G = Q₀Σ₀V₀ᵀ be the economic SVD of G keeping its r non-zero singular
    values (Q₀ is n×r; Q₀ is written U₀ in the manual, renamed here so as not to clash with the
    eigenvectors U₁ of C₁). Then Uₓ = [Q₀ Q₁], where Q₁ spans the complement of span(Q₀), and
    Sₓ = [Σ₀², 𝟎]. The entries of D on the Q₁ rows are exactly 1, and Q₁Q₁ᵀ = I − Q₀Q₀ᵀ, so no
    n×n (let alone (n⋅p)×(n⋅p)) matrix is ever needed:

    - K⁻¹vec(V) = vec(Q₀(D₀∘(Q₀ᵀVLₕᵀ))Lₕ + (V − Q₀Q₀ᵀV)LₕᵀLₕ), with LₕᵀLₕ = C₁⁻¹ and D₀ the
      r×p block of D (rows σᵢ, columns sₕⱼ): [D₀]ᵢⱼ = 1/(sₕⱼσᵢ² + 1);
    - −log|D| = ∑ᵢⱼ log(sₕⱼσᵢ² + 1), over the r non-zero σᵢ only;
    - diag(D) summed over the Q₁ rows is n − r for every trait.

    :meth:`solve` costs O(n⋅r⋅p + n⋅p² + p³) time per right-hand side, :meth:`logdet` and
    :meth:`logdet_gradient` O(r⋅p + p³) (times the number of parameters for the gradient),
    :meth:`gradient_dot` and :meth:`LdKL_dot` O(n⋅r⋅p + n⋅p²) per right-hand side and parameter;
    besides their outputs, all of them need O(n⋅r + n⋅p + p²) memory. The SVD of G is computed once,
    at construction. The p×p factorisation (U₁, S₁, Uₕ, Sₕ, Lₕ, D₀) is cached and dropped
    whenever a parameter of C₀ or C₁ changes. Only :attr:`Lx`, the full n×n matrix Uₓᵀ, costs
    O(n²); it is computed when asked for and never by the methods above. :meth:`value` and
    :meth:`gradient` return dense (n⋅p)×(n⋅p) arrays, for small problems and for testing.

    Parameters
    ----------
    G
        A finite n×m matrix (n ≥ 1 samples; m may be zero). It is kept by reference (as a
        read-only view) for :meth:`value` and :attr:`G`; do not modify it afterwards.
    dim
        Dimension d of C₀ and C₁, the number of traits p.
    rank
        Maximum rank of C₀, 1 ≤ rank ≤ dim.

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.cov import Kron2SumCov
    >>>
    >>> G = array([[-1.5, 1.0], [-1.5, 1.0], [-1.5, 1.0]])
    >>> Lr = array([[3], [2]], float)
    >>> Ln = array([[1, 0], [2, 1]], float)
    >>>
    >>> cov = Kron2SumCov(G, 2, 1)
    >>> cov.C0.L = Lr
    >>> cov.C1.L = Ln
    >>> print(cov)
    Kron2SumCov(G=..., dim=2, rank=1): Kron2SumCov
      LRFreeFormCov(n=2, m=1): C₀
        L: [[3.]
            [2.]]
      FreeFormCov(dim=2): C₁
        L: [[1. 0.]
            [2. 1.]]
    """

    def __init__(self, G: ArrayLike, dim: int, rank: int) -> None:
        G = finite_matrix(G, "G")
        if G.shape[0] < 1:
            raise ValueError(f"G must have at least one row (sample); got shape {G.shape}.")
        d = positive_int(dim, "dim")
        k = positive_int(rank, "rank")
        if k > d:
            raise ValueError(f"rank must not exceed dim; got dim={d}, rank={k}.")
        self._G = readonly(G)
        self._dim = d
        self._rank = k
        # G = Q₀Σ₀V₀ᵀ with the r non-zero singular values only: Q₀ is n×r, Sₓ = [Σ₀², 𝟎].
        Q0, sigma, _ = economic_svd(G)
        self._Q0 = np.ascontiguousarray(Q0)
        self._sigma = np.asarray(sigma, dtype=float)
        self._sx0 = self._sigma**2
        self._C0 = LRFreeFormCov(d, k)
        self._C0.name = "C₀"
        self._C1 = FreeFormCov(d)
        self._C1.name = "C₁"
        self._factors_cache: _Factors | None = None
        Function.__init__(self, "Kron2SumCov", composite=[("C0", self._C0), ("C1", self._C1)])
        # Held weakly by the variables: a changed C₀ or C₁ drops the cached p×p factorisation.
        self._C0.listen(self._drop_factors)
        self._C1.listen(self._drop_factors)

    # -- components ------------------------------------------------------------------------------
    @property
    def C0(self) -> LRFreeFormCov:
        """Semi-definite positive matrix C₀ (d×d, rank ≤ ``rank``)."""
        return self._C0

    @property
    def C1(self) -> FreeFormCov:
        """Definite positive matrix C₁ (d×d)."""
        return self._C1

    @property
    def G(self) -> Array:
        """User-provided matrix G (n×m)."""
        return self._G

    @property
    def Ge(self) -> Array:
        """Economic factor of G: Q₀Σ₀ (n×r) from G = Q₀Σ₀V₀ᵀ, so that GeGeᵀ = GGᵀ.

        Only the r non-zero singular values of G are kept (see :func:`glimix.linalg.economic_svd`
        for the threshold); r = 0 gives an n×0 matrix.
        """
        return self._Q0 * self._sigma

    @property
    def dim(self) -> int:
        """Dimension d of C₀ and C₁ (the number of traits p)."""
        return self._dim

    @property
    def rank(self) -> int:
        """Maximum rank of C₀."""
        return self._rank

    @property
    def shape(self) -> tuple[int, int]:
        """Array shape, (n⋅p, n⋅p)."""
        size = self._G.shape[0] * self._dim
        return (size, size)

    # -- cached factorisation --------------------------------------------------------------------
    def _drop_factors(self) -> None:
        """Listener of C₀ and C₁: forget the p×p factorisation."""
        self._factors_cache = None

    def _factors(self) -> _Factors:
        """The p×p factorisation for the current parameters, computed at most once per change."""
        if self._factors_cache is None:
            S1, U1 = self._C1.eigh()
            # M = U₁S₁^{-½}, so Cₕ = MᵀC₀M and Lₕ = UₕᵀMᵀ.
            M = U1 / np.sqrt(S1)
            Ch = M.T @ self._C0.value() @ M
            Sh, Uh = np.linalg.eigh((Ch + Ch.T) / 2)
            # Cₕ is semi-definite positive: a negative eigenvalue is round-off of a zero.
            Sh = np.maximum(Sh, 0.0)
            Lh = Uh.T @ M.T
            C1inv = Lh.T @ Lh
            D0 = 1 / (np.outer(Sh, self._sx0) + 1)
            self._factors_cache = _Factors(
                S1=S1, U1=U1, Sh=Sh, Uh=Uh, Lh=Lh, C1inv=(C1inv + C1inv.T) / 2, D0=D0
            )
        return self._factors_cache

    @property
    def Lh(self) -> Array:
        """Lₕ = UₕᵀS₁^{-½}U₁ᵀ (p×p), so that LₕC₁Lₕᵀ = I, LₕC₀Lₕᵀ = Sₕ and LₕᵀLₕ = C₁⁻¹."""
        return self._factors().Lh.copy()

    @property
    def Lx(self) -> Array:
        """Lₓ = Uₓᵀ = [Q₀ Q₁]ᵀ (n×n), so that LₓGGᵀLₓᵀ = Sₓ = diag(Σ₀², 𝟎).

        The rows are ordered as the entries of :attr:`D`: first the r left singular vectors of G
        (by decreasing singular value), then an orthonormal basis of their complement.

        This is the one O(n²) quantity of the class: it is computed anew, by a complete QR
        factorisation of Q₀, each time it is asked for, and is never used by the structured
        methods (:meth:`solve`, :meth:`logdet`, …), which work with Q₀ alone.
        """
        n, r = self._Q0.shape
        if r == 0:
            return np.eye(n)
        Q, _ = np.linalg.qr(self._Q0, mode="complete")
        return np.concatenate([self._Q0.T, Q[:, r:].T], axis=0)

    @property
    def D(self) -> Array:
        """Diagonal of D = (Sₕ ⊗ Sₓ + Iₕₓ)⁻¹, a vector of length n⋅p.

        Entry j⋅n + i is 1/(sₕⱼsₓᵢ + 1), with sₓᵢ = σᵢ² for i < r and zero (so that the entry is
        exactly 1) for the n − r remaining rows.
        """
        f = self._factors()
        n, r = self._Q0.shape
        D = np.ones((self._dim, n))
        D[:, :r] = f.D0
        return D.ravel()

    # -- dense value and gradient ----------------------------------------------------------------
    def value(self) -> Array:
        """Covariance matrix K = C₀ ⊗ GGᵀ + C₁ ⊗ I, a dense (n⋅p)×(n⋅p) array."""
        n = self._G.shape[0]
        X = self._G @ self._G.T
        return np.kron(self._C0.value(), X) + np.kron(self._C1.value(), np.eye(n))

    def gradient(self) -> dict[str, Array]:
        """Derivatives of K as dense (n⋅p)×(n⋅p)×nparams arrays (for small problems only).

        ∂K = ∂C₀ ⊗ GGᵀ over ``C0.Lu`` and ∂K = ∂C₁ ⊗ I over ``C1.Lu``, the derivatives of C₀
        and C₁ stacked along the last axis.

        Returns
        -------
        dict
            ``{"C0.Lu": array, "C1.Lu": array}``.
        """
        n = self._G.shape[0]
        size = n * self._dim
        X = self._G @ self._G.T
        dC0 = self._C0.gradient()["Lu"]
        dC1 = self._C1.gradient()["Lu"]
        # (A ⊗ B)[a⋅n + i, b⋅n + k] = A[a, b]⋅B[i, k], for each parameter q
        grad0 = np.einsum("abq,ik->aibkq", dC0, X).reshape(size, size, -1)
        grad1 = np.einsum("abq,ik->aibkq", dC1, np.eye(n)).reshape(size, size, -1)
        return {"C0.Lu": grad0, "C1.Lu": grad1}

    # -- structured operations -------------------------------------------------------------------
    def _operand(self, v: ArrayLike) -> tuple[Array, bool]:
        """Validate v and view it as a p×n×k array Y with Y[j, i, c] = v[j⋅n + i, c].

        Returns the array and whether v was one-dimensional.
        """
        arr = float_array(v, "v")
        size = self.shape[0]
        if arr.ndim == 1:
            arr = finite_vector(arr, "v", size)
        elif arr.ndim == 2:
            arr = finite_matrix(arr, "v", (size, None))
        else:
            raise ValueError(f"v must be one- or two-dimensional; got shape {arr.shape}.")
        n = self._G.shape[0]
        k = 1 if arr.ndim == 1 else arr.shape[1]
        return arr.reshape(self._dim, n, k), arr.ndim == 1

    @staticmethod
    def _output(Y: Array, vector: bool) -> Array:
        """Back from the p×n×k layout to vec layout, (n⋅p,) or (n⋅p, k)."""
        out = Y.reshape(Y.shape[0] * Y.shape[1], Y.shape[2])
        return out[:, 0] if vector else out

    @staticmethod
    def _grad_output(Y: Array, vector: bool) -> Array:
        """From p×n×k×q to (n⋅p, q) or (n⋅p, k, q)."""
        p, n, k, q = Y.shape
        out = Y.reshape(p * n, k, q)
        return out[:, 0, :] if vector else out

    def solve(self, v: ArrayLike) -> Array:
        """Implements K⁻¹v without forming K.

        With V the n×p matrix such that v = vec(V) (one per column of a 2-D v),

            K⁻¹vec(V) = vec(Q₀(D₀∘(Q₀ᵀVLₕᵀ))Lₕ + (V − Q₀Q₀ᵀV)C₁⁻¹),

        the Q₀ term for the r directions of G (D₀ = 1/(sₕⱼσᵢ² + 1)) and the second for the
        complement, where D is 1 and LₕᵀLₕ = C₁⁻¹. Cost O(n⋅r⋅p + n⋅p²) per column.

        Parameters
        ----------
        v
            Array of shape (n⋅p,) or (n⋅p, k).

        Returns
        -------
        ndarray
            K⁻¹v, shaped like v.
        """
        Y, vector = self._operand(v)
        f = self._factors()
        # Y layout: right-multiplying V by a p×p matrix M is tensordot(Mᵀ, Y, 1).
        out = np.tensordot(f.C1inv, Y, axes=1)
        if self._Q0.shape[1] > 0:
            A = self._Q0.T @ Y  # Q₀ᵀV, p×r×k
            B = np.tensordot(f.Lh, A, axes=1) * f.D0[:, :, None]  # D₀∘(Q₀ᵀVLₕᵀ)
            F = np.tensordot(f.Lh.T, B, axes=1) - np.tensordot(f.C1inv, A, axes=1)
            out += self._Q0 @ F
        return self._output(out, vector)

    def logdet(self) -> float:
        """Implements log|K| = −log|D| + n⋅log|C₁|.

        −log|D| = ∑ᵢⱼ log(sₕⱼσᵢ² + 1) runs over the r non-zero singular values σᵢ of G only (the
        other terms are log 1 = 0), and log|C₁| = ∑ log S₁. Cost O(r⋅p + p³).
        """
        f = self._factors()
        n = self._G.shape[0]
        minus_logdet_D = float(np.sum(np.log1p(np.outer(f.Sh, self._sx0))))
        return minus_logdet_D + n * float(np.sum(np.log(f.S1)))

    def _rotated_gradients(self) -> tuple[Array, Array]:
        """Lₕ∂C₀Lₕᵀ and Lₕ∂C₁Lₕᵀ, p×p×nparams each."""
        Lh = self._factors().Lh
        dC0 = self._C0.gradient()["Lu"]
        dC1 = self._C1.gradient()["Lu"]
        M0 = np.einsum("ja,abq,kb->jkq", Lh, dC0, Lh)
        M1 = np.einsum("ja,abq,kb->jkq", Lh, dC1, Lh)
        return M0, M1

    def logdet_gradient(self) -> dict[str, Array]:
        """Implements ∂log|K| = diag(D)ᵀdiag(L(∂K)Lᵀ) over each parameter.

        For C₀, L(∂C₀ ⊗ GGᵀ)Lᵀ = Lₕ∂C₀Lₕᵀ ⊗ Sₓ, so

            ∂log|K| = diag(D)ᵀ(diag(Lₕ∂C₀Lₕᵀ) ⊗ diag(Sₓ)) = ∑ⱼ diag(Lₕ∂C₀Lₕᵀ)ⱼ ∑ᵢ σᵢ²[D₀]ᵢⱼ,

        as sₓᵢ = 0 outside the first r rows. For C₁, L(∂C₁ ⊗ I)Lᵀ = Lₕ∂C₁Lₕᵀ ⊗ I, so

            ∂log|K| = ∑ⱼ diag(Lₕ∂C₁Lₕᵀ)ⱼ (∑ᵢ [D₀]ᵢⱼ + n − r),

        the complement rows of D adding n − r per trait. Cost O(r⋅p + p³⋅nparams).

        Returns
        -------
        dict
            ``{"C0.Lu": vector, "C1.Lu": vector}`` of the parameters' sizes.
        """
        f = self._factors()
        n, r = self._Q0.shape
        M0, M1 = self._rotated_gradients()
        diag0 = np.einsum("jjq->jq", M0)
        diag1 = np.einsum("jjq->jq", M1)
        w0 = f.D0 @ self._sx0
        w1 = f.D0.sum(axis=1) + (n - r)
        return {"C0.Lu": w0 @ diag0, "C1.Lu": w1 @ diag1}

    def gradient_dot(self, v: ArrayLike) -> dict[str, Array]:
        """Implements ∂K⋅v over each parameter, without forming ∂K.

        (∂C₀ ⊗ GGᵀ)vec(V) = vec(G(GᵀV)∂C₀), computed as vec(Q₀(Σ₀²∘Q₀ᵀV)∂C₀) since
        GGᵀ = Q₀Σ₀²Q₀ᵀ, and (∂C₁ ⊗ I)vec(V) = vec(V∂C₁). Cost O(n⋅r⋅p + n⋅p²⋅nparams) per column.

        Parameters
        ----------
        v
            Array of shape (n⋅p,) or (n⋅p, k).

        Returns
        -------
        dict
            ``{"C0.Lu": array, "C1.Lu": array}``, each of shape (n⋅p, nparams) for a 1-D v and
            (n⋅p, k, nparams) for a 2-D v.
        """
        Y, vector = self._operand(v)
        dC0 = self._C0.gradient()["Lu"]
        dC1 = self._C1.gradient()["Lu"]
        if self._Q0.shape[1] > 0:
            XY = self._Q0 @ (self._sx0[:, None] * (self._Q0.T @ Y))  # GGᵀV, p×n×k
        else:
            XY = np.zeros_like(Y)
        return {
            "C0.Lu": self._grad_output(_right_multiply(XY, dC0), vector),
            "C1.Lu": self._grad_output(_right_multiply(Y, dC1), vector),
        }

    def LdKL_dot(self, v: ArrayLike) -> dict[str, Array]:
        """Implements L(∂K)Lᵀ⋅v over each parameter, L = Lₕ ⊗ Lₓ.

        L(∂C₀ ⊗ GGᵀ)Lᵀ = Lₕ∂C₀Lₕᵀ ⊗ LₓGGᵀLₓᵀ with LₓGGᵀLₓᵀ = Sₓ diagonal, so

            L(∂C₀ ⊗ GGᵀ)Lᵀvec(V) = vec(SₓVLₕ∂C₀Lₕᵀ),

        which is zero outside the first r rows of V; and L(∂C₁ ⊗ I)Lᵀvec(V) = vec(VLₕ∂C₁Lₕᵀ).
        Here v lives in the rotated space (first dimension n⋅p, rows ordered as :attr:`D`).
        Cost O(n⋅p²⋅nparams) per column.

        Parameters
        ----------
        v
            Array of shape (n⋅p,) or (n⋅p, k).

        Returns
        -------
        dict
            ``{"C0.Lu": array, "C1.Lu": array}``, each of shape (n⋅p, nparams) for a 1-D v and
            (n⋅p, k, nparams) for a 2-D v.
        """
        Y, vector = self._operand(v)
        p, n, k = Y.shape
        r = self._Q0.shape[1]
        M0, M1 = self._rotated_gradients()
        grad0 = np.zeros((p, n, k, M0.shape[2]))
        if r > 0:
            SY = self._sx0[:, None] * Y[:, :r, :]  # SₓV on its r non-zero rows
            _right_multiply(SY, M0, out=grad0[:, :r])
        return {
            "C0.Lu": self._grad_output(grad0, vector),
            "C1.Lu": self._grad_output(_right_multiply(Y, M1), vector),
        }

    # -- display ---------------------------------------------------------------------------------
    def _str_header(self) -> str:
        return f"Kron2SumCov(G=..., dim={self._dim}, rank={self._rank})"
