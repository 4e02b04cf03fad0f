"""Genotype blocks of BGEN files: every check on a crafted block gives a clear ``ValueError``.

Each damaged block is written into an otherwise valid file; reading its genotype (``read`` then
``compute``, or ``read_dosage``) must raise a ``ValueError`` naming the file and the problem.
Valid blocks decode to what cbgen (the decoder used before) returned, bit for bit.
"""

from __future__ import annotations

import struct
import zlib
from math import comb
from pathlib import Path

import numpy as np
import pytest
import zstandard

from limix.io import bgen
from limix.io.bgen._block import BlockReader
from limix.io.bgen._header import read_header
from limix.io.bgen._layout2 import parse_layout2

from .bgen_writer import Variant, write_bgen

N = 3


def _genotype_data(
    n: int = N,
    k: int = 2,
    pmin: int = 2,
    pmax: int = 2,
    flags: list[int] | None = None,
    phased: int = 0,
    bits: int = 8,
    probs: bytes | None = None,
) -> bytes:
    """Uncompressed layout-2 genotype data; by default valid (3 diploid samples, AA/AB/BB)."""
    flags = [2] * n if flags is None else flags
    if probs is None:
        probs = bytes([255, 0, 0, 255, 0, 0])[: 2 * n]  # AA, AB, BB
    head = struct.pack("<IHBB", n, k, pmin, pmax) + bytes(flags)
    return head + bytes([phased, bits]) + probs


def _compress(raw: bytes, compression: str) -> bytes:
    if compression == "zstd":
        return zstandard.ZstdCompressor().compress(raw)
    return zlib.compress(raw)


def _file(
    tmp_path: Path,
    raw: bytes,
    *,
    compression: str = "zlib",
    length: int | None = None,
    packed: bytes | None = None,
    nalleles: int = 2,
    samples: bool = True,
) -> Path:
    """A one-variant file whose genotype block holds ``raw`` (or ``packed``, announcing
    ``length`` uncompressed bytes)."""
    alleles = "ACGT"[:nalleles]
    v = Variant("v", "rs", "1", 1, alleles, np.full((N, 3), 1 / 3))
    ids = [f"s{i}" for i in range(N)] if samples else None
    src = write_bgen(tmp_path / "src.bgen", [v], N, ids, compression=compression)
    vaddr = int(bgen.read(src, verbose=False)["variants"]["vaddr"][0])
    packed = _compress(raw, compression) if packed is None else packed
    length = len(raw) if length is None else length
    path = tmp_path / "bad.bgen"
    block = struct.pack("<II", len(packed) + 4, length) + packed
    path.write_bytes(src.read_bytes()[:vaddr] + block)
    return path


def _raises(path: Path, message: str) -> None:
    """Both readers raise a ValueError naming the file and matching ``message``."""
    data = bgen.read(path, verbose=False)  # identifying data are intact
    with pytest.raises(ValueError, match=message) as info:
        data["genotype"][0].compute()
    assert "bad.bgen" in str(info.value)
    with pytest.raises(ValueError, match=message) as info:
        bgen.read_dosage(path, verbose=False).compute()
    assert "bad.bgen" in str(info.value)


@pytest.mark.parametrize("compression", ["zlib", "zstd"])
def test_crafted_valid_block_reads(tmp_path, compression):
    path = _file(tmp_path, _genotype_data(), compression=compression)
    g = bgen.read(path, verbose=False)["genotype"][0].compute()
    np.testing.assert_array_equal(g["probs"], [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(bgen.read_dosage(path, verbose=False).compute(), [[0], [1], [2]])


# --- the fields of the genotype data ---


@pytest.mark.parametrize("compression", ["zlib", "zstd"])
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"n": 4, "flags": [2] * 4, "probs": bytes(8)}, "holds 4 samples but the header says 3"),
        ({"n": 2, "flags": [2] * 2}, "holds 2 samples but the header says 3"),
        ({"k": 3, "probs": bytes(15)}, "holds 3 alleles but the variant's identifying data say 2"),
        ({"pmin": 64}, r"ploidy range \[64, 2\] is not within \[0, 63\]"),
        ({"pmax": 64, "flags": [64] * 3}, r"ploidy range \[2, 64\] is not within"),
        ({"pmin": 3, "pmax": 2}, "a sample with data has ploidy 2, below the smallest ploidy 3"),
        ({"pmax": 3, "flags": [2, 1, 3]}, "a sample with data has ploidy 1, below the smallest"),
        ({"pmin": 1, "pmax": 1}, "its largest ploidy is 2, not the 1 it announces"),
        ({"pmax": 3}, "its largest ploidy is 2, not the 3 it announces"),
        ({"flags": [2, 0x83, 2]}, "its largest ploidy is 3, not the 2 it announces"),
        ({"phased": 2}, "its phased flag is 2, not 0 or 1"),
        ({"bits": 0}, "in 0 bits, not 1 to 32"),
        ({"bits": 33}, "in 33 bits, not 1 to 32"),
        ({"probs": bytes(5)}, "probability data have 5 bytes, but 3 samples .* take 6"),
        ({"probs": bytes(7)}, "probability data have 7 bytes"),
        ({"bits": 16}, "probability data have 6 bytes, .* take 12 at 16 bits"),
        ({"phased": 1, "bits": 16}, r"have 6 bytes, but 3 samples of 2 alleles, phased, .* 12"),
        ({"probs": bytes([200, 100, 0, 0, 0, 0])}, "probabilities of sample 0 sum to more than 1"),
    ],
)
def test_genotype_data_fields(tmp_path, compression, fields, message):
    path = _file(tmp_path, _genotype_data(**fields), compression=compression)
    _raises(path, message)


