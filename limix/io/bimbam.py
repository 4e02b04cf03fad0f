"""BIMBAM phenotype files (as GEMMA reads them)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ._file import existing_file, malformed

__all__ = ["read_phenotype"]


def read_phenotype(filepath: str | os.PathLike[str], verbose: bool = True) -> pd.DataFrame:
    """Read a BIMBAM phenotype file.

    A BIMBAM phenotype file has one line per sample and one whitespace-separated column per
    trait, no header, and ``NA`` for a missing value (``-9`` is an ordinary number). Every
    line must have the same number of values.

    Parameters
    ----------
    filepath
        Phenotype file.
    verbose
        ``True`` (default) to report what is being read.

    Returns
    -------
    pandas.DataFrame
        Samples-by-traits float64 values, NaN where missing; the index (named ``sample``) and
        the columns (named ``trait``) are the positions 0, 1, 2, ...

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If a line has a different number of values, or a value is not a number.

    Examples
    --------
    >>> from limix.io import bimbam, examples
    >>>
    >>> filepath = examples.get("phenotype.gemma")
    >>> print(bimbam.read_phenotype(filepath, verbose=False))
    trait     0    1    2
    sample
    0       1.2 -0.3 -1.5
    1       NaN  1.5  0.3
    2       2.7  1.1  NaN
    3      -0.2 -0.7  0.8
    4       3.3  2.4  2.1
    """
    path: Path = existing_file(filepath, "BIMBAM phenotype file")
    if verbose:
        print(f"Reading BIMBAM phenotype file '{path}'.")
    # checked before parsing: the parser would pad a short line with missing values
    lines, counts = _fields_per_line(path)
    if counts.size == 0:
        raise malformed(path, "empty BIMBAM phenotype file")
    ntraits = int(counts[0])
    bad = np.flatnonzero(counts != ntraits)
    if bad.size:
        raise malformed(
            path,
            f"malformed BIMBAM phenotype file: line {int(lines[bad[0]])} has "
            f"{int(counts[bad[0]])} values, but the first line has {ntraits}",
        )
    try:
        df = pd.read_csv(
            path,
            sep=r"\s+",
            header=None,
            names=list(range(ntraits)),
            dtype=np.float64,
            na_values=["NA", "nan", "NaN"],
            keep_default_na=False,
            engine="c",
        )
    except (ValueError, pd.errors.ParserError) as e:
        raise malformed(path, f"malformed BIMBAM phenotype file: {e}") from None
    df.index = pd.RangeIndex(len(df), name="sample")
    df.columns = pd.RangeIndex(ntraits, name="trait")
    return df


def _fields_per_line(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Line numbers (1-based) and number of fields of the non-blank lines."""
    numbers, counts = [], []
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            n = len(line.split())
            if n:
                numbers.append(number)
                counts.append(n)
    return np.array(numbers, dtype=np.int64), np.array(counts, dtype=np.int64)
