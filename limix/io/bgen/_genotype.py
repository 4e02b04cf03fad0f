"""Lazy per-variant access to the genotype blocks of a BGEN file, checked and decoded here.

A block is read and decompressed (``_block``), its fields are checked against each other,
the header and the variant's allele count (``_layout2``), and only then are its
probabilities decoded (``_probs``): a damaged, truncated or mislabelled block raises a
``ValueError`` naming the file and the block.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np
from dask import delayed
from dask.delayed import Delayed

from ._block import BlockReader, block_error
from ._header import read_header
from ._layout2 import parse_layout2
from ._probs import decode_probabilities

__all__ = ["BGENGenotype", "read_genotype"]


def read_genotype(reader: BlockReader, vaddr: int, nalleles: int | None = None) -> dict[str, Any]:
    """Check and decode the genotype block at byte offset ``vaddr``.

    Parameters
    ----------
    reader
        An open reader of the BGEN file.
    vaddr
        Byte offset of the block (a ``vaddr`` of the variants table).
    nalleles
        The variant's allele count from its identifying data, which the block must repeat;
        ``None`` to skip that check.

    Returns
    -------
    dict
        ``probs``, ``phased``, ``ploidy`` and ``missing``, as :class:`BGENGenotype` describes.

    Raises
    ------
    ValueError
        If the block is truncated, does not decompress, or its fields disagree.
    """
    raw = reader.read(vaddr)
    if reader.header.layout == 1:
        return _layout1(raw, reader, vaddr, nalleles)
    block = parse_layout2(raw, reader.filepath, vaddr, reader.header.nsamples, nalleles)
    return {
        "probs": decode_probabilities(block, reader.filepath, vaddr),
        "phased": block.phased,
        "ploidy": block.ploidy,
        "missing": block.missing,
    }


def _layout1(raw: bytes, reader: BlockReader, vaddr: int, nalleles: int | None) -> dict[str, Any]:
    """Layout 1 (BGEN v1.1): three unsigned 16-bit probabilities per sample, AA, AB and BB,
    scaled by 32768; a sample whose three are zero is missing. Always two alleles, diploid."""
    n = reader.header.nsamples
    if nalleles not in (None, 2):
        raise block_error(reader.filepath, vaddr, f"layout 1 has 2 alleles, not {nalleles}")
    if len(raw) != 6 * n:
        raise block_error(reader.filepath, vaddr, f"{len(raw)} bytes for {n} samples")
    probs = np.frombuffer(raw, dtype="<u2").reshape(n, 3).astype(np.float64) / 32768
    missing = ~probs.any(axis=1)
    probs[missing] = np.nan
    return {
        "probs": probs,
        "phased": False,
        "ploidy": np.full(n, 2, dtype=np.uint8),
        "missing": missing,
    }


def _read_one(filepath: Path, vaddr: int, nalleles: int | None) -> dict[str, Any]:
    with BlockReader(read_header(filepath)) as reader:
        return read_genotype(reader, vaddr, nalleles)


class BGENGenotype(Sequence):
    """The genotypes of a BGEN file, one lazy ``dask.delayed`` object per variant.

    ``genotype[i].compute()`` decodes variant ``i`` and returns a dict with

    - ``probs``: samples-by-combinations probabilities (float64; NaN for missing samples and
      for the unused columns of samples of lower ploidy). Phased data have one group of
      ``nalleles`` columns per haplotype; unphased data have one column per genotype in the
      colex order of allele counts of the BGEN specification (for two alleles A, B and ploidy
      2: AA, AB, BB);
    - ``phased``: whether the variant is phased;
    - ``ploidy``: the ploidy of each sample (uint8);
    - ``missing``: whether each sample's genotype is missing (bool).

    A slice gives a list of delayed objects. Nothing is read before ``compute``, which checks
    the block first: a damaged one raises a ``ValueError`` naming the file and the block.

    Parameters
    ----------
    filepath
        The BGEN file.
    vaddr
        Byte offset of each variant's genotype block (the ``vaddr`` column of the variants).
    nalleles
        Each variant's allele count (the ``nalleles`` column of the variants), checked against
        its genotype block. ``None`` (default) skips that check.
    """

    def __init__(
        self, filepath: str | Path, vaddr: np.ndarray, nalleles: np.ndarray | None = None
    ) -> None:
        self._filepath = Path(filepath)
        self._vaddr = np.asarray(vaddr, dtype=np.int64)
        self._nalleles = None if nalleles is None else np.asarray(nalleles, dtype=np.int64)
        if self._nalleles is not None and self._nalleles.shape != self._vaddr.shape:
            raise ValueError(
                f"nalleles has {self._nalleles.size} entries but vaddr has {self._vaddr.size}"
            )

    @property
    def filepath(self) -> Path:
        """The BGEN file."""
        return self._filepath

    def __len__(self) -> int:
        return len(self._vaddr)

    @overload
    def __getitem__(self, index: int) -> Delayed: ...

    @overload
    def __getitem__(self, index: slice) -> list[Delayed]: ...

    def __getitem__(self, index: int | slice) -> Delayed | list[Delayed]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = int(index)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"variant index {index} out of range for {len(self)} variants")
        vaddr = int(self._vaddr[i])
        nalleles = None if self._nalleles is None else int(self._nalleles[i])
        return delayed(_read_one, pure=True)(
            self._filepath,
            vaddr,
            nalleles,
            dask_key_name=f"bgen-genotype-{self._filepath}-{vaddr}",
        )

    def __repr__(self) -> str:
        return f"BGENGenotype('{self._filepath}', nvariants={len(self)})"
