"""Dosages of many BGEN variants at once: a lazy samples-by-variants dask array."""

from __future__ import annotations

from functools import cache
from itertools import combinations_with_replacement
from pathlib import Path
from typing import Any

import dask.array as da
import numpy as np
import pandas as pd

from .._chunks import file_array, variant_chunk_size
from .._file import existing_file
from ._bgi import variant_table
from ._block import BlockReader
from ._genotype import read_genotype
from ._header import BGENHeader, read_header
from ._sample_count import check_sample_count
from ._samples import read_samples

__all__ = ["allele_dosage", "read_dosage"]


@cache
def _allele_counts(nalleles: int, ploidy: int) -> np.ndarray:
    """Allele-count vectors of the unphased genotypes, in the BGEN colex order (rows)."""
    rows = [
        np.bincount(combo, minlength=nalleles)
        for combo in combinations_with_replacement(range(nalleles), ploidy)
    ]
    rows.sort(key=lambda c: tuple(reversed(c.tolist())))
    return np.array(rows, dtype=np.float64).reshape(-1, nalleles)


def allele_dosage(genotype: dict[str, Any], nalleles: int, allele: int = 1) -> np.ndarray:
    """Expected number of copies of ``allele`` per sample, from one decoded variant.

    Parameters
    ----------
    genotype
        A decoded variant: the dict ``BGENGenotype[i].compute()`` returns.
    nalleles
        Number of alleles of the variant.
    allele
        Index of the counted allele in the variant's ``allele_ids`` (1: the second).

    Returns
    -------
    ndarray
        Expected counts (float64), NaN for missing samples.

    Examples
    --------
    >>> from limix.io import bgen, examples
    >>>
    >>> data = bgen.read(examples.get("haplotypes.bgen"), verbose=False)
    >>> geno = data["genotype"][0].compute()
    >>> print(bgen.allele_dosage(geno, nalleles=2))  # copies of G
    [0. 1. 1. 2.]
    >>> print(bgen.allele_dosage(geno, nalleles=2, allele=0))  # copies of A
    [2. 1. 1. 0.]
    """
    if not 0 <= allele < nalleles:
        raise ValueError(f"allele must be in [0, {nalleles}), got {allele}")
    probs = genotype["probs"]
    ploidy = np.asarray(genotype["ploidy"], dtype=np.int64)
    if ploidy.size and ploidy.min() == ploidy.max():  # the usual case: one ploidy
        groups = [(int(ploidy[0]), slice(None))]
    else:
        groups = [(int(z), ploidy == z) for z in np.unique(ploidy)]
    dosage = np.full(probs.shape[0], np.nan)
    for z, rows in groups:
        if genotype["phased"]:
            # haplotype-major columns: haplotype h, allele k sits in column h * nalleles + k
            dosage[rows] = probs[rows][:, np.arange(z) * nalleles + allele].sum(axis=1)
        else:
            counts = _allele_counts(nalleles, z)[:, allele]
            dosage[rows] = probs[rows, : len(counts)] @ counts
    dosage[np.asarray(genotype["missing"], dtype=bool)] = np.nan
    return dosage


class _DosageBlocks:
    """Array-like (samples, variants) whose slices check and decode the requested variants."""

    def __init__(self, header: BGENHeader, vaddr: np.ndarray, nalleles: np.ndarray):
        self.header = header
        self.vaddr = vaddr
        self.nalleles = nalleles
        self.shape = (header.nsamples, len(vaddr))
        self.dtype = np.dtype(np.float64)
        self.ndim = 2

    def __getitem__(self, key: tuple[slice, slice]) -> np.ndarray:
        rows, cols = key
        vaddr = self.vaddr[cols]
        nalleles = self.nalleles[cols]
        out = np.empty((len(vaddr), self.shape[0]))  # filled a variant (row) at a time
        with BlockReader(self.header) as reader:
            for j, (v, k) in enumerate(zip(vaddr.tolist(), nalleles.tolist(), strict=True)):
                # the block must hold the header's sample count and the variant's allele count
                out[j] = allele_dosage(read_genotype(reader, v, k), k)
        return out.T[rows]