def test_phased_groups_are_checked_per_haplotype(tmp_path):
    # phased diploid, 2 alleles: one stored value per haplotype; 255 + 255 is fine per haplotype
    raw = _genotype_data(phased=1, probs=bytes([255, 255, 0, 255, 255, 0]))
    g = bgen.read(_file(tmp_path, raw), verbose=False)["genotype"][0].compute()
    np.testing.assert_array_equal(g["probs"], [[1, 0, 1, 0], [0, 1, 1, 0], [1, 0, 0, 1]])
    # 1 bit: a stored 1 is the whole probability
    raw = _genotype_data(bits=1, probs=bytes([0b000010]))
    g = bgen.read(_file(tmp_path, raw), verbose=False)["genotype"][0].compute()
    np.testing.assert_array_equal(g["probs"], [[0, 1, 0], [0, 0, 1], [0, 0, 1]])


def test_missing_samples_are_not_summed(tmp_path):
    raw = _genotype_data(flags=[2, 0x82, 2], probs=bytes([255, 0, 200, 200, 0, 0]))
    g = bgen.read(_file(tmp_path, raw), verbose=False)["genotype"][0].compute()
    np.testing.assert_array_equal(g["missing"], [False, True, False])
    assert np.isnan(g["probs"][1]).all()


def test_samples_without_data_as_the_reference_writer_stores_them(tmp_path):
    # the BGEN library (behind qctool) stores a sample given no data as missing with ploidy 0,
    # outside [Pmin, Pmax]; cbgen read these as below
    raw = _genotype_data(flags=[2, 0x80, 2], probs=bytes([255, 0, 0, 0]))
    g = bgen.read(_file(tmp_path, raw), verbose=False)["genotype"][0].compute()
    np.testing.assert_array_equal(g["probs"], [[1, 0, 0], [np.nan] * 3, [0, 0, 1]])
    np.testing.assert_array_equal(g["ploidy"], [2, 0, 2])
    np.testing.assert_array_equal(g["missing"], [False, True, False])
    # ... and writes [Pmin, Pmax] = [63, 0] when no sample has data (phased until it learns
    # otherwise; cbgen refused that phased case)
    for phased, width in [(0, 1), (1, 0)]:
        raw = _genotype_data(pmin=63, pmax=0, flags=[0x80] * 3, phased=phased, probs=b"")
        path = _file(tmp_path, raw)
        g = bgen.read(path, verbose=False)["genotype"][0].compute()
        assert g["probs"].shape == (3, width) and np.isnan(g["probs"]).all()
        assert np.isnan(bgen.read_dosage(path, verbose=False).compute()).all()


def test_ploidy_bit_6_is_ignored(tmp_path):
    raw = _genotype_data(flags=[2, 0x42, 2])
    g = bgen.read(_file(tmp_path, raw), verbose=False)["genotype"][0].compute()
    np.testing.assert_array_equal(g["ploidy"], [2, 2, 2])
    np.testing.assert_array_equal(g["probs"], [[1, 0, 0], [0, 1, 0], [0, 0, 1]])


def test_allele_count_checked_only_when_known(tmp_path):
    raw = _genotype_data(k=3, probs=bytes([255, 0, 0, 0, 0] * 3))
    path = _file(tmp_path, raw)
    vaddr = bgen.read(path, verbose=False)["variants"]["vaddr"].to_numpy()
    g = bgen.BGENGenotype(path, vaddr)[0].compute()  # no allele counts given: not checked
    assert g["probs"].shape == (3, 6)
    with pytest.raises(ValueError, match="3 alleles but the variant's identifying data say 2"):
        bgen.BGENGenotype(path, vaddr, [2])[0].compute()
    with pytest.raises(ValueError, match="nalleles has 2 entries but vaddr has 1"):
        bgen.BGENGenotype(path, vaddr, [2, 2])


