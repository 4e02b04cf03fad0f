"""limix.io.read_genotype: every format in one labelled form, and the README's scan from it."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from limix._example_data import FILES, folder
from limix._example_data import path as example
from limix.io import read_genotype
from limix.io._read_genotype import genotype_format

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parents[3]


def test_every_format_in_one_form():
    pytest.importorskip("pgenlib")
    pytest.importorskip("cyvcf2")
    plink1 = read_genotype(example("example"))[:, 2700:]  # chromosome 6
    bgen = read_genotype(example("example.bgen"))[:, 2700:]
    others = [read_genotype(DATA / name) for name in ("chr6.pgen", "chr6.vcf.gz", "chr6.bcf")]
    for G in (plink1, bgen, *others):
        assert G.dims == ("sample", "variant") and G.shape == (480, 300)
        assert set(G.coords) >= {"sample", "variant", "chrom", "pos", "effect_allele"}
        np.testing.assert_array_equal(G["variant"].values, plink1["variant"].values)
        np.testing.assert_array_equal(G["pos"].values, plink1["pos"].values)
    # the counted allele is each format's: where it is the same allele, the values are equal
    for G in (bgen, *others):
        same = G["effect_allele"].values == plink1["effect_allele"].values
        flipped = G["effect_allele"].values == plink1["other_allele"].values
        assert (same | flipped).all()
        expected = np.where(same, plink1.values, 2 - plink1.values)
        np.testing.assert_allclose(G.values, expected, atol=1e-4)  # BGEN stores probabilities


def test_samples_and_formats():
    G = read_genotype(example("example.bed"), samples=["S0003", "S0001"])
    whole = read_genotype(example("example.bed"))
    np.testing.assert_array_equal(G.values, whole.values[[2, 0]])
    assert genotype_format(str(example("example"))) == "plink"
    with pytest.raises(ValueError, match="cannot tell the genotype format"):
        genotype_format("table.csv")
    with pytest.raises(ValueError, match=r"sample_file is for BGEN files"):
        read_genotype(example("example.bed"), sample_file="x.sample")


def test_the_readme_scan_runs_as_written(monkeypatch, tmp_path):
    """The README's Python example, run in a copy of the example data's folder (it writes a
    summary-statistics file, which must not land in the installed package)."""
    import shutil

    text = (ROOT / "README.md").read_text()
    code = re.search(r"\*\*Python\.\*\*.*?```python\n(.*?)```", text, re.S).group(1)
    for name in FILES:
        shutil.copy(folder() / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    with pytest.warns(UserWarning):  # the samples without a trait value are dropped, and said
        exec(compile(code.replace("print(result)", "_ = str(result)"), "README", "exec"),
             namespace)  # fmt: skip
    stats = namespace["result"].stats
    assert len(stats) == 3000 and stats["pv20"].between(0, 1).all()
    assert (tmp_path / "height.tsv.gz").exists() and (tmp_path / "height.tsv.gz-meta.yaml").exists()
    assert isinstance(namespace["y"], pd.Series)


def test_bimbam_mean_genotype_file(tmp_path):
    from limix.io import bimbam, examples

    G = bimbam.read_genotype(examples.get("data.mean.geno.txt"), samples=list("abcde"))
    expected = read_genotype(examples.get("data.bed"))
    np.testing.assert_array_equal(G.values, expected.values)
    np.testing.assert_array_equal(G["effect_allele"].values, expected["effect_allele"].values)
    (tmp_path / "a.txt").write_text("rs10 1200 1\nrs20 4500 1\nrs30 300 2\nrs40 9100 2\n")
    annotated = bimbam.read_genotype(
        examples.get("data.mean.geno.txt"), annotation=tmp_path / "a.txt"
    )
    assert annotated["pos"].values.tolist() == [1200, 4500, 300, 9100]
    assert annotated["chrom"].values.tolist() == ["1", "1", "2", "2"]
    (tmp_path / "bad.txt").write_text("rs1, A, G, 0, 3\n")
    with pytest.raises(ValueError, match=r"outside \[0, 2\]"):
        bimbam.read_genotype(tmp_path / "bad.txt")
    with pytest.raises(ValueError, match=r"samples lists 2 samples"):
        bimbam.read_genotype(examples.get("data.mean.geno.txt"), samples=["a", "b"])


def test_gen_dosages_count_allele_b():
    from limix.io import examples, gen

    data = gen.read(examples.get("example.gen"), verbose=False)
    probs = data["genotype"].compute()
    G = read_genotype(examples.get("example.gen"))
    np.testing.assert_allclose(G.values, (probs[:, :, 1] + 2 * probs[:, :, 2]).T)
    assert list(G["effect_allele"].values) == list(data["variants"]["a1"])
    assert list(G["sample"].values) == ["s1", "s2", "s3"]
    assert list(G["variant"].values) == ["rs1", "rs2", "rs3"]
