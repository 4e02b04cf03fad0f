"""The variant index of a BGEN file: one validated pass over the variant blocks.

cbgen can build this index (its "metafile"), but its C code crashes the interpreter on a
truncated or corrupt file and it has to write the metafile somewhere. Walking the blocks here
checks every length field against the file size, so a bad file gives a ``ValueError``, and
nothing is written anywhere. Only the variant identifying data is read; genotype blocks are
skipped by their length field.
"""

from __future__ import annotations

import mmap
import struct

import numpy as np
import pandas as pd

from .._file import malformed
from ._header import BGENHeader

__all__ = ["read_variants"]

_U16 = struct.Struct("<H")
# three empty identifiers, position, allele count, then the genotype block's C and D fields
_MIN_VARIANT_BYTES = 2 + 2 + 2 + 4 + 2 + 4 + 4
_U32 = struct.Struct("<I")


class _Truncated(Exception):
    pass


def read_variants(header: BGENHeader) -> pd.DataFrame:
    """Variant table of a BGEN file (layout 1 or 2).

    Columns ``id``, ``rsid``, ``chrom``, ``pos``, ``nalleles``, ``allele_ids`` (comma-separated)
    and ``vaddr`` (byte offset of the variant's genotype block).
    """
    path = header.filepath
    m = header.nvariants
    room = header.filesize - header.first_variant
    if m * _MIN_VARIANT_BYTES > room:
        raise malformed(
            path,
            f"truncated BGEN file: the header announces {m} variants, but the {room} bytes "
            f"after the first variant's offset cannot hold more than {room // _MIN_VARIANT_BYTES}",
        )
    ids: list[str] = [""] * m
    rsids: list[str] = [""] * m
    chroms: list[str] = [""] * m
    alleles: list[str] = [""] * m
    pos = np.empty(m, dtype=np.int64)
    nalleles = np.empty(m, dtype=np.int64)
    vaddr = np.empty(m, dtype=np.int64)

    if m == 0:
        return _frame(ids, rsids, chroms, pos, nalleles, alleles, vaddr)

    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        size = len(buf)

        def u16(at: int) -> int:
            if at + 2 > size:
                raise _Truncated
            return _U16.unpack_from(buf, at)[0]

        def u32(at: int) -> int:
            if at + 4 > size:
                raise _Truncated
            return _U32.unpack_from(buf, at)[0]

        def text(at: int, n: int) -> str:
            if at + n > size:
                raise _Truncated
            return buf[at : at + n].decode()

        at = header.first_variant
        j = 0
        try:
            layout1 = header.layout == 1
            compressed = header.compression != "none"
            block1 = 6 * header.nsamples  # uncompressed layout-1 probabilities
            for j in range(m):
                if layout1:
                    if u32(at) != header.nsamples:
                        raise malformed(
                            path,
                            f"corrupt BGEN file: variant {j} holds {u32(at)} samples but the "
                            f"header has {header.nsamples}",
                        )
                    at += 4
                n = u16(at)
                ids[j] = text(at + 2, n)
                at += 2 + n
                n = u16(at)
                rsids[j] = text(at + 2, n)
                at += 2 + n
                n = u16(at)
                chroms[j] = text(at + 2, n)
                at += 2 + n
                pos[j] = u32(at)
                if layout1:  # two alleles, no count field
                    k = 2
                    at += 4
                else:
                    k = u16(at + 4)
                    at += 6
                names = []
                for _ in range(k):
                    n = u32(at)
                    names.append(text(at + 4, n))
                    at += 4 + n
                nalleles[j] = k
                alleles[j] = ",".join(names)
                vaddr[j] = at
                if layout1 and not compressed:
                    at += block1
                else:
                    length = u32(at)
                    if length < (4 if compressed and not layout1 else 1):
                        # a compressed layout-2 block starts with its 4-byte uncompressed size
                        raise malformed(
                            path,
                            f"corrupt BGEN file: variant {j} has a {length}-byte genotype block",
                        )
                    at += 4 + length
                if at > size:
                    raise _Truncated
        except _Truncated:
            raise malformed(
                path,
                f"truncated BGEN file: variant {j} of {m} (block near byte {at}) extends past "
                f"the end of the file ({size} bytes)",
            ) from None
        except UnicodeDecodeError as e:
            raise malformed(path, f"corrupt BGEN file: variant {j}: {e}") from None
    return _frame(ids, rsids, chroms, pos, nalleles, alleles, vaddr)


def _frame(ids, rsids, chroms, pos, nalleles, alleles, vaddr) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ids,
            "rsid": rsids,
            "chrom": chroms,
            "pos": pos,
            "nalleles": nalleles,
            "allele_ids": alleles,
            "vaddr": vaddr,
        }
    )
