"""``limix.io.read_genotype``: any genotype file as the one labelled, lazy matrix."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._labelled import labelled_genotype

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["GENOTYPE_FORMATS", "genotype_format", "read_genotype"]

#: The formats :func:`read_genotype` reads, with what names them.
GENOTYPE_FORMATS = {
    "plink": "PLINK 1 file set: .bed, .bim, .fam (by prefix or one of them)",
    "plink2": "PLINK 2 file set: .pgen, .pvar(.zst), .psam(.zst) (by prefix or one of them)",
    "vcf": "VCF or BCF file: .vcf, .vcf.gz, .vcf.bgz, .bcf",
    "bgen": "BGEN file: .bgen",
    "gen": "Oxford GEN file with its .sample file: .gen (by prefix or file)",
}


def genotype_format(path: str | os.PathLike[str]) -> str:
    """The format of a genotype file from its name (or, for a prefix, the files beside it).

    A bare prefix with both a .bed and a .pgen is PLINK 1's.

    Raises
    ------
    ValueError
        If no format is recognised.
    """
    text = os.fspath(path)
    lower = text.lower()
    if lower.endswith((".bed", ".bim", ".fam")):
        return "plink"
    if lower.endswith((".pgen", ".pvar", ".psam", ".pvar.zst", ".psam.zst")):
        return "plink2"
    if lower.endswith((".vcf", ".vcf.gz", ".vcf.bgz", ".bcf")):
        return "vcf"
    if lower.endswith(".bgen"):
        return "bgen"
    if lower.endswith(".gen"):
        return "gen"
    if os.path.isfile(text + ".bed"):
        return "plink"
    if os.path.isfile(text + ".pgen"):
        return "plink2"
    raise ValueError(
        f"cannot tell the genotype format of '{text}' from its name; pass format= one of "
        f"{sorted(GENOTYPE_FORMATS)}."
    )


def _plink1(path: str, samples: Sequence[Any] | None, chunk_size: int | None) -> xr.DataArray:
    from . import plink

    text = path[:-4] if path.lower().endswith((".bed", ".bim", ".fam")) else path
    bim, fam, G = plink.read(text, verbose=False, samples_by_variants=True, chunk_size=chunk_size)
    variants = pd.DataFrame(
        {
            "variant": bim["snp"].astype(str).to_numpy(),
            "chrom": bim["chrom"].astype(str).to_numpy(),
            "pos": bim["pos"].to_numpy(dtype=np.int64),
            "effect_allele": bim["a1"].astype(str).to_numpy(),  # the counted, sixth column
            "other_allele": bim["a0"].astype(str).to_numpy(),
        }
    )
    return _subset(labelled_genotype(G, pd.Index(fam["iid"].astype(str)), variants, text), samples)


def _bgen(
    path: str, samples: Sequence[Any] | None, sample_file: Any, chunk_size: int | None
) -> xr.DataArray:
    from . import bgen

    data = bgen.read(path, sample_file, verbose=False)
    table = data["variants"]
    alleles = table["allele_ids"].astype(str).str.split(",")
    rsid = table["rsid"].astype(str)
    variants = pd.DataFrame(
        {
            "variant": rsid.where(~rsid.isin(["", "."]), table["id"].astype(str)).to_numpy(),
            "chrom": table["chrom"].astype(str).to_numpy(),
            "pos": table["pos"].to_numpy(dtype=np.int64),
            "effect_allele": alleles.str[1].fillna("").to_numpy(),  # the counted, second
            "other_allele": alleles.str[0].to_numpy(),
        }
    )
    G = bgen.read_dosage(path, table, chunk_size=chunk_size, verbose=False)
    ids = pd.Index(pd.Series(data["samples"]).astype(str))
    return _subset(labelled_genotype(G, ids, variants, os.path.basename(path)), samples)


def _gen(path: str, samples: Sequence[Any] | None, chunk_size: int | None) -> xr.DataArray:
    from . import gen

    data = gen.read(path, verbose=False, chunk_size=chunk_size)
    table = data["variants"]
    probs = data["genotype"]  # variants × samples × (AA, AB, BB)
    dosage = (probs[:, :, 1] + 2 * probs[:, :, 2]).T  # copies of allele B
    chrom = table["chrom"] if "chrom" in table else pd.Series([""] * len(table))
    rsid = table["rsid"].astype(str)
    variants = pd.DataFrame(
        {
            "variant": rsid.where(~rsid.isin(["", "."]), table["snpid"].astype(str)).to_numpy(),
            "chrom": chrom.astype(str).to_numpy(),
            "pos": table["pos"].to_numpy(dtype=np.int64),
            "effect_allele": table["a1"].astype(str).to_numpy(),  # allele B, the counted
            "other_allele": table["a0"].astype(str).to_numpy(),
        }
    )
    ids = pd.Index(data["samples"].iloc[:, 1].astype(str))  # ID_2, as PLINK's IID
    name = os.path.basename(path)
    return _subset(labelled_genotype(dosage, ids, variants, name), samples)


def _subset(G: Any, samples: Sequence[Any] | None) -> xr.DataArray:
    """The rows of ``samples`` (readers without their own subsetting: a lazy selection)."""
    if samples is None:
        return G
    from ._labelled import sample_selection

    _, rows, order = sample_selection(pd.Index(G["sample"].values), samples, "the file")
    assert rows is not None and order is not None
    return G.isel(sample=rows[order])


def read_genotype(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    samples: Sequence[Any] | None = None,
    sample_file: str | os.PathLike[str] | None = None,
    chunk_size: int | None = None,
) -> xr.DataArray:
    """Read any genotype file as a labelled, lazy samples-by-variants matrix.

    One form for every format — PLINK 1 (.bed), PLINK 2 (.pgen), VCF/BCF, BGEN and GEN: an
    ``xarray.DataArray`` of dims ``("sample", "variant")`` whose coordinates are the sample IDs,
    the variant IDs (``variant``; missing or repeated IDs become CHROM:POS:OTHER:EFFECT),
    ``variant_id`` (as in the file), ``chrom``, ``pos``, ``effect_allele`` (the allele whose
    copies the values count) and ``other_allele``. :func:`limix.qtl.scan`,
    :func:`limix.stats.linear_kinship`, :func:`limix.stats.loco_kinships` and the
    :mod:`limix.qc` functions take it as it is: samples are matched to the trait's by ID and
    results are labelled by variant.

    **The counted allele** is each format's own convention, named by ``effect_allele``: PLINK
    1, the .bim's sixth column (``a1`` of :func:`limix.io.plink.read`); PLINK 2 and VCF/BCF,
    ALT; BGEN, the second allele; GEN, allele B (the dosage is P(AB) + 2·P(BB), the sample IDs
    the .sample file's ID_2).

    Parameters
    ----------
    path
        The file (a PLINK prefix or any file of the set).
    format
        ``"plink"``, ``"plink2"``, ``"vcf"``, ``"bgen"`` or ``"gen"``; None (default) to tell
        from the name.
    samples
        Sample IDs to keep, in the order wanted; None (default) for all, in file order.
    sample_file
        BGEN only: an Oxford .sample file with the sample IDs.
    chunk_size
        Number of variants per dask block. Defaults to as many as fit about 64 MiB.

    Returns
    -------
    xarray.DataArray
        Float64 dosages, NaN where missing; lazy (dask), read block by block when used.

    Examples
    --------
    >>> from limix.io import examples, read_genotype
    >>>
    >>> G = read_genotype(examples.get("data.bed"))
    >>> G.dims, G.shape
    (('sample', 'variant'), (5, 4))
    >>> G.coords["variant"].values.tolist(), G.coords["effect_allele"].values.tolist()
    (['rs10', 'rs20', 'rs30', 'rs40'], ['G', 'T', 'A', 'C'])
    >>> print(read_genotype(examples.get("data.pgen"), samples=["s2", "s1"]).values)
    [[ 1.  1. nan  0.]
     [ 2.  1.  0.  2.]]
    """
    text = os.fspath(path)
    kind = genotype_format(text) if format is None else format
    if kind not in GENOTYPE_FORMATS:
        raise ValueError(f"format must be one of {sorted(GENOTYPE_FORMATS)}; got {format!r}.")
    if sample_file is not None and kind != "bgen":
        raise ValueError(f"sample_file is for BGEN files; '{text}' is a {kind} file.")
    if kind == "plink":
        return _plink1(text, samples, chunk_size)
    if kind == "bgen":
        return _bgen(text, samples, sample_file, chunk_size)
    if kind == "gen":
        return _gen(text, samples, chunk_size)
    if kind == "plink2":
        from . import plink2

        return plink2.read(text, samples=samples, chunk_size=chunk_size)
    from . import vcf

    return vcf.read(text, samples=samples, chunk_size=chunk_size)
