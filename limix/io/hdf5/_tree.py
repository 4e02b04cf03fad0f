"""A tree view of any HDF5 file: groups, datasets with their type and shape, and links."""

from __future__ import annotations

import os

import h5py

from .._file import existing_file, malformed

__all__ = ["see", "tree"]


def _describe(obj: h5py.Dataset) -> str:
    dtype = "str" if h5py.check_string_dtype(obj.dtype) is not None else str(obj.dtype)
    return f"[{dtype}, {tuple(obj.shape)}]"


def _lines(group: h5py.Group, indent: str) -> list[str]:
    out = []
    names = list(group.keys())
    for k, name in enumerate(names):
        last = k == len(names) - 1
        branch, below = ("└── ", "    ") if last else ("├── ", "│   ")
        link = group.get(name, getlink=True)
        if isinstance(link, h5py.SoftLink):
            out.append(f"{indent}{branch}{name} -> {link.path}")
        elif isinstance(link, h5py.ExternalLink):
            out.append(f"{indent}{branch}{name} -> {link.filename}:{link.path}")
        else:
            obj = group[name]
            if isinstance(obj, h5py.Group):
                out.append(f"{indent}{branch}{name}/")
                out += _lines(obj, indent + below)
            else:
                out.append(f"{indent}{branch}{name} {_describe(obj)}")
    return out


def tree(filepath: str | os.PathLike[str]) -> str:
    """Tree view of an HDF5 file, as a string.

    Groups end with ``/``; datasets show their element type and shape; soft and external links
    show their target (they are not followed). Members are listed in the file's order.

    Parameters
    ----------
    filepath
        HDF5 file.

    Returns
    -------
    str
        One line per group, dataset or link.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it is not an HDF5 file.

    Examples
    --------
    >>> from limix.io import examples, hdf5
    >>>
    >>> print(hdf5.tree(examples.get("example.hdf5")))
    /
    ├── genotype/
    │   ├── col_header/
    │   │   ├── chrom [int64, (4,)]
    │   │   ├── pos [int64, (4,)]
    │   │   └── pos_cum [int64, (4,)]
    │   ├── matrix [float64, (5, 4)]
    │   └── row_header/
    │       └── sample_ID [int64, (5,)]
    └── phenotype/
        ├── col_header/
        │   ├── environment [float64, (3,)]
        │   ├── gene_ID [str, (3,)]
        │   └── gene_start [int64, (3,)]
        ├── matrix [float64, (5, 3)]
        └── row_header/
            └── sample_ID [int64, (5,)]
    """
    path = existing_file(filepath, "HDF5 file")
    if not h5py.is_hdf5(path):
        raise malformed(path, "not an HDF5 file")
    try:
        with h5py.File(path, "r") as f:
            return "\n".join(["/", *_lines(f, "")])
    except (OSError, RuntimeError, KeyError, UnicodeDecodeError) as e:  # a corrupt file
        raise malformed(path, f"unreadable HDF5 file: {e}") from None


def see(filepath: str | os.PathLike[str]) -> None:
    """Print the tree view of an HDF5 file (see :func:`tree`).

    Parameters
    ----------
    filepath
        HDF5 file.

    Examples
    --------
    >>> from limix.io import examples, hdf5
    >>>
    >>> hdf5.see(examples.get("example.hdf5"))  # doctest: +ELLIPSIS
    /
    ├── genotype/
    ...
            └── sample_ID [int64, (5,)]
    """
    print(tree(filepath))
