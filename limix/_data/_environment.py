"""Environments E (of the interaction tests) as a DataArray (sample, environment)."""

from __future__ import annotations

from typing import Any

import xarray as xr

from ._labelled import ENVIRONMENT, as_labelled
from ._missing import reject_infinite

__all__ = ["as_environment"]


def as_environment(E: Any, name: str = "E") -> xr.DataArray:
    """Environment variables as a float DataArray with dims ("sample", "environment").

    Parameters
    ----------
    E
        An n×e matrix (or n values of one environment) of any accepted type (list, numpy,
        pandas, xarray, dask — computed); columns are named as for covariates.
    name
        The argument's name (``"E0"``, ``"E1"``), for error messages.

    Returns
    -------
    xarray.DataArray
        Read-only float64 values; NaN marks a missing value.

    Raises
    ------
    ValueError
        If ``E`` is not numeric, not 1-D or 2-D, has no samples, or holds an infinite value.

    Examples
    --------
    >>> from limix._data import as_environment
    >>> as_environment([0.0, 1.0, 1.0], "E0").dims
    ('sample', 'environment')
    """
    out = as_labelled(E, name, ENVIRONMENT)
    reject_infinite(out.values, name)
    return out
