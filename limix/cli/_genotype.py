"""Genotype files of the command line (PLINK 1 and 2, VCF/BCF, BGEN) as sample IDs, variants and
lazy dosages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click
import numpy as np
import pandas as pd

from ._filetype import FileSpec, plink2_prefix, plink_prefix

if TYPE_CHECKING:
    import dask.array as da
    import xarray as xr

__all__ = ["BGEN_SAMPLE_FILE_OPTION", "Genotype", "open_genotype"]

#: The ``--bgen-sample-file`` option of the commands that open a genotype file: its value is the
#: ``bgen_sample_file`` argument of :func:`open_genotype`.
BGEN_SAMPLE_FILE_OPTION = click.option(
    "--bgen-sample-file",
    type=click.Path(dir_okay=False),
    help="Oxford .sample file with the sample IDs of a BGEN file.",
)

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

    def select_variants(self, variants: np.ndarray) -> Genotype:
        """The genotype restricted to the variants at positions ``variants`` (every sample:
        which samples an analysis uses is decided by :mod:`limix._data`)."""
        cols = np.asarray(variants, dtype=np.intp)
        table = self.variants.iloc[cols].reset_index(drop=True)
        return Genotype(self.samples, table, self.dosage[:, cols], self.source)

    def by_sample(self) -> xr.DataArray:
        """The dosages as a DataArray (sample, candidate) labelled by sample ID, still lazy."""
        import xarray as xr

        samples = np.asarray(self.samples, dtype=object)
        return xr.DataArray(self.dosage, dims=("sample", "candidate"), coords={"sample": samples})


def _unique_ids(ids: pd.Index, what: str) -> pd.Index:
    ids = pd.Index([str(s) for s in ids], dtype=object, name="sample")
    if ids.has_duplicates:
        repeated = ids[ids.duplicated()].unique()[:3].tolist()
        raise ValueError(f"{what} has repeated sample IDs ({repeated}); IDs must be unique")
    return ids


def _from_labelled(G: Any, what: str) -> Genotype:
    """A genotype from limix.io.read_genotype's labelled matrix."""
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


_WHAT = {
    "plink": "PLINK file set '{}' (.fam IID)",
    "plink2": "PLINK 2 file set '{}'",
    "vcf": "VCF/BCF file '{}'",
    "bgen": "BGEN file '{}'",
    "gen": "GEN file '{}'",
}


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
    from limix.io import read_genotype

    if spec.type not in _WHAT:
        raise ValueError(
            f"'{spec.path}' is a {spec.type} file, not a PLINK 1, PLINK 2, VCF/BCF or BGEN "
            "genotype file"
        )
    if bgen_sample_file is not None and spec.type != "bgen":
        raise ValueError(f"a BGEN sample file was given but the genotype is a {spec.type} file")
    path = spec.path
    if spec.type == "plink":
        path = plink_prefix(path) or path
    elif spec.type == "plink2":
        path = plink2_prefix(path) or path
    G = read_genotype(path, spec.type, sample_file=bgen_sample_file)
    return _from_labelled(G, _WHAT[spec.type].format(path))