def read_dosage(
    filepath: str | Path,
    variants: pd.DataFrame | None = None,
    *,
    chunk_size: int | None = None,
    verbose: bool = True,
) -> da.Array:
    """Read the allele dosages of many BGEN variants as a lazy samples-by-variants matrix.

    The dosage of a sample at a variant is the expected number of copies of the variant's
    **second** allele (``allele_ids`` second entry; the alternative allele in the usual
    reference-first convention) under the stored genotype probabilities: for an unphased
    diploid biallelic variant with probabilities (p_AA, p_AB, p_BB) it is p_AB + 2·p_BB; for
    phased data, the sum over haplotypes of the probability of the second allele. Any ploidy
    and any number of alleles are handled. Missing genotypes are NaN.

    Parameters
    ----------
    filepath
        BGEN file (v1.2, layout 2, or v1.1, layout 1; compressed or not).
    variants
        The variants to read, in the order wanted: a subset of the ``variants`` table returned
        by :func:`limix.io.bgen.read` for the same file (its ``vaddr`` and ``nalleles`` columns
        are used). ``None`` (default) reads every variant of the file.
    chunk_size
        Number of variants per dask block. Defaults to as many as fit about 64 MiB.
    verbose
        ``True`` to report what is being read.

    Returns
    -------
    dask.array.Array
        Dosages, float64, shape (samples, variants), chunked by blocks of variants. Each block
        opens the file and checks and decodes its variants only when computed.

    Raises
    ------
    FileNotFoundError
        If ``filepath`` does not exist.
    ValueError
        If the file is not a BGEN file, is truncated or corrupt, or ``variants`` is not a table
        of its variants; when a block is computed, if one of its genotype blocks is damaged or
        disagrees with the header (sample count) or with its variant (allele count).

    Examples
    --------
    >>> from limix.io import bgen, examples
    >>>
    >>> filepath = examples.get("haplotypes.bgen")
    >>> G = bgen.read_dosage(filepath, verbose=False)
    >>> print(G.shape)
    (4, 4)
    >>> print(G.compute())
    [[0. 2. 1. 1.]
     [1. 1. 1. 1.]
     [1. 1. 0. 2.]
     [2. 0. 2. 0.]]
    >>>
    >>> data = bgen.read(filepath, verbose=False)
    >>> subset = data["variants"].query("pos >= 3")
    >>> print(bgen.read_dosage(filepath, subset, verbose=False).compute())
    [[1. 1.]
     [1. 1.]
     [0. 2.]
     [2. 0.]]
    """
    path = existing_file(filepath, "BGEN file")
    header = read_header(path)
    if header.has_sample_ids:
        # cross-checks the header's sample count against the sample identifier block, as read()
        # does (each genotype block is checked against it when decoded)
        read_samples(header, None)
    if variants is None:
        if verbose:
            print(f"Indexing {header.nvariants} variants of '{path}'...")
        variants = variant_table(header)
    missing_columns = {"vaddr", "nalleles"} - set(variants.columns)
    if missing_columns:
        raise ValueError(
            f"variants must have the columns 'vaddr' and 'nalleles' of limix.io.bgen.read's "
            f"variants table; missing {sorted(missing_columns)}"
        )
    vaddr = variants["vaddr"].to_numpy(dtype=np.int64)
    nalleles = variants["nalleles"].to_numpy(dtype=np.int64)
    bad = (vaddr < header.first_variant) | (vaddr >= header.filesize)
    if bad.any():
        raise ValueError(
            f"variants: vaddr {int(vaddr[bad][0])} is not a genotype block of '{path}'; pass "
            "rows of the variants table read from this file"
        )
    if (nalleles < 2).any():
        raise ValueError(
            "variants: every variant must have at least two alleles to count the second one"
        )
    if not header.has_sample_ids and len(vaddr):
        # nothing else confirms the header's sample count, which sizes the blocks
        check_sample_count(header, int(vaddr[0]))

    n = header.nsamples
    block = variant_chunk_size(n, 8, len(vaddr), chunk_size)
    source = _DosageBlocks(header, vaddr, nalleles)
    if verbose:
        print(f"Dosages of {len(vaddr)} variants x {n} samples, in blocks of {block} variants.")
    return file_array(source, path, "bgen-dosage-", (n, block), np.float64, vaddr)
