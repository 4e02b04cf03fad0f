import shutil
from pathlib import Path

import dask.array as da
import numpy as np
import pytest
from bed_reader import to_bed

from limix.io import examples, plink

BIM_COLUMNS = ["chrom", "snp", "cm", "pos", "a0", "a1", "i"]
FAM_COLUMNS = ["fid", "iid", "father", "mother", "gender", "trait", "i"]


def _example(tmp_path: Path) -> str:
    for ext in ("bed", "bim", "fam"):
        shutil.copy(examples.get(f"data.{ext}"), tmp_path / f"data.{ext}")
    return str(tmp_path / "data")


def _write(prefix: Path, G: np.ndarray, **properties) -> str:
    """Write samples-by-variants counts of the .bim's sixth-column allele."""
    to_bed(f"{prefix}.bed", G, properties, count_A1=False, num_threads=1)
    return str(prefix)


def test_example_layout_and_types():
    prefix = str(examples.get("data.bed"))[:-4]
    bim, fam, bed = plink.read(prefix, verbose=False)
    assert list(bim.columns) == BIM_COLUMNS
    assert list(fam.columns) == FAM_COLUMNS
    assert bim["snp"].tolist() == ["rs10", "rs20", "rs30", "rs40"]
    assert bim["chrom"].tolist() == ["1", "1", "2", "2"]
    assert bim["cm"].dtype == np.float64 and bim["pos"].dtype == np.int64
    assert bim["i"].tolist() == [0, 1, 2, 3] and fam["i"].tolist() == [0, 1, 2, 3, 4]
    assert fam["iid"].tolist() == ["s1", "s2", "s3", "s4", "s5"]
    assert fam["gender"].tolist() == ["1", "2", "2", "1", "0"]
    assert isinstance(bed, da.Array)
    assert bed.shape == (4, 5)  # variants by samples
    expected = np.array(
        [[0, 1, 2, 0], [1, 1, np.nan, 2], [2, 0, 1, 1], [0, 2, 0, np.nan], [1, 0, 1, 2]]
    )
    np.testing.assert_array_equal(bed.compute(), expected.T)


def test_samples_by_variants_on_request():
    prefix = str(examples.get("data.bed"))[:-4]
    _, _, bed = plink.read(prefix, verbose=False)
    _, _, G = plink.read(prefix, verbose=False, samples_by_variants=True)
    assert G.shape == (5, 4)
    np.testing.assert_array_equal(G.compute(), bed.compute().T)


def test_counted_allele_is_the_sixth_bim_column(tmp_path):
    # one variant, four samples; PLINK 1 codes, two bits per sample, lowest bits first:
    # 00 homozygous fifth-column allele, 10 heterozygous, 01 missing, 11 homozygous sixth
    (tmp_path / "x.bim").write_text("1 rs1 0 100 A G\n")
    (tmp_path / "x.fam").write_text("".join(f"f s{i} 0 0 0 -9\n" for i in range(4)))
    (tmp_path / "x.bed").write_bytes(bytes([0x6C, 0x1B, 0x01, 0b11_01_10_00]))
    bim, _, bed = plink.read(str(tmp_path / "x"), verbose=False)
    assert (bim["a0"].iloc[0], bim["a1"].loc["rs1"]) == ("A", "G")
    np.testing.assert_array_equal(bed.compute(), [[0.0, 1.0, np.nan, 2.0]])


def test_round_trip_in_blocks(tmp_path):
    rng = np.random.default_rng(1)
    G = rng.integers(0, 3, size=(9, 11)).astype(float)
    G[rng.random(G.shape) < 0.1] = np.nan
    prefix = _write(tmp_path / "r", G)
    _, _, X = plink.read(prefix, verbose=False, samples_by_variants=True, chunk_size=4)
    assert X.chunks == ((9,), (4, 4, 3))
    np.testing.assert_array_equal(X.compute(), G)
    np.testing.assert_array_equal(X[2:7, 3:9].compute(), G[2:7, 3:9])


def test_individual_major_file(tmp_path):
    G = np.array([[0, 1, 2, 0], [1, 1, np.nan, 2], [2, 0, 1, 1.0]])
    to_bed(tmp_path / "ind.bed", G, count_A1=False, major="individual", num_threads=1)
    _, _, X = plink.read(str(tmp_path / "ind"), verbose=False, samples_by_variants=True)
    np.testing.assert_array_equal(X.compute(), G)


