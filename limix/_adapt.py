"""One numpy implementation, every array type: the adapter behind ``limix.qc`` and ``limix.stats``.

Every function of those modules is written once, on numpy arrays. This module turns what the
caller passed (a list, a numpy array, a pandas Series or DataFrame, an xarray DataArray, a dask
array, or a DataArray holding a dask array) into the array the implementation needs, and turns
the result back into the caller's type with the caller's labels:

* :func:`unwrap` checks the input is numeric and of an accepted dimensionality and returns
  ``(data, labels)``: ``data`` is a float numpy array or a lazy float dask array (never the
  caller's own buffer to write into), ``labels`` a :class:`Labels` that rebuilds outputs.
* :func:`columnwise` applies an implementation that works on the columns of a 2-D float array
  (each column one group: a variant, a trait) along any axis, eagerly on numpy and lazily on dask
  (one ``map_blocks`` over blocks that each hold whole groups).
* :func:`column_blocks` streams a samples-by-variants matrix in column blocks of bounded memory,
  which is how reductions over a lazy genotype matrix (kinship, LD pruning) touch it.

Inputs are never modified: implementations that work in place are handed a copy unless the
caller asked for ``inplace=True`` on a writable numpy array.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from glimix._check import positive_int
from glimix._dask import is_dask, local_compute, prefetched

__all__ = [
    "Labels",
    "check_out_array",
    "column_blocks",
    "columnwise",
    "group_word",
    "inplace_array",
    "is_dask",
    "observed_per_column",
    "positive_int",
    "real_number",
    "reject_infinite_values",
    "to_numpy",
    "unwrap",
]

Array = NDArray[np.float64]

# Memory per streamed block of a lazy matrix. Big enough for BLAS-3 efficiency, small enough that
# a few of them live side by side on a laptop.
BLOCK_BYTES = 64 * 2**20


def _is_pandas(x: object) -> bool:
    return type(x).__module__.split(".")[0] == "pandas"


def _is_xarray(x: object) -> bool:
    return type(x).__module__.split(".")[0] == "xarray" and hasattr(x, "dims")


def _kind(x: object) -> str:
    if _is_xarray(x):
        if type(x).__name__ != "DataArray":
            raise ValueError("an xarray input must be a DataArray; got a " + type(x).__name__)
        return "xarray"
    if _is_pandas(x):
        name = type(x).__name__
        if name == "DataFrame":
            return "frame"
        if name == "Series":
            return "series"
        raise ValueError(f"a pandas input must be a Series or a DataFrame; got a {name}")
    if is_dask(x):
        return "dask"
    return "numpy"


class Labels:
    """What is needed to give a result the caller's type and labels.

    Built by :func:`unwrap`; ``original`` is the caller's object, untouched.
    """

    def __init__(self, original: Any, kind: str, ndim: int) -> None:
        self.original = original
        self.kind = kind
        self.ndim = ndim

    @property
    def lazy(self) -> bool:
        """True when the data is a dask array (directly or inside a DataArray)."""
        if self.kind == "dask":
            return True
        return self.kind == "xarray" and is_dask(self.original.data)

    def dim(self, axis: int) -> str | None:
        """The name of ``axis`` for a DataArray, else None."""
        if self.kind == "xarray":
            return str(self.original.dims[axis])
        return None

    def like(self, values: Any) -> Any:
        """``values`` (same shape as the input) in the input's type, with its labels."""
        if self.kind == "frame":
            import pandas as pd

            return pd.DataFrame(values, index=self.original.index, columns=self.original.columns)
        if self.kind == "series":
            import pandas as pd

            return pd.Series(values, index=self.original.index, name=self.original.name)
        if self.kind == "xarray":
            return self.original.copy(data=values)
        return values

    def along(self, values: Any, axis: int) -> Any:
        """A vector whose entries follow ``axis`` of the input, labelled as that axis."""
        axis = axis % self.ndim
        if self.kind == "frame":
            import pandas as pd

            index = self.original.columns if axis == 1 else self.original.index
            return pd.Series(np.asarray(values), index=index)
        if self.kind == "series":
            import pandas as pd

            return pd.Series(np.asarray(values), index=self.original.index)
        if self.kind == "xarray":
            return self._xarray_vector(values, axis)
        return values

    def _xarray_vector(self, values: Any, axis: int) -> Any:
        import xarray as xr

        dim = self.original.dims[axis]
        coords = {
            name: coord for name, coord in self.original.coords.items() if coord.dims == (dim,)
        }
        return xr.DataArray(values, dims=(dim,), coords=coords)

    def subset(self, index: NDArray[np.intp], axis: int) -> Any:
        """The input restricted to positions ``index`` along ``axis`` (lazy inputs stay lazy)."""
        axis = axis % self.ndim
        obj = self.original
        if self.kind in ("frame", "series"):
            return obj.iloc[:, index] if axis == 1 else obj.iloc[index]
        if self.kind == "xarray":
            return obj.isel({obj.dims[axis]: index})
        if self.kind == "numpy":
            obj = np.asarray(obj)
        key: tuple[Any, ...] = (slice(None),) * axis + (index,)
        return obj[key]

    def square(self, K: Array, axis: int) -> Any:
        """An n×n matrix indexed on both sides by ``axis`` of the input (e.g. a kinship)."""
        axis = axis % self.ndim
        if self.kind == "frame":
            import pandas as pd

            labels = self.original.index if axis == 0 else self.original.columns
            return pd.DataFrame(K, index=labels, columns=labels.copy())
        if self.kind == "xarray":
            import xarray as xr

            dim = str(self.original.dims[axis])
            dims = (f"{dim}_0", f"{dim}_1")
            coords = {}
            if dim in self.original.coords:
                values = self.original.coords[dim].values
                coords = {dims[0]: values, dims[1]: values}
            return xr.DataArray(K, dims=dims, coords=coords)
        return K


