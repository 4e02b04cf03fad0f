"""Counting missing values."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._adapt import columnwise, unwrap

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["count_missingness"]


def _count_columns(A: NDArray[np.floating]) -> NDArray[np.int64]:
    return np.isnan(A).sum(axis=0)


def count_missingness(X: ArrayLike) -> Labelled:
    """Count the number of missing values per column.

    A value is missing when it is NaN.

    Parameters
    ----------
    X : array_like
        Matrix (samples by variants); a 1-D array counts as a single column. numpy, pandas,
        xarray or dask (the result is then lazy).

    Returns
    -------
    count : ndarray
        Number of missing values per column (a Series indexed by the columns of a DataFrame, a
        DataArray along the column dimension of a DataArray; a single count for 1-D input).

    Examples
    --------
    >>> from numpy import nan
    >>> from limix.qc import count_missingness
    >>>
    >>> count_missingness([[1.0, nan, 0.0], [nan, nan, 2.0]])
    array([1, 2, 0])
    """
    data, labels = unwrap(X, "X")
    counts = columnwise(_count_columns, data, 1, reduces=True, dtype=np.int64)
    if data.ndim == 1:
        return counts if labels.lazy else int(counts)
    return labels.along(counts, 1)
