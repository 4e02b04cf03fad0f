"""PLINK 2 sample files (.psam, .psam.zst; a .fam is read too)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .._file import malformed
from ._pvar import text_of

__all__ = ["read_psam"]

_FAM_COLUMNS = ("FID", "IID", "PAT", "MAT", "SEX", "PHENO1")


def read_psam(path: Path) -> pd.DataFrame:
    """One row per sample, indexed by IID, with the file's other columns as strings.

    A header line starts with ``#FID`` or ``#IID``; without one the columns are the .fam's.

    Raises
    ------
    ValueError
        For a malformed file, or repeated IIDs, naming the file.
    """
    text = text_of(path)
    lines = [line for line in text.splitlines() if not line.startswith("##")]
    if lines and (lines[0].startswith("#FID") or lines[0].startswith("#IID")):
        names, body = lines[0][1:].split(), "\n".join(lines[1:])
    else:
        names, body = list(_FAM_COLUMNS), "\n".join(lines)
    try:
        table = pd.read_csv(
            io.StringIO(body), sep=r"\s+", header=None, names=names, dtype=str,
            keep_default_na=False,
        )  # fmt: skip
    except pd.errors.ParserError as error:
        raise malformed(path, f"malformed line ({error})") from None
    if "IID" not in table or (table["IID"] == "").any():
        raise malformed(path, "a line has no IID")
    iid = table["IID"]
    if iid.duplicated().any():
        repeated = iid[iid.duplicated()].unique()[:3].tolist()
        raise malformed(path, f"repeated sample IDs (IID) {repeated}; IDs must be unique")
    table.columns = [c.lower() for c in table.columns]
    return table.set_index(pd.Index(iid.to_numpy(dtype=object), name="sample"))
