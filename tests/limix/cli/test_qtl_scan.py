"""``limix qtl scan``: the example end to end, inputs matched by sample ID, filters, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from limix.cli._qtl_scan import OUTPUT_FILES

from .conftest import assert_user_error

PNG = b"\x89PNG\r\n\x1a\n"
FAST = ("--chrom", "6", "-q")  # 300 variants


def _associations(folder) -> pd.DataFrame:
    return pd.read_csv(folder / "associations.csv", dtype={"chrom": str})


def test_example_finds_the_causal_variants(run, tmp_path, example):
    result = run("qtl", "scan", "--example", "--output", "results")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "results"
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    for name in ("manhattan.png", "qqplot.png"):
        assert (out / name).read_bytes().startswith(PNG)
        assert (out / name).stat().st_size > 20_000
    assert "Samples: 468 in common" in result.stdout
    assert "Hypothesis 0" in result.stdout and "Likelihood-ratio test p-values" in result.stdout
    assert result.stdout.rstrip().endswith("manhattan.png, qqplot.png")
    assert "Scanning" in result.stderr  # progress bars
    # a library warning reaches the user as a plain line, without the library's file path
    assert "Warning: G: " in result.stderr and "missing genotype" in result.stderr
    assert ".py:" not in result.stderr and "ImputedGenotypesWarning" not in result.stderr

    table = _associations(out)
    stats = pd.read_csv(out / "stats.csv")
    assert list(stats.columns) == ["test", "lml0", "lml2", "dof20", "scale2", "pv20"]
    np.testing.assert_array_equal(table["pvalue"], stats["pv20"])
    causal = pd.read_csv(example("causal.csv"))
    top = table.nsmallest(10, "pvalue")
    assert set(causal["variant"]) <= set(top["variant"])
    assert top["variant"].iloc[0] in set(causal["variant"])
    hits = table.set_index("variant").loc[causal["variant"]]
    assert (hits["pvalue"] < 1e-5).all()
    assert (np.sign(hits["beta"]) == np.sign(causal["effect"].to_numpy())).all()

    # the outputs are never replaced silently, and nothing is written when refused
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = run("qtl", "scan", "--example", "--output", "results", "--chrom", "6")
    assert_user_error(result, "--output", "already exists", "--overwrite", code=1)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_plink_bgen_and_kinship_file_agree(invoke, tmp_path, example):
    phenotype, covariates = example("phenotype.csv"), example("covariates.csv")
    args = ("--trait", "quantitative", "--covariates", covariates, *FAST)
    r = invoke(
        "qtl",
        "scan",
        phenotype,
        example("example"),
        "-o",
        "plink",
        "--kinship-from-genotype",
        *args,
    )
    assert r.exit_code == 0, r.output
    r = invoke(
        "qtl",
        "scan",
        phenotype,
        example("example.bgen"),
        "-o",
        "bgen",
        "--kinship-from-genotype",
        *args,
    )
    assert r.exit_code == 0, r.output
    # the kinship of the analysed samples (estimated on others, its standardisation differs)
    pheno = pd.read_csv(phenotype, dtype={"sample": str}).dropna()
    (tmp_path / "analysed.txt").write_text("\n".join(pheno["sample"]) + "\n")
    kinship = ("estimate-kinship", example("example.bgen"), "-o", "K.npy", "-q")
    assert invoke(*kinship, "--samples-file", "analysed.txt").exit_code == 0
    assert len(np.load(tmp_path / "K.npy")) == 462
    r = invoke(
        "qtl", "scan", phenotype, example("example"), "-o", "kfile", "--kinship", "K.npy", *args
    )
    assert r.exit_code == 0, r.output
    r = invoke("qtl", "scan", "--example", "-o", "example", *FAST)
    assert r.exit_code == 0, r.output

    reference = _associations(tmp_path / "plink")
    assert len(reference) > 290 and (reference["chrom"] == "6").all()
    for other in ("bgen", "kfile", "example"):
        table = _associations(tmp_path / other)
        pd.testing.assert_frame_equal(table, reference, check_exact=False, rtol=1e-6)


def test_samples_are_matched_by_id_not_position(invoke, tmp_path, example):
    phenotype = pd.read_csv(example("phenotype.csv"), dtype={"sample": str})
    shuffled = phenotype.sample(frac=1.0, random_state=1).iloc[::-1]
    shuffled = shuffled[["quantitative", "disease", "sample"]]  # IDs in the last column
    shuffled.to_csv(tmp_path / "pheno.tsv", sep="\t", index=False)
    covariates = pd.read_csv(example("covariates.csv"), dtype={"sample": str})
    covariates = covariates.rename(columns={"sample": "iid"}).iloc[::-1]
    covariates.to_csv(tmp_path / "cov.csv", index=False)
    r = invoke(
        "qtl",
        "scan",
        "pheno.tsv",
        example("example.bed"),
        "--sample-column",
        "sample",
        "--trait",
        "quantitative",
        "--covariates",
        "cov.csv",
        "--kinship-from-genotype",
        "-o",
        "shuffled",
        *FAST,
    )
    assert r.exit_code == 0, r.output
    r = invoke("qtl", "scan", "--example", "-o", "example", *FAST)
    assert r.exit_code == 0, r.output
    pd.testing.assert_frame_equal(
        _associations(tmp_path / "shuffled"), _associations(tmp_path / "example"), rtol=1e-6
    )


def test_bimbam_phenotype_rows_follow_the_genotype(invoke, tmp_path, example):
    fam = pd.read_csv(example("example.fam"), sep=" ", header=None, dtype=str)
    phenotype = pd.read_csv(example("phenotype.csv"), dtype={"sample": str}).set_index("sample")
    values = phenotype["quantitative"].reindex(fam[1])
    text = "".join("NA\n" if np.isnan(v) else f"{v!r}\n" for v in values)
    (tmp_path / "pheno.gemma").write_text(text)
    r = invoke(
        "qtl",
        "scan",
        "pheno.gemma:bimbam-pheno",
        example("example"),
        "--covariates",
        example("covariates.csv"),
        "--kinship-from-genotype",
        "-o",
        "bimbam",
        "--chrom",
        "6",
    )
    assert r.exit_code == 0, r.output
    assert "PHENOTYPE has no sample IDs" in r.output
    r = invoke("qtl", "scan", "--example", "-o", "example", *FAST)
    (tmp_path / "short.gemma").write_text(text.split("\n", 1)[1])  # one row too few
    r = invoke("qtl", "scan", "short.gemma:bimbam-pheno", example("example"), "-o", "short", *FAST)
    assert_user_error(r, "PHENOTYPE", "the phenotype table has no sample IDs", "480 samples")
    bimbam = _associations(tmp_path / "bimbam")
    assert (bimbam["trait"].astype(str) == "0").all()  # BIMBAM columns are named 0, 1, …
    pd.testing.assert_frame_equal(
        bimbam.drop(columns="trait"),
        _associations(tmp_path / "example").drop(columns="trait"),
        rtol=1e-6,
    )


def test_filters(invoke, tmp_path, example):
    (tmp_path / "drop.txt").write_text("#IID\nS0001\nS0002\nS9999\n")
    (tmp_path / "variants.txt").write_text("rs1000\nrs1017\nrs46900\nrs46917\nrs99999\n")
    r = invoke(
        "qtl",
        "scan",
        "--example",
        "-o",
        "a",
        "--no-kinship",
        "--maf-min",
        "0.05",
        "--missing-max",
        "0.05",
        "--exclude-samples-file",
        "drop.txt",
    )
    assert r.exit_code == 0, r.output
    assert "--exclude-samples-file: 2 sample(s) removed" in r.output
    assert "Samples: 466 in common" in r.output
    table = _associations(tmp_path / "a")
    maf = np.minimum(table["eaf"], 1 - table["eaf"])
    assert (maf >= 0.05).all() and (table["n"] >= 0.95 * 466).all()
    removed = 3000 - len(table)
    assert removed > 30  # the rare and the badly genotyped variants
    assert "--maf-min:" in r.output and "--missing-max:" in r.output

    r = invoke(
        "qtl",
        "scan",
        "--example",
        "-o",
        "b",
        "--no-kinship",
        "--chrom",
        "chr01",
        "--pos-range",
        "1,000,000:2000000",
    )
    assert r.exit_code == 0, r.output
    table = _associations(tmp_path / "b")
    assert len(table) > 10
    assert (table["chrom"] == "1").all()
    assert table["pos"].between(1_000_000, 2_000_000).all()

    r = invoke(
        "qtl", "scan", "--example", "-o", "c", "--no-kinship", "--variants-file", "variants.txt"
    )
    assert r.exit_code == 0, r.output
    assert list(_associations(tmp_path / "c")["variant"]) == [
        "rs1000",
        "rs1017",
        "rs46900",
        "rs46917",
    ]


def test_several_traits_and_a_binary_one(invoke, tmp_path, example):
    (tmp_path / "keep.txt").write_text("".join(f"S{i:04d}\n" for i in range(1, 81)))
    r = invoke(
        "qtl",
        "scan",
        "--example",
        "-o",
        "both",
        "--trait",
        "quantitative",
        "--trait",
        "disease",
        "--no-kinship",
        *FAST,
    )
    assert r.exit_code == 0, r.output
    for trait in ("quantitative", "disease"):
        assert sorted(p.name for p in (tmp_path / "both" / trait).iterdir()) == sorted(OUTPUT_FILES)
    r = invoke(
        "qtl",
        "scan",
        "--example",
        "-o",
        "binary",
        "--trait",
        "disease",
        "--lik",
        "Bernoulli",
        "--samples-file",
        "keep.txt",
        "--pos-range",
        ":1000000",
        *FAST,
    )
    assert r.exit_code == 0, r.output
    table = _associations(tmp_path / "binary")
    assert len(table) > 20 and table["pvalue"].between(0, 1).all()
    h0 = pd.read_csv(tmp_path / "binary" / "h0_lml.csv")
    assert h0["likelihood"].iloc[0].lower() == "bernoulli"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--trait", "height"), ("--trait", "'height'", "quantitative")),
        (("--covariate", "nothing"), ("--covariate", "'nothing'")),
        (("--kinship", "K.npy"), ("--kinship", "K.npy.id")),
        (("--lik", "binomial"), ("--ntrials",)),
        (("--trait", "quantitative", "--lik", "bernoulli"), ("--trait quantitative", "0 or 1")),
        (("--samples-file", "none.txt"), ("--samples-file", "no ID")),
        (("--kinship", "K.npy", "--kinship-from-genotype"), ("--kinship",)),
    ],
)
def test_errors_name_the_argument(invoke, tmp_path, args, words):
    np.save(tmp_path / "K.npy", np.eye(3))
    (tmp_path / "none.txt").write_text("# nobody\n")
    assert_user_error(invoke("qtl", "scan", "--example", "-o", "out", *args), *words)
    assert not (tmp_path / "out").exists()


def test_input_errors(invoke, run, tmp_path, example):
    (tmp_path / "other.csv").write_text("id,y\nA1,1.0\nA2,2.0\n")
    result = run("qtl", "scan", "other.csv", example("example"), "-o", "out")
    assert_user_error(result, "PHENOTYPE", "no sample ID in common", code=1)
    (tmp_path / "two.csv").write_text("id,y,z\nS0001,1.0,a\nS0002,2.0,b\n")
    assert_user_error(
        invoke("qtl", "scan", "two.csv", example("example"), "-o", "o"), "--trait", "['y', 'z']"
    )
    assert_user_error(
        invoke("qtl", "scan", "two.csv", example("example"), "-o", "o", "--trait", "z"),
        "--trait",
        "not numeric",
    )
    assert_user_error(invoke("qtl", "scan", "two.csv", "absent.bgen", "-o", "o"), "GENOTYPE:")
    assert_user_error(invoke("qtl", "scan", "two.csv", "-o", "o"), "PHENOTYPE and GENOTYPE")
    assert_user_error(
        invoke("qtl", "scan", "--example", "two.csv", example("example"), "-o", "o"), "--example"
    )
    assert_user_error(
        invoke("qtl", "scan", "--example", "-o", "o", "--pos-range", "9:1"), "--pos-range", "after"
    )
    assert_user_error(
        invoke("qtl", "scan", "--example", "-o", "o", "--missing-max", "nan"), "--missing-max"
    )
    (tmp_path / "file").write_text("")
    assert_user_error(invoke("qtl", "scan", "--example", "-o", "file"), "--output")
    (tmp_path / "stats.csv").write_text("sample,y\nS0001,1\nS0002,2\nS0003,3\nS0004,4\n")
    result = invoke("qtl", "scan", "stats.csv", example("example"), "-o", ".", "--overwrite")
    assert_user_error(result, "--output", "input file")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "file",
        "other.csv",
        "stats.csv",
        "two.csv",
    ]


def test_exact_refits_the_variances_per_variant(invoke, tmp_path):
    """--exact: each alternative's likelihood is maximised over the variances too, so it is
    never below the fixed-ratio one, with the same null; the test stays calibrated enough
    that the chromosome's median p-value moves little."""
    assert invoke("qtl", "scan", "--example", "-o", "fixed", *FAST).exit_code == 0
    r = invoke("qtl", "scan", "--example", "-o", "exact", "--exact", *FAST)
    assert r.exit_code == 0, r.output
    fixed = pd.read_csv(tmp_path / "fixed" / "stats.csv")
    exact = pd.read_csv(tmp_path / "exact" / "stats.csv")
    np.testing.assert_allclose(exact["lml0"], fixed["lml0"], rtol=1e-9)
    assert (exact["lml2"] >= fixed["lml2"] - 1e-8).all()
    assert (exact["lml2"] > fixed["lml2"] + 1e-6).mean() > 0.5  # re-estimated, not copied
    assert abs(np.log10(exact["pv20"].median() / fixed["pv20"].median())) < 0.1


