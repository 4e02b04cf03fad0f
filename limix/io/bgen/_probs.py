"""Genotype probabilities of a checked layout-2 block, decoded with numpy.

Each group of stored ``B``-bit integers (a sample's genotypes, or one of its haplotypes) is
followed by an implied last value, ``2**B - 1`` minus their sum: probability ``v / (2**B - 1)``.
The matrix has one row per sample and the columns of a sample of ploidy ``Pmax``; a sample of
lower ploidy fills its leading columns, NaN the rest; a missing sample's row is all NaN. Phased
columns are haplotype-major (haplotype ``h``, allele ``a`` in column ``h·K + a``); unphased
columns are the genotypes in the colex order of the BGEN specification.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._bits import unpack_bits
from ._block import block_error
from ._layout2 import Layout2Block, columns, stored_per_sample

__all__ = ["decode_probabilities"]


def decode_probabilities(block: Layout2Block, filepath: Path, vaddr: int) -> np.ndarray:
    """Samples-by-columns probabilities (float64) of the checked block ``block``.

    Raises
    ------
    ValueError
        If the stored probabilities of a group of a non-missing sample sum to more than 1.
    """
    n = block.nsamples
    values = unpack_bits(block.data, block.bits, block.nstored)
    probs = np.empty((n, block.ncolumns), dtype=np.float64)
    if n == 0:
        return probs
    if block.uniform:  # one ploidy: every sample fills its row (the usual case)
        _groups(values, None, block.max_ploidy, block, probs, filepath, vaddr)
    else:
        # fits in int64: the largest ploidy is Pmax, whose count the data length bounds
        k, phased = block.nalleles, block.phased
        per_sample = np.array(
            [stored_per_sample(z, k, phased) for z in range(block.max_ploidy + 1)], dtype=np.int64
        )
        count = per_sample[block.ploidy]
        start = np.cumsum(count) - count
        for z in np.unique(block.ploidy).tolist():
            rows = np.flatnonzero(block.ploidy == z)
            width = columns(z, k, phased)
            part = np.empty((len(rows), width), dtype=np.float64)
            stored = values[start[rows, None] + np.arange(per_sample[z])]
            _groups(stored, rows, z, block, part, filepath, vaddr)
            probs[rows, :width] = part
            probs[rows, width:] = np.nan
    probs[block.missing] = np.nan
    return probs


def _groups(
    stored: np.ndarray,
    rows: np.ndarray | None,
    ploidy: int,
    block: Layout2Block,
    out: np.ndarray,
    filepath: Path,
    vaddr: int,
) -> None:
    """Fill ``out`` (rows by columns) with the probabilities of samples ``rows``, of one ploidy.

    ``stored`` holds their stored integers, sample after sample; ``rows`` ``None`` means all.
    The arithmetic is in float64, exact on these integers (below 2**53), then one division.
    """
    if block.phased:
        ngroups, size = ploidy, block.nalleles - 1
    else:
        ngroups, size = 1, stored_per_sample(ploidy, block.nalleles, False)
    top = float((1 << block.bits) - 1)
    nrows = len(out)
    groups = out.reshape(nrows, ngroups, size + 1)  # a view: out is contiguous
    groups[:, :, :size] = stored.reshape(nrows, ngroups, size)
    rest = groups[:, :, size]
    if size <= 4:  # faster than a sum over a short axis
        rest[:] = top
        for c in range(size):
            rest -= groups[:, :, c]
    else:
        np.subtract(top, groups[:, :, :size].sum(axis=2), out=rest)
    if rest.size and rest.min() < 0:
        samples = np.arange(nrows) if rows is None else rows
        over = (rest < 0).any(axis=1) & ~block.missing[samples]
        if over.any():
            i = int(samples[over][0])
            raise block_error(
                filepath, vaddr, f"the stored probabilities of sample {i} sum to more than 1"
            )
    out /= top
