"""``limix.io.vcf.read``: VCF and BCF files, lazily, through cyvcf2 (htslib)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..._optional import optional_module
from .._chunks import variant_chunk_size
from .._file import existing_file, malformed
from .._labelled import labelled_genotype, sample_selection

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["read"]

_FIELDS = ("auto", "DS", "GT")
_MULTIALLELIC = ("error", "split")


def _cyvcf2() -> Any:
    return optional_module("cyvcf2", "vcf", "Reading VCF and BCF files")


def _open(path: Path, samples: list[str] | None = None) -> Any:
    try:
        return _cyvcf2().VCF(str(path), lazy=True, samples=samples, threads=1)
    except (OSError, ValueError, Exception) as error:  # htslib's messages come as several types
        raise malformed(path, f"not a readable VCF/BCF file ({error})") from None


def _index_of(path: Path) -> Path | None:
    for suffix in (".tbi", ".csi"):
        if Path(str(path) + suffix).exists():
            return Path(str(path) + suffix)
    return None


def _format_ids(vcf: Any) -> set[str]:
    return {h["ID"] for h in vcf.header_iter() if h["HeaderType"] == "FORMAT"}


def _parse_region(region: str) -> tuple[str, int, float]:
    """``"CHROM"``, ``"CHROM:START"`` or ``"CHROM:START-END"`` (1-based, inclusive)."""
    chrom, _, span = region.partition(":")
    try:
        if not span:
            return chrom, 1, np.inf
        low, _, high = span.replace(",", "").partition("-")
        return chrom, int(low), float(int(high)) if high else np.inf
    except ValueError:
        raise ValueError(
            f"region must be 'CHROM', 'CHROM:START' or 'CHROM:START-END'; got {region!r}."
        ) from None


def _sites(path: Path, multiallelic: str, region: str | None) -> pd.DataFrame:
    """One row per analysed variant (per ALT allele when split): the record's CHROM, POS, ID,
    REF, the counted ALT, its index among the record's ALTs, and the record's order."""
    vcf = _open(path)
    records: Any = vcf
    low, high = 0, np.inf
    if region is not None:
        _, low, high = _parse_region(region)
        records = vcf(region)
    rows: list[tuple[str, int, str, str, str, int, int]] = []
    for record_number, record in enumerate(records):
        if not low <= record.POS <= high:  # overlapping the region without starting in it
            continue
        alts = record.ALT or ["."]
        if len(alts) > 1 and multiallelic == "error":
            raise malformed(
                path,
                f"the record at {record.CHROM}:{record.POS} has {len(alts)} ALT alleles; pass "
                "multiallelic='split' (one variant per ALT allele) or split them first "
                "(bcftools norm -m-)",
            )
        for allele, alt in enumerate(alts, start=1):
            rows.append(
                (record.CHROM, record.POS, record.ID or ".", record.REF, alt, allele, record_number)
            )
    return pd.DataFrame(
        rows, columns=["chrom", "pos", "variant", "other_allele", "effect_allele", "allele",
                       "record"],
    )  # fmt: skip


def _values(record: Any, alleles: list[int], field: str) -> np.ndarray:
    """n × len(alleles) dosages of the given ALT alleles in one record, NaN when missing."""
    if field == "DS":
        with np.errstate(invalid="ignore"):  # htslib's missing value is a signalling NaN
            ds = np.asarray(record.format("DS"), dtype=np.float64)
        if ds.ndim == 1:
            ds = ds[:, None]
        ds = ds[:, [a - 1 for a in alleles]]
        ds[(ds < -1e30) | (ds > 1e30)] = np.nan  # htslib's missing/vector-end sentinels
        return ds
    calls = record.genotype.array()[:, :-1]  # allele indexes per haplotype, −1 missing
    missing = (calls < 0).any(axis=1)
    out = np.stack([(calls == a).sum(axis=1) for a in alleles], axis=1).astype(np.float64)
    out[missing] = np.nan
    return out


def _records(vcf: Any, sites: pd.DataFrame, index: str | None) -> Iterator[Any]:
    """The records of ``sites`` (consecutive records of one chromosome when indexed)."""
    first, last = int(sites["record"].iloc[0]), int(sites["record"].iloc[-1])
    if index is None:
        for number, record in enumerate(vcf):
            if number > last:
                return
            if number >= first:
                yield record
        return
    chrom = sites["chrom"].iloc[0]
    start, stop = int(sites["pos"].iloc[0]), int(sites["pos"].iloc[-1])
    before = int(sites["before"].iloc[0])  # records of this chromosome at ``start`` not ours
    wanted = last - first + 1
    for record in vcf(f"{chrom}:{start}-{stop}"):
        if record.POS < start:  # a record overlapping the region, starting before it
            continue
        if before:
            before -= 1
            continue
        yield record
        wanted -= 1
        if wanted == 0:
            return


def _read_block(
    path: str,
    sites: pd.DataFrame,
    samples: list[str] | None,
    order: np.ndarray | None,
    field: str,
    index: str | None,
) -> np.ndarray:
    vcf = _open(Path(path), samples)
    columns = []
    groups = sites.groupby("record", sort=True)["allele"]
    records = _records(vcf, sites, index)
    for (_, alleles), record in zip(groups, records, strict=False):  # fewer: checked below
        columns.append(_values(record, list(alleles), field))
    if len(columns) != groups.ngroups:
        raise malformed(path, "the file changed while it was being read (fewer records)")
    values = np.concatenate(columns, axis=1)
    return np.ascontiguousarray(values if order is None else values[order])


def read(
    path: str | os.PathLike[str],
    *,
    field: str = "auto",
    samples: Sequence[Any] | None = None,
    region: str | None = None,
    multiallelic: str = "error",
    chunk_size: int | None = None,
) -> xr.DataArray:
    """Read a VCF or BCF file as a labelled, lazy samples-by-variants matrix.

    The sites (CHROM, POS, ID, REF, ALT) are read at once, in one pass over the file; the
    genotypes are decoded by cyvcf2 (htslib) block by block when the values are needed. With an
    index beside the file (``.tbi`` or ``.csi``, e.g. from ``tabix -p vcf`` or
    ``bcftools index``) each block is a region query; without one, each block reads the file
    from its start, so index large files.

    **Which allele is counted.** The values count copies of the ALT allele (the
    ``effect_allele`` coordinate), as the DS field does; REF is the ``other_allele``.

    Parameters
    ----------
    path
        A ``.vcf``, ``.vcf.gz`` (bgzip) or ``.bcf`` file.
    field
        ``"DS"`` (dosages of imputed data), ``"GT"`` (hard calls: the number of ALT alleles in
        the genotype, any ploidy) or ``"auto"`` (default): DS when the header declares it,
        else GT.
    samples
        Sample IDs to read, in the order wanted; None (default) for all, in file order.
    region
        ``"CHROM"``, ``"CHROM:START-END"`` (1-based, inclusive): only the records starting in
        it, found through the index (required).
    multiallelic
        ``"error"`` (default): a record with several ALT alleles is an error naming it;
        ``"split"``: one variant per ALT allele, counting that allele.
    chunk_size
        Number of variants per dask block. Defaults to as many as fit about 64 MiB.

    Returns
    -------
    xarray.DataArray
        Float64, dims ("sample", "variant"), NaN for a missing genotype; coordinates as
        :func:`limix.io.plink2.read`'s: ``sample``, ``variant`` (ID, or CHROM:POS:REF:ALT when
        missing or repeated), ``variant_id``, ``chrom``, ``pos``, ``effect_allele`` (ALT),
        ``other_allele`` (REF).

    Raises
    ------
    ImportError
        If cyvcf2 is not installed (the ``vcf`` extra).
    FileNotFoundError
        If the file is missing.
    ValueError
        If the file is not a readable VCF/BCF, ``field="DS"`` is not in its header, a record
        is multi-allelic with ``multiallelic="error"``, ``region`` is given without an index,
        or ``samples`` names an unknown sample.

    Examples
    --------
    >>> from limix.io import examples, vcf
    >>>
    >>> G = vcf.read(examples.get("data.vcf.gz"), region="2")  # chromosome 2, through the .tbi
    >>> print(G.values)
    [[ 0.  2.]
     [nan  0.]
     [ 1.  1.]
     [ 2. nan]
     [ 1.  0.]]
    >>> G.coords["variant"].values.tolist(), G.coords["pos"].values.tolist()
    (['rs30', 'rs40'], [300, 9100])
    """
    source = existing_file(path, "VCF/BCF file")
    if field not in _FIELDS:
        raise ValueError(f"field must be one of {_FIELDS}; got {field!r}.")
    if multiallelic not in _MULTIALLELIC:
        raise ValueError(f"multiallelic must be one of {_MULTIALLELIC}; got {multiallelic!r}.")
    vcf = _open(source)
    formats = _format_ids(vcf)
    if field == "auto":
        field = "DS" if "DS" in formats else "GT"
    if field not in formats:
        raise malformed(source, f"its header declares no FORMAT field {field} ({sorted(formats)})")
    all_samples = pd.Index([str(s) for s in vcf.samples])
    index = _index_of(source)
    if region is not None and index is None:
        raise ValueError(
            f"region needs an index beside '{source}' (.tbi or .csi: tabix -p vcf FILE, or "
            "bcftools index FILE)."
        )
    sites = _sites(source, multiallelic, region)
    ids, rows, order = sample_selection(all_samples, samples, "the file")
    subset = None if rows is None else [all_samples[i] for i in rows]
    # records of the same chromosome and position that come before each block's first record
    # (vectorised: a Python function per position took a minute for 10⁵ records)
    records = sites.drop_duplicates("record")[["chrom", "pos", "record"]]
    before = records.groupby(["chrom", "pos"], sort=False).cumcount()
    sites["before"] = (
        sites["record"]
        .map(dict(zip(records["record"], before, strict=True)))
        .to_numpy(dtype=np.int64)
    )

    import dask
    import dask.array as da

    n, m = len(ids), len(sites)
    step = variant_chunk_size(n, 8, m, chunk_size)
    blocks = []
    start = 0
    while start < m:
        stop = min(start + step, m)
        while stop < m and sites["record"].iloc[stop] == sites["record"].iloc[stop - 1]:
            stop += 1  # the ALT alleles of one record stay in one block
        chunk = sites.iloc[start:stop]
        if index is not None and chunk["chrom"].nunique() > 1:  # one chromosome per query
            stop = start + int((chunk["chrom"] == chunk["chrom"].iloc[0]).sum())
            chunk = sites.iloc[start:stop]
        task = dask.delayed(_read_block, pure=True)(
            str(source), chunk, subset, order, field, None if index is None else str(index)
        )
        blocks.append(da.from_delayed(task, shape=(n, stop - start), dtype=np.float64))
        start = stop
    G = da.concatenate(blocks, axis=1) if blocks else da.zeros((n, 0))
    return labelled_genotype(G, ids, sites, name=source.name)
