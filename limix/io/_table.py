"""Whitespace-separated tables with a fixed number of columns (PLINK .bim/.fam, BIMBAM)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from ._file import malformed

__all__ = ["read_fixed_table"]


def read_fixed_table(
    filepath: Path, names: Sequence[str], dtype: Mapping[str, object], what: str
) -> pd.DataFrame:
    """Read a headerless whitespace-separated table whose every line has ``len(names)`` fields.

    An empty file gives an empty table. A line with too many or too few fields, or a value
    that does not convert to its column's type, raises a ``ValueError`` naming the file.
    """
    try:
        df = pd.read_csv(
            filepath,
            sep=r"\s+",
            header=None,
            names=list(names),
            dtype=dict(dtype),
            keep_default_na=False,
            na_filter=True,
            na_values=[],
            engine="c",
        )
    except pd.errors.EmptyDataError:
        return pd.DataFrame({n: pd.Series([], dtype=dtype[n]) for n in names})
    except (ValueError, pd.errors.ParserError) as e:
        raise malformed(filepath, f"malformed {what}: {e}") from None
    last = df[names[-1]]
    # fields missing at the end of a short line come out empty (strings) or NaN (numbers)
    short = last.isna() | (last.astype(str) == "")
    if short.any():
        line = int(short.to_numpy().argmax()) + 1
        raise malformed(
            filepath, f"malformed {what}: line {line} has fewer than {len(names)} fields"
        )
    return df
