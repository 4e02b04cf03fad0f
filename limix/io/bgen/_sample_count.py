"""The header's sample count, checked against a genotype block when nothing else confirms it.

A file with a sample identifier block has its header's sample count checked against that
block. A file without one states its sample count only in the header (and in every genotype
block): a damaged header could announce billions of samples, and generating their names, or
allocating a dosage matrix for them, would exhaust the memory before any block is decoded. So
the count is checked against one genotype block first.
"""

from __future__ import annotations

import struct

from .._file import malformed
from ._block import BlockReader
from ._header import BGENHeader

__all__ = ["check_sample_count"]


def check_sample_count(header: BGENHeader, vaddr: int) -> None:
    """Check the header's sample count against the genotype block at byte ``vaddr``.

    Raises
    ------
    ValueError
        If the block cannot be read, or holds another number of samples than the header says.
    """
    if header.layout == 1:
        return  # each layout-1 variant states its sample count; the walk checked every one
    with BlockReader(header) as reader:
        raw = reader.read(vaddr)  # at least 10 + the header's count of bytes
    (nsamples,) = struct.unpack_from("<I", raw)
    if nsamples != header.nsamples:
        raise malformed(
            header.filepath,
            f"corrupt BGEN file: the header has {header.nsamples} samples but the genotype "
            f"block at byte {vaddr} holds {nsamples}",
        )
