"""The limix HDF5 layout (phenotype and genotype matrices with headers) as xarray."""

from __future__ import annotations

import os
from pathlib import Path

import h5py
import numpy as np
import xarray as xr

from .._chunks import file_array, variant_chunk_size
from .._file import existing_file, malformed

__all__ = ["read_limix"]

_GROUPS = {"phenotype": "outcome", "genotype": "candidate"}


def _values(dataset: h5py.Dataset) -> np.ndarray:
    """A 1-D dataset as numpy; strings (fixed or variable length) become ``str`` objects."""
    if h5py.check_string_dtype(dataset.dtype) is not None:
        return np.array(dataset.asstr()[()], dtype=object)
    values = dataset[()]
    if values.dtype.kind == "S":
        return np.array([v.decode() for v in values], dtype=object)
    return values


class _Columns:
    """Array-like view of a 2-D dataset that opens the file for each requested block."""

    def __init__(self, path: Path, name: str, shape: tuple[int, int], dtype: np.dtype):
        self.path = path
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.ndim = 2

    def __getitem__(self, key: tuple[slice, slice]) -> np.ndarray:
        with h5py.File(self.path, "r") as f:
            return f[self.name][key]


def _matrix(path: Path, f: h5py.File, group: str, dim: str, lazy: bool) -> xr.DataArray:
    g = f[group]
    if not isinstance(g, h5py.Group) or "matrix" not in g:
        raise malformed(path, f"limix HDF5 layout: group '/{group}' has no 'matrix' dataset")
    matrix = g["matrix"]
    if not isinstance(matrix, h5py.Dataset) or matrix.ndim != 2:
        raise malformed(path, f"limix HDF5 layout: '/{group}/matrix' is not a 2-D dataset")
    nrows, ncols = matrix.shape

    sample = np.arange(nrows, dtype=np.int64)
    rows = g.get("row_header")
    if isinstance(rows, h5py.Group) and "sample_ID" in rows:
        if not isinstance(rows["sample_ID"], h5py.Dataset):
            raise malformed(
                path, f"limix HDF5 layout: '/{group}/row_header/sample_ID' is not a dataset"
            )
        sample = _values(rows["sample_ID"])
        if sample.shape != (nrows,):
            raise malformed(
                path,
                f"limix HDF5 layout: '/{group}/row_header/sample_ID' has shape {sample.shape}, "
                f"but '/{group}/matrix' has {nrows} rows",
            )
    coords: dict[str, tuple] = {"sample": ("sample", sample)}
    cols = g.get("col_header")
    if isinstance(cols, h5py.Group):
        for name, dataset in cols.items():
            if not isinstance(dataset, h5py.Dataset):
                continue
            values = _values(dataset)
            if values.shape != (ncols,):
                raise malformed(
                    path,
                    f"limix HDF5 layout: '/{group}/col_header/{name}' has shape {values.shape}, "
                    f"but '/{group}/matrix' has {ncols} columns",
                )
            coords[name] = (dim, values)

    if lazy:
        block = variant_chunk_size(nrows, matrix.dtype.itemsize, ncols)
        data = file_array(
            _Columns(path, matrix.name, (nrows, ncols), matrix.dtype),
            path,
            f"limix-hdf5-{group}-",
            (-1, block),
            matrix.dtype,
            group,
        )
    else:
        data = matrix[()]
    return xr.DataArray(data, dims=("sample", dim), coords=coords, name=group)


def read_limix(filepath: str | os.PathLike[str], *, lazy: bool = False) -> dict[str, xr.DataArray]:
    """Read the HDF5 limix file format.

    The layout (of limix 1 files such as ``smith08.hdf5``)::

        /phenotype/matrix                  samples-by-outcomes values
        /phenotype/row_header/sample_ID    (optional) sample labels
        /phenotype/col_header/<name>       (any number) one value per outcome
        /genotype/matrix                   samples-by-candidates values
        /genotype/row_header/sample_ID     (optional) sample labels
        /genotype/col_header/<name>        (any number) one value per candidate, e.g.
                                           chrom, pos, pos_cum

    At least one of the two groups must be present.

    Parameters
    ----------
    filepath
        HDF5 file.
    lazy
        ``False`` (default) to load the matrices into memory, as the manual's examples show;
        ``True`` for dask arrays read from the file block by block of columns (candidates,
        outcomes), for files larger than memory.

    Returns
    -------
    dict
        ``"phenotype"`` (dims ``sample``, ``outcome``) and/or ``"genotype"`` (dims ``sample``,
        ``candidate``) as :class:`xarray.DataArray`. The ``sample`` coordinate holds the
        ``sample_ID`` row header (0, 1, 2, ... without one); each column header becomes a
        coordinate along the columns; strings are decoded to ``str``.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it is not an HDF5 file, has neither group, a group has no 2-D ``matrix``, or a
        header's length does not match the matrix.

    Examples
    --------
    >>> from limix.io import examples, hdf5
    >>>
    >>> data = hdf5.read_limix(examples.get("example.hdf5"))
    >>> print(list(data))
    ['phenotype', 'genotype']
    >>> print(data["genotype"])  # doctest: +NORMALIZE_WHITESPACE
    <xarray.DataArray 'genotype' (sample: 5, candidate: 4)> Size: 160B
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [0., 1., 0., 0.],
           [1., 0., 1., 1.],
           [0., 0., 0., 0.]])
    Coordinates:
      * sample   (sample) int64 40B 0 1 2 3 4
        chrom    (candidate) int64 32B 1 1 2 2
        pos      (candidate) int64 32B 483 484 120 3220
        pos_cum  (candidate) int64 32B 483 484 604 3704
    Dimensions without coordinates: candidate
    """
    path = existing_file(filepath, "HDF5 file")
    if not h5py.is_hdf5(path):
        raise malformed(path, "not an HDF5 file")
    try:
        with h5py.File(path, "r") as f:
            present = [group for group in _GROUPS if group in f]
            if not present:
                raise malformed(
                    path,
                    "limix HDF5 layout: the file has neither a '/phenotype' nor a '/genotype' "
                    f"group (it has {sorted(f.keys())})",
                )
            return {group: _matrix(path, f, group, _GROUPS[group], lazy) for group in present}
    except (OSError, RuntimeError, KeyError, UnicodeDecodeError) as e:  # a corrupt file
        raise malformed(path, f"unreadable HDF5 file: {e}") from None
