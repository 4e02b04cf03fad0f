"""Summary-statistics files: layouts by the formats' documentation, round trips, refusals."""

from __future__ import annotations

import gzip
import warnings

import numpy as np
import pandas as pd
import pytest

from limix.io import sumstats

SSF_MANDATORY = [
    "chromosome", "base_pair_location", "effect_allele", "other_allele", "beta",
    "standard_error", "effect_allele_frequency", "p_value",
]  # fmt: skip
REGENIE = "CHROM GENPOS ID ALLELE0 ALLELE1 A1FREQ N TEST BETA SE CHISQ LOG10P EXTRA".split()
PLINK2_LINEAR = "#CHROM POS ID REF ALT A1 OMITTED A1_FREQ TEST OBS_CT BETA SE T_STAT P ERRCODE"
PLINK2_LOGISTIC = PLINK2_LINEAR.replace("BETA SE T_STAT", "OR LOG(OR)_SE Z_STAT")


def _table(m=5, chrom=None):
    random = np.random.RandomState(0)
    logp = np.array([0.5, 2.0, 12.0, 400.0, 905.5])[:m]  # two below the double range
    return pd.DataFrame(
        {
            "test": np.arange(m),
            "trait": "height",
            "variant": ["rs10", "rs22", "1:300:A:G", "rs4", "rs5"][:m],
            "chrom": chrom or ["1", "1", "2", "X", "MT"][:m],
            "pos": np.arange(m) * 1000 + 1,
            "effect_allele": ["A", "C", "G", "T", "AT"][:m],
            "other_allele": ["G", "T", "A", "C", "A"][:m],
            "n": np.full(m, 480),
            "eaf": random.uniform(0.05, 0.95, m),
            "beta": random.randn(m),
            "se": random.uniform(0.01, 0.2, m),
            "chisq": random.uniform(0, 50, m),
            "dof": np.ones(m, dtype=int),
            "pvalue": np.maximum(10.0**-logp, 2.2e-308),
            "neg_log10_pvalue": logp,
        }
    )


