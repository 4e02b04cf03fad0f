"""A tiny BGEN v1.2 writer for test fixtures (no PyPI package used by the project writes BGEN).

It follows the public BGEN format specification (v1.2): a 4-byte offset to the first variant
block, the header block, an optional sample identifier block, then one variant block per
variant. Layout 1 stores three 16-bit probabilities per sample; layout 2 stores ploidy,
missingness, phasedness and bit-packed probabilities with the last probability of each group
omitted. Compression is zlib, zstd (layout 2, through the ``zstandard`` test dependency) or
none.

The writer is deliberately literal, not fast: fixtures are a few samples and variants.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations_with_replacement
from math import comb
from pathlib import Path

import numpy as np

__all__ = ["Variant", "unphased_allele_counts", "write_bgen"]

_COMPRESSION = {None: 0, "zlib": 1, "zstd": 2}


@dataclass
class Variant:
    """One variant to write.

    ``probs`` is samples-by-combinations, laid out as cbgen returns them: for phased data the
    columns are haplotype-major (haplotype 1 allele 1..K, haplotype 2 allele 1..K, ...); for
    unphased data they are the genotypes in colex order of allele counts. Samples of lower
    ploidy than the maximum use only their leading columns. Rows of missing samples are
    ignored (zeros are stored).
    """

    id: str
    rsid: str
    chrom: str
    pos: int
    alleles: Sequence[str]
    probs: np.ndarray
    phased: bool = False
    ploidy: np.ndarray | int = 2
    missing: np.ndarray | None = None


def unphased_allele_counts(nalleles: int, ploidy: int) -> np.ndarray:
    """Allele-count vectors of the unphased genotypes, in the colex order BGEN stores them."""
    counts = []
    for combo in combinations_with_replacement(range(nalleles), ploidy):
        counts.append(np.bincount(combo, minlength=nalleles))
    counts = sorted(counts, key=lambda c: tuple(reversed(c.tolist())))
    return np.array(counts, dtype=int)


def _lstr(text: str, width: int) -> bytes:
    raw = text.encode()
    return struct.pack("<I" if width == 4 else "<H", len(raw)) + raw


def _pack_bits(values: list[int], bits: int) -> bytes:
    acc = 0
    for i, v in enumerate(values):
        acc |= v << (i * bits)
    nbytes = (len(values) * bits + 7) // 8
    return acc.to_bytes(nbytes, "little")


def _quantise(group: np.ndarray, bits: int) -> list[int]:
    """Stored integers of one probability group (all but the last value)."""
    top = (1 << bits) - 1
    scaled = np.asarray(group, float) * top
    stored = np.floor(scaled + 0.5).astype(np.int64)[:-1]
    if stored.sum() > top:  # rounding overflow: take it out of the largest stored value
        stored[np.argmax(stored)] -= stored.sum() - top
    return stored.tolist()


def _layout2_probability_data(v: Variant, nsamples: int, bits: int) -> bytes:
    nalleles = len(v.alleles)
    ploidy = np.broadcast_to(np.asarray(v.ploidy, dtype=int), (nsamples,))
    missing = np.zeros(nsamples, bool) if v.missing is None else np.asarray(v.missing, bool)
    probs = np.asarray(v.probs, float)
    out = struct.pack("<IHBB", nsamples, nalleles, int(ploidy.min()), int(ploidy.max()))
    out += bytes(int(z) | (0x80 if m else 0) for z, m in zip(ploidy, missing, strict=True))
    out += struct.pack("<BB", int(v.phased), bits)
    stored: list[int] = []
    for i in range(nsamples):
        z = int(ploidy[i])
        if v.phased:
            groups = [probs[i, h * nalleles : (h + 1) * nalleles] for h in range(z)]
            width = nalleles - 1
            for g in groups:
                stored += [0] * width if missing[i] else _quantise(g, bits)
        else:
            ncombs = comb(z + nalleles - 1, nalleles - 1)
            stored += [0] * (ncombs - 1) if missing[i] else _quantise(probs[i, :ncombs], bits)
    return out + _pack_bits(stored, bits)


def _layout1_probability_data(v: Variant, nsamples: int) -> bytes:
    probs = np.asarray(v.probs, float)
    missing = np.zeros(nsamples, bool) if v.missing is None else np.asarray(v.missing, bool)
    values = np.floor(probs[:, :3] * 32768 + 0.5).astype("<u2")
    values[missing] = 0
    return values.tobytes()


def _variant_block(
    v: Variant, nsamples: int, layout: int, compression: str | None, bits: int, level: int
) -> bytes:
    head = b""
    if layout == 1:
        head += struct.pack("<I", nsamples)
    head += _lstr(v.id, 2) + _lstr(v.rsid, 2) + _lstr(v.chrom, 2) + struct.pack("<I", v.pos)
    if layout == 2:
        head += struct.pack("<H", len(v.alleles))
    head += b"".join(_lstr(a, 4) for a in v.alleles)

    if layout == 1:
        data = _layout1_probability_data(v, nsamples)
        if compression is None:
            return head + data
        packed = zlib.compress(data, level)
        return head + struct.pack("<I", len(packed)) + packed

    data = _layout2_probability_data(v, nsamples, bits)
    if compression is None:
        return head + struct.pack("<I", len(data)) + data
    if compression == "zstd":
        import zstandard

        packed = zstandard.ZstdCompressor().compress(data)
    else:
        packed = zlib.compress(data, level)
    return head + struct.pack("<II", len(packed) + 4, len(data)) + packed


def write_bgen(
    filepath: str | Path,
    variants: Sequence[Variant],
    nsamples: int,
    samples: Sequence[str] | None = None,
    *,
    layout: int = 2,
    compression: str | None = "zlib",
    bits: int = 8,
    level: int = 6,
    free_data: bytes = b"",
) -> Path:
    """Write a BGEN v1.2 file and return its path.

    Parameters
    ----------
    filepath
        Destination.
    variants
        The variants, in file order.
    nsamples
        Number of samples.
    samples
        Sample identifiers, stored in the sample identifier block; ``None`` for no block.
    layout
        1 or 2.
    compression
        ``"zlib"``, ``"zstd"`` (layout 2 only) or ``None``.
    bits
        Bits per stored probability (layout 2).
    level
        zlib compression level.
    free_data
        Bytes of the header's free data area.
    """
    flags = _COMPRESSION[compression] | (layout << 2) | ((1 << 31) if samples is not None else 0)
    header_length = 20 + len(free_data)
    header = struct.pack("<III4s", header_length, len(variants), nsamples, b"bgen")
    header += free_data + struct.pack("<I", flags)

    sample_block = b""
    if samples is not None:
        ids = b"".join(_lstr(s, 2) for s in samples)
        sample_block = struct.pack("<II", 8 + len(ids), nsamples) + ids

    body = b"".join(_variant_block(v, nsamples, layout, compression, bits, level) for v in variants)
    offset = header_length + len(sample_block)
    filepath = Path(filepath)
    filepath.write_bytes(struct.pack("<I", offset) + header + sample_block + body)
    return filepath
