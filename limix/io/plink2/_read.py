"""``limix.io.plink2.read``: PLINK 2 file sets (.pgen, .pvar, .psam), lazily, through pgenlib."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..._optional import optional_module
from .._chunks import variant_chunk_size
from .._file import existing_file, malformed
from .._labelled import labelled_genotype, sample_selection
from ._psam import read_psam
from ._pvar import read_pvar

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["read"]

#: pgenlib's code for a missing genotype.
_MISSING = -9


def _pgenlib() -> Any:
    return optional_module("pgenlib", "plink2", "Reading PLINK 2 files")


def _companion(prefix: str, suffixes: tuple[str, ...], what: str) -> Path:
    for suffix in suffixes:
        if os.path.exists(prefix + suffix):
            return existing_file(prefix + suffix, what)
    raise FileNotFoundError(f"{what} not found: '{prefix}{suffixes[0]}' (nor {suffixes[1:]})")


def _prefix(path: str | os.PathLike[str]) -> str:
    text = os.fspath(path)
    for suffix in (".pgen", ".pvar.zst", ".pvar", ".psam.zst", ".psam"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _read_block(
    pgen: str,
    nraw: int,
    nvariants: int,
    subset: np.ndarray | None,
    order: np.ndarray | None,
    columns: np.ndarray,
    dosage: bool,
) -> np.ndarray:
    """Samples-by-variants float64 values of ``columns`` (NaN for missing): one pgenlib read."""
    pgenlib = _pgenlib()
    reader = pgenlib.PgenReader(
        pgen.encode(), raw_sample_ct=nraw, variant_ct=nvariants, sample_subset=subset
    )
    try:
        nsamples = nraw if subset is None else subset.size
        contiguous = columns.size and np.all(np.diff(columns) == 1)
        if dosage:
            out = np.empty((columns.size, nsamples), dtype=np.float64)
            if contiguous:
                reader.read_dosages_range(int(columns[0]), int(columns[-1]) + 1, out)
            else:
                reader.read_dosages_list(columns.astype(np.uint32), out)
        else:
            calls = np.empty((columns.size, nsamples), dtype=np.int8)
            if contiguous:
                reader.read_range(int(columns[0]), int(columns[-1]) + 1, calls)
            else:
                reader.read_list(columns.astype(np.uint32), calls)
            out = calls.astype(np.float64)
    finally:
        reader.close()
    out[out == _MISSING] = np.nan
    values = out.T
    return np.ascontiguousarray(values if order is None else values[order])


def _check_pgen(pgen: Path, nraw: int, nvariants: int) -> None:
    """Open the .pgen against the text files' counts and decode its last variant, which a
    truncated file does not hold whole (records are variable-length: the size says nothing)."""
    pgenlib = _pgenlib()
    try:
        reader = pgenlib.PgenReader(bytes(pgen), raw_sample_ct=nraw, variant_ct=nvariants)
        try:
            if nvariants:
                reader.read_dosages(nvariants - 1, np.empty(nraw, dtype=np.float64))
        finally:
            reader.close()
    except Exception as error:  # pgenlib raises RuntimeError with PLINK's own message
        raise malformed(
            pgen,
            f"not a readable .pgen for the {nraw} samples of the .psam and {nvariants} variants "
            f"of the .pvar ({str(error).strip() or type(error).__name__})",
        ) from None


def read(
    prefix: str | os.PathLike[str],
    *,
    samples: Sequence[Any] | None = None,
    dosage: bool = True,
    chunk_size: int | None = None,
) -> xr.DataArray:
    """Read a PLINK 2 file set as a labelled, lazy samples-by-variants matrix.

    ``prefix.pgen`` holds the genotypes, ``prefix.pvar`` (or ``.pvar.zst``, or a ``.bim``) the
    variants and ``prefix.psam`` (or ``.psam.zst``, or a ``.fam``) the samples. The two text
    files are read at once; the genotypes are read by pgenlib block by block when the values
    are needed (blocks of about 64 MiB), only for the samples asked.

    **Which allele is counted.** The values count copies of the ALT allele, the
    ``effect_allele`` coordinate, as PLINK 2 does (``--glm`` reports ALT's effect by default);
    REF is the ``other_allele``. A file set converted from PLINK 1 by ``plink2 --bfile`` has the
    .bim's fifth column as ALT.

    Parameters
    ----------
    prefix
        Path of the files without their extension (``.pgen``, ``.pvar`` or ``.psam`` accepted).
    samples
        Sample IDs (IID) to read, in the order wanted; None (default) for all, in file order.
        Only these samples are decoded.
    dosage
        True (default): dosages, where the file stores them (imputed data), else the hard
        calls; False: PLINK's hard calls only (0, 1, 2; missing where the stored dosage is not
        within plink2's hard-call threshold of an integer, 0.1 by default at import).
    chunk_size
        Number of variants per dask block. Defaults to as many as fit about 64 MiB.

    Returns
    -------
    xarray.DataArray
        Float64, dims ("sample", "variant"), NaN for a missing genotype; coordinates
        ``sample`` (IID), ``variant`` (ID), ``variant_id``, ``chrom``, ``pos``,
        ``effect_allele`` (ALT) and ``other_allele`` (REF). Lazy: select variants (e.g.
        ``G[:, G.chrom == "6"]``) before computing, and only their blocks are read.

    Raises
    ------
    ImportError
        If pgenlib is not installed (the ``plink2`` extra).
    FileNotFoundError
        If a file of the set is missing.
    ValueError
        If a file is malformed, the .pgen does not match the .pvar and .psam (sizes), a
        variant has more than one ALT allele, or ``samples`` names an unknown sample.

    Examples
    --------
    >>> from limix.io import examples, plink2
    >>>
    >>> G = plink2.read(examples.get("data.pgen"))  # plink2's conversion of data.bed
    >>> print(G.values)
    [[ 2.  1.  0.  2.]
     [ 1.  1. nan  0.]
     [ 0.  2.  1.  1.]
     [ 2.  0.  2. nan]
     [ 1.  2.  1.  0.]]
    >>> G.coords["variant"].values.tolist(), G.coords["effect_allele"].values.tolist()
    (['rs10', 'rs20', 'rs30', 'rs40'], ['A', 'C', 'G', 'T'])
    """
    base = _prefix(prefix)
    pgen = existing_file(base + ".pgen", "PLINK 2 .pgen file")
    pvar_path = _companion(base, (".pvar", ".pvar.zst", ".bim"), "PLINK 2 .pvar file")
    psam_path = _companion(base, (".psam", ".psam.zst", ".fam"), "PLINK 2 .psam file")
    pvar = read_pvar(pvar_path)
    psam = read_psam(psam_path)
    multi = pvar["alt"].str.contains(",")
    if multi.any():
        raise malformed(
            pvar_path,
            f"{int(multi.sum())} variant(s) have several ALT alleles (e.g. "
            f"{pvar['variant'][multi].iloc[0]}); split them into biallelic records first "
            "(bcftools norm -m-) or leave them out (plink2 --max-alleles 2)",
        )
    _check_pgen(pgen, len(psam), len(pvar))
    ids, rows, order = sample_selection(pd.Index(psam.index), samples, "the .psam")
    subset = None if rows is None else rows.astype(np.uint32)

    import dask
    import dask.array as da

    n, m = len(ids), len(pvar)
    step = variant_chunk_size(n, 8, m, chunk_size)
    blocks = []
    for start in range(0, m, step):
        columns = np.arange(start, min(start + step, m))
        task = dask.delayed(_read_block, pure=True)(
            str(pgen), len(psam), m, subset, order, columns, dosage
        )
        blocks.append(da.from_delayed(task, shape=(n, columns.size), dtype=np.float64))
    G = da.concatenate(blocks, axis=1) if blocks else da.zeros((n, 0))
    variants = pvar.rename(columns={"alt": "effect_allele", "ref": "other_allele"})
    return labelled_genotype(G, ids, variants, name=Path(base).name)