def test_prefix_with_extension_and_glob(tmp_path):
    rng = np.random.default_rng(2)
    G1 = rng.integers(0, 3, size=(4, 3)).astype(float)
    G2 = rng.integers(0, 3, size=(4, 2)).astype(float)
    iid = {"iid": ["a", "b", "c", "d"]}
    _write(tmp_path / "chr1", G1, **iid, chromosome=["1"] * 3, sid=["x1", "x2", "x3"])
    _write(tmp_path / "chr2", G2, **iid, chromosome=["2"] * 2, sid=["y1", "y2"])

    bim, _, _ = plink.read(str(tmp_path / "chr1.bed"), verbose=False)
    assert bim["snp"].tolist() == ["x1", "x2", "x3"]

    bim, fam, X = plink.read(str(tmp_path / "chr*"), verbose=False, samples_by_variants=True)
    assert bim["snp"].tolist() == ["x1", "x2", "x3", "y1", "y2"]
    assert bim["i"].tolist() == [0, 1, 2, 3, 4]
    assert fam["iid"].tolist() == ["a", "b", "c", "d"]
    np.testing.assert_array_equal(X.compute(), np.hstack([G1, G2]))

    _write(tmp_path / "chr3", G2, iid=["a", "b", "c", "e"])
    with pytest.raises(ValueError, match="different samples"):
        plink.read(str(tmp_path / "chr*"), verbose=False)
    with pytest.raises(FileNotFoundError, match=r"no PLINK \.bed file matches"):
        plink.read(str(tmp_path / "nothing*"), verbose=False)


def test_verbose(capsys):
    prefix = str(examples.get("data.bed"))[:-4]
    plink.read(prefix)
    assert "5 samples, 4 variants" in capsys.readouterr().out
    plink.read(prefix, verbose=False)
    assert capsys.readouterr().out == ""


def test_user_files_untouched(tmp_path):
    prefix = _example(tmp_path)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    plink.read(prefix, verbose=False)[2].compute()
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert before == after


# --- malformed inputs ---


@pytest.mark.parametrize("ext", ["bed", "bim", "fam"])
def test_missing_file(tmp_path, ext):
    prefix = _example(tmp_path)
    Path(f"{prefix}.{ext}").unlink()
    with pytest.raises(FileNotFoundError, match=rf"\.{ext}"):
        plink.read(prefix, verbose=False)


def test_truncated_bed(tmp_path):
    prefix = _example(tmp_path)
    bed = Path(f"{prefix}.bed")
    data = bed.read_bytes()
    bed.write_bytes(data[:-1])
    with pytest.raises(ValueError, match=r"truncated \.bed file") as info:
        plink.read(prefix, verbose=False)
    assert "data.bed" in str(info.value)
    bed.write_bytes(data + b"\x00")
    with pytest.raises(ValueError, match="more than"):
        plink.read(prefix, verbose=False)
    bed.write_bytes(b"\x00" + data[1:])
    with pytest.raises(ValueError, match="magic number"):
        plink.read(prefix, verbose=False)
    bed.write_bytes(data[:2] + b"\x07" + data[3:])
    with pytest.raises(ValueError, match="mode byte"):
        plink.read(prefix, verbose=False)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1 rs50 0 100 A\n", "fewer than 6 fields"),
        ("1 rs50 0 100 A G extra\n", "malformed PLINK .bim file"),
        ("1 rs50 0 one A G\n", "malformed PLINK .bim file"),
    ],
)
def test_malformed_bim(tmp_path, line, message):
    prefix = _example(tmp_path)
    with open(f"{prefix}.bim", "a") as f:
        f.write(line)
    with pytest.raises(ValueError, match=message) as info:
        plink.read(prefix, verbose=False)
    assert "data.bim" in str(info.value)


def test_malformed_fam_and_sample_count(tmp_path):
    prefix = _example(tmp_path)
    fam = Path(f"{prefix}.fam")
    original = fam.read_text()
    fam.write_text(original + "f9 s9 0 0\n")
    with pytest.raises(ValueError, match="fewer than 6 fields"):
        plink.read(prefix, verbose=False)
    # samples the .bed does not have (within a byte, 5 or 8 samples take the same room)
    fam.write_text(original + "".join(f"f9 x{i} 0 0 1 -9\n" for i in range(4)))
    with pytest.raises(ValueError, match="9 samples and 4 variants"):
        plink.read(prefix, verbose=False)