def _check_numeric_dtype(dtype: np.dtype, name: str) -> None:
    if dtype == np.bool_ or np.issubdtype(dtype, np.number):
        if np.issubdtype(dtype, np.complexfloating):
            raise ValueError(f"{name} must be real-valued; got dtype {dtype}.")
        return
    raise ValueError(f"{name} must be numeric; got dtype {dtype}.")


def unwrap(x: Any, name: str, ndims: tuple[int, ...] = (1, 2)) -> tuple[Any, Labels]:
    """The caller's ``x`` as a float array (numpy, or dask when lazy) plus its :class:`Labels`.

    The float array may share memory with the caller's object: read it, never write to it.

    Parameters
    ----------
    x
        A list, numpy array, pandas Series/DataFrame, xarray DataArray or dask array.
    name
        The argument's name, used in error messages.
    ndims
        Accepted numbers of dimensions.

    Raises
    ------
    ValueError
        If ``x`` is not numeric, or its dimensionality is not one of ``ndims``.
    """
    kind = _kind(x)
    if kind in ("frame", "series"):
        from pandas.api.types import is_bool_dtype, is_numeric_dtype

        dtypes = set(x.dtypes) if kind == "frame" else {x.dtype}
        for dtype in dtypes:
            if not (is_numeric_dtype(dtype) or is_bool_dtype(dtype)) or str(dtype).startswith(
                "complex"
            ):
                raise ValueError(f"{name} must be numeric; got a column of dtype {dtype}.")
        try:
            data = x.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{name} must be numeric: {err}") from None
    elif kind == "xarray":
        data = _as_float(x.data, name)
    else:
        data = _as_float(x, name)
    if data.ndim not in ndims:
        allowed = " or ".join(str(d) for d in ndims)
        raise ValueError(f"{name} must have {allowed} dimension(s); got shape {data.shape}.")
    return data, Labels(x, kind, data.ndim)


def _as_float(x: Any, name: str) -> Any:
    if is_dask(x):
        _check_numeric_dtype(np.dtype(x.dtype), name)
        return x.astype(float) if x.dtype != np.float64 else x
    if isinstance(x, np.ndarray):
        _check_numeric_dtype(x.dtype, name)
        return x.astype(float, copy=False)
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a numeric array: {err}") from None
    if arr.dtype == object:
        try:
            return arr.astype(float)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{name} must be numeric: {err}") from None
    _check_numeric_dtype(arr.dtype, name)
    return arr.astype(float, copy=False)


def to_numpy(data: Any) -> Array:
    """``data`` as an in-memory numpy array (a dask array is computed)."""
    if is_dask(data):
        return np.asarray(data.compute())
    return np.asarray(data)


