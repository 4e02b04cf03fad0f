"""Any sample-indexed input as a DataArray with dims ("sample", <axis>), labels kept.

This is the common core of :func:`~limix._data.as_trait`, :func:`~limix._data.as_covariates`,
:func:`~limix._data.as_environment` and :func:`~limix._data.as_genotype`. It reads:

* a list, a numpy array or a dask array: rows are samples, no sample labels;
* a pandas Series (one column) or DataFrame: rows are samples labelled by the index, except a
  default ``RangeIndex`` (0, 1, …, n−1), which carries no information and is read as "no labels";
  DataFrame columns name the other axis;
* an xarray DataArray: the dim named ``sample`` holds the samples; otherwise, when a dim has one of
  the axis' names (``variant`` or ``candidate`` for genotypes, ``outcome`` for traits, …) the other
  dim holds the samples; otherwise the first dim does. The sample labels are the coordinate of the
  sample dim, when there is one. Coordinates along the other dim are kept.

A DataArray without a ``sample`` coordinate is "unlabelled": the alignment matches it to the
trait by position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from .._adapt import to_numpy, unwrap

__all__ = [
    "CANDIDATE",
    "COVARIATE",
    "ENVIRONMENT",
    "FACTOR",
    "NTRIALS",
    "SAMPLE",
    "TRAIT",
    "Axis",
    "as_labelled",
    "label_array",
    "pandas_labels",
    "readonly",
    "sample_labels",
]

SAMPLE = "sample"


@dataclass(frozen=True)
class Axis:
    """The non-sample axis of an input kind.

    Attributes
    ----------
    dim
        Its dim name in the output.
    aliases
        DataArray dim names read as this axis (so that the other dim is the sample one).
    string_labels
        Default and given labels become strings ("0", "1", …), as the manual prints design
        column names; otherwise given labels are kept and the default is 0, 1, ….
    """

    dim: str
    aliases: tuple[str, ...]
    string_labels: bool = True

    @property
    def label_word(self) -> str:
        """What error messages call one of its labels."""
        return {"candidate": "candidate (variant)", "ntrials": "column"}.get(self.dim, self.dim)


TRAIT = Axis("trait", ("trait", "outcome", "phenotype"))
COVARIATE = Axis("covariate", ("covariate",))
ENVIRONMENT = Axis("environment", ("environment",))
CANDIDATE = Axis("candidate", ("candidate", "variant"), string_labels=False)
FACTOR = Axis("factor", ("factor",), string_labels=False)
NTRIALS = Axis("ntrials", ("ntrials",))


def readonly(values: NDArray[Any]) -> NDArray[Any]:
    """A read-only view of ``values``: downstream code cannot write into the caller's buffer."""
    view = np.asarray(values).view()
    view.flags.writeable = False
    return view


def label_array(labels: pd.Index) -> NDArray[Any]:
    """``labels`` as a 1-D numpy array (tuples of a MultiIndex stay whole objects)."""
    if isinstance(labels, pd.MultiIndex):
        out = np.empty(len(labels), dtype=object)
        out[:] = list(labels)
        return out
    return labels.to_numpy()


def pandas_labels(index: pd.Index) -> pd.Index | None:
    """The labels of a pandas axis, or None for a default ``RangeIndex`` (0, …, n−1)."""
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return None
    if isinstance(index, pd.MultiIndex):
        return pd.Index(label_array(index), dtype=object)
    return index


def check_unique_labels(labels: Any, name: str, what: str) -> None:
    """A ``ValueError`` naming them when ``labels`` has missing (NaN/None) or repeated values.

    A repeated label cannot be matched to one row (which of them is the sample, variant or
    column meant is unknowable), and a missing one matches nothing; neither is guessed.

    Examples
    --------
    >>> from limix._data._labelled import check_unique_labels
    >>> check_unique_labels(["a", "b", "a"], "y", "sample")
    Traceback (most recent call last):
    ...
    ValueError: y has 1 duplicated sample label: ['a'] (2 rows). Labels must be unique: a repeated label cannot be matched to one row.
    """  # noqa: E501
    index = labels if isinstance(labels, pd.Index) else pd.Index(np.asarray(labels, dtype=object))
    missing = int(np.count_nonzero(pd.isna(index)))
    if missing:
        raise ValueError(
            f"{name} has {missing} missing {what} label(s) (NaN or None); every {what} must be "
            "labelled (or none, to match by position)."
        )
    if not index.has_duplicates:
        return
    counts = index.value_counts()
    repeated = counts[counts > 1]
    shown = ", ".join(f"{label!r}" for label in repeated.index[:5])
    more = f" and {len(repeated) - 5} more" if len(repeated) > 5 else ""
    plural = "s" if len(repeated) > 1 else ""
    where = "row" if what.startswith("sample") else "column"
    raise ValueError(
        f"{name} has {len(repeated)} duplicated {what} label{plural}: [{shown}{more}] "
        f"({int(repeated.sum())} {where}s). Labels must be unique: a repeated label cannot be "
        f"matched to one {where}."
    )


