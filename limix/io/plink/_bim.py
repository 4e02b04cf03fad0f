"""PLINK ``.bim`` files: one line per variant."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._table import read_fixed_table

__all__ = ["read_bim"]

_COLUMNS = {
    "chrom": str,
    "snp": str,
    "cm": np.float64,
    "pos": np.int64,
    "a0": str,
    "a1": str,
}


def read_bim(filepath: Path) -> pd.DataFrame:
    """Columns ``chrom``, ``snp``, ``cm``, ``pos``, ``a0``, ``a1`` (the file's six columns)."""
    return read_fixed_table(filepath, list(_COLUMNS), _COLUMNS, "PLINK .bim file")
