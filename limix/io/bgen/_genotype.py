"""Lazy per-variant access to the genotype blocks of a BGEN file, decoded by cbgen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, overload

import cbgen
import numpy as np
from dask import delayed
from dask.delayed import Delayed

from .._file import malformed

__all__ = ["BGENGenotype", "read_genotype"]


def read_genotype(bgen: cbgen.bgen_file, vaddr: int) -> dict[str, Any]:
    """Decode the genotype block at byte offset ``vaddr`` of an open cbgen file."""
    try:
        gt = bgen.read_genotype(int(vaddr))
    except RuntimeError as e:
        raise malformed(
            bgen.filepath, f"truncated or corrupt BGEN genotype block at byte {vaddr}: {e}"
        ) from None
    return {
        "probs": gt.probability,
        "phased": bool(gt.phased),
        "ploidy": gt.ploidy,
        "missing": gt.missing,
    }


def _read_one(filepath: Path, vaddr: int) -> dict[str, Any]:
    with cbgen.bgen_file(filepath) as bgen:
        return read_genotype(bgen, vaddr)


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

    A slice gives a list of delayed objects. Nothing is read before ``compute``.

    Parameters
    ----------
    filepath
        The BGEN file.
    vaddr
        Byte offset of each variant's genotype block (the ``vaddr`` column of the variants).
    """

    def __init__(self, filepath: str | Path, vaddr: np.ndarray) -> None:
        self._filepath = Path(filepath)
        self._vaddr = np.asarray(vaddr, dtype=np.int64)

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
        return delayed(_read_one, pure=True)(
            self._filepath, vaddr, dask_key_name=f"bgen-genotype-{self._filepath}-{vaddr}"
        )

    def __repr__(self) -> str:
        return f"BGENGenotype('{self._filepath}', nvariants={len(self)})"
