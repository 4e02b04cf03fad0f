"""PLINK 2 variant files (.pvar, .pvar.zst; a .bim is read too)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .._file import malformed

__all__ = ["read_pvar", "text_of"]

_BIM_COLUMNS = ("CHROM", "ID", "CM", "POS", "ALT", "REF")


def text_of(path: Path) -> str:
    """The file's text, decompressed when its name ends with ``.zst``."""
    raw = path.read_bytes()
    if path.name.endswith(".zst"):
        import zstandard

        try:
            raw = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw)).read()
        except zstandard.ZstdError as error:
            raise malformed(path, f"not a readable Zstandard file ({error})") from None
    try:
        return raw.decode()
    except UnicodeDecodeError:
        raise malformed(path, "not a text file (is it compressed?)") from None


def _table(path: Path, text: str) -> pd.DataFrame:
    lines = text.splitlines()
    skip = 0
    while skip < len(lines) and lines[skip].startswith("##"):
        skip += 1
    if skip < len(lines) and lines[skip].startswith("#CHROM"):
        names = lines[skip][1:].split()
        body = "\n".join(lines[skip + 1 :])
    else:  # no header line: the .bim column order
        names = list(_BIM_COLUMNS)
        body = "\n".join(lines[skip:])
    missing = {"CHROM", "POS", "ID", "REF", "ALT"} - set(names)
    if missing:
        raise malformed(path, f"the header line lacks the column(s) {sorted(missing)}")
    try:
        table = pd.read_csv(
            io.StringIO(body), sep=r"\s+", header=None, names=names, dtype=str,
            keep_default_na=False, engine="c",
        )  # fmt: skip
    except pd.errors.ParserError as error:
        raise malformed(path, f"malformed line ({error})") from None
    if table.isna().any().any() or (table == "").any().any():
        raise malformed(path, "a line has fewer columns than the header")
    return table


def read_pvar(path: Path) -> pd.DataFrame:
    """One row per variant: ``chrom``, ``pos`` (int), ``variant`` (ID), ``ref``, ``alt``.

    Raises
    ------
    ValueError
        For a malformed file or a non-integer position, naming the file.
    """
    table = _table(path, text_of(path))
    pos = pd.to_numeric(table["POS"], errors="coerce")
    bad = pos.isna() | (pos < 0) | (pos != pos.round())
    if bad.any():
        line = int(bad.to_numpy().argmax())
        raise malformed(path, f"variant {line + 1} has a position that is not an integer")
    return pd.DataFrame(
        {
            "chrom": table["CHROM"].to_numpy(dtype=object),
            "pos": pos.to_numpy(dtype="int64"),
            "variant": table["ID"].to_numpy(dtype=object),
            "ref": table["REF"].to_numpy(dtype=object),
            "alt": table["ALT"].to_numpy(dtype=object),
        }
    )
