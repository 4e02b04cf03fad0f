"""Mean imputation of missing values."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._adapt import observed_per_column, reject_infinite_values, transform_groups

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["mean_impute"]


def _impute_columns(A: NDArray[np.floating], name: str, group: str) -> NDArray[np.floating]:
    """Replace, in place, each NaN of A by the mean of the observed values of its column."""
    reject_infinite_values(A, name)
    missing = np.isnan(A)
    if not missing.any():
        return A
    observed = observed_per_column(~missing, name, group, "there is no mean to impute from")
    means = np.where(missing, 0.0, A).sum(axis=0) / observed
    rows, cols = np.nonzero(missing)
    A[rows, cols] = means[cols]
    return A


def mean_impute(X: ArrayLike, axis: int = -1, inplace: bool = False) -> Labelled:
    """Impute NaN values.

    It defaults to column-wise imputation: each NaN is replaced by the mean of the observed
    values of its group,

        xᵢⱼ ← (1/nⱼ) ∑_{k∈Oⱼ} xₖⱼ   for every missing xᵢⱼ,

    where Oⱼ is the set of the nⱼ observed (non-NaN) entries of group j. With ``axis=-1``
    (or 1) the groups are the columns of a 2-D array; with ``axis=0`` they are its rows. A 1-D
    array is a single group.

    Parameters
    ----------
    X : array_like
        Matrix to have its missing values imputed: numpy array, pandas Series/DataFrame,
        xarray DataArray or dask array (the result is then lazy).
    axis : int, optional
        Axis value. Defaults to -1.
    inplace : bool, optional
        Defaults to False. When True, ``X`` must be a writable floating-point numpy array and it
        is modified and returned.

    Returns
    -------
    ndarray
        Imputed array, of the type (and with the labels) of ``X``.

    Raises
    ------
    ValueError
        If ``X`` is not numeric, has infinite values, or a group has no observed value.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from numpy import nan, array_str
    >>> from limix.qc import mean_impute
    >>>
    >>> random = RandomState(0)
    >>> X = random.randn(5, 2)
    >>> X[0, 0] = nan
    >>>
    >>> print(array_str(mean_impute(X), precision=4))
    [[ 0.9233  0.4002]
     [ 0.9787  2.2409]
     [ 1.8676 -0.9773]
     [ 0.9501 -0.1514]
     [-0.1032  0.4106]]
    """
    return transform_groups(_impute_columns, X, axis, inplace)
