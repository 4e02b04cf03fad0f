"""Products with diagonal matrices and diagonals of products, without forming n×n matrices."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["ddot", "dotd"]

Array = NDArray[np.float64]


def ddot(L: ArrayLike, R: ArrayLike) -> Array:
    """Product with a diagonal matrix given by its diagonal.

    ``ddot(d, R)`` is diag(d)·R (scales the rows of R) and ``ddot(L, d)`` is L·diag(d) (scales
    the columns of L); which argument is the diagonal is told by its being one-dimensional.
    Costs O(n·m) instead of the O(n²·m) of a dense product.

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.linalg import ddot
    >>> print(ddot(array([1.0, 2.0]), array([[1.0, 1.0], [1.0, 1.0]])))
    [[1. 1.]
     [2. 2.]]
    """
    L = np.asarray(L, float)
    R = np.asarray(R, float)
    if L.ndim == 1 and R.ndim >= 1:
        if L.shape[0] != R.shape[0]:
            raise ValueError(f"L has {L.shape[0]} entries but R has {R.shape[0]} rows.")
        return L.reshape((-1,) + (1,) * (R.ndim - 1)) * R
    if R.ndim == 1 and L.ndim == 2:
        if R.shape[0] != L.shape[1]:
            raise ValueError(f"R has {R.shape[0]} entries but L has {L.shape[1]} columns.")
        return L * R
    raise ValueError(f"one of L and R must be one-dimensional; got {L.shape} and {R.shape}.")


def dotd(A: ArrayLike, B: ArrayLike) -> Array:
    """Diagonal of A·B without forming the product: diag(AB)ᵢ = ∑ₖ AᵢₖBₖᵢ, in O(n·m).

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.linalg import dotd
    >>> A = array([[1.0, 2.0], [3.0, 4.0]])
    >>> print(dotd(A, A.T))
    [ 5. 25.]
    """
    A = np.asarray(A, float)
    B = np.asarray(B, float)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0] or A.shape[0] != B.shape[1]:
        raise ValueError(f"A·B must be square; got shapes {A.shape} and {B.shape}.")
    return np.einsum("ij,ji->i", A, B)
