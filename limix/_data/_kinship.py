"""The kinship K as a DataArray (sample_0, sample_1), or (sample, factor) for K = XXᵀ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from glimix._check import asymmetry

from .._adapt import to_numpy, unwrap
from ._labelled import (
    FACTOR,
    as_labelled,
    check_unique_labels,
    label_array,
    pandas_labels,
    readonly,
)

if TYPE_CHECKING:
    from .._typing import Matrix

__all__ = ["KINSHIP_DIMS", "KinshipFactor", "as_kinship", "is_factor"]

KINSHIP_DIMS = ("sample_0", "sample_1")


@dataclass(frozen=True)
class KinshipFactor:
    """A kinship K = XXᵀ given by its n×r factor X (r usually much smaller than n).

    The analyses then work from an economic SVD of X, in O(n·r) memory, never forming the n×n
    K. The manual's analyses take an n×n K; this is the way to give them a low-rank one.

    Attributes
    ----------
    X
        The n×r factor, any accepted matrix type (rows are samples, labelled or not).

    Examples
    --------
    >>> from numpy import ones
    >>> from limix._data import KinshipFactor, as_kinship
    >>> as_kinship(KinshipFactor(ones((4, 2)))).dims
    ('sample', 'factor')
    """

    X: Matrix


def is_factor(K: xr.DataArray) -> bool:
    """Whether a converted kinship is given by its factor (dims ("sample", "factor"))."""
    return K.dims == ("sample", FACTOR.dim)


def _axis_labels(K: Any, kind: str, axis: int) -> pd.Index | None:
    if kind == "frame":
        return pandas_labels(K.columns if axis else K.index)
    if kind == "xarray":
        dim = K.dims[axis]
        return pd.Index(K.coords[dim].values) if dim in K.coords else None
    return None


def _check_symmetric(K: NDArray[np.float64], name: str, rtol: float = 1e-8) -> None:
    """max|K − Kᵀ| ≤ rtol·max(1, max|K|) (glimix's rule), tile by tile in bounded memory."""
    scale = max(1.0, float(np.max(np.abs(K)))) if K.size else 1.0
    worst = asymmetry(K) if K.size else 0.0
    if worst > rtol * scale:
        raise ValueError(f"{name} must be symmetric; max |K − Kᵀ| is {worst:.3g}.")


def _reconcile(
    rows: pd.Index | None, cols: pd.Index | None, name: str
) -> tuple[pd.Index | None, NDArray[np.intp] | None]:
    """One set of sample labels for K, and the column order that matches its rows."""
    for labels, what in ((rows, "sample"), (cols, "sample (column)")):
        if labels is not None:
            check_unique_labels(labels, name, what)
    if rows is None or cols is None:
        return (cols if rows is None else rows), None
    if rows.equals(cols):
        return rows, None
    order = cols.get_indexer(rows)
    absent = int(np.count_nonzero(order < 0))
    if absent:
        raise ValueError(
            f"{name}'s row and column labels must be the same samples: {absent} of its "
            f"{len(rows)} row label(s) are not column labels (e.g. {list(rows[order < 0][:3])})."
        )
    return rows, order


def _as_factor(factor: KinshipFactor, name: str) -> xr.DataArray:
    X = as_labelled(factor.X, name, FACTOR)
    bad = int(np.count_nonzero(~np.isfinite(X.values)))
    if bad:
        raise ValueError(
            f"{name} (a KinshipFactor) has {bad} non-finite value(s); a kinship must be finite."
        )
    return X


def as_kinship(K: Any, name: str = "K") -> xr.DataArray:
    """The kinship as a float DataArray with dims ("sample_0", "sample_1").

    Parameters
    ----------
    K
        An n×n finite symmetric matrix: numpy array, list, pandas DataFrame (index and columns
        label the samples; a default ``RangeIndex`` means no labels), xarray DataArray (the
        coordinates of its two dims label the samples) or dask array (computed: K is needed
        whole). When rows and columns are both labelled, the columns may be in another order;
        they are reordered to match the rows. A :class:`KinshipFactor` gives K = XXᵀ by X; a
        :class:`~limix._data.DecomposedKinship` gives its converted matrix.
    name
        The argument's name, for error messages.

    Returns
    -------
    xarray.DataArray
        Read-only float64 matrix with ``sample_0`` and ``sample_1`` coordinates when labelled;
        for a :class:`KinshipFactor`, the factor with dims ("sample", "factor").

    Raises
    ------
    ValueError
        If K is not numeric, not square, not finite or not symmetric, or its row and column
        labels are not the same samples. (Positive semi-definiteness is checked when K is
        decomposed, by :func:`~limix._data.kinship_qs`.)

    Examples
    --------
    >>> from pandas import DataFrame
    >>> from limix._data import as_kinship
    >>> K = DataFrame([[1.0, 0.2], [0.2, 1.0]], index=["a", "b"], columns=["b", "a"])
    >>> Kx = as_kinship(K)
    >>> print(Kx.values)
    [[0.2 1. ]
     [1.  0.2]]
    >>> list(Kx["sample_1"].values)
    ['a', 'b']
    """
    from ._qs import DecomposedKinship  # it builds on this module

    if isinstance(K, DecomposedKinship):
        return K.matrix
    if isinstance(K, KinshipFactor):
        return _as_factor(K, name)
    data, info = unwrap(K, name, ndims=(2,))
    values = to_numpy(data)
    if values.shape[0] != values.shape[1]:
        raise ValueError(
            f"{name} must be a square n×n matrix; got shape {values.shape}. "
            "(A low-rank K = XXᵀ is given by its factor: KinshipFactor(X).)"
        )
    if values.shape[0] == 0:
        raise ValueError(f"{name} has no samples (shape {values.shape}).")
    bad = int(np.count_nonzero(~np.isfinite(values)))
    if bad:
        raise ValueError(
            f"{name} has {bad} non-finite value(s) (NaN or infinity); a kinship matrix must be "
            "finite (missing values are not dropped from K)."
        )
    labels, order = _reconcile(_axis_labels(K, info.kind, 0), _axis_labels(K, info.kind, 1), name)
    if order is not None:
        values = values[:, order]
    _check_symmetric(values, name)
    coords = {}
    if labels is not None:
        coords = {dim: (dim, label_array(labels)) for dim in KINSHIP_DIMS}
    return xr.DataArray(readonly(values), dims=KINSHIP_DIMS, coords=coords, name=name)
