"""Genotype files of the command line (PLINK 1 and 2, VCF/BCF, BGEN) as sample IDs, variants and
lazy dosages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._filetype import FileSpec, plink2_prefix, plink_prefix

if TYPE_CHECKING:
    import dask.array as da

__all__ = ["Genotype", "open_genotype"]

#: Columns of :attr:`Genotype.variants`.
VARIANT_COLUMNS = ("variant", "chrom", "pos", "a0", "a1")


@dataclass(frozen=True)
class Genotype:
    """A genotype file, opened lazily.

    Attributes
    ----------
    samples
        Sample IDs (the PLINK ``.fam`` IID, or the BGEN sample identifiers), unique, as strings.
    variants
        One row per variant, in file order: ``variant`` (ID), ``chrom`` (string), ``pos``,
        ``a0``, ``a1`` (the counted allele).
    dosage
        Samples × variants dask array: copies of ``a1``, NaN where missing.
    source
        What was read, for messages.
    """

    samples: pd.Index
    variants: pd.DataFrame
    dosage: da.Array
    source: str

    def select(
        self, samples: np.ndarray | None = None, variants: np.ndarray | None = None
    ) -> Genotype:
        """The genotype restricted to rows ``samples`` and columns ``variants`` (positions)."""
        dosage = self.dosage
        ids = self.samples
        table = self.variants
        if samples is not None:
            dosage = dosage[np.asarray(samples, dtype=np.intp), :]
            ids = ids[samples]
        if variants is not None:
            cols = np.asarray(variants, dtype=np.intp)
            dosage = dosage[:, cols]
            table = table.iloc[cols].reset_index(drop=True)
        return Genotype(ids, table, dosage, self.source)


def _unique_ids(ids: pd.Index, what: str) -> pd.Index:
    ids = pd.Index([str(s) for s in ids], dtype=object, name="sample")
    if ids.has_duplicates:
        repeated = ids[ids.duplicated()].unique()[:3].tolist()
        raise ValueError(f"{what} has repeated sample IDs ({repeated}); IDs must be unique")
    return ids


def _open_plink(path: str) -> Genotype:
    from limix.io import plink

    prefix = plink_prefix(path) or path
    bim, fam, G = plink.read(prefix, verbose=False, samples_by_variants=True)
    samples = _unique_ids(pd.Index(fam["iid"]), f"PLINK file set '{prefix}' (.fam IID)")
    variants = pd.DataFrame(
        {
            "variant": bim["snp"].astype(str).to_numpy(),
            "chrom": bim["chrom"].astype(str).to_numpy(),
            "pos": bim["pos"].to_numpy(dtype=np.int64),
            "a0": bim["a0"].astype(str).to_numpy(),
            "a1": bim["a1"].astype(str).to_numpy(),
        }
    )
    return Genotype(samples, variants, G, f"PLINK file set '{prefix}'")


def _from_labelled(G: Any, what: str) -> Genotype:
    """A genotype from the labelled matrix of limix.io.plink2 / limix.io.vcf."""
    samples = _unique_ids(pd.Index(G["sample"].values), what)
    variants = pd.DataFrame(
        {
            "variant": G["variant_id"].values.astype(str),
            "chrom": G["chrom"].values.astype(str),
            "pos": G["pos"].values.astype(np.int64),
            "a0": G["other_allele"].values.astype(str),
            "a1": G["effect_allele"].values.astype(str),
        }
    )
    return Genotype(samples, variants, G.data, what)


def _open_plink2(path: str) -> Genotype:
    from limix.io import plink2

    prefix = plink2_prefix(path) or path
    return _from_labelled(plink2.read(prefix), f"PLINK 2 file set '{prefix}'")


def _open_vcf(path: str) -> Genotype:
    from limix.io import vcf

    return _from_labelled(vcf.read(path), f"VCF/BCF file '{path}'")


def _open_bgen(path: str, sample_file: str | None) -> Genotype:
    from limix.io import bgen

    data = bgen.read(path, sample_file, verbose=False)
    table = data["variants"]
    samples = _unique_ids(pd.Index(data["samples"]), f"BGEN file '{path}'")
    alleles = table["allele_ids"].astype(str).str.split(",")
    rsid = table["rsid"].astype(str)
    ident = rsid.where(~rsid.isin(["", "."]), table["id"].astype(str))
    variants = pd.DataFrame(
        {
            "variant": ident.to_numpy(),
            "chrom": table["chrom"].astype(str).to_numpy(),
            "pos": table["pos"].to_numpy(dtype=np.int64),
            "a0": alleles.str[0].to_numpy(),
            "a1": alleles.str[1].fillna("").to_numpy(),
        }
    )
    G = bgen.read_dosage(path, table, verbose=False)
    return Genotype(samples, variants, G, f"BGEN file '{path}'")


def open_genotype(spec: FileSpec, bgen_sample_file: str | None = None) -> Genotype:
    """Open a genotype file (``spec.type`` one of ``GENOTYPE_TYPES``).

    Parameters
    ----------
    spec
        The file and its resolved type.
    bgen_sample_file
        Oxford ``.sample`` file giving the sample IDs of a BGEN file (only for BGEN).

    Raises
    ------
    ValueError
        If the file is malformed, sample IDs repeat, or a sample file is given for PLINK.
    FileNotFoundError
        If a file is missing.
    """
    if spec.type == "plink":
        if bgen_sample_file is not None:
            raise ValueError("a BGEN sample file was given but the genotype is a PLINK file set")
        return _open_plink(spec.path)
    if spec.type == "bgen":
        return _open_bgen(spec.path, bgen_sample_file)
    if bgen_sample_file is not None:
        raise ValueError(f"a BGEN sample file was given but the genotype is a {spec.type} file")
    if spec.type == "plink2":
        return _open_plink2(spec.path)
    if spec.type == "vcf":
        return _open_vcf(spec.path)
    raise ValueError(
        f"'{spec.path}' is a {spec.type} file, not a PLINK 1, PLINK 2, VCF/BCF or BGEN genotype "
        "file"
    )