def columnwise(
    func: Callable[[Array], Any],
    data: Any,
    axis: int,
    *,
    reduces: bool = False,
    dtype: Any = float,
) -> Any:
    """Apply ``func`` to the groups of a 1-D or 2-D array, eagerly or lazily.

    ``func`` receives a 2-D float array whose *columns* are the groups and returns either an
    array of the same shape or, when ``reduces``, one value per column. It may work in place: on
    numpy it is given ``data`` itself (a view of it), so pass a copy unless writing into the
    caller's array is intended; on dask every block it sees is a private copy.

    For a 2-D array the groups are indexed by ``axis``: ``axis=1`` (or −1) makes each column a
    group, ``axis=0`` each row. A 1-D array is a single group and ``axis`` is not used. On a dask
    array the other axis is gathered into one chunk so every block holds whole groups, and the
    result is lazy.
    """
    if data.ndim == 1:
        out = columnwise(func, data[:, None], 1, reduces=reduces, dtype=dtype)
        return out[0] if reduces else out[:, 0]
    if axis not in (-2, -1, 0, 1):
        raise ValueError(f"axis must be one of -2, -1, 0, 1 for a 2-D array; got {axis!r}.")
    by_rows = axis % 2 == 0
    if is_dask(data):
        block_axis = 1 if by_rows else 0  # the axis each group is spread along
        data = data.rechunk({block_axis: -1})

        def block(b: Array) -> Any:
            b = np.array(b, dtype=float)  # private copy
            return func(b.T).T if by_rows else func(b)

        if reduces:
            return data.map_blocks(block, drop_axis=block_axis, dtype=dtype)
        return data.map_blocks(block, dtype=dtype)
    return func(data.T).T if by_rows else func(data)


def transform_groups(
    kernel: Callable[..., Any], X: Any, axis: int, inplace: bool, name: str = "X"
) -> Any:
    """Apply the group-wise transform ``kernel`` to ``X``.

    ``kernel(block, name=name, group=word)`` works as :func:`columnwise`'s ``func`` does; ``name``
    and ``word`` ("column", "row" or "array", from :func:`group_word`) are for its messages.
    With ``inplace``, ``X`` must be a writable floating-point numpy array and is overwritten and
    returned; otherwise ``kernel`` works on a private copy (or lazily, on a dask array) and the
    result has the type and labels of ``X``. This is the ``inplace`` contract of every
    :mod:`limix.qc` transform.
    """
    if inplace:
        target = inplace_array(X, name)
        if target.ndim not in (1, 2):
            raise ValueError(f"{name} must have 1 or 2 dimension(s); got shape {target.shape}.")
        columnwise(partial(kernel, name=name, group=group_word(target.ndim, axis)), target, axis)
        return target
    data, labels = unwrap(X, name)
    func = partial(kernel, name=name, group=group_word(data.ndim, axis))
    if not labels.lazy:
        data = np.array(data, dtype=float)  # private copy: the transforms work in place
    return labels.like(columnwise(func, data, axis))


def column_blocks(data: Any, budget: int = BLOCK_BYTES) -> Iterator[tuple[int, int, Array]]:
    """Yield ``(start, stop, block)`` with ``block`` the float columns ``start:stop`` in memory.

    Blocks hold about ``budget`` bytes; for a dask array they follow its column chunks (merging
    small ones) so every chunk is read once, and the next block is read in a background thread
    while the current one is being used (so up to three blocks are alive at once). Each block is a
    private, writable, C-ordered float64 array that the consumer may modify in place: it never
    shares memory with ``data``.
    """
    for start, stop, block, _ in column_blocks_with(data, None, budget):
        yield start, stop, block


