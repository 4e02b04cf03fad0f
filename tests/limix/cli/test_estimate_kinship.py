"""``limix estimate-kinship``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from limix.io import plink
from limix.qc import compute_maf
from limix.stats import linear_kinship

from .conftest import assert_user_error


def _ids(path) -> list[str]:
    return [line for line in path.read_text().splitlines() if not line.startswith("#")]


def test_kinship_of_plink_written_as_npy_and_text(run, tmp_path, example):
    result = run("estimate-kinship", example("example"), "-o", "K.npy", "-o", "K.grm.raw")
    assert result.returncode == 0, result.stderr
    assert "Kinship of 480 samples from 3000 variants" in result.stdout
    assert "Wrote K.npy (NumPy array) and its sample IDs to K.npy.id." in result.stdout
    assert "Wrote K.grm.raw (tab-separated text matrix)" in result.stdout
    assert "Kinship" in result.stderr  # the progress bar

    _, fam, G = plink.read(example("example"), verbose=False, samples_by_variants=True)
    expected = linear_kinship(G, verbose=False)
    np.testing.assert_allclose(np.load(tmp_path / "K.npy"), expected, rtol=1e-12, atol=1e-14)
    text = np.loadtxt(tmp_path / "K.grm.raw", delimiter="\t")
    np.testing.assert_allclose(text, expected, rtol=1e-10, atol=1e-12)
    assert _ids(tmp_path / "K.npy.id") == list(fam["iid"])
    assert _ids(tmp_path / "K.grm.raw.id") == list(fam["iid"])

    # never overwritten silently
    before = (tmp_path / "K.npy").read_bytes()
    assert_user_error(
        run("estimate-kinship", example("example"), "-o", "K.npy"), "--output", "exists", code=2
    )
    assert (tmp_path / "K.npy").read_bytes() == before


def test_bgen_filters_and_samples(invoke, tmp_path, example):
    (tmp_path / "keep.txt").write_text("".join(f"S{i:04d} S{i:04d}\n" for i in range(1, 301)))
    result = invoke(
        "estimate-kinship",
        f"{example('example.bgen')}:bgen",
        "-o",
        "K.npy",
        "--chrom",
        "chr1,2",
        "--maf-min",
        "0.05",
        "--samples-file",
        "keep.txt",
    )
    assert result.exit_code == 0, result.output
    assert "--samples-file: 180 sample(s) removed" in result.output
    assert "--chrom: 1700 variant(s) removed" in result.output

    bim, fam, G = plink.read(example("example"), verbose=False, samples_by_variants=True)
    G = G[:300][:, np.flatnonzero(bim["chrom"].isin(["1", "2"]).to_numpy())].compute()
    G = G[:, np.asarray(compute_maf(G)) >= 0.05]
    np.testing.assert_allclose(np.load(tmp_path / "K.npy"), linear_kinship(G, verbose=False))
    assert _ids(tmp_path / "K.npy.id") == list(fam["iid"][:300])


def test_errors(invoke, tmp_path, example):
    assert_user_error(invoke("estimate-kinship", "absent", "-o", "K.npy"), "GENOTYPE:")
    assert_user_error(
        invoke("estimate-kinship", example("example"), "-o", "K.txt"), "--output", ".npy"
    )
    (tmp_path / "one.txt").write_text("S0001\n")
    assert_user_error(
        invoke("estimate-kinship", example("example"), "-o", "K.npy", "--samples-file", "one.txt"),
        "--samples-file",
    )
    assert_user_error(
        invoke("estimate-kinship", example("example"), "-o", "K.npy", "--chrom", "9"),
        "GENOTYPE:",
        "no variant",
    )
    assert not (tmp_path / "K.npy").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.txt"]


def test_gcta_grm_written_and_read_back(invoke, tmp_path, example):
    """--format gcta writes the three GCTA files; qtl scan --kinship takes their prefix, and its
    p-values equal those with the double-precision .npy to the float32 rounding of the GRM."""
    from limix.io import grm

    for output in (("--format", "gcta", "-o", "kin"), ("-o", "kin.npy")):
        r = invoke("estimate-kinship", example("example"), "--chrom", "6", *output, "-q")
        assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.glob("kin*")) == [
        "kin.grm.N.bin", "kin.grm.bin", "kin.grm.id", "kin.npy", "kin.npy.id"
    ]  # fmt: skip
    K, N = grm.read(tmp_path / "kin", counts=True)
    np.testing.assert_allclose(K.to_numpy(), np.load(tmp_path / "kin.npy"), rtol=1e-6, atol=1e-7)
    assert (N.to_numpy() == 300).all()  # chromosome 6's variants
    tables = {}
    for kinship in ("kin", "kin.npy"):
        out = f"out-{kinship}"
        args = ("--trait", "quantitative", "--chrom", "6", "--kinship", kinship, "-q", "-o", out)
        r = invoke("qtl", "scan", example("phenotype.csv"), example("example"), *args)
        assert r.exit_code == 0, r.output
        tables[kinship] = pd.read_csv(tmp_path / out / "associations.csv")
    np.testing.assert_allclose(
        tables["kin"]["neg_log10_pvalue"], tables["kin.npy"]["neg_log10_pvalue"], atol=1e-6
    )
