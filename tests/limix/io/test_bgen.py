import os
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from limix.io import bgen, examples

from .bgen_writer import Variant, unphased_allele_counts, write_bgen

MANUAL_VARIANTS = """\
     id rsid chrom  pos  nalleles allele_ids  vaddr
0  SNP1  RS1     1    1         2        A,G    102
1  SNP2  RS2     1    2         2        A,G    159
2  SNP3  RS3     1    3         2        A,G    216
3  SNP4  RS4     1    4         2        A,G    273"""

MANUAL_SAMPLES = """\
0    sample_0
1    sample_1
2    sample_2
3    sample_3
Name: id, dtype: object"""


def _squash(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.strip().splitlines()]


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def _mixed_file(path: Path, **kwargs) -> tuple[Path, list[Variant]]:
    """Unphased biallelic, multi-allelic with mixed ploidy and missing, and phased variants."""
    probs_a = np.array([[1.0, 0, 0], [0.2, 0.5, 0.3], [0, 0, 1], [0, 0, 0]])
    pr = np.full((4, 10), np.nan)
    pr[0, :3] = [0.2, 0.3, 0.5]  # ploidy 1
    pr[1, :6] = [0.1, 0.1, 0.2, 0.2, 0.2, 0.2]  # ploidy 2
    pr[2, :10] = 0.1  # ploidy 3
    pr[3, :6] = [0, 0, 0, 0, 0, 1]  # ploidy 2
    phased = np.array(
        [[0.5, 0.25, 0.25, 0, 1, 0], [1, 0, 0, 0, 0, 1], [0, 1, 0, 0, 1, 0], [0, 0, 1, 1, 0, 0]]
    )
    variants = [
        Variant("v1", "rs1", "1", 100, ["A", "G"], probs_a, missing=[0, 0, 0, 1]),
        Variant("v2", "rs2", "2", 200, ["A", "C", "T"], pr, ploidy=np.array([1, 2, 3, 2])),
        Variant("v3", "rs3", "X", 300, ["A", "C", "T"], phased, phased=True, missing=[0, 1, 0, 0]),
    ]
    write_bgen(path, variants, 4, ["a", "b", "c", "d"], bits=16, **kwargs)
    return path, variants


def test_manual_example_layout():
    filepath = examples.get("haplotypes.bgen")
    data = bgen.read(filepath, verbose=False)
    assert list(data.keys()) == ["variants", "samples", "genotype"]
    assert _squash(str(data["variants"].head(4))) == _squash(MANUAL_VARIANTS)
    assert str(data["samples"]) == MANUAL_SAMPLES
    geno = data["genotype"][0].compute()
    assert list(geno.keys()) == ["probs", "phased", "ploidy", "missing"]
    np.testing.assert_array_equal(
        geno["probs"], [[1, 0, 1, 0], [0, 1, 1, 0], [1, 0, 0, 1], [0, 1, 0, 1]]
    )
    assert geno["phased"] is True
    np.testing.assert_array_equal(geno["ploidy"], [2, 2, 2, 2])
    np.testing.assert_array_equal(geno["missing"], [False] * 4)


@pytest.mark.parametrize("compression", ["zlib", "zstd"])
def test_compressions_and_free_header_data(tmp_path, compression):
    path, variants = _mixed_file(tmp_path / "m.bgen", compression=compression, free_data=b"hi")
    data = bgen.read(path, verbose=False)
    assert data["samples"].tolist() == ["a", "b", "c", "d"]
    g = data["genotype"][1].compute()
    np.testing.assert_allclose(g["probs"], variants[1].probs, atol=1e-4)


def test_variant_columns_and_dtypes(tmp_path):
    path, _ = _mixed_file(tmp_path / "m.bgen")
    v = bgen.read(path, verbose=False)["variants"]
    assert list(v.columns) == ["id", "rsid", "chrom", "pos", "nalleles", "allele_ids", "vaddr"]
    assert v["id"].tolist() == ["v1", "v2", "v3"]
    assert v["rsid"].tolist() == ["rs1", "rs2", "rs3"]
    assert v["chrom"].tolist() == ["1", "2", "X"]
    assert v["pos"].tolist() == [100, 200, 300]
    assert v["nalleles"].tolist() == [2, 3, 3]
    assert v["allele_ids"].tolist() == ["A,G", "A,C,T", "A,C,T"]
    assert v["pos"].dtype == np.int64 and v["vaddr"].dtype == np.int64
    assert v["vaddr"].is_monotonic_increasing
    assert isinstance(v.index, pd.RangeIndex)


