"""The uncompressed genotype data of a layout-2 block, parsed and checked field by field.

Layout 2 (BGEN v1.2) genotype data are, in order: the sample count ``N`` (4 bytes), the allele
count ``K`` (2 bytes), the smallest and largest ploidy ``Pmin`` and ``Pmax`` (1 byte each), one
byte per sample (bit 7: missing; bits 0-5: ploidy), the phased flag (1 byte), the bit depth
``B`` (1 byte), then the probabilities: ``B``-bit integers, for each sample in turn its
``Z·(K - 1)`` haplotype values when phased, or its ``C(Z + K - 1, K - 1) - 1`` genotype values
when not (``Z`` its ploidy), packed without gaps into whole bytes.

Every field is checked against the others, the file's header and the variant's identifying
data before anything is decoded, so the decoder never reads past the data nor allocates more
than the data justify.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from math import comb
from pathlib import Path

import numpy as np

from ._bits import packed_size
from ._block import MIN_UNCOMPRESSED, block_error

__all__ = ["Layout2Block", "parse_layout2", "stored_per_sample"]

_HEAD = struct.Struct("<IHBB")
#: Largest ploidy the format allows.
MAX_PLOIDY = 63
#: Largest number of probability columns per sample (cbgen's limit: a 32-bit count).
MAX_COLUMNS = 2**32 - 1


def stored_per_sample(ploidy: int, nalleles: int, phased: bool) -> int:
    """Number of stored probabilities of one sample: all but the last of each group."""
    if phased:
        return ploidy * (nalleles - 1)
    return comb(ploidy + nalleles - 1, nalleles - 1) - 1


def columns(ploidy: int, nalleles: int, phased: bool) -> int:
    """Number of probabilities of a sample: one per haplotype and allele, or per genotype."""
    if phased:
        return ploidy * nalleles
    return comb(ploidy + nalleles - 1, nalleles - 1)


@dataclass(slots=True)
class Layout2Block:
    """The checked fields of one variant's layout-2 genotype data.

    Attributes
    ----------
    nsamples
        ``N``, equal to the header's sample count.
    nalleles
        ``K``, at least 1 (and equal to the variant's allele count when that is known).
    max_ploidy
        ``Pmax``, the largest ploidy of the samples.
    ploidy
        Each sample's ploidy (``uint8``, at most ``Pmax``; at least ``Pmin`` unless missing).
    missing
        Whether each sample's genotype is missing (``bool``).
    phased
        Whether the variant is phased.
    bits
        ``B``, bits per stored probability (1 to 32).
    uniform
        Whether every sample has ploidy ``Pmax``.
    nstored
        Number of stored probabilities: the packed data hold exactly that many ``B``-bit values.
    data
        The packed probabilities.
    """

    nsamples: int
    nalleles: int
    max_ploidy: int
    ploidy: np.ndarray
    missing: np.ndarray
    phased: bool
    bits: int
    uniform: bool
    nstored: int
    data: memoryview

    @property
    def ncolumns(self) -> int:
        """Columns of the decoded probability matrix: those of a sample of ploidy ``Pmax``."""
        return columns(self.max_ploidy, self.nalleles, self.phased)


def parse_layout2(
    raw: bytes, filepath: Path, vaddr: int, nsamples: int, nalleles: int | None = None
) -> Layout2Block:
    """Parse and check the uncompressed layout-2 genotype data of the block at ``vaddr``.

    Parameters
    ----------
    raw
        The uncompressed genotype data.
    filepath
        The BGEN file (for error messages).
    vaddr
        Byte offset of the block (for error messages).
    nsamples
        The header's sample count.
    nalleles
        The variant's allele count from its identifying data; ``None`` to skip that check.

    Raises
    ------
    ValueError
        If a field is out of range or disagrees with another, with the header or with the
        identifying data, or if the probability data do not have the length the fields imply.
    """

    def fail(problem: str) -> ValueError:
        return block_error(filepath, vaddr, problem)

    if len(raw) < MIN_UNCOMPRESSED:
        raise fail(f"its genotype data have {len(raw)} bytes, too few for their fields")
    n, k, pmin, pmax = _HEAD.unpack_from(raw)
    if n != nsamples:
        raise fail(f"it holds {n} samples but the header says {nsamples}")
    if nalleles is not None and k != nalleles:
        raise fail(f"it holds {k} alleles but the variant's identifying data say {nalleles}")
    if k < 1:
        raise fail("it holds no allele")
    if len(raw) < MIN_UNCOMPRESSED + n:
        raise fail(f"its genotype data have {len(raw)} bytes, too few for {n} samples")
    if pmin > MAX_PLOIDY or pmax > MAX_PLOIDY:
        raise fail(f"its ploidy range [{pmin}, {pmax}] is not within [0, {MAX_PLOIDY}]")
    phased, bits = raw[_HEAD.size + n], raw[_HEAD.size + n + 1]
    if phased > 1:
        raise fail(f"its phased flag is {phased}, not 0 or 1")
    if not 1 <= bits <= 32:
        raise fail(f"it stores probabilities in {bits} bits, not 1 to 32")

    flags = np.frombuffer(raw, dtype=np.uint8, count=n, offset=_HEAD.size)
    ploidy = flags & np.uint8(0x3F)  # bit 6 is unused
    missing = flags >= 0x80
    # the usual case, one ploidy within the range, is checked at memcmp speed
    uniform = pmin <= pmax and ploidy.tobytes() == bytes([pmax]) * n
    if uniform:
        nstored = n * stored_per_sample(pmax, k, bool(phased))
    else:
        nstored = _count_stored(ploidy, missing, pmin, pmax, k, bool(phased), fail)
    if columns(pmax, k, bool(phased)) > MAX_COLUMNS:
        raise fail(f"{pmax}-ploid genotypes of {k} alleles have too many probabilities")
    data = memoryview(raw)[MIN_UNCOMPRESSED + n :]
    expected = packed_size(nstored, bits)
    if len(data) != expected:
        raise fail(
            f"its probability data have {len(data)} bytes, but {n} samples of {k} alleles, "
            f"{'phased' if phased else 'unphased'}, with these ploidies, take {expected} at "
            f"{bits} bits per probability"
        )
    return Layout2Block(
        nsamples=n,
        nalleles=k,
        max_ploidy=pmax,
        ploidy=ploidy,
        missing=missing,
        phased=bool(phased),
        bits=bits,
        uniform=uniform,
        nstored=nstored,
        data=data,
    )


def _count_stored(
    ploidy: np.ndarray,
    missing: np.ndarray,
    pmin: int,
    pmax: int,
    k: int,
    phased: bool,
    fail: Callable[[str], ValueError],
) -> int:
    """Number of stored probabilities, after checking the ploidies against ``[Pmin, Pmax]``.

    ``Pmax`` must be the largest ploidy. ``Pmin`` bounds the samples with data only: the
    reference writer (the BGEN project's library, behind qctool) stores a sample given no data
    as missing with ploidy 0 and leaves it out of ``[Pmin, Pmax]``, which it writes as
    ``[63, 0]`` when no sample has data.
    """
    if ploidy.size == 0:
        return 0
    high = int(ploidy.max())
    if high != pmax:
        raise fail(f"its largest ploidy is {high}, not the {pmax} it announces")
    present = ploidy[~missing]
    if present.size and int(present.min()) < pmin:
        raise fail(
            f"a sample with data has ploidy {int(present.min())}, below the smallest ploidy "
            f"{pmin} it announces"
        )
    counts = np.bincount(ploidy, minlength=high + 1)
    return sum(int(c) * stored_per_sample(z, k, phased) for z, c in enumerate(counts.tolist()) if c)