def _lines(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as f:
        return f.read().splitlines()


def test_gwas_ssf_layout_metadata_and_round_trip(tmp_path):
    yaml = pytest.importorskip("yaml")
    table = _table()
    with pytest.warns(UserWarning, match="genotyping_technology, sample_ancestry_category"):
        paths = sumstats.write(
            table, tmp_path / "h.tsv.gz", "gwas-ssf", metadata={"genome_assembly": "GRCh38"}
        )
    assert [p.name for p in paths] == ["h.tsv.gz", "h.tsv.gz-meta.yaml"]
    lines = _lines(paths[0])
    header = lines[0].split("\t")
    assert header[:8] == SSF_MANDATORY and header[8:] == ["rsid", "n"]
    rows = [line.split("\t") for line in lines[1:]]
    assert [r[0] for r in rows] == ["1", "1", "2", "23", "25"]  # X = 23, MT = 25
    assert [r[8] for r in rows] == ["rs10", "rs22", "#NA", "rs4", "rs5"]
    assert rows[4][7].endswith("e-906")  # p = 10^-905.5 kept as text

    meta = yaml.safe_load(paths[1].read_text())
    assert meta["data_file_name"] == "h.tsv.gz" and meta["file_type"] == "GWAS-SSF v1.1"
    import hashlib

    assert meta["data_file_md5sum"] == hashlib.md5(paths[0].read_bytes()).hexdigest()
    assert meta["genome_assembly"] == "GRCh38" and meta["coordinate_system"] == "1-based"
    assert meta["samples"][0]["sample_size"] == 480 and meta["is_sorted"] is True
    assert meta["trait_description"] == ["height"]

    back = sumstats.read(paths[0])
    np.testing.assert_allclose(back["beta"], table["beta"], rtol=1e-11)
    np.testing.assert_allclose(back["neg_log10_pvalue"], table["neg_log10_pvalue"], rtol=1e-11)
    assert back["pvalue"].iloc[4] == 0.0  # a double cannot hold it; −log₁₀ p can


@pytest.mark.parametrize("likelihood", ["normal", "bernoulli"])
def test_plink2_and_regenie_layouts_round_trip(tmp_path, likelihood):
    table = _table()
    suffix = ".glm.linear" if likelihood == "normal" else ".glm.logistic"
    path = sumstats.write(table, tmp_path / f"a{suffix}", "plink2", likelihood=likelihood)[0]
    lines = _lines(path)
    assert lines[0] == (PLINK2_LINEAR if likelihood == "normal" else PLINK2_LOGISTIC).replace(
        " ", "\t"
    )
    first = dict(zip(lines[0].split("\t"), lines[1].split("\t"), strict=True))
    assert first["A1"] == first["ALT"] == "A" and first["OMITTED"] == first["REF"] == "G"
    if likelihood == "bernoulli":
        assert float(first["OR"]) == pytest.approx(np.exp(table["beta"].iloc[0]), rel=1e-11)
    back = sumstats.read(path)
    assert sumstats.detect_format(path) == "plink2"
    np.testing.assert_allclose(back["beta"], table["beta"], rtol=1e-10)
    assert list(back["effect_allele"]) == list(table["effect_allele"])

    path = sumstats.write(table, tmp_path / "a.regenie.gz", "regenie")[0]
    assert _lines(path)[0].split(" ") == REGENIE
    back = sumstats.read(path)
    for column in ("beta", "se", "eaf", "chisq", "neg_log10_pvalue"):
        np.testing.assert_allclose(back[column], table[column], rtol=1e-11)
    assert list(back["chrom"]) == list(table["chrom"])


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_table_formats_round_trip_exactly(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    table = _table()
    path = sumstats.write(table, tmp_path / f"t.{fmt}", fmt)[0]
    back = sumstats.read(path)
    pd.testing.assert_frame_equal(back, table, check_dtype=False)


def test_refusals(tmp_path):
    table = _table()
    with pytest.raises(ValueError, match="chromosomes 1–22"):
        sumstats.write(_table(chrom=["1", "2", "chrUn_gl1", "4", "5"]), tmp_path / "x.tsv.gz",
                       "gwas-ssf")  # fmt: skip
    bad = table.assign(other_allele=["G", "T", "A", "C", "<DEL>"])
    with pytest.raises(ValueError, match="A, C, G and T"):
        sumstats.write(bad, tmp_path / "x.tsv.gz", "gwas-ssf")
    twice = pd.concat([table, table.assign(trait="weight")])
    with pytest.raises(ValueError, match="several rows per test"):
        sumstats.write(twice, tmp_path / "x.regenie", "regenie")
    with pytest.raises(ValueError, match="probit"):
        sumstats.write(table, tmp_path / "x.glm.linear", "plink2", likelihood="probit")
    with pytest.raises(ValueError, match="chrom, effect_allele"):
        sumstats.write(table.drop(columns=["chrom", "effect_allele"]), tmp_path / "y", "regenie")
    with pytest.raises(ValueError, match="format must be one of"):
        sumstats.write(table, tmp_path / "x", "vcf")
    sumstats.write(table, tmp_path / "x.csv", "csv")
    with pytest.raises(FileExistsError):
        sumstats.write(table, tmp_path / "x.csv", "csv")
    assert not list(tmp_path.glob("x.tsv.gz*")) and not (tmp_path / "x.regenie").exists()
    with pytest.raises(FileNotFoundError):
        sumstats.read(tmp_path / "missing.regenie")
    (tmp_path / "odd.txt").write_text("a b c\n1 2 3\n")
    with pytest.raises(ValueError, match="cannot tell"):
        sumstats.read(tmp_path / "odd.txt")


def test_sumstats_warn_of_unknown_metadata_and_python_one_liner(tmp_path):
    import xarray as xr

    from limix.qtl import scan

    random = np.random.RandomState(7)
    G = xr.DataArray(
        random.binomial(2, 0.3, size=(60, 2)).astype(float),
        dims=("sample", "variant"),
        coords={"variant": ["rs1", "rs2"], "chrom": ("variant", ["1", "2"]),
                "pos": ("variant", [10, 20]), "effect_allele": ("variant", ["A", "C"]),
                "other_allele": ("variant", ["G", "T"])},
    )  # fmt: skip
    result = scan(G, random.randn(60), M=random.randn(60, 1), verbose=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = result.to_sumstats(tmp_path / "r.tsv.gz")
    assert any("#NA" in str(w.message) for w in caught)
    assert "adjusted_covariates" in paths[1].read_text()
    back = sumstats.read(paths[0])
    np.testing.assert_allclose(back["beta"], result.associations["beta"], rtol=1e-11)
