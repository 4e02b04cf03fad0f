"""The covariates M as a DataArray (sample, covariate), or the offset when M is None."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from ._labelled import COVARIATE, SAMPLE, as_labelled, label_array, readonly
from ._missing import reject_infinite

__all__ = ["OFFSET", "as_covariates", "offset_covariate"]

#: Name of the covariate added when M is None.
OFFSET = "offset"


def offset_covariate(samples: int | pd.Index) -> xr.DataArray:
    """A column of ones named "offset", the covariate the analyses use when M is None.

    Parameters
    ----------
    samples
        The number of samples, or their labels (which become the ``sample`` coordinate).

    Examples
    --------
    >>> from limix._data import offset_covariate
    >>> print(offset_covariate(3).values.ravel())
    [1. 1. 1.]
    """
    coords: dict[str, Any] = {"covariate": ("covariate", np.array([OFFSET], dtype=object))}
    if isinstance(samples, pd.Index):
        n = len(samples)
        coords[SAMPLE] = (SAMPLE, label_array(samples))
    else:
        n = int(samples)
    return xr.DataArray(readonly(np.ones((n, 1))), dims=(SAMPLE, "covariate"), coords=coords)


def as_covariates(M: Any, n: int | None = None, name: str = "M") -> xr.DataArray:
    """Covariates as a float DataArray with dims ("sample", "covariate").

    The values are used as given (no normalisation, no offset added), as the manual says.

    Parameters
    ----------
    M
        An n×c matrix (or n values of one covariate) of any accepted type: list, numpy array,
        pandas Series/DataFrame (index: samples, columns: covariate names), xarray DataArray,
        dask array (computed). ``None`` gives the offset (a column of ones named "offset").
    n
        Number of samples of the offset when ``M`` is None.
    name
        The argument's name, for error messages.

    Returns
    -------
    xarray.DataArray
        Read-only float64 values; NaN marks a missing value.

    Raises
    ------
    ValueError
        If ``M`` is not numeric, not 1-D or 2-D, has no samples, or holds an infinite value;
        or if ``M`` is None and ``n`` is not given.

    Examples
    --------
    >>> from numpy import array
    >>> from limix._data import as_covariates
    >>> X = as_covariates(array([[1.0, 38.0], [1.0, 59.0]]))
    >>> list(X["covariate"].values)
    ['0', '1']
    >>> list(as_covariates(None, 2)["covariate"].values)
    ['offset']
    """
    if M is None:
        if n is None:
            raise ValueError(f"{name} is None: the number of samples of the offset is needed.")
        return offset_covariate(n)
    out = as_labelled(M, name, COVARIATE)
    reject_infinite(out.values, name)
    return out
