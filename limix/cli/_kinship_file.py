"""Kinship matrix files: a ``.npy`` array or a ``.grm.raw`` text matrix, with sample IDs beside;
or a GCTA GRM (``.grm.bin``, ``.grm.N.bin``, ``.grm.id``: :mod:`limix.io.grm`).

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

__all__ = [
    "FORMATS",
    "FORMAT_NAMES",
    "id_file",
    "kinship_format",
    "output_files",
    "read_kinship",
    "write_kinship",
]

#: Kinship file formats by name ending, with what they are.
FORMATS = {
    ".npy": "NumPy array",
    ".grm.raw": "tab-separated text matrix",
    ".grm.bin": "GCTA binary GRM",
}
#: ``--format`` names of the formats.
FORMAT_NAMES = {"npy": ".npy", "text": ".grm.raw", "gcta": ".grm.bin"}


def kinship_format(path: str, forced: str | None = None) -> str:
    """The format of a kinship file: ``forced`` (a ``--format`` name) or from its name,
    ``".npy"``, ``".grm.raw"`` or ``".grm.bin"`` (GCTA: PATH names the prefix or .grm.bin).

    Raises
    ------
    ValueError
        If the name ends with none of them and no format is forced.
    """
    if forced is not None:
        return FORMAT_NAMES[forced]
    lower = path.lower()
    for suffix in FORMATS:
        if lower.endswith(suffix):
            return suffix
    raise ValueError(
        f"'{path}' must end with .npy (NumPy array), .grm.raw (text matrix) or .grm.bin (GCTA "
        "GRM), or --format must say which"
    )


def output_files(path: str, fmt: str) -> list[str]:
    """The files that writing ``path`` in format ``fmt`` creates."""
    if fmt == ".grm.bin":
        from limix.io.grm import prefix_of

        base = prefix_of(path)
        return [base + ".grm.bin", base + ".grm.N.bin", base + ".grm.id"]
    return [path, id_file(path)]


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


def _is_gcta(path: str) -> bool:
    from limix.io.grm import prefix_of

    lower = path.lower()
    return lower.endswith((".grm.bin", ".grm.id", ".grm.n.bin")) or (
        not os.path.exists(path) and os.path.exists(prefix_of(path) + ".grm.bin")
    )


def read_kinship(path: str, require_ids: bool = True) -> tuple[np.ndarray, pd.Index | None]:
    """Read a kinship matrix and its sample IDs.

    Parameters
    ----------
    path
        ``.npy`` array, a GCTA GRM (its prefix or its ``.grm.bin``), or a text matrix
        (``.grm.raw`` or any other name: whitespace-separated numbers, one row per line).
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
    from limix.io import grm, npy

    if _is_gcta(path):
        K_frame = grm.read(path)
        return K_frame.to_numpy(), pd.Index(K_frame.index, name="sample")
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


def write_kinship(
    path: str, K: np.ndarray, ids: pd.Index, fmt: str | None = None, nvariants: int = 0
) -> list[str]:
    """Write ``K`` to ``path`` in format ``fmt`` (default: from its name) and the sample IDs to
    ``path + ".id"`` (a ``#IID`` header line, then one ID per line, in the order of K's rows);
    a GCTA GRM is the three files of :mod:`limix.io.grm` (``nvariants`` in its .grm.N.bin).

    Each file is written under a temporary name and renamed once complete. Returns the paths
    written. The caller checks beforehand that they may be (over)written.
    """
    fmt = kinship_format(path) if fmt is None else fmt
    if fmt == ".grm.bin":
        from limix.io import grm

        return [str(p) for p in grm.write(path, K, ids, nvariants)]
    if fmt == ".npy":
        atomic_write(path, lambda f: np.save(f, np.ascontiguousarray(K), allow_pickle=False))
    else:
        atomic_write(path, lambda f: np.savetxt(f, K, fmt="%.12g", delimiter="\t"))
    lines = "#IID\n" + "".join(f"{i}\n" for i in ids)
    atomic_write(id_file(path), lambda f: f.write(lines.encode()))
    return [str(Path(path)), id_file(path)]
