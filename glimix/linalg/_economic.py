"""Economic eigendecompositions and SVDs: only the directions a matrix actually spans.

Rank threshold
--------------
A singular value σ (or an eigenvalue λ of a PSD matrix) is kept when it exceeds
``tol = max(σ)·max(m, n)·ε`` (ε the float64 machine epsilon, as ``numpy.linalg.matrix_rank``),
unless an absolute ``tol`` is given. Anything at or below that is round-off of a zero. For
``economic_qs`` the same rule is applied to eigenvalues, and an eigenvalue below −tol means the
matrix is not positive semi-definite: a ``ValueError`` says so.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import finite_matrix, symmetric_matrix

__all__ = ["economic_qs", "economic_qs_linear", "economic_svd"]

Array = NDArray[np.float64]


def _default_tol(largest: float, shape: tuple[int, ...]) -> float:
    return float(largest) * max(shape) * np.finfo(float).eps


def _orthogonal_complement(Q0: Array) -> Array:
    """An orthonormal basis Q1 of the complement of span(Q0), n×(n−r) (forms an n×n factor)."""
    n, r = Q0.shape
    if r == 0:
        return np.eye(n)
    Q, _ = np.linalg.qr(Q0, mode="complete")
    return np.ascontiguousarray(Q[:, r:])


def economic_svd(G: ArrayLike, tol: float | None = None) -> tuple[Array, Array, Array]:
    """Economic singular value decomposition G = U·diag(S)·Vᵀ keeping only non-zero σ.

    Parameters
    ----------
    G
        A finite n×m matrix.
    tol
        Absolute threshold below which a singular value is treated as zero. Defaults to
        max(S)·max(n, m)·ε.

    Returns
    -------
    U
        n×r matrix with orthonormal columns (r the numerical rank).
    S
        The r singular values, in descending order.
    VT
        r×m matrix with orthonormal rows.

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.linalg import economic_svd
    >>> U, S, VT = economic_svd(array([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]]))
    >>> U.shape, S.round(6), VT.shape
    ((3, 1), array([5.]), (1, 2))
    """
    G = finite_matrix(G, "G")
    if G.size == 0:
        n, m = G.shape
        return np.zeros((n, 0)), np.zeros(0), np.zeros((0, m))
    U, S, VT = np.linalg.svd(G, full_matrices=False)
    if tol is None:
        tol = _default_tol(S[0] if S.size else 0.0, G.shape)
    keep = S > tol
    return U[:, keep], S[keep], VT[keep, :]


def economic_qs(K: ArrayLike, tol: float | None = None) -> tuple[tuple[Array, Array], Array]:
    """Economic eigendecomposition of a symmetric positive semi-definite matrix.

    K = [Q₀ Q₁] [S₀ 𝟎; 𝟎 𝟎] [Q₀ Q₁]ᵀ, where S₀ holds the r eigenvalues above the threshold, Q₀
    (n×r) their eigenvectors, and Q₁ (n×(n−r)) an orthonormal basis of the null space.

    Parameters
    ----------
    K
        A finite, symmetric, positive semi-definite n×n matrix.
    tol
        Absolute eigenvalue threshold; defaults to max(λ)·n·ε.

    Returns
    -------
    QS
        ``((Q0, Q1), S0)`` with the eigenvalues S0 in ascending order.

    Raises
    ------
    ValueError
        If K is not square, symmetric and finite, or has an eigenvalue below −tol (not PSD).

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.linalg import economic_qs
    >>> (Q0, Q1), S0 = economic_qs(array([[2.0, 1.0], [1.0, 2.0]]))
    >>> print(S0)
    [1. 3.]
    """
    K = symmetric_matrix(K, "K")
    n = K.shape[0]
    if n == 0:
        return (np.zeros((0, 0)), np.zeros((0, 0))), np.zeros(0)
    S, Q = np.linalg.eigh(K)
    if tol is None:
        tol = _default_tol(max(abs(S[0]), abs(S[-1])), K.shape)
    if S[0] < -tol:
        raise ValueError(
            f"K must be positive semi-definite; its smallest eigenvalue is {S[0]:.3g}."
        )
    keep = S > tol
    return (np.ascontiguousarray(Q[:, keep]), np.ascontiguousarray(Q[:, ~keep])), S[keep]


def economic_qs_linear(
    G: ArrayLike, return_q1: bool = True, tol: float | None = None
) -> tuple[tuple[Array, ...], Array]:
    """Economic eigendecomposition of K = GGᵀ through an SVD of G.

    With G = U·diag(σ)·Vᵀ, K = U·diag(σ²)·Uᵀ: Q₀ = U and S₀ = σ², obtained in O(n·m·min(n, m))
    time and O(n·m) memory — never forming the n×n matrix K.

    Parameters
    ----------
    G
        A finite n×m matrix.
    return_q1
        Also return Q₁, an orthonormal basis of the complement of span(Q₀). It is an n×(n−r)
        matrix, so it costs O(n²) memory; models that do not need it ask for ``False``.
    tol
        Absolute threshold on the singular values of G; defaults to max(σ)·max(n, m)·ε.

    Returns
    -------
    QS
        ``((Q0, Q1), S0)``, or ``((Q0,), S0)`` when ``return_q1`` is false; S0 in ascending order.

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.linalg import economic_qs_linear
    >>> (Q0, Q1), S0 = economic_qs_linear(array([[2.0, 0.0], [0.0, 1.0]]))
    >>> print(S0)
    [1. 4.]
    >>> (Q0,), S0 = economic_qs_linear(array([[1.0], [1.0], [0.0]]), return_q1=False)
    >>> Q0.shape
    (3, 1)
    """
    U, S, _ = economic_svd(G, tol)
    order = np.argsort(S, kind="stable")
    Q0 = np.ascontiguousarray(U[:, order])
    S0 = S[order] ** 2
    if return_q1:
        return (Q0, _orthogonal_complement(Q0)), S0
    return (Q0,), S0
