"""A variant's genotype block, read from the file and decompressed, its lengths checked.

In a compressed layout-2 file the genotype block at byte ``vaddr`` is a 4-byte length ``C``,
then the 4-byte length ``D`` of the uncompressed data, then ``C - 4`` bytes of zlib or zstd data.
Uncompressed layout 2 has ``C`` then ``C`` bytes; layout 1 (BGEN v1.1) has ``C`` then a zlib
stream of 6·N bytes, or, uncompressed, the 6·N bytes alone.
The block must lie within the file and decompress to exactly ``D`` bytes, with nothing left
over. zlib streams carry a checksum; zstd frames (as BGEN writers make them) do not, so a
damaged zstd block can decompress to the right length and is caught only by the checks of
``_layout2``.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import zstandard

from .._file import malformed
from ._header import BGENHeader

__all__ = ["BlockReader", "block_error"]

_LENGTHS = struct.Struct("<II")
#: N, K, Pmin, Pmax, then (after the N ploidy bytes) the phased flag and the bit depth.
MIN_UNCOMPRESSED = 10


def block_error(filepath: str | os.PathLike[str], vaddr: int, problem: str) -> ValueError:
    """The error for a damaged genotype block: names the file, the block and the problem."""
    return malformed(
        filepath, f"truncated or corrupt BGEN genotype block at byte {vaddr}: {problem}"
    )


class BlockReader:
    """Reads and decompresses the genotype blocks of one BGEN file.

    Use it as a context manager; it keeps the file open (and, for zstd, a decompression context,
    which is not thread-safe: one reader per thread).

    Parameters
    ----------
    header
        The file's validated header (its path, size, sample count and compression).
    """

    def __init__(self, header: BGENHeader) -> None:
        self.header = header
        self._file: BinaryIO = open(header.filepath, "rb")
        self._zstd = zstandard.ZstdDecompressor() if header.compression == "zstd" else None

    @property
    def filepath(self) -> Path:
        """The BGEN file."""
        return self.header.filepath

    def read(self, vaddr: int) -> bytes:
        """The uncompressed genotype data of the block at byte ``vaddr``.

        Raises
        ------
        ValueError
            If the block extends past the end of the file, does not decompress, or decompresses
            to another length than its header says.
        """
        if self.header.layout == 1 or self.header.compression == "none":
            return self._read_other(vaddr)
        path, size = self.filepath, self.header.filesize
        if not self.header.first_variant <= vaddr <= size - _LENGTHS.size:
            raise malformed(
                path,
                f"truncated BGEN file: no genotype block fits at byte {vaddr} of a "
                f"{size}-byte file",
            )
        self._file.seek(vaddr)
        head = self._file.read(_LENGTHS.size)
        if len(head) < _LENGTHS.size:
            raise malformed(path, f"truncated BGEN file: the genotype block at byte {vaddr}")
        total, length = _LENGTHS.unpack(head)
        if total < 4:
            raise block_error(path, vaddr, f"its length is {total} bytes")
        if vaddr + 4 + total > size:
            raise malformed(
                path,
                f"truncated BGEN file: the {total}-byte genotype block at byte {vaddr} extends "
                f"past the end of the file ({size} bytes)",
            )
        least = MIN_UNCOMPRESSED + self.header.nsamples
        if length < least:
            raise block_error(
                path,
                vaddr,
                f"its uncompressed length is {length} bytes, less than the {least} that the "
                f"genotype data of {self.header.nsamples} samples take at least",
            )
        packed = self._file.read(total - 4)
        if len(packed) < total - 4:
            raise malformed(path, f"truncated BGEN file: the genotype block at byte {vaddr}")
        if self._zstd is None:
            return self._inflate(packed, length, vaddr)
        return self._unzstd(packed, length, vaddr)

    def _read_other(self, vaddr: int) -> bytes:
        """Layout 1 (zlib-compressed, ``C`` then the stream; or raw) and uncompressed layout 2
        (``C`` then ``C`` bytes): the genotype data, its length checked."""
        path, size, n = self.filepath, self.header.filesize, self.header.nsamples
        layout1 = self.header.layout == 1
        if layout1 and self.header.compression == "none":
            total, start = 6 * n, vaddr
        else:
            if not self.header.first_variant <= vaddr <= size - 4:
                raise malformed(path, f"truncated BGEN file: no genotype block at byte {vaddr}")
            self._file.seek(vaddr)
            (total,) = struct.unpack("<I", self._file.read(4))
            start = vaddr + 4
        if start + total > size or start < self.header.first_variant:
            raise malformed(
                path,
                f"truncated BGEN file: the {total}-byte genotype block at byte {vaddr} extends "
                f"past the end of the file ({size} bytes)",
            )
        self._file.seek(start)
        packed = self._file.read(total)
        if not layout1:  # uncompressed layout 2
            least = MIN_UNCOMPRESSED + n
            if total < least:
                raise block_error(path, vaddr, f"its length is {total} bytes, less than {least}")
            return packed
        if self.header.compression == "none":
            return packed
        return self._inflate(packed, 6 * n, vaddr)

    def _inflate(self, packed: bytes, length: int, vaddr: int) -> bytes:
        inflater = zlib.decompressobj()
        try:
            # one byte more than announced: a longer stream shows, and the stream's end is read
            data = inflater.decompress(packed, length + 1)
        except zlib.error as e:
            raise block_error(self.filepath, vaddr, f"zlib: {e}") from None
        if len(data) > length:
            raise block_error(
                self.filepath, vaddr, f"it decompresses to more than the {length} bytes announced"
            )
        if not inflater.eof:
            raise block_error(self.filepath, vaddr, "its zlib stream is incomplete")
        return self._checked(data, length, len(inflater.unused_data), vaddr)

    def _unzstd(self, packed: bytes, length: int, vaddr: int) -> bytes:
        assert self._zstd is not None
        try:
            frame = zstandard.get_frame_parameters(packed)
            if frame.content_size == length:  # two fields agree: allocate that much at once
                data = self._zstd.decompress(packed, allow_extra_data=False)
                return self._checked(data, length, 0, vaddr)
            if frame.content_size != zstandard.CONTENTSIZE_UNKNOWN:
                raise block_error(
                    self.filepath,
                    vaddr,
                    f"its zstd frame holds {frame.content_size} bytes but the block announces "
                    f"{length}",
                )
            # a frame without its size: stream it, so that the output grows only as decoded
            stream = self._zstd.decompressobj()
            data = stream.decompress(packed)
        except zstandard.ZstdError as e:
            raise block_error(self.filepath, vaddr, f"zstd: {e}") from None
        if not stream.eof:
            raise block_error(self.filepath, vaddr, "its zstd frame is incomplete")
        return self._checked(data, length, len(stream.unused_data), vaddr)

    def _checked(self, data: bytes, length: int, trailing: int, vaddr: int) -> bytes:
        if len(data) != length:
            raise block_error(
                self.filepath,
                vaddr,
                f"it decompresses to {len(data)} bytes but announces {length}",
            )
        if trailing:
            raise block_error(
                self.filepath, vaddr, f"{trailing} bytes follow the end of its compressed data"
            )
        return data

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> BlockReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
