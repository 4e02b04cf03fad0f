"""Removal of linearly dependent columns."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from .._adapt import real_number, to_numpy, unwrap

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["remove_dependent_cols"]


def remove_dependent_cols(X: ArrayLike, tol: float = 1.49e-08) -> Labelled:
    """Remove dependent columns.

    Return a matrix with dependent columns removed. Columns are visited in order and a column
    is kept unless it lies in the span of the columns kept before it, so the earliest of a
    dependent set (an offset, say) survives. Dependence does not depend on the scale of a column:
    column j is dependent when the part of xⱼ orthogonal to the kept columns 𝚀 (an orthonormal
    basis built as columns are kept) is small relative to xⱼ,

        ‖xⱼ − 𝚀𝚀ᵀxⱼ‖ ≤ tol·‖xⱼ‖,

    and a zero column is dependent outright. The projection is applied twice (Gram–Schmidt with
    re-orthogonalisation), which keeps 𝚀 orthonormal to machine precision.

    It is meant for covariate matrices: the cost is O(n·p·r) for n rows, p columns and rank r,
    and the whole matrix is held in memory.

    Parameters
    ----------
    X : array_like
        Matrix to might have dependent columns (finite; numpy, pandas, xarray or dask).
    tol : float, optional
        Threshold of dependence: a column whose distance to the span of the kept ones,
        relative to its norm, is at most ``tol`` is removed.

    Returns
    -------
    rank : ndarray
        Full column rank matrix: the kept columns of ``X``, with their labels.

    Examples
    --------
    >>> from numpy import array
    >>> from limix.qc import remove_dependent_cols
    >>>
    >>> X = array([[1.0, 2.0, 0.0, 1.0], [1.0, 2.0, 1.0, 2.0], [1.0, 2.0, 0.0, 1.0]])
    >>> print(remove_dependent_cols(X))  # column 1 = 2·column 0, column 3 = column 0 + column 2
    [[1. 0.]
     [1. 1.]
     [1. 0.]]
    """
    tol = real_number(tol, "tol", low=0.0)
    data, labels = unwrap(X, "X", ndims=(2,))
    data = to_numpy(data)
    if not np.isfinite(data).all():
        raise ValueError("X has non-finite values (NaN or infinity).")
    n, p = data.shape
    basis = np.empty((n, min(n, p)))
    rank = 0
    keep: list[int] = []
    for j in range(p):
        norm = float(np.linalg.norm(data[:, j]))
        if norm == 0 or rank == n:
            continue
        v = data[:, j] / norm
        for _ in range(2):
            Q = basis[:, :rank]
            v = v - Q @ (Q.T @ v)
        residual = float(np.linalg.norm(v))
        if residual > tol:
            basis[:, rank] = v / residual
            rank += 1
            keep.append(j)
    return labels.subset(np.asarray(keep, dtype=np.intp), 1)