def test_fields_too_short_for_the_samples():
    # unreachable through a file (the block reader checks the length first): parsed directly
    path = Path("x.bgen")
    with pytest.raises(ValueError, match="have 6 bytes, too few for their fields"):
        parse_layout2(b"\x03\x00\x00\x00\x02\x00", path, 0, 3)
    with pytest.raises(ValueError, match="have 12 bytes, too few for 3 samples"):
        parse_layout2(_genotype_data()[:12], path, 0, 3)
    with pytest.raises(ValueError, match="it holds no allele"):
        parse_layout2(_genotype_data(k=0, probs=b""), path, 0, 3)  # nor does its variant


# --- lengths and compression ---


@pytest.mark.parametrize("compression", ["zlib", "zstd"])
def test_announced_length_differs(tmp_path, compression):
    raw = _genotype_data()
    path = _file(tmp_path, raw, compression=compression, length=len(raw) + 1)
    _raises(path, "decompresses to 19 bytes but announces 20|zstd frame holds 19 bytes")
    path = _file(tmp_path, raw, compression=compression, length=len(raw) - 1)
    _raises(path, "more than the 18 bytes announced|zstd frame holds 19 bytes")


@pytest.mark.parametrize("compression", ["zlib", "zstd"])
def test_announced_length_too_small_for_the_samples(tmp_path, compression):
    raw = _genotype_data()
    path = _file(tmp_path, raw, compression=compression, length=12)
    _raises(path, "uncompressed length is 12 bytes, less than the 13")


def test_zlib_stream_damaged_cut_or_followed_by_bytes(tmp_path):
    raw = _genotype_data()
    packed = zlib.compress(raw)
    _raises(_file(tmp_path, raw, packed=b"\xff" * 8 + packed[8:]), "zlib: Error -3")
    _raises(_file(tmp_path, raw, packed=packed[:-6]), "its zlib stream is incomplete")
    _raises(_file(tmp_path, raw, packed=packed + b"xy"), "2 bytes follow the end of its")
    bad = bytearray(packed)
    bad[-1] ^= 1  # the Adler-32 checksum
    _raises(_file(tmp_path, raw, packed=bytes(bad)), "zlib: Error -3")


def test_zstd_frame_damaged_cut_or_followed_by_bytes(tmp_path):
    raw = _genotype_data()
    packed = zstandard.ZstdCompressor().compress(raw)
    kw = {"compression": "zstd"}
    _raises(_file(tmp_path, raw, packed=b"\x00" * len(packed), **kw), "zstd: ")
    _raises(_file(tmp_path, raw, packed=packed[:-3], **kw), "zstd: ")
    _raises(_file(tmp_path, raw, packed=packed + b"xy", **kw), "zstd: .*unused data")
    unsized = zstandard.ZstdCompressor(write_content_size=False).compress(raw)
    g = bgen.read(_file(tmp_path, raw, packed=unsized, **kw), verbose=False)["genotype"]
    assert g[0].compute()["probs"].shape == (3, 3)  # a frame without its size is fine
    path = _file(tmp_path, raw, packed=unsized, length=len(raw) - 1, **kw)
    _raises(path, "it decompresses to 19 bytes but announces 18")  # streamed, not allocated
    _raises(_file(tmp_path, raw, packed=unsized[:-3], **kw), "its zstd frame is incomplete")
    _raises(_file(tmp_path, raw, packed=unsized + b"xy", **kw), "2 bytes follow the end of its")


def test_block_outside_the_file(tmp_path):
    path = _file(tmp_path, _genotype_data())
    header = read_header(path)
    size = header.filesize
    with BlockReader(header) as reader:
        with pytest.raises(ValueError, match="no genotype block fits at byte"):
            reader.read(size - 4)
        with pytest.raises(ValueError, match="no genotype block fits at byte 3"):
            reader.read(3)
    raw = bytearray(path.read_bytes())
    vaddr = int(bgen.read(path, verbose=False)["variants"]["vaddr"][0])
    struct.pack_into("<I", raw, vaddr, 2)
    path.write_bytes(bytes(raw))
    with BlockReader(read_header(path)) as reader:
        with pytest.raises(ValueError, match="its length is 2 bytes"):
            reader.read(vaddr)
    struct.pack_into("<I", raw, vaddr, 1000)
    path.write_bytes(bytes(raw))
    with BlockReader(read_header(path)) as reader:
        with pytest.raises(ValueError, match="truncated BGEN file: the 1000-byte genotype"):
            reader.read(vaddr)


