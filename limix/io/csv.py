"""Delimited text tables (CSV, TSV, ...) with delimiter detection and a ragged-row check."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import lzma
import os
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Literal

import pandas as pd

from ._file import existing_file, malformed

__all__ = ["read"]

_CANDIDATES = (",", "\t", ";", "|")
_WHITESPACE = r"\s+"
_SNIFF_LINES = 50
_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def _open_text(path: Path) -> io.TextIOBase:
    opener = _OPENERS.get(path.suffix.lower(), open)
    return opener(path, "rt", encoding="utf-8", newline="")


def _lines(path: Path) -> Iterator[str]:
    try:
        with _open_text(path) as f:
            for line in f:
                if line.strip():
                    yield line
    except (UnicodeDecodeError, OSError, EOFError, lzma.LZMAError) as e:
        raise malformed(path, f"not a readable text file: {e}") from None


def _split(lines: list[str] | Iterator[str], sep: str) -> Iterator[list[str]]:
    if sep == _WHITESPACE:
        return (line.split() for line in lines)
    return csv.reader(lines, delimiter=sep)


def _detect(path: Path) -> str:
    """The candidate delimiter that splits the first lines into a constant number (>1) of
    fields (the first line may have one fewer: a header without the index's name); else
    whitespace if it does; else the candidate giving the first line the most fields."""
    head = list(islice(_lines(path), _SNIFF_LINES))
    if not head:
        raise malformed(path, "empty CSV file")

    def consistent(sep: str) -> int:
        counts = [len(row) for row in _split(head, sep)]
        body = counts[1:] or counts
        if body[0] > 1 and len(set(body)) == 1 and counts[0] in (body[0], body[0] - 1):
            return body[0]
        return 0

    try:
        scores = {sep: consistent(sep) for sep in (*_CANDIDATES, _WHITESPACE)}
        best = max(scores, key=lambda s: scores[s])  # ties: the first candidate wins
        if scores[best] > 0:
            return best
        return max(_CANDIDATES, key=lambda s: len(next(_split(head[:1], s))))
    except csv.Error as e:  # a field over csv's size limit; a NUL byte (Python < 3.11)
        raise malformed(path, f"malformed CSV file: {e}") from None


def _unnamed_first_column(path: Path, sep: str) -> bool:
    """Whether the header leaves the first column unnamed: an empty first field, or one field
    fewer than the rows (the row labels' column has no name)."""
    rows = _split(islice(_lines(path), 2), sep)
    try:
        first = next(rows)
        second = next(rows)
    except (StopIteration, csv.Error):
        return False
    return len(first) == len(second) - 1 or (len(first) > 0 and first[0].strip() == "")


def _check_rectangular(path: Path, sep: str, header: bool, index_col: int | None) -> None:
    rows = _split(_lines(path), sep)
    try:
        first = len(next(rows))
        second = len(next(rows))
    except StopIteration:
        return
    except csv.Error as e:
        raise malformed(path, f"malformed CSV file: {e}") from None
    ncols = second if header else first
    # a header may omit the name of the index column
    allowed_first = {ncols, ncols - 1} if header and index_col is not None else {ncols}
    if first not in allowed_first:
        raise malformed(
            path,
            f"ragged CSV file: line 1 has {first} fields but line 2 has {second}",
        )
    line = 2
    try:
        for line, row in enumerate(rows, start=3):
            if len(row) != ncols:
                raise malformed(
                    path,
                    f"ragged CSV file: line {line} has {len(row)} fields, expected {ncols}",
                )
    except csv.Error as e:
        raise malformed(path, f"malformed CSV file near line {line}: {e}") from None


def read(
    filename: str | os.PathLike[str],
    sep: str | None = None,
    header: bool = True,
    verbose: bool = True,
    *,
    index_col: int | Literal["auto"] | None = "auto",
) -> pd.DataFrame:
    """Read a CSV file.

    The delimiter is detected from the first lines unless given; every row must have the same
    number of fields (blank lines are skipped). Files ending in ``.gz``, ``.bz2`` or ``.xz`` are
    decompressed on the fly.

    Parameters
    ----------
    filename
        Path to the file.
    sep
        Field delimiter, or ``None`` (default) to detect it among ``,``, tab, ``;``, ``|`` and
        runs of whitespace (the one that splits the first lines into a constant number of
        fields).
    header
        ``True`` (default) if the first line holds the column names; it may omit the name of
        the index column.
    verbose
        ``True`` (default) to report what is being read.
    index_col
        Column used as the row labels, or ``None`` for a 0, 1, 2, ... index. ``"auto"``
        (default), as limix 3: the first column when it is unnamed (no header, an empty first
        field, or one field fewer than the rows: a table written with its row labels), else
        none, so that a named first column stays a column (``df["sample"]``).

    Returns
    -------
    pandas.DataFrame
        The table.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is empty, not text, or ragged (rows with different numbers of fields).

    Examples
    --------
    >>> from limix.io import csv, examples
    >>>
    >>> filepath = examples.get("expr.csv")
    >>> data = csv.read(filepath, verbose=False)
    >>> print(data.head())
           HG00111  HG00112  HG00116  HG00121
    gene1 -3.75235 -0.42113 -0.53629 -0.90768
    gene2 -0.35145  1.28258 -2.83505  0.32953
    gene3 -1.31997  1.08197  0.28400 -0.41318
    """
    path = existing_file(filename, "CSV file")
    if sep is None:
        sep = _detect(path)
    elif not isinstance(sep, str) or not sep:
        raise ValueError(f"sep must be a non-empty string or None, got {sep!r}")
    if verbose:
        shown = "whitespace" if sep == _WHITESPACE else repr(sep)
        print(f"Reading CSV file '{path}' (delimiter {shown}).")
    if isinstance(index_col, str):
        if index_col != "auto":
            raise ValueError(f'index_col must be an integer, None or "auto"; got {index_col!r}')
        index_col = 0 if not header or _unnamed_first_column(path, sep) else None
    _check_rectangular(path, sep, header, index_col)
    try:
        return pd.read_csv(
            path,
            sep=sep,
            header=0 if header else None,
            index_col=index_col,
            engine="c" if len(sep) == 1 or sep == _WHITESPACE else "python",
        )
    except pd.errors.EmptyDataError:
        raise malformed(path, "empty CSV file") from None
    except (ValueError, pd.errors.ParserError) as e:
        raise malformed(path, f"malformed CSV file: {e}") from None
