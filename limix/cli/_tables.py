"""Sample tables of the command line: phenotypes and covariates, indexed by sample ID."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._filetype import FileSpec

__all__ = ["SampleTable", "numeric_columns", "read_sample_table"]

_DELIMITERS = (",", "\t", ";", "|", r"\s+")


@dataclass(frozen=True)
class SampleTable:
    """A table with one row per sample.

    Attributes
    ----------
    data
        The columns other than the sample IDs, indexed by sample ID (strings) — or by the row
        position when the file has no IDs (``ids`` is False).
    ids
        Whether the rows are labelled by sample IDs from the file.
    """

    data: pd.DataFrame
    ids: bool


def _ids_as_text(path: str, columns: list[str], nrows: int, column: str) -> pd.Series:
    """The sample ID column read again as text, so that ``007`` stays ``007`` (the numbers
    were parsed by :func:`limix.io.csv.read`; the delimiter is the one that gives its header)."""
    for sep in _DELIMITERS:
        try:
            frame = pd.read_csv(
                path,
                sep=sep,
                dtype=str,
                keep_default_na=False,
                engine="python" if sep == r"\s+" else "c",
            )
        except (ValueError, pd.errors.ParserError):
            continue
        if [str(c) for c in frame.columns] == columns and len(frame) == nrows:
            return frame[column].str.strip()
    raise ValueError(f"cannot read the sample ID column {column!r} of '{path}' as text")


def read_sample_table(spec: FileSpec, sample_column: str | None) -> SampleTable:
    """Read a CSV table (one row per sample, a column of sample IDs) or a BIMBAM phenotype file.

    Parameters
    ----------
    spec
        The file and its type (``"csv"`` or ``"bimbam-pheno"``).
    sample_column
        Column holding the sample IDs (CSV); ``None`` for the first column.

    Returns
    -------
    SampleTable
        For a CSV file, the other columns indexed by the sample IDs (as text); for a BIMBAM
        phenotype file (no IDs), its traits named ``0``, ``1``, … by row position.

    Raises
    ------
    ValueError
        If the file is malformed, the sample column is absent, or IDs are missing or repeat.
    """
    if spec.type == "bimbam-pheno":
        from limix.io import bimbam

        data = bimbam.read_phenotype(spec.path, verbose=False)
        data.columns = [str(c) for c in data.columns]
        data.index = pd.RangeIndex(len(data))
        return SampleTable(data, ids=False)

    from limix.io import csv

    table = csv.read(spec.path, verbose=False, index_col=None)
    table.columns = [str(c) for c in table.columns]
    columns = list(table.columns)
    if len(columns) < 2:
        raise ValueError(
            f"'{spec.path}' has a single column; expected a sample ID column and data columns"
        )
    column = columns[0] if sample_column is None else sample_column
    if column not in columns:
        raise ValueError(f"'{spec.path}' has no column {column!r}; its columns are {columns}")
    ids = _ids_as_text(spec.path, columns, len(table), column)
    empty = (ids == "").to_numpy()
    if empty.any():
        raise ValueError(
            f"'{spec.path}': the sample ID column {column!r} is empty on "
            f"{int(empty.sum())} row(s) (first: data row {int(np.argmax(empty)) + 1})"
        )
    index = pd.Index(ids.to_numpy(), dtype=object, name="sample")
    if index.has_duplicates:
        repeated = index[index.duplicated()].unique()[:3].tolist()
        raise ValueError(f"'{spec.path}': repeated sample IDs in column {column!r}: {repeated}")
    data = table.drop(columns=column)
    data.index = index
    return SampleTable(data, ids=True)


def numeric_columns(table: pd.DataFrame, names: list[str], source: str) -> pd.DataFrame:
    """The columns ``names`` of ``table`` as float64 (NaN where missing).

    Raises
    ------
    ValueError
        If a column is absent or holds a value that is not a number.
    """
    absent = [name for name in names if name not in table.columns]
    if absent:
        raise ValueError(
            f"{source} has no column {absent[0]!r}; its columns are {list(table.columns)}"
        )
    out = {}
    for name in names:
        column = table[name]
        if column.dtype == bool:
            out[name] = column.astype(np.float64)
            continue
        values = pd.to_numeric(column, errors="coerce")
        bad = values.isna() & column.notna()
        if bad.any():
            first = column[bad].iloc[0]
            raise ValueError(
                f"{source}: column {name!r} is not numeric ({int(bad.sum())} value(s) like "
                f"{first!r}); leave missing values empty or NA"
            )
        out[name] = values.astype(np.float64)
    return pd.DataFrame(out, index=table.index)
