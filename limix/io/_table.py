"""Whitespace-separated tables with a fixed number of columns (PLINK .bim/.fam, BIMBAM)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ._file import malformed

__all__ = ["read_fixed_table", "read_whitespace_table"]


def read_whitespace_table(
    filepath: Path,
    names: Sequence[Any],
    dtype: Any,
    what: str,
    **options: Any,
) -> pd.DataFrame:
    """Read a headerless whitespace-separated table with pandas' C parser.

    Values are kept as written: ``NA`` and the like are not read as missing unless ``options``
    say so (``na_values``).

    Parameters
    ----------
    filepath
        The file.
    names
        The column names, one per field of a line.
    dtype
        The type of every column, or a mapping from column name to type.
    what
        What error messages call the file ("sample file", "GEN file").
    **options
        Further arguments of :func:`pandas.read_csv` (``usecols``, ``skiprows``, ``na_values``).

    Returns
    -------
    pandas.DataFrame
        The table; an empty file (or one with nothing after ``skiprows``) gives an empty table
        with the columns ``names``.

    Raises
    ------
    ValueError
        If a line has too many fields, or a value does not convert to its column's type; the
        message names the file.
    """
    try:
        return pd.read_csv(
            filepath,
            sep=r"\s+",
            header=None,
            names=list(names),
            dtype=dtype,
            keep_default_na=False,
            engine="c",
            **options,
        )
    except pd.errors.EmptyDataError:
        types = dtype if isinstance(dtype, Mapping) else dict.fromkeys(names, dtype)
        return pd.DataFrame({n: pd.Series([], dtype=types.get(n, object)) for n in names})
    except (ValueError, pd.errors.ParserError) as e:
        raise malformed(filepath, f"malformed {what}: {e}") from None


def read_fixed_table(
    filepath: Path, names: Sequence[str], dtype: Mapping[str, object], what: str
) -> pd.DataFrame:
    """Read a headerless whitespace-separated table whose every line has ``len(names)`` fields.

    An empty file gives an empty table. A line with too many or too few fields, or a value
    that does not convert to its column's type, raises a ``ValueError`` naming the file.
    """
    df = read_whitespace_table(filepath, names, dict(dtype), what, na_filter=True, na_values=[])
    last = df[names[-1]]
    # fields missing at the end of a short line come out empty (strings) or NaN (numbers)
    short = last.isna() | (last.astype(str) == "")
    if short.any():
        line = int(short.to_numpy().argmax()) + 1
        raise malformed(
            filepath, f"malformed {what}: line {line} has fewer than {len(names)} fields"
        )
    return df
