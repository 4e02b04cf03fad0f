"""Rank-revealing solves and log-determinants."""

from __future__ import annotations

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike, NDArray

__all__ = ["cho_logdet", "plogdet", "rsolve"]

Array = NDArray[np.float64]


def rsolve(A: ArrayLike, b: ArrayLike, rcond: float | None = None) -> Array:
    """Minimum-norm least-squares solution of A·x = b, robust to a singular A.

    Singular values of A below ``rcond·max(σ)`` (default max(shape)·ε) are treated as zero, so a
    rank-deficient system (collinear covariates, say) gets the minimum-norm solution instead of
    an overflow. For a non-singular A it equals ``solve(A, b)``.

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.linalg import rsolve
    >>> print(rsolve(array([[1.0, 1.0], [1.0, 1.0]]), array([2.0, 2.0])))
    [1. 1.]
    """
    A = np.asarray(A, float)
    b = np.asarray(b, float)
    if A.ndim != 2 or A.shape[0] != b.shape[0]:
        raise ValueError(f"A (shape {A.shape}) and b (shape {b.shape}) do not conform.")
    if A.size == 0:
        return np.zeros((A.shape[1], *b.shape[1:]))
    return np.linalg.lstsq(A, b, rcond=rcond)[0]


def cho_logdet(A: ArrayLike) -> float:
    """log|A| of a symmetric positive-definite A through its Cholesky factor, 2∑log(Lᵢᵢ).

    Raises
    ------
    ValueError
        If A is not positive definite.

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.linalg import cho_logdet
    >>> print(round(cho_logdet(array([[2.0, 1.0], [1.0, 2.0]])), 6))
    1.098612
    """
    try:
        L = scipy.linalg.cholesky(np.asarray(A, float), lower=True)
    except np.linalg.LinAlgError as err:
        raise ValueError(f"A must be positive definite: {err}") from None
    return float(2 * np.sum(np.log(np.diag(L))))


def plogdet(A: ArrayLike, tol: float | None = None) -> float:
    """Pseudo log-determinant of a symmetric PSD matrix: ∑ log λ over eigenvalues λ > tol.

    The threshold defaults to max(λ)·n·ε, the rank rule of :func:`glimix.linalg.economic_qs`.
    Used by REML, where log|XᵀX| must be taken over the span of rank-deficient covariates.

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.linalg import plogdet
    >>> print(round(plogdet(array([[1.0, 1.0], [1.0, 1.0]])), 6))
    0.693147
    """
    S = np.linalg.eigvalsh(np.asarray(A, float))
    if S.size == 0:
        return 0.0
    if tol is None:
        tol = float(np.max(np.abs(S))) * S.size * np.finfo(float).eps
    return float(np.sum(np.log(S[S > tol])))
