"""The BGEN header block, parsed and validated before anything else is read.

Every field is checked against the file's size first: an oversized variant count, for
instance, must not size anything that is allocated or read.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from .._file import malformed

__all__ = ["BGENHeader", "read_header"]

_COMPRESSIONS = {0: "none", 1: "zlib", 2: "zstd"}


@dataclass(frozen=True)
class BGENHeader:
    """Facts of a BGEN file's header block.

    Attributes
    ----------
    filepath
        The BGEN file.
    filesize
        Its size in bytes.
    header_length
        Length of the header block, in bytes.
    first_variant
        Absolute byte offset of the first variant data block.
    nvariants
        Number of variants.
    nsamples
        Number of samples.
    compression
        ``"none"``, ``"zlib"`` or ``"zstd"`` (layout 2 only).
    layout
        Layout of the variant blocks: 1 (BGEN v1.1: three 16-bit probabilities per sample) or
        2 (v1.2).
    has_sample_ids
        Whether a sample identifier block follows the header.
    """

    filepath: Path
    filesize: int
    header_length: int
    first_variant: int
    nvariants: int
    nsamples: int
    compression: str
    layout: int
    has_sample_ids: bool


def read_header(filepath: Path) -> BGENHeader:
    """Parse and validate the header of the BGEN file at ``filepath``."""
    filesize = filepath.stat().st_size
    with open(filepath, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            raise malformed(filepath, f"too short for a BGEN file ({filesize} bytes)")
        offset, header_length, nvariants, nsamples, magic = struct.unpack("<IIII4s", head[:20])
        if magic not in (b"bgen", b"\x00\x00\x00\x00"):
            raise malformed(filepath, f"not a BGEN file (magic number {magic!r})")
        if header_length < 20 or header_length > offset:
            raise malformed(
                filepath,
                f"corrupt BGEN header: header length {header_length} is not within "
                f"[20, {offset}] (the first variant's offset)",
            )
        if 4 + header_length > filesize:
            raise malformed(filepath, "truncated BGEN file: the header block is incomplete")
        f.seek(header_length)  # the flags are the last 4 bytes of the header block
        (flags,) = struct.unpack("<I", f.read(4))

    code = flags & 0b11
    layout = (flags >> 2) & 0b1111
    if code not in _COMPRESSIONS:
        raise malformed(filepath, f"corrupt BGEN header: unknown compression code {code}")
    if layout not in (1, 2):
        raise malformed(filepath, f"corrupt BGEN header: unknown layout {layout}")
    if layout == 1 and code == 2:
        raise malformed(filepath, "corrupt BGEN header: layout 1 with zstd compression")
    first_variant = 4 + offset
    if first_variant > filesize or (nvariants > 0 and first_variant == filesize):
        raise malformed(
            filepath,
            f"truncated BGEN file: the first variant block would start at byte {first_variant} "
            f"but the file has {filesize} bytes",
        )
    return BGENHeader(
        filepath=filepath,
        filesize=filesize,
        header_length=header_length,
        first_variant=first_variant,
        nvariants=nvariants,
        nsamples=nsamples,
        compression=_COMPRESSIONS[code],
        layout=layout,
        has_sample_ids=bool(flags >> 31),
    )
