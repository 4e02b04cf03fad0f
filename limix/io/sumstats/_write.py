"""Writing an association table as a summary-statistics file (layouts: :mod:`._formats`)."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from ..._files import atomic_write
from ..._optional import optional_module
from ._formats import FORMATS, GWAS_SSF, PLINK2_LINEAR, PLINK2_LOGISTIC, REGENIE, TextFormat
from ._ssf_metadata import metadata_yaml

__all__ = ["write"]

#: Likelihoods whose effect sizes are log odds ratios (logit link).
_LOGIT = ("bernoulli", "binomial")
_TEXT = {"gwas-ssf": GWAS_SSF, "regenie": REGENIE}
#: PLINK's numeric codes of the non-autosomes, and GWAS-SSF's.
_SSF_CHROMOSOMES = {"X": 23, "Y": 24, "XY": 23, "M": 25, "MT": 25, "23": 23, "24": 24}
_PLINK_NUMERIC = {"25": 23, "26": 25}  # PLINK's 25 is XY (pseudo-autosomal X), 26 MT


def _pvalue_text(table: pd.DataFrame) -> np.ndarray:
    """p-values as text: 12 significant digits, and for p < 1e-300 the exact value from
    −log₁₀ p (mantissa and exponent), which a double cannot hold."""
    text = np.char.mod("%.12g", table["pvalue"].to_numpy(float)).astype(object)
    logp = table["neg_log10_pvalue"].to_numpy(float)
    tiny = np.isfinite(logp) & (logp > 300)
    if tiny.any():
        exponent = np.ceil(logp[tiny])
        mantissa = 10.0 ** (exponent - logp[tiny])
        text[tiny] = [f"{m:.12g}e-{int(e)}" for m, e in zip(mantissa, exponent, strict=True)]
    return text


def _ssf_chromosomes(chrom: pd.Series) -> np.ndarray:
    """GWAS-SSF chromosome numbers (1–25) from chromosome names; a name that is not one of the
    25 (an unplaced contig, say) is an error: GWAS-SSF has no code for it."""
    names = chrom.astype(str).str.upper().str.removeprefix("CHR")
    names = names.map(lambda c: _PLINK_NUMERIC.get(c, _SSF_CHROMOSOMES.get(c, c)))
    numbers = pd.to_numeric(names, errors="coerce")
    bad = numbers.isna() | (numbers < 1) | (numbers > 25)
    if bad.any():
        raise ValueError(
            f"GWAS-SSF codes chromosomes 1–22, X (23), Y (24) and MT (25); the table has "
            f"{sorted(chrom[bad].astype(str).unique())[:5]}. Leave those variants out first."
        )
    return numbers.astype(np.int64).to_numpy()


def _derived(table: pd.DataFrame, source: str, fmt: TextFormat) -> np.ndarray | str:
    """The values of one output column: a table column, a derived one, or a constant."""
    if source in table:
        return table[source].to_numpy()
    if source == "pvalue_text":
        return _pvalue_text(table)
    if source == "ssf_chromosome":
        return _ssf_chromosomes(table["chrom"])
    if source == "rsid":
        ids = table["variant"].astype(str)
        return ids.where(ids.str.fullmatch(r"rs[0-9]+"), fmt.na).to_numpy()
    if source == "wald":
        return (table["beta"] / table["se"]).to_numpy()
    if source == "odds_ratio":
        return np.exp(table["beta"].to_numpy())
    return source  # a constant: "ADD", "NA", "."


#: The table's columns a format's derived columns are made from.
_MADE_FROM = {"ssf_chromosome": "chrom", "rsid": "variant", "wald": "beta", "odds_ratio": "beta"}
_LABELS = ("variant", "chrom", "pos", "effect_allele", "other_allele")


def _required(fmt: TextFormat) -> set[str]:
    sources = {_MADE_FROM.get(source, source) for _, source in fmt.columns}
    return sources & set(_LABELS)


def _check_table(table: pd.DataFrame, fmt: TextFormat) -> None:
    missing = sorted(_required(fmt) - set(table.columns))
    if missing:
        raise ValueError(
            f"a {fmt.name} file needs each variant's {', '.join(missing)}; the association "
            "table has none. Scan a labelled genotype (limix.io.read_genotype), whose "
            "coordinates give them."
        )
    if table["test"].duplicated().any():
        raise ValueError(
            f"a {fmt.name} file has one row per variant, but the table has several rows per "
            "test (several traits or environments); write one of them at a time, e.g. "
            "table[table['env'] == name], or use format='csv' or 'parquet'."
        )
    if fmt is GWAS_SSF:
        for column in ("effect_allele", "other_allele"):
            bad = ~table[column].astype(str).str.fullmatch(r"[ACGT]+")
            if bad.any():
                raise ValueError(
                    f"GWAS-SSF alleles are A, C, G and T; {column} has "
                    f"{sorted(table.loc[bad, column].astype(str).unique())[:5]}."
                )


def _text_bytes(table: pd.DataFrame, fmt: TextFormat) -> bytes:
    columns = {}
    for header, source in fmt.columns:
        values = _derived(table, source, fmt)
        columns[header] = values if not isinstance(values, str) else np.full(len(table), values)
    frame = pd.DataFrame(columns)
    frame.columns = fmt.header
    buffer = io.StringIO()
    frame.to_csv(buffer, sep=fmt.sep, index=False, na_rep=fmt.na, float_format="%.12g")
    return buffer.getvalue().encode()


def _compressed(data: bytes, path: Path) -> bytes:
    if path.suffix != ".gz":
        return data
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as stream:
        stream.write(data)
    return out.getvalue()


def _metadata(
    table: pd.DataFrame, data: bytes, path: Path, about: Mapping[str, object]
) -> tuple[str, list[str]]:
    from limix import __version__

    chrom = _ssf_chromosomes(table["chrom"])
    order = np.lexsort((table["pos"].to_numpy(), chrom))
    known: dict[str, object] = {
        "trait_description": [str(t) for t in table["trait"].dropna().unique()] or ["#NA"],
        "coordinate_system": "1-based",
        "sample_size": int(table["n"].max()) if "n" in table and len(table) else 0,
        "data_file_name": path.name,
        "file_type": "GWAS-SSF v1.1",
        "data_file_md5sum": hashlib.md5(data).hexdigest(),
        "analysis_software": f"limix {__version__}",
        "is_harmonised": False,
        "is_sorted": bool((order == np.arange(len(table))).all()),
    }
    given = dict(about)
    covariates = given.pop("adjusted_covariates", None)
    if covariates is not None:
        known["adjusted_covariates"] = list(covariates)
    return metadata_yaml(known, given)


def write(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    format: str,
    *,
    likelihood: str = "normal",
    metadata: Mapping[str, object] | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Write an association table as a summary-statistics file.

    Parameters
    ----------
    table
        :attr:`limix.qtl.QTLResult.associations` (or a selection of its rows).
    path
        The file to write. A name ending in ``.gz`` is gzip-compressed (GWAS-SSF files
        normally are: ``….tsv.gz``).
    format
        ``"gwas-ssf"``, ``"regenie"``, ``"plink2"``, ``"csv"`` or ``"parquet"``
        (layouts: :mod:`limix.io.sumstats`).
    likelihood
        The scan's likelihood (``result.h0.likelihood``). For ``"plink2"`` it picks the
        ``.glm.linear`` layout (normal) or ``.glm.logistic`` (bernoulli, binomial: β is a log
        odds ratio); PLINK 2 has no probit or Poisson regression, so those are refused.
    metadata
        GWAS-SSF only: fields of the metadata file (``genome_assembly``,
        ``genotyping_technology``, ``sample_ancestry_category``, ``adjusted_covariates``, …).
    overwrite
        Replace existing files; by default an existing file is an error and nothing is
        written.

    Returns
    -------
    list of Path
        The files written (GWAS-SSF: the data file and ``<data file>-meta.yaml``).

    Raises
    ------
    ValueError
        If the format is unknown, the table lacks a column the format needs (chromosome,
        position, alleles), has several rows per variant for a one-row-per-variant format, or
        holds values the format cannot code (GWAS-SSF: chromosomes outside 1–25, alleles other
        than ACGT).
    FileExistsError
        If a target exists and ``overwrite`` is false.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {format!r}.")
    target = Path(path)
    targets = [target]
    if format == "gwas-ssf":
        targets.append(target.with_name(target.name + "-meta.yaml"))
    existing = [str(p) for p in targets if p.exists()]
    if existing and not overwrite:
        raise FileExistsError(f"{', '.join(existing)} exist(s); pass overwrite=True to replace.")
    if format == "csv":
        # no float_format: the shortest repr that round-trips, as the result tables are written
        data = _compressed(table.to_csv(index=False).encode(), target)
        return [atomic_write(target, lambda f: f.write(data))]
    if format == "parquet":
        return [_write_parquet(table, target)]
    if format == "plink2":
        if likelihood in _LOGIT:
            fmt = PLINK2_LOGISTIC
        elif likelihood == "normal":
            fmt = PLINK2_LINEAR
        else:
            raise ValueError(
                f"PLINK 2 --glm has linear and logistic regression only; a {likelihood!r} "
                "scan's effects fit neither layout. Use 'gwas-ssf', 'regenie', 'csv' or "
                "'parquet'."
            )
    else:
        fmt = _TEXT[format]
    _check_table(table, fmt)
    data = _compressed(_text_bytes(table, fmt), target)
    written = [atomic_write(target, lambda f: f.write(data))]
    if format == "gwas-ssf":
        text, unknown = _metadata(table, data, target, metadata or {})
        if unknown:
            warnings.warn(
                f"{targets[1].name}: the mandatory GWAS-SSF metadata {', '.join(unknown)} "
                "are unknown to limix and written as #NA; give them with metadata={...}.",
                UserWarning,
                stacklevel=2,
            )
        written.append(atomic_write(targets[1], lambda f: f.write(text.encode())))
    return written


def _write_parquet(table: pd.DataFrame, target: Path) -> Path:
    optional_module("pyarrow", "parquet", "Parquet output")

    def save(f: BinaryIO) -> None:
        table.to_parquet(f, index=False)

    return atomic_write(target, save)
