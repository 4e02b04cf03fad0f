"""Kinship matrix files: a ``.npy`` array or a ``.grm.raw`` text matrix, with sample IDs beside.

The sample IDs of ``FILE`` are in ``FILE.id`` (as PLINK writes ``.rel`` and ``.rel.id``): one
line per sample, ``FID IID`` or just ``IID``; lines starting with ``#`` are headers. A GCTA-style
``PREFIX.grm.id`` is also read for ``PREFIX.grm.raw``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from limix._files import atomic_write

__all__ = ["FORMATS", "id_file", "kinship_format", "read_kinship", "write_kinship"]

#: Kinship file formats by name ending, with what they are.
FORMATS = {".npy": "NumPy array", ".grm.raw": "tab-separated text matrix"}


def kinship_format(path: str) -> str:
    """The format of a kinship file from its name: ``".npy"`` or ``".grm.raw"``.

    Raises
    ------
    ValueError
        If the name ends with neither.
    """
    lower = path.lower()
    for suffix in FORMATS:
        if lower.endswith(suffix):
            return suffix
    raise ValueError(f"'{path}' must end with .npy (NumPy array) or .grm.raw (text matrix)")


def id_file(path: str) -> str:
    """The file holding the sample IDs of the kinship file ``path``: ``path + ".id"``."""
    return path + ".id"


def _read_ids(path: str) -> pd.Index | None:
    candidates = [id_file(path)]
    if path.lower().endswith(".grm.raw"):
        candidates.append(path[: -len(".raw")] + ".id")
    for candidate in candidates:
        if os.path.isfile(candidate):
            ids = []
            with open(candidate, encoding="utf-8") as f:
                for line in f:
                    fields = line.split()
                    if fields and not fields[0].startswith("#"):
                        ids.append(fields[1] if len(fields) > 1 else fields[0])
            index = pd.Index(ids, dtype=object, name="sample")
            if index.has_duplicates:
                repeated = index[index.duplicated()].unique()[:3].tolist()
                raise ValueError(f"'{candidate}' has repeated sample IDs: {repeated}")
            return index
    return None


def read_kinship(path: str, require_ids: bool = True) -> tuple[np.ndarray, pd.Index | None]:
    """Read a kinship matrix and its sample IDs.

    Parameters
    ----------
    path
        ``.npy`` array, or a text matrix (``.grm.raw`` or any other name: whitespace-separated
        numbers, one row per line).
    require_ids
        ``True`` to refuse a matrix without its ``.id`` file.

    Returns
    -------
    K : ndarray
        The n×n matrix (float64).
    ids : pandas.Index or None
        The sample IDs of its rows and columns (``None`` if there are none and they are not
        required).

    Raises
    ------
    ValueError
        If the matrix is not square, not numeric, or does not match its IDs in size.
    """
    from limix.io import npy

    with open(path, "rb") as f:
        is_npy = f.read(6) == b"\x93NUMPY"
    if is_npy:
        K = np.asarray(npy.read(path, verbose=False, mmap=False), dtype=np.float64)
    else:
        try:
            K = pd.read_csv(path, sep=r"\s+", header=None, dtype=np.float64).to_numpy()
        except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as e:
            raise ValueError(f"'{path}' is not a matrix of numbers: {e}") from None
    if not np.isfinite(K).all():
        raise ValueError(
            f"'{path}' has missing or non-finite values (or rows of different lengths)"
        )
    if K.ndim != 2 or K.shape[0] != K.shape[1] or K.shape[0] == 0:
        raise ValueError(
            f"'{path}' holds a {'×'.join(map(str, K.shape))} array, not a square matrix"
        )
    ids = _read_ids(path)
    if ids is None and require_ids:
        raise ValueError(
            f"'{path}' comes without sample IDs: expected them in '{id_file(path)}' (one line "
            "per row, FID IID or IID; limix estimate-kinship writes it)"
        )
    if ids is not None and len(ids) != K.shape[0]:
        raise ValueError(
            f"'{path}' is {K.shape[0]}×{K.shape[0]} but its ID file lists {len(ids)} samples"
        )
    return K, ids


def write_kinship(path: str, K: np.ndarray, ids: pd.Index) -> list[str]:
    """Write ``K`` to ``path`` (format from its name) and the sample IDs to ``path + ".id"``
    (a ``#IID`` header line, then one ID per line, in the order of K's rows).

    Each file is written under a temporary name and renamed once complete. Returns the paths
    written. The caller checks beforehand that they may be (over)written.
    """
    fmt = kinship_format(path)
    if fmt == ".npy":
        atomic_write(path, lambda f: np.save(f, np.ascontiguousarray(K), allow_pickle=False))
    else:
        atomic_write(path, lambda f: np.savetxt(f, K, fmt="%.12g", delimiter="\t"))
    lines = "#IID\n" + "".join(f"{i}\n" for i in ids)
    atomic_write(id_file(path), lambda f: f.write(lines.encode()))
    return [str(Path(path)), id_file(path)]