def column_blocks_with(
    data: Any, companion: Any, budget: int = BLOCK_BYTES
) -> Iterator[tuple[int, int, Array, Array | None]]:
    """:func:`column_blocks`, each block with the matching entries of a per-column companion.

    ``companion`` is a 1-D array with one entry per column of ``data`` (or ``None``); for dask
    arrays both are computed together, so a companion derived from ``data`` (its per-column
    missing counts, say) shares the reading of each block.

    Yields
    ------
    tuple
        ``(start, stop, block, companion[start:stop])``; the last is ``None`` without a
        companion.
    """
    n, p = data.shape
    width = max(1, budget // max(1, 8 * n))
    if not is_dask(data):
        for start in range(0, p, width):
            stop = min(p, start + width)
            extra = None if companion is None else np.asarray(companion[start:stop])
            yield start, stop, _private(data[:, start:stop]), extra
        return
    edges = np.cumsum((0, *data.chunks[1]))
    ranges = []
    start = 0
    while start < p:
        # last chunk edge within budget, but always make progress by at least one chunk
        within = edges[(edges > start) & (edges <= start + width)]
        stop = int(within[-1]) if within.size else int(edges[edges > start][0])
        ranges.append((start, stop))
        start = stop

    def load(bounds: tuple[int, int]) -> tuple[Array, Array | None]:
        columns = slice(bounds[0], bounds[1])
        if companion is None:
            (block,) = local_compute(data[:, columns])
            return _computed(block), None
        block, extra = local_compute(data[:, columns], companion[columns])
        return _computed(block), np.asarray(extra)

    # Read the next block (file I/O, decoding) while the consumer works on the current one.
    for bounds, (block, extra) in prefetched(ranges, load):
        yield bounds[0], bounds[1], block, extra


def _computed(block: Any) -> Array:
    """A block that ``dask.compute`` returned, as a private C-ordered float64 array.

    dask hands back a fresh array — a single chunk is copied (its ``finalize``), several are
    concatenated — so it is copied again only to change its order or type
    (``tests/limix/test_adapt.py`` checks that no block shares memory with the source).
    """
    arr = np.ascontiguousarray(block, dtype=float)
    if not arr.flags.writeable:
        arr = arr.copy()
    return arr


def _private(block: Any) -> Array:
    """``block`` as a float64 C-ordered array owning its memory (copied only when needed)."""
    arr = np.ascontiguousarray(block, dtype=float)
    if arr.base is not None or not arr.flags.writeable or arr is block:
        arr = arr.copy()
    return arr


def real_number(x: object, name: str, low: float = -np.inf, high: float = np.inf) -> float:
    """``x`` as a finite float in [low, high]."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise ValueError(f"{name} must be a real number; got {x!r}.")
    value = float(x)
    if not np.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name} must be a finite number in [{low}, {high}]; got {x!r}.")
    return value


def reject_infinite_values(values: NDArray[np.floating], name: str) -> None:
    """Refuse infinite values: only NaN marks a missing value.

    Parameters
    ----------
    values
        Array to check.
    name
        What error messages call it (the argument's name).

    Raises
    ------
    ValueError
        If ``values`` holds an infinite value.
    """
    if np.isinf(values).any():
        raise ValueError(f"{name} has infinite values; only NaN is treated as missing.")


def observed_per_column(
    observed: NDArray[np.bool_],
    name: str,
    group: str,
    undefined: str,
    entry: str = "value",
    position: str = "index",
) -> NDArray[np.intp]:
    """Number of observed entries of each column, refusing a column without any.

    Parameters
    ----------
    observed
        Which entries of a 2-D array are observed (not NaN).
    name
        What error messages call the array (the argument's name).
    group
        What error messages call a column ("column", "row" or "array", see :func:`group_word`).
    undefined
        The end of the error message: why a column without observed values cannot be used.
    entry
        What error messages call an entry ("value", "genotype").
    position
        What error messages call the position of a column ("index", "column").

    Returns
    -------
    ndarray
        The count of observed entries per column, each at least 1.

    Raises
    ------
    ValueError
        If a column has no observed entry.
    """
    count = observed.sum(axis=0)
    empty = np.flatnonzero(count == 0)
    if empty.size:
        raise ValueError(
            f"{name} has {empty.size} {group}(s) with no observed {entry} (first at {position} "
            f"{empty[0]}); {undefined}."
        )
    return count


def inplace_array(x: Any, name: str) -> Array:
    """``x`` itself, checked to be a writable floating-point numpy array (for ``inplace=True``)."""
    if (
        not isinstance(x, np.ndarray)
        or not np.issubdtype(x.dtype, np.floating)
        or not x.flags.writeable
    ):
        got = type(x).__name__ if not isinstance(x, np.ndarray) else f"array of dtype {x.dtype}"
        raise ValueError(
            f"inplace=True needs {name} to be a writable floating-point numpy array; got {got}."
        )
    return x


def check_out_array(out: Any, shape: tuple[int, ...]) -> None:
    """Check that ``out`` can receive a result: a writable float64 numpy array of ``shape``.

    Parameters
    ----------
    out
        The array given as a function's ``out`` argument.
    shape
        The shape of the result.

    Raises
    ------
    ValueError
        If ``out`` is not a writable float64 numpy array of that shape.
    """
    if (
        not isinstance(out, np.ndarray)
        or out.dtype != np.float64
        or out.shape != shape
        or not out.flags.writeable
    ):
        raise ValueError(f"out must be a writable float64 numpy array of shape {shape}.")


def group_word(ndim: int, axis: int) -> str:
    """How error messages call a group: "column", "row" or "array"."""
    if ndim == 1:
        return "array"
    return "row" if axis % 2 == 0 else "column"