def test_exact_is_refused_for_a_glmm(invoke, tmp_path):
    r = invoke("qtl", "scan", "--example", "-o", "o", "--trait", "binary", "--lik", "bernoulli",
               "--exact", *FAST)  # fmt: skip
    assert_user_error(r, "--exact", "--lik normal")
    assert not (tmp_path / "o").exists()


def test_tables_equal_the_python_api_on_the_same_arrays(invoke, tmp_path, example):
    """The command line's associations are limix.qtl.scan's on the same data, to 1e-10; repeated
    variant IDs (common in real .bim files) number the results by position instead."""
    import shutil

    from limix.io import plink
    from limix.qtl import scan
    from limix.stats import linear_kinship

    prefix = tmp_path / "dup"
    for suffix in ("bed", "fam"):
        shutil.copy(example(f"example.{suffix}"), f"{prefix}.{suffix}")
    bim = pd.read_csv(example("example.bim"), sep="\t", header=None, dtype=str)
    chr6 = np.flatnonzero(bim[0] == "6")
    bim.loc[chr6[:2], 1] = "rs_repeated"
    bim.to_csv(f"{prefix}.bim", sep="\t", header=False, index=False)
    phenotype, covariates = example("phenotype.csv"), example("covariates.csv")

    r = invoke(
        "qtl", "scan", phenotype, prefix, "--trait", "quantitative", "--covariates", covariates,
        "--chrom", "6", "--kinship-from-genotype", "--output", "out",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Variant IDs repeat in GENOTYPE (e.g. ['rs_repeated'])" in r.output
    table = _associations(tmp_path / "out")

    # the same analysis by hand: samples in genotype order with a trait value and covariates
    _, fam, G = plink.read(str(prefix), verbose=False, samples_by_variants=True)
    ids = pd.Index(fam["iid"].astype(str))
    y = pd.read_csv(phenotype, index_col="sample")["quantitative"]
    M = pd.read_csv(covariates, index_col="sample")[["sex", "age"]].astype(float)
    rows = np.flatnonzero(ids.isin(y.dropna().index) & ids.isin(M.dropna().index))
    samples = ids[rows]
    G = np.asarray(G[rows, :], dtype=float)
    K = linear_kinship(G, verbose=False)
    M = pd.concat([pd.Series(1.0, index=samples, name="offset"), M.loc[samples]], axis=1)
    expected = scan(G[:, chr6], y.loc[samples].to_numpy(), "normal", K, M.to_numpy(), verbose=False)

    first = bim.loc[chr6[:2]]
    labels = [f"6:{p}:{a0}:{a1}" for p, a0, a1 in first[[3, 4, 5]].values]
    assert list(table["variant"][:2]) == labels
    # a variant monomorphic on these samples is not tested by the command line (nothing to test)
    kept = np.flatnonzero(np.isin(bim.loc[chr6, 3].astype(int), table["pos"]))
    assert len(kept) == len(table) >= len(chr6) - 2
    pv = expected.stats["pv20"].to_numpy()[kept]
    effects = expected.effsizes["h2"]
    beta = effects.loc[effects["effect_type"] == "candidate", "effsize"].to_numpy()[kept]
    np.testing.assert_allclose(table["pvalue"], pv, rtol=1e-10, atol=0)
    np.testing.assert_allclose(table["beta"], beta, rtol=1e-10, atol=1e-14)


def test_a_second_run_into_the_same_output_refuses(run, tmp_path):
    from limix._files import folder_lock

    with folder_lock(tmp_path / "results"):  # as a run in progress holds it
        result = run("qtl", "scan", "--example", "--output", "results", *FAST)
        assert_user_error(result, "--output", "another limix run", "is writing into", code=1)
        assert [p.name for p in (tmp_path / "results").iterdir()] == [".limix-output.lock"]
    # a run that fails before writing leaves no folder of its own behind
    result = run("qtl", "scan", "--example", "--output", "fresh", "--chrom", "99", "-q")
    assert result.returncode == 1
    assert not (tmp_path / "fresh").exists()


def test_every_genotype_format_gives_the_same_pvalues(invoke, tmp_path, example):
    """Chromosome 6 of the example as PLINK 1, and as plink2 and bcftools wrote it: PLINK 2,
    VCF and BCF. The counted allele of PLINK 1 (the .bim's sixth column) is the other allele of
    the three others (ALT, the fifth): effects flip sign, p-values agree."""
    from pathlib import Path

    pytest.importorskip("pgenlib")
    pytest.importorskip("cyvcf2")
    data = Path(__file__).parents[1] / "io" / "data"
    args = ("--trait", "quantitative", "--covariates", example("covariates.csv"), *FAST)
    tables = {}
    genotypes = {
        "plink1": example("example"),
        "plink2": data / "chr6.pgen",
        "vcf": data / "chr6.vcf.gz",
        "bcf": data / "chr6.bcf",
    }
    for name, genotype in genotypes.items():
        r = invoke("qtl", "scan", example("phenotype.csv"), genotype, *args, "--output", name)
        assert r.exit_code == 0, r.output
        tables[name] = _associations(tmp_path / name)
    reference = tables.pop("plink1")
    for table in tables.values():
        assert list(table["variant"]) == list(reference["variant"])
        assert list(table["other_allele"]) == list(reference["effect_allele"])
        np.testing.assert_allclose(table["pvalue"], reference["pvalue"], rtol=1e-9)
        np.testing.assert_allclose(table["beta"], -reference["beta"], rtol=1e-9, atol=1e-12)


def test_traits_on_the_same_samples_share_one_decomposition(invoke, tmp_path, example, monkeypatch):
    """The kinship is decomposed once per set of analysed samples, not once per trait."""
    import limix._data._inputs as inputs_module
    import limix._data._qs as qs_module

    calls = []

    def counted(original):
        def kinship_qs(K):
            calls.append(K.shape[0])
            return original(K)

        return kinship_qs

    monkeypatch.setattr(qs_module, "kinship_qs", counted(qs_module.kinship_qs))
    monkeypatch.setattr(inputs_module, "kinship_qs", counted(inputs_module.kinship_qs))
    phenotype = pd.read_csv(example("phenotype.csv"), dtype={"sample": str})
    phenotype["twice"] = 2 * phenotype["quantitative"]  # the samples of 'quantitative'
    phenotype.to_csv(tmp_path / "pheno.csv", index=False)
    traits = ("--trait", "quantitative", "--trait", "twice", "--trait", "disease")
    r = invoke(
        "qtl", "scan", "pheno.csv", example("example"), *traits, "--covariates",
        example("covariates.csv"), "--kinship-from-genotype", "-o", "out", *FAST,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert calls == [462, 468]  # 'quantitative' and 'twice' share one; 'disease' has its own
    quantitative = _associations(tmp_path / "out" / "quantitative")
    twice = _associations(tmp_path / "out" / "twice")
    np.testing.assert_allclose(twice["pvalue"], quantitative["pvalue"], rtol=1e-6)
