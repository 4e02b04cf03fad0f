"""PLINK ``.fam`` files: one line per sample."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._table import read_fixed_table

__all__ = ["read_fam"]

_COLUMNS = {name: str for name in ("fid", "iid", "father", "mother", "gender", "trait")}


def read_fam(filepath: Path) -> pd.DataFrame:
    """Columns ``fid``, ``iid``, ``father``, ``mother``, ``gender``, ``trait``, as strings."""
    return read_fixed_table(filepath, list(_COLUMNS), _COLUMNS, "PLINK .fam file")