def test_genotypes_decode_what_was_written(tmp_path):
    path, variants = _mixed_file(tmp_path / "m.bgen")
    genotype = bgen.read(path, verbose=False)["genotype"]
    tol = 1e-4  # 16-bit quantisation; the implied last value gathers the rounding errors

    g = genotype[0].compute()
    assert g["phased"] is False
    np.testing.assert_array_equal(g["missing"], [False, False, False, True])
    np.testing.assert_allclose(g["probs"][:3], variants[0].probs[:3], atol=tol)
    assert np.isnan(g["probs"][3]).all()

    g = genotype[1].compute()
    np.testing.assert_array_equal(g["ploidy"], [1, 2, 3, 2])
    np.testing.assert_allclose(g["probs"], variants[1].probs, atol=tol)  # NaN padding too

    g = genotype[-1].compute()
    assert g["phased"] is True
    np.testing.assert_array_equal(g["missing"], [False, True, False, False])
    keep = [0, 2, 3]
    np.testing.assert_allclose(g["probs"][keep], variants[2].probs[keep], atol=tol)


def test_genotype_sequence(tmp_path):
    path, _ = _mixed_file(tmp_path / "m.bgen")
    genotype = bgen.read(path, verbose=False)["genotype"]
    assert len(genotype) == 3
    assert "nvariants=3" in repr(genotype)
    assert genotype.filepath == path
    parts = genotype[1:]
    assert len(parts) == 2
    np.testing.assert_array_equal(parts[0].compute()["ploidy"], [1, 2, 3, 2])
    with pytest.raises(IndexError):
        genotype[3]
    with pytest.raises(IndexError):
        genotype[-4]


def test_sample_identifiers(tmp_path):
    v = Variant("v", "rs", "1", 1, ["A", "G"], np.array([[1.0, 0, 0]] * 3))
    path = write_bgen(tmp_path / "x.bgen", [v], 3, None)
    assert bgen.read(path, verbose=False)["samples"].tolist() == [
        "sample_0",
        "sample_1",
        "sample_2",
    ]

    sample_file = tmp_path / "x.sample"
    sample_file.write_text("ID_1 ID_2 missing\n0 0 0\nA a 0\nB b 0\nC c 0\n")
    samples = bgen.read(path, samples_filepath=sample_file, verbose=False)["samples"]
    assert samples.tolist() == ["A", "B", "C"]
    assert samples.name == "id" and samples.dtype == object

    sample_file.write_text("ID_1 ID_2 missing\n0 0 0\nA a 0\nB b 0\n")
    with pytest.raises(ValueError, match="2 samples but the BGEN file"):
        bgen.read(path, samples_filepath=sample_file, verbose=False)
    with pytest.raises(FileNotFoundError):
        bgen.read(path, samples_filepath=tmp_path / "none.sample", verbose=False)
    sample_file.write_text("ID_1 ID_2 missing\nA a 0\nB b 0\nC c 0\n")
    with pytest.raises(ValueError, match="type code"):
        bgen.read(path, samples_filepath=sample_file, verbose=False)


def test_verbose(tmp_path, capsys):
    path, _ = _mixed_file(tmp_path / "m.bgen")
    bgen.read(path)
    out = capsys.readouterr().out
    assert "3 variants, 4 samples" in out
    bgen.read(path, verbose=False)
    assert capsys.readouterr().out == ""


def test_nothing_written_and_file_untouched(tmp_path):
    path, _ = _mixed_file(tmp_path / "m.bgen")
    before = _snapshot(tmp_path)
    data = bgen.read(path, verbose=False)
    data["genotype"][1].compute()
    bgen.read_dosage(path, verbose=False).compute()
    assert _snapshot(tmp_path) == before


def test_empty_variant_list(tmp_path):
    path = write_bgen(tmp_path / "e.bgen", [], 2, ["a", "b"])
    data = bgen.read(path, verbose=False)
    assert len(data["variants"]) == 0 and len(data["genotype"]) == 0
    assert data["samples"].tolist() == ["a", "b"]


# --- malformed inputs: always a Python exception, never a crash of the interpreter ---


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"none\.bgen"):
        bgen.read(tmp_path / "none.bgen", verbose=False)
    with pytest.raises(IsADirectoryError):
        bgen.read(tmp_path, verbose=False)


def _patched(src: Path, dst: Path, at: int, fmt: str, value) -> Path:
    data = bytearray(src.read_bytes())
    struct.pack_into(fmt, data, at, value)
    dst.write_bytes(bytes(data))
    return dst


@pytest.mark.parametrize(
    ("at", "fmt", "value", "message"),
    [
        (16, "<4s", b"xgen", "not a BGEN file"),
        (4, "<I", 10, "header length"),
        (4, "<I", 5000, "header length"),
        (8, "<I", 0xFFFFFF00, "truncated BGEN file"),  # crashes cbgen's metafile code
        (8, "<I", 5, "truncated BGEN file"),
        (0, "<I", 10_000, "first variant block would start"),
        (20, "<I", (1 << 31) | (2 << 2) | 3, "unknown compression"),
        (20, "<I", (1 << 31) | (7 << 2) | 1, "unknown layout"),
        (12, "<I", 5, "sample identifier block has 4"),
    ],
)
def test_corrupt_header(tmp_path, at, fmt, value, message):
    src = examples.get("haplotypes.bgen")
    path = _patched(src, tmp_path / "bad.bgen", at, fmt, value)
    with pytest.raises(ValueError, match=message) as info:
        bgen.read(path, verbose=False)
    assert "bad.bgen" in str(info.value)