def test_read_dosage_of_a_foreign_vaddr(tmp_path):
    path = _file(tmp_path, _genotype_data())
    variants = bgen.read(path, verbose=False)["variants"]
    variants.loc[0, "vaddr"] -= 6  # inside the identifying data
    with pytest.raises(ValueError, match=r"bad\.bgen"):
        bgen.read_dosage(path, variants, verbose=False).compute()


# --- the header's sample count, without a sample identifier block ---


@pytest.mark.parametrize("nsamples", [2, 4, 2**31])
def test_header_sample_count_without_sample_block(tmp_path, nsamples):
    path = _file(tmp_path, _genotype_data(), samples=False)
    raw = bytearray(path.read_bytes())
    struct.pack_into("<I", raw, 12, nsamples)
    path.write_bytes(bytes(raw))
    message = (
        f"the header has {nsamples} samples but the genotype block at byte \\d+ holds 3"
        f"|less than the {nsamples + 10} that the genotype data of {nsamples} samples take"
    )
    with pytest.raises(ValueError, match=message):
        bgen.read(path, verbose=False)
    with pytest.raises(ValueError, match=message):
        bgen.read_dosage(path, verbose=False)


def test_zero_samples(tmp_path):
    path = _file(tmp_path, _genotype_data(n=0, flags=[], probs=b""), samples=False)
    raw = bytearray(path.read_bytes())
    struct.pack_into("<I", raw, 12, 0)  # the header's sample count
    path.write_bytes(bytes(raw))
    data = bgen.read(path, verbose=False)
    assert len(data["samples"]) == 0
    assert data["genotype"][0].compute()["probs"].shape == (0, 3)
    assert bgen.read_dosage(path, verbose=False).compute().shape == (0, 1)


# --- valid blocks decode as cbgen decoded them ---


def _varied_variants(rng: np.random.RandomState, n: int) -> list[Variant]:
    variants = []
    shapes = [
        (2, 2, False),
        (3, np.array([1, 2, 3, 0, 2, 2, 1]), False),
        (4, np.array([2, 1, 2, 2, 3, 0, 2]), True),
        (2, 1, True),
        (5, 2, False),
    ]
    for j, (k, ploidy, phased) in enumerate(shapes):
        z = np.broadcast_to(ploidy, (n,))
        width = int(z.max()) * k if phased else comb(int(z.max()) + k - 1, k - 1)
        probs = np.full((n, width), np.nan)
        for i in range(n):
            if phased:
                for h in range(z[i]):
                    probs[i, h * k : (h + 1) * k] = rng.dirichlet(np.ones(k))
            else:
                c = comb(int(z[i]) + k - 1, k - 1)
                probs[i, :c] = rng.dirichlet(np.ones(c))
        missing = rng.rand(n) < 0.25
        alleles = "ACGTN"[:k]
        variants.append(Variant(f"v{j}", f"rs{j}", "1", j + 1, alleles, probs, phased, z, missing))
    return variants


@pytest.mark.parametrize("compression", ["zlib", "zstd"])
@pytest.mark.parametrize("bits", [1, 3, 7, 8, 12, 16, 23, 31, 32])
def test_decoding_matches_cbgen(tmp_path, compression, bits):
    cbgen = pytest.importorskip("cbgen")
    rng = np.random.RandomState(bits)
    variants = _varied_variants(rng, 7)
    path = write_bgen(tmp_path / "v.bgen", variants, 7, None, compression=compression, bits=bits)
    data = bgen.read(path, verbose=False)
    with cbgen.bgen_file(path) as f:
        for i, vaddr in enumerate(data["variants"]["vaddr"].tolist()):
            expected = f.read_genotype(vaddr)
            got = data["genotype"][i].compute()
            assert got["probs"].dtype == np.float64
            assert got["probs"].shape == expected.probability.shape
            np.testing.assert_array_equal(got["probs"], expected.probability)  # NaN where NaN
            assert got["phased"] is bool(expected.phased)
            np.testing.assert_array_equal(got["ploidy"], expected.ploidy)
            assert got["ploidy"].dtype == np.uint8
            np.testing.assert_array_equal(got["missing"], expected.missing)
            assert got["missing"].dtype == bool


def test_one_allele(tmp_path):
    path = _file(tmp_path, _genotype_data(k=1, probs=b""), nalleles=1)
    g = bgen.read(path, verbose=False)["genotype"][0].compute()
    np.testing.assert_array_equal(g["probs"], [[1.0]] * 3)
    path = _file(tmp_path, _genotype_data(k=1, phased=1, probs=b""), nalleles=1)
    g = bgen.read(path, verbose=False)["genotype"][0].compute()
    np.testing.assert_array_equal(g["probs"], [[1.0, 1.0]] * 3)
