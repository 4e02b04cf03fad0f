"""GCTA genetic relationship matrices: ``PREFIX.grm.bin``, ``PREFIX.grm.N.bin``, ``PREFIX.grm.id``.

The layout (GCTA's, also written by ``plink2 --make-grm-bin``): ``.grm.bin`` holds the lower
triangle of the n×n matrix, diagonal included, row by row — K₀₀, K₁₀, K₁₁, K₂₀, K₂₁, K₂₂, … —
as little-endian float32; ``.grm.N.bin`` the number of variants behind each entry in the same
layout; ``.grm.id`` one line per sample, ``FID IID``, tab-separated, in the matrix's order.
Written here with numpy alone: the format is two flat arrays.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from .._files import atomic_write
from ._file import existing_file, malformed

__all__ = ["prefix_of", "read", "write"]

_SUFFIXES = (".grm.bin", ".grm.N.bin", ".grm.id", ".grm")


def prefix_of(path: str | os.PathLike[str]) -> str:
    """The GCTA prefix named by ``path`` (the prefix itself, or one of its files)."""
    text = os.fspath(path)
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _ids(path: Path) -> pd.DataFrame:
    table = pd.read_csv(path, sep=r"\s+", header=None, dtype=str, comment=None)
    if table.shape[1] < 2:
        raise malformed(path, "expected two columns, FID and IID")
    if str(table.iloc[0, 0]).startswith("#"):  # plink2's .rel.id style header
        table = table.iloc[1:]
    ids = pd.DataFrame({"fid": table[0].to_numpy(), "iid": table[1].to_numpy()})
    if ids["iid"].duplicated().any():
        repeated = ids["iid"][ids["iid"].duplicated()].unique()[:3].tolist()
        raise malformed(path, f"repeated sample IDs (IID) {repeated}; IDs must be unique")
    return ids


def _triangle(path: Path, n: int) -> NDArray[np.float64]:
    values = np.fromfile(path, dtype="<f4")
    expected = n * (n + 1) // 2
    if values.size != expected:
        raise malformed(
            path,
            f"holds {values.size} values; the lower triangle of the {n} samples of the .grm.id "
            f"has {expected} (a truncated file, or another file's IDs?)",
        )
    K = np.empty((n, n), dtype=np.float64)
    rows, cols = np.tril_indices(n)
    K[rows, cols] = values
    K[cols, rows] = values
    return K


def read(
    prefix: str | os.PathLike[str], counts: bool = False
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read a GCTA GRM as a matrix labelled by sample ID (IID).

    Parameters
    ----------
    prefix
        The files' common prefix (``.grm.bin``, ``.grm.N.bin`` or ``.grm.id`` accepted too).
    counts
        Also return the number of variants behind each entry (``.grm.N.bin``).

    Returns
    -------
    K : pandas.DataFrame
        n×n, float64 (the file's float32 values), index and columns the IIDs: ready to pass as
        ``K`` to :func:`limix.qtl.scan`, which matches it to the trait's samples by ID.
    N : pandas.DataFrame
        With ``counts``: the variant counts, labelled alike.

    Raises
    ------
    FileNotFoundError
        If ``.grm.bin`` or ``.grm.id`` (or, with ``counts``, ``.grm.N.bin``) is missing.
    ValueError
        If a file's size does not match the number of samples, or the IDs repeat.

    Examples
    --------
    >>> import numpy as np, tempfile
    >>> from limix.io import grm
    >>> K = np.array([[1.0, 0.25], [0.25, 1.0]])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = grm.write(f"{folder}/kin", K, ["a", "b"], nvariants=1000)
    ...     print(grm.read(f"{folder}/kin"))
    sample     a     b
    sample
    a       1.00  0.25
    b       0.25  1.00
    """
    base = prefix_of(prefix)
    ids = _ids(existing_file(base + ".grm.id", "GCTA .grm.id file"))
    labels = pd.Index(ids["iid"].to_numpy(dtype=object), name="sample")
    K = _triangle(existing_file(base + ".grm.bin", "GCTA .grm.bin file"), len(ids))
    K_frame = pd.DataFrame(K, index=labels, columns=labels.rename("sample"))
    if not counts:
        return K_frame
    N = _triangle(existing_file(base + ".grm.N.bin", "GCTA .grm.N.bin file"), len(ids))
    return K_frame, pd.DataFrame(N, index=labels, columns=labels.rename("sample"))


def write(
    prefix: str | os.PathLike[str],
    K: ArrayLike,
    ids: ArrayLike,
    nvariants: int | ArrayLike,
    fids: ArrayLike | None = None,
) -> list[Path]:
    """Write a kinship as a GCTA GRM (each file whole or not at all).

    Parameters
    ----------
    prefix
        The files' common prefix.
    K
        The n×n symmetric matrix (stored as float32, GCTA's precision).
    ids
        The n sample IDs (IID), in K's order.
    nvariants
        The number of variants behind the entries: one number, or an n×n matrix.
    fids
        Family IDs; the IIDs when None.

    Returns
    -------
    list of Path
        ``.grm.bin``, ``.grm.N.bin`` and ``.grm.id``.
    """
    base = prefix_of(prefix)
    matrix = np.asarray(K, dtype=np.float64)
    n = matrix.shape[0]
    if matrix.ndim != 2 or matrix.shape != (n, n):
        raise ValueError(f"K must be a square matrix; got shape {matrix.shape}.")
    iid = np.asarray(ids, dtype=str)
    if iid.shape != (n,):
        raise ValueError(f"ids must list the {n} samples of K; got {iid.size}.")
    fid = iid if fids is None else np.asarray(fids, dtype=str)
    counts = np.broadcast_to(np.asarray(nvariants, dtype=np.float64), (n, n))
    rows, cols = np.tril_indices(n)
    lines = "".join(f"{f}\t{i}\n" for f, i in zip(fid, iid, strict=True))
    return [
        atomic_write(base + ".grm.bin", lambda f: matrix[rows, cols].astype("<f4").tofile(f)),
        atomic_write(base + ".grm.N.bin", lambda f: counts[rows, cols].astype("<f4").tofile(f)),
        atomic_write(base + ".grm.id", lambda f: f.write(lines.encode())),
    ]