@pytest.mark.parametrize(("layout", "compression"), [(1, "zlib"), (1, None), (2, None)])
@pytest.mark.parametrize("with_ids", [True, False])
def test_layout_1_and_uncompressed_layout_2(tmp_path, layout, compression, with_ids):
    """BGEN v1.1 (layout 1, zlib or raw) and uncompressed v1.2 decode to what the compressed
    v1.2 file of the same genotypes gives, up to their rounding: layout 1 stores probabilities to
    1/32768, layout 2 here to 1/65535, so each probability agrees to 0.5/32768 + 0.5/65535
    (2.3e-5) and a dosage P(AB) + 2·P(BB) to three times that (6.9e-5)."""
    random = np.random.RandomState(3)
    n = 7
    variants = []
    for j in range(5):
        probs = random.dirichlet(np.ones(3), size=n)
        missing = random.rand(n) < 0.2
        variants.append(Variant(f"v{j}", f"rs{j}", "1", 100 * (j + 1), ["A", "G"], probs,
                                missing=missing))  # fmt: skip
    ids = [f"s{i}" for i in range(n)] if with_ids else None
    reference = write_bgen(tmp_path / "ref.bgen", variants, n, ids, bits=16)
    path = write_bgen(tmp_path / "other.bgen", variants, n, ids, layout=layout,
                      compression=compression, bits=16)  # fmt: skip
    data = bgen.read(path, verbose=False)
    expected = bgen.read(reference, verbose=False)
    assert data["variants"].drop(columns="vaddr").equals(expected["variants"].drop(columns="vaddr"))
    got = bgen.read_dosage(path, data["variants"], verbose=False).compute()
    want = bgen.read_dosage(reference, verbose=False).compute()
    np.testing.assert_allclose(got, want, rtol=0, atol=6.9e-5)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    probs = data["genotype"][2].compute()
    np.testing.assert_allclose(probs["probs"], expected["genotype"][2].compute()["probs"],
                               rtol=0, atol=2.3e-5)  # fmt: skip
    # a truncated file still names itself
    (tmp_path / "cut.bgen").write_bytes(path.read_bytes()[:-3])
    with pytest.raises(ValueError, match=r"cut\.bgen"):
        bgen.read_dosage(tmp_path / "cut.bgen", verbose=False).compute()


def test_not_a_bgen_file(tmp_path):
    path = tmp_path / "text.bgen"
    path.write_text("chrom pos\n1 100\n" * 5)
    with pytest.raises(ValueError, match="not a BGEN file"):
        bgen.read(path, verbose=False)
    path.write_bytes(b"\x01\x02")
    with pytest.raises(ValueError, match="too short"):
        bgen.read(path, verbose=False)


def test_truncated_anywhere(tmp_path):
    data = examples.get("haplotypes.bgen").read_bytes()
    path = tmp_path / "cut.bgen"
    for cut in range(len(data) - 1, 0, -3):
        path.write_bytes(data[:cut])
        with pytest.raises(ValueError, match=r"cut\.bgen"):
            bgen.read(path, verbose=False)


def test_corrupt_sample_block(tmp_path):
    src = examples.get("haplotypes.bgen")
    path = _patched(src, tmp_path / "bad.bgen", 24, "<I", 9000)
    with pytest.raises(ValueError, match="sample identifier block"):
        bgen.read(path, verbose=False)
    path = _patched(src, tmp_path / "bad.bgen", 32, "<H", 300)
    with pytest.raises(ValueError, match="sample identifier 0"):
        bgen.read(path, verbose=False)


def test_corrupt_genotype_block_fails_when_read(tmp_path):
    path, _ = _mixed_file(tmp_path / "m.bgen")
    data = bgen.read(path, verbose=False)
    vaddr = int(data["variants"]["vaddr"][1])
    raw = bytearray(path.read_bytes())
    raw[vaddr + 8 : vaddr + 16] = b"\xff" * 8  # garbage in the zlib stream
    path.write_bytes(bytes(raw))
    data = bgen.read(path, verbose=False)  # the index is intact
    data["genotype"][0].compute()
    with pytest.raises(ValueError, match="genotype block at byte"):
        data["genotype"][1].compute()


def test_allele_count_order_matches_writer():
    # the writer's colex order, independently: K=3, ploidy 2 is AA, AB, BB, AC, BC, CC
    np.testing.assert_array_equal(
        unphased_allele_counts(3, 2),
        [[2, 0, 0], [1, 1, 0], [0, 2, 0], [1, 0, 1], [0, 1, 1], [0, 0, 2]],
    )


def test_read_accepts_str_and_pathlike(tmp_path):
    path, _ = _mixed_file(tmp_path / "m.bgen")
    a = bgen.read(str(path), verbose=False)["variants"]
    b = bgen.read(os.fspath(path), verbose=False)["variants"]
    pd.testing.assert_frame_equal(a, b)
