"""Quantile normalisation to a standard Gaussian."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtri
from scipy.stats import rankdata

from .._adapt import transform_groups

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["quantile_gaussianize"]


def _gaussianize_columns(A: NDArray[np.floating], name: str, group: str) -> NDArray[np.floating]:
    """Replace, in place, each observed value of a column by Φ⁻¹(rank/(n+1)).

    Every value is valid (NaN stays NaN), so ``name`` and ``group`` name nothing here.
    """
    observed = ~np.isnan(A)
    if observed.all():
        ranks = rankdata(A, axis=0)
    else:
        ranks = rankdata(A, axis=0, nan_policy="omit")
    count = observed.sum(axis=0)
    quantile = np.where(observed, ranks, 0.5) / (count + 1)
    A[observed] = ndtri(quantile[observed])
    return A


def quantile_gaussianize(X: ArrayLike, axis: int = 1, inplace: bool = False) -> Labelled:
    """Normalize a sequence of values via rank and Normal c.d.f.

    It defaults to column-wise normalization. Each observed value of a group of n observed
    values is replaced by the standard normal quantile of its rank,

        xᵢ ← Φ⁻¹(rᵢ/(n + 1)),

    where rᵢ is the rank of xᵢ in its group (ties get their average rank) and Φ the standard
    normal c.d.f. NaN values are ignored and stay NaN. With ``axis=1`` (or −1) the groups are the
    columns of a 2-D array, with ``axis=0`` its rows; a 1-D array is a single group.

    Parameters
    ----------
    X : array_like
        Array of values: numpy, pandas, xarray or dask (the result is then lazy).
    axis : int, optional
        Axis value. Defaults to 1.
    inplace : bool, optional
        Defaults to False. When True, ``X`` must be a writable floating-point numpy array and it
        is modified and returned.

    Returns
    -------
    array_like
        Gaussian-normalized values, of the type (and with the labels) of ``X``.

    Examples
    --------
    >>> from limix.qc import quantile_gaussianize
    >>> from numpy import array_str
    >>>
    >>> qg = quantile_gaussianize([-1, 0, 2])
    >>> print(qg)
    [-0.67448975  0.          0.67448975]
    """
    return transform_groups(_gaussianize_columns, X, axis, inplace)
