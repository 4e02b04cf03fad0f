"""Oxford ``.sample`` files (the sample companion of GEN and BGEN files)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._file import malformed
from ._table import read_whitespace_table

__all__ = ["read_oxford_sample"]

_TYPE_CODES = {"0", "D", "C", "P", "B"}


def read_oxford_sample(filepath: Path) -> pd.DataFrame:
    """Read an Oxford ``.sample`` file.

    The first line names the columns (classically ``ID_1 ID_2 missing ...``), the second gives
    each column's type code (``0``, ``D``, ``C``, ``P`` or ``B``), and each further line describes
    one sample. The first column identifies the samples. Values are kept as strings.
    """
    with open(filepath, encoding="utf-8", errors="strict") as f:
        try:
            names = f.readline().split()
            codes = f.readline().split()
        except UnicodeDecodeError as e:
            raise malformed(filepath, f"not a text sample file: {e}") from None
    if not names:
        raise malformed(filepath, "empty sample file")
    if len(codes) != len(names) or not set(codes) <= _TYPE_CODES:
        raise malformed(
            filepath,
            "not an Oxford sample file: the second line must give one type code "
            "(0, D, C, P or B) per column",
        )
    df = read_whitespace_table(filepath, names, str, "sample file", skiprows=2)
    if (df == "").any(axis=None) or df.isna().any(axis=None):
        raise malformed(
            filepath, f"malformed sample file: every line must have {len(names)} fields"
        )
    return df
