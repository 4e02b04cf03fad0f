import dask.array as da
import numpy as np
import pytest

from limix.io import bgen, examples

from .bgen_writer import Variant, write_bgen


def test_manual_file_dosages():
    # count of G (the second allele) over the two haplotypes of each sample
    G = bgen.read_dosage(examples.get("haplotypes.bgen"), verbose=False)
    assert isinstance(G, da.Array)
    assert G.shape == (4, 4) and G.dtype == np.float64
    expected = np.array([[0, 2, 1, 1], [1, 1, 1, 1], [1, 1, 0, 2], [2, 0, 2, 0]], dtype=float)
    np.testing.assert_array_equal(G.compute(), expected)


def test_unphased_diploid_biallelic():
    gt = {
        "probs": np.array([[0.1, 0.3, 0.6], [1.0, 0, 0], [np.nan] * 3]),
        "phased": False,
        "ploidy": np.array([2, 2, 2], dtype=np.uint8),
        "missing": np.array([False, False, True]),
    }
    np.testing.assert_allclose(bgen.allele_dosage(gt, 2), [0.3 + 1.2, 0.0, np.nan])
    np.testing.assert_allclose(bgen.allele_dosage(gt, 2, allele=0), [0.2 + 0.3, 2.0, np.nan])
    with pytest.raises(ValueError, match="allele must be"):
        bgen.allele_dosage(gt, 2, allele=2)


def test_unphased_colex_order_of_the_specification():
    # K=3, ploidy 2: AA, AB, BB, AC, BC, CC; ploidy 1: A, B, C; K=2, ploidy 3: AAA..BBB
    probs = np.full((3, 6), np.nan)
    probs[0] = np.eye(6)[2]  # BB
    probs[1, :3] = [0.0, 1.0, 0.0]  # B (haploid)
    probs[2, :6] = [0.0, 0.0, 0.0, 0.0, 0.5, 0.5]  # BC or CC
    gt = {
        "probs": probs,
        "phased": False,
        "ploidy": np.array([2, 1, 2]),
        "missing": np.zeros(3, bool),
    }
    np.testing.assert_allclose(bgen.allele_dosage(gt, 3), [2.0, 1.0, 0.5])
    np.testing.assert_allclose(bgen.allele_dosage(gt, 3, allele=2), [0.0, 0.0, 1.5])

    triploid = {
        "probs": np.array([[0.1, 0.2, 0.3, 0.4]]),
        "phased": False,
        "ploidy": np.array([3]),
        "missing": np.array([False]),
    }
    np.testing.assert_allclose(bgen.allele_dosage(triploid, 2), [0.2 + 0.6 + 1.2])


def test_phased():
    gt = {
        "probs": np.array([[0.5, 0.25, 0.25, 0, 1, 0], [0.2, 0.8, 0, np.nan, np.nan, np.nan]]),
        "phased": True,
        "ploidy": np.array([2, 1]),
        "missing": np.zeros(2, bool),
    }
    np.testing.assert_allclose(bgen.allele_dosage(gt, 3), [1.25, 0.8])


def _file(path, m=7, n=5, seed=0):
    rng = np.random.default_rng(seed)
    variants, expected = [], np.empty((n, m))
    for j in range(m):
        p = rng.dirichlet(np.ones(3), size=n)
        missing = rng.random(n) < 0.2
        variants.append(Variant(f"v{j}", f"rs{j}", "1", j + 1, ["A", "G"], p, missing=missing))
        expected[:, j] = np.where(missing, np.nan, p[:, 1] + 2 * p[:, 2])
    write_bgen(path, variants, n, [f"s{i}" for i in range(n)], bits=16)
    return path, expected


def test_read_dosage_in_blocks(tmp_path):
    path, expected = _file(tmp_path / "d.bgen")
    G = bgen.read_dosage(path, chunk_size=3, verbose=False)
    assert G.chunks == ((5,), (3, 3, 1))
    np.testing.assert_allclose(G.compute(), expected, atol=1e-4)
    np.testing.assert_allclose(G[:, 4].compute(), expected[:, 4], atol=1e-4)
    np.testing.assert_allclose(G[1:3, 2:6].compute(), expected[1:3, 2:6], atol=1e-4)


def test_read_dosage_subset_of_variants(tmp_path):
    path, expected = _file(tmp_path / "d.bgen")
    variants = bgen.read(path, verbose=False)["variants"]
    subset = variants.iloc[[5, 1, 2]]
    G = bgen.read_dosage(path, subset, verbose=False)
    np.testing.assert_allclose(G.compute(), expected[:, [5, 1, 2]], atol=1e-4)


def test_read_dosage_rejects_foreign_tables(tmp_path):
    path, _ = _file(tmp_path / "d.bgen")
    variants = bgen.read(path, verbose=False)["variants"]
    with pytest.raises(ValueError, match="'vaddr' and 'nalleles'"):
        bgen.read_dosage(path, variants.drop(columns="vaddr"), verbose=False)
    bad = variants.copy()
    bad.loc[0, "vaddr"] = 10**9
    with pytest.raises(ValueError, match="not a genotype block"):
        bgen.read_dosage(path, bad, verbose=False)
    bad = variants.copy()
    bad.loc[0, "nalleles"] = 1
    with pytest.raises(ValueError, match="two alleles"):
        bgen.read_dosage(path, bad, verbose=False)
    with pytest.raises(ValueError, match="chunk_size"):
        bgen.read_dosage(path, chunk_size=0, verbose=False)


def test_read_dosage_is_lazy(tmp_path):
    path, _ = _file(tmp_path / "d.bgen")
    variants = bgen.read(path, verbose=False)["variants"]
    raw = bytearray(path.read_bytes())
    vaddr = int(variants["vaddr"][6])
    raw[vaddr + 8 : vaddr + 16] = b"\xff" * 8  # corrupt the last variant's zlib stream
    path.write_bytes(bytes(raw))
    G = bgen.read_dosage(path, chunk_size=3, verbose=False)  # nothing decoded yet
    G[:, :6].compute()  # blocks not touching the corrupt variant are fine
    with pytest.raises(ValueError, match="genotype block"):
        G.compute()


def test_read_dosage_verbose_and_missing_file(tmp_path, capsys):
    path, _ = _file(tmp_path / "d.bgen")
    bgen.read_dosage(path)
    assert "7 variants x 5 samples" in capsys.readouterr().out
    with pytest.raises(FileNotFoundError):
        bgen.read_dosage(tmp_path / "none.bgen")