def sample_labels(x: xr.DataArray, dim: str = SAMPLE) -> pd.Index | None:
    """The labels of ``dim`` of a converted input, or None when it has none."""
    if dim in x.coords:
        return pd.Index(x.coords[dim].values)
    return None


def _other_labels(labels: Any, count: int, axis: Axis) -> NDArray[Any]:
    if labels is None:
        if axis.string_labels:
            return np.array([str(i) for i in range(count)], dtype=object)
        return np.arange(count)
    values = np.asarray(labels) if not isinstance(labels, pd.Index) else label_array(labels)
    if axis.string_labels:
        return np.array([str(v) for v in values], dtype=object)
    return values


def _dataarray_layout(x: xr.DataArray, axis: Axis) -> tuple[str, str | None]:
    """(sample dim, other dim or None) of a DataArray input."""
    dims = [str(d) for d in x.dims]
    if len(dims) == 1:
        return dims[0], None
    if SAMPLE in dims:
        return SAMPLE, dims[1 - dims.index(SAMPLE)]
    named = [d for d in dims if d in axis.aliases]
    if len(named) == 1:
        return dims[1 - dims.index(named[0])], named[0]
    return dims[0], dims[1]


def _from_dataarray(x: xr.DataArray, data: Any, axis: Axis) -> tuple[Any, Any, dict[str, Any]]:
    sdim, odim = _dataarray_layout(x, axis)
    if odim is None:
        return data[:, None], _other_labels([x.name] if x.name is not None else None, 1, axis), {}
    if x.dims[0] != sdim:
        data = data.T
    coords: dict[str, Any] = {}
    for cname, coord in x.coords.items():
        if coord.dims == (odim,) and cname != odim and cname not in (SAMPLE, axis.dim):
            coords[str(cname)] = (axis.dim, coord.data)
    given = x.coords[odim].values if odim in x.coords else None
    return data, _other_labels(given, data.shape[1], axis), coords


def as_labelled(x: Any, name: str, axis: Axis, *, lazy: bool = False) -> xr.DataArray:
    """``x`` as a float DataArray with dims ("sample", ``axis.dim``).

    Parameters
    ----------
    x
        A list, numpy array, pandas Series/DataFrame, xarray DataArray or dask array, 1-D (one
        column) or 2-D.
    name
        The argument's name, for error messages.
    axis
        What the columns are.
    lazy
        Keep a dask array lazy (genotypes); otherwise it is computed.

    Returns
    -------
    xarray.DataArray
        Float64 values (read-only when in memory), a ``sample`` coordinate when the input has
        sample labels, and a coordinate of ``axis.dim`` labels (plus any other coordinate the
        input had along that axis).

    Raises
    ------
    ValueError
        If ``x`` is not numeric, not 1-D or 2-D, or has no samples.

    Examples
    --------
    >>> from pandas import DataFrame
    >>> from limix._data._labelled import COVARIATE, as_labelled
    >>> M = DataFrame({"age": [30.0, 41.0]}, index=["s1", "s2"])
    >>> X = as_labelled(M, "M", COVARIATE)
    >>> X.dims, list(X["sample"].values), list(X["covariate"].values)
    (('sample', 'covariate'), ['s1', 's2'], ['age'])
    """
    data, info = unwrap(x, name, ndims=(1, 2))
    labels: pd.Index | None = None
    coords: dict[str, Any] = {}
    if info.kind == "xarray":
        data, other, coords = _from_dataarray(x, data, axis)
        sdim = _dataarray_layout(x, axis)[0]
        labels = pd.Index(x.coords[sdim].values) if sdim in x.coords else None
    elif info.kind == "series":
        labels = pandas_labels(x.index)
        data = data[:, None]
        other = _other_labels([x.name] if x.name is not None else None, 1, axis)
    elif info.kind == "frame":
        labels = pandas_labels(x.index)
        other = _other_labels(pandas_labels(x.columns), data.shape[1], axis)
    else:
        if data.ndim == 1:
            data = data[:, None]
        other = _other_labels(None, data.shape[1], axis)
    if data.shape[0] == 0:
        raise ValueError(f"{name} has no samples (shape {tuple(data.shape)}).")
    if labels is not None:
        check_unique_labels(labels, name, "sample")
    check_unique_labels(other, name, axis.label_word)
    if not lazy:
        data = readonly(to_numpy(data))
    coords[axis.dim] = (axis.dim, other)
    if labels is not None:
        coords[SAMPLE] = (SAMPLE, label_array(labels))
    return xr.DataArray(data, dims=(SAMPLE, axis.dim), coords=coords, name=name)
