"""The trait(s) y as a DataArray (sample, trait)."""

from __future__ import annotations

from typing import Any

import xarray as xr

from ._labelled import TRAIT, as_labelled
from ._missing import reject_infinite

__all__ = ["as_trait"]


def as_trait(y: Any, name: str = "y") -> xr.DataArray:
    """Trait values as a float DataArray with dims ("sample", "trait").

    Parameters
    ----------
    y
        n values of one trait (1-D), or an n×p matrix of p traits: a list, numpy array, pandas
        Series/DataFrame (index: samples, columns: traits), xarray DataArray (the ``sample`` dim,
        or the dim that is not ``trait``/``outcome``/``phenotype``, holds the samples) or dask
        array (computed). Traits are named by the DataFrame columns, the DataArray coordinate or
        name, the Series name, or "0", "1", … .
    name
        The argument's name, for error messages.

    Returns
    -------
    xarray.DataArray
        Read-only float64 values; NaN marks a missing value (the policy that drops such samples
        is applied by :func:`~limix._data.prepare_inputs`).

    Raises
    ------
    ValueError
        If ``y`` is not numeric, not 1-D or 2-D, has no samples or no traits, or holds an
        infinite value.

    Examples
    --------
    >>> from limix._data import as_trait
    >>> y = as_trait([1.0, 2.0, 0.5])
    >>> y.dims, y.shape, list(y["trait"].values)
    (('sample', 'trait'), (3, 1), ['0'])
    """
    out = as_labelled(y, name, TRAIT)
    if out.shape[1] == 0:
        raise ValueError(f"{name} has no trait (shape {out.shape}).")
    reject_infinite(out.values, name)
    return out
