"""Zero-mean, unit-variance normalisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._adapt import observed_per_column, reject_infinite_values, transform_groups

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["mean_standardize"]


def _standardize_columns(A: NDArray[np.floating], name: str, group: str) -> NDArray[np.floating]:
    """Standardise, in place, each column of A over its observed (non-NaN) values."""
    reject_infinite_values(A, name)
    observed = ~np.isnan(A)
    count = observed_per_column(observed, name, group, "they cannot be standardised")
    filled_low = np.where(observed, A, np.inf).min(axis=0)
    filled_high = np.where(observed, A, -np.inf).max(axis=0)
    constant = np.flatnonzero(filled_low == filled_high)
    if constant.size:
        raise ValueError(
            f"{name} has {constant.size} constant {group}(s) (first at index {constant[0]}); "
            "a zero variance cannot be scaled to one."
        )
    mean = np.where(observed, A, 0.0).sum(axis=0) / count
    A -= mean
    std = np.sqrt(np.where(observed, A * A, 0.0).sum(axis=0) / count)
    A /= std
    return A


def mean_standardize(X: ArrayLike, axis: int = -1, inplace: bool = False) -> Labelled:
    """Zero-mean and one-deviation normalisation.

    Normalise in such a way that the mean and variance are equal to zero and one:

        xᵢⱼ ← (xᵢⱼ − mⱼ)/sⱼ,   mⱼ = (1/nⱼ)∑_{i∈Oⱼ} xᵢⱼ,   sⱼ² = (1/nⱼ)∑_{i∈Oⱼ} (xᵢⱼ − mⱼ)²,

    over the nⱼ observed entries Oⱼ of each group j. Missing values represented by NaN are
    ignored (and stay NaN). With ``axis=-1`` (or 1) each column of a 2-D array is a group, with
    ``axis=0`` each row; a 1-D array is standardised as a whole.

    Parameters
    ----------
    X : array_like
        Array of values: numpy, pandas, xarray or dask (the result is then lazy).
    axis : int, optional
        Axis value. Defaults to -1.
    inplace : bool, optional
        Defaults to False. When True, ``X`` must be a writable floating-point numpy array and it
        is modified and returned.

    Returns
    -------
    X : ndarray
        Normalized array, of the type (and with the labels) of ``X``.

    Raises
    ------
    ValueError
        If ``X`` has infinite values, or a group is constant or entirely missing (its
        standardisation is undefined).

    Examples
    --------
    >>> import limix
    >>> from numpy import arange
    >>>
    >>> X = arange(15).reshape((5, 3)).astype(float)
    >>> print(X)
    [[ 0.  1.  2.]
     [ 3.  4.  5.]
     [ 6.  7.  8.]
     [ 9. 10. 11.]
     [12. 13. 14.]]
    >>> X = arange(6).reshape((2, 3)).astype(float)
    >>> X = limix.qc.mean_standardize(X, axis=0)
    >>> print(X)
    [[-1.22474487  0.          1.22474487]
     [-1.22474487  0.          1.22474487]]
    """
    return transform_groups(_standardize_columns, X, axis, inplace)
