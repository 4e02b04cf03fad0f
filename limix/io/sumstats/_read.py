"""Reading summary-statistics files back into limix's association table."""

from __future__ import annotations

import gzip
import io
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ._formats import FORMATS, GWAS_SSF, PLINK2_LINEAR, PLINK2_LOGISTIC, REGENIE, TextFormat

__all__ = ["detect_format", "first_line", "format_of_header", "read"]

#: Columns of the association table, in its order (those a file has are returned).
TABLE_COLUMNS = (
    "test",
    "trait",
    "env",
    "variant",
    "chrom",
    "pos",
    "effect_allele",
    "other_allele",
    "n",
    "eaf",
    "beta",
    "se",
    "chisq",
    "dof",
    "pvalue",
    "neg_log10_pvalue",
)
_PLINK2_SUFFIX = re.compile(r"\.glm\.(linear|logistic)(\.gz)?$")


def _opened_text(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(2)
        f.seek(0)
        raw = f.read()
    if head == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise ValueError(f"{path}: not a complete gzip file ({err}).") from None
    try:
        return raw.decode()
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a text file.") from None


def first_line(path: str | os.PathLike[str]) -> str:
    """The first line of a (gzip-compressed or plain) text file, read alone: telling a
    format by its header does not decompress the whole file."""
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    try:
        with gzip.open(path, "rb") if gzipped else open(path, "rb") as f:
            return f.readline(100_000).decode(errors="replace")
    except (OSError, EOFError) as err:
        raise ValueError(f"{path}: not a complete gzip file ({err}).") from None


def format_of_header(first_line: str) -> str | None:
    """The summary-statistics format whose header ``first_line`` is, or None.

    GWAS-SSF's, REGENIE's and PLINK 2's headers (their first four fields), and limix's own
    association table (CSV with ``effect_allele``, ``beta`` and ``neg_log10_pvalue``).
    """
    line = first_line.rstrip("\r\n")
    for fmt in (GWAS_SSF, REGENIE, PLINK2_LINEAR):
        if line.split(fmt.sep)[:4] == fmt.header[:4]:
            return fmt.name
    fields = set(line.split(","))
    if {"effect_allele", "beta", "neg_log10_pvalue"} <= fields:
        return "csv"
    return None


def detect_format(path: str | os.PathLike[str]) -> str:
    """The summary-statistics format of a file, from its name (then its header).

    ``.parquet`` → parquet; ``.regenie[.gz]`` → regenie; ``.glm.linear``/``.glm.logistic``
    → plink2; ``.csv[.gz]`` → csv; ``.tsv[.gz]`` → gwas-ssf. Otherwise the first line decides:
    GWAS-SSF's, REGENIE's or PLINK 2's header.

    Raises
    ------
    ValueError
        If neither the name nor the header tells.
    """
    name = Path(path).name.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if re.search(r"\.regenie(\.gz)?$", name):
        return "regenie"
    if _PLINK2_SUFFIX.search(name):
        return "plink2"
    if re.search(r"\.csv(\.gz)?$", name):
        return "csv"
    if re.search(r"\.tsv(\.gz)?$", name):
        return "gwas-ssf"
    found = format_of_header(first_line(path))
    if found is not None:
        return found
    raise ValueError(
        f"{path}: cannot tell its summary-statistics format from its name or header; "
        f"pass format= (one of {', '.join(FORMATS)})."
    )


def _neg_log10_from_text(text: pd.Series) -> np.ndarray:
    """−log₁₀ p from p-values written as text, exact also below the double range."""
    parts = text.astype(str).str.extract(r"^\s*([0-9.]+)(?:[eE]([-+]?[0-9]+))?\s*$")
    mantissa = pd.to_numeric(parts[0], errors="coerce").to_numpy(float)
    exponent = pd.to_numeric(parts[1], errors="coerce").fillna(0).to_numpy(float)
    with np.errstate(divide="ignore"):
        return -(np.log10(mantissa) + exponent)


def _from_text(path: Path, fmt: TextFormat) -> pd.DataFrame:
    text = _opened_text(path)
    if fmt.comment_header:
        text = text.removeprefix("#")
    frame = pd.read_csv(
        io.StringIO(text),
        sep=fmt.sep,
        dtype=str,
        keep_default_na=False,
        na_values=[fmt.na],
    )
    expected = [h.removeprefix("#") for h in fmt.header]
    header = list(frame.columns)
    if header[: len(expected)] != expected:
        raise ValueError(
            f"{path}: not a {fmt.name} file as limix writes it: its columns are "
            f"{header[: len(expected)]}, expected {expected}."
        )
    out: dict[str, object] = {}
    for column, source in zip(expected, (s for _, s in fmt.columns), strict=True):
        values = frame[column]
        if source == "pvalue_text":
            out["pvalue"] = pd.to_numeric(values).to_numpy(float)
            out["neg_log10_pvalue"] = _neg_log10_from_text(values)
        elif source == "ssf_chromosome":
            out["chrom"] = values.to_numpy(dtype=object)
        elif source == "odds_ratio":
            out["beta"] = np.log(pd.to_numeric(values).to_numpy(float))
        elif source in ("pos", "n"):
            out[source] = pd.to_numeric(values).astype("Int64").to_numpy()
        elif source in ("eaf", "beta", "se", "chisq", "neg_log10_pvalue"):
            out[source] = pd.to_numeric(values).to_numpy(float)
        elif source in ("variant", "chrom", "effect_allele", "other_allele"):
            out.setdefault(source, values.to_numpy(dtype=object))
        elif source == "rsid" and "variant" not in out:
            out["variant"] = values.to_numpy(dtype=object)
    if "neg_log10_pvalue" in out and "pvalue" not in out:
        out["pvalue"] = 10.0 ** -np.asarray(out["neg_log10_pvalue"], float)
    return pd.DataFrame({c: out[c] for c in TABLE_COLUMNS if c in out})


def read(path: str | os.PathLike[str], format: str | None = None) -> pd.DataFrame:
    """Read a summary-statistics file into limix's association table.

    The inverse of :func:`limix.io.sumstats.write`: the columns the file has, under the
    association table's names (``variant, chrom, pos, effect_allele, other_allele, n, eaf,
    beta, se, chisq, pvalue, neg_log10_pvalue``, …), in its order. A PLINK 2 logistic file's
    OR becomes ``beta`` = log OR; ``neg_log10_pvalue`` is taken from the p-value's text, so a
    p-value below the double range (written as ``3.2e-905``) keeps its size there while
    ``pvalue`` reads 0. GWAS-SSF chromosomes are read as written (23 for X).

    Parameters
    ----------
    path
        The file (gzip-compressed or not).
    format
        ``"gwas-ssf"``, ``"regenie"``, ``"plink2"``, ``"csv"`` or ``"parquet"``; None
        (default) to tell from the name or the header (:func:`detect_format`).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the format is unknown or the file does not have its columns.
    """
    target = Path(path)
    if not target.is_file():
        raise FileNotFoundError(f"{target}: no such file.")
    format = detect_format(target) if format is None else format
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {format!r}.")
    if format == "parquet":
        return pd.read_parquet(target)
    if format == "csv":
        labels = {c: str for c in ("trait", "env", "variant", "chrom")}
        labels |= {"effect_allele": str, "other_allele": str}
        return pd.read_csv(io.StringIO(_opened_text(target)), dtype=labels)
    if format == "plink2":
        fmt = PLINK2_LOGISTIC if "\tOR\t" in first_line(target) else PLINK2_LINEAR
    else:
        fmt = {"gwas-ssf": GWAS_SSF, "regenie": REGENIE}[format]
    return _from_text(target, fmt)
