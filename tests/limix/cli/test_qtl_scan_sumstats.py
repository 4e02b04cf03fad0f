"""``limix qtl scan --format``: the summary-statistics files against an ordinary least-squares fit
per variant (statsmodels), for both allele codings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from .conftest import assert_user_error


def test_command_line_files_equal_ordinary_least_squares(invoke, tmp_path, example):
    """The issue's acceptance: --no-kinship writes GWAS-SSF and PLINK 2 files whose every beta
    is the OLS fit on the same samples and allele count (statsmodels), to 1e-8 relative, with
    the effect allele named in the row; counting the other allele flips the sign."""
    sm = pytest.importorskip("statsmodels.api")
    from bed_reader import open_bed

    r = invoke(
        "qtl", "scan", "--example", "--no-kinship", "--output", "OUT",
        "--format", "gwas-ssf", "--format", "plink2", "-q",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    out = tmp_path / "OUT"
    assert (out / "associations.tsv.gz").exists() and (out / "associations.glm.linear").exists()
    assert not (out / "associations.csv").exists()
    ssf = pd.read_csv(out / "associations.tsv.gz", sep="\t", na_values="#NA")
    glm = pd.read_csv(out / "associations.glm.linear", sep="\t")

    bim = pd.read_csv(example("example.bim"), sep="\t", header=None, dtype={0: str})
    with open_bed(example("example.bed")) as bed:
        second = bed.read(dtype="float64")  # bed-reader counts the fifth column by default
        iids = np.asarray(bed.iid).astype(str)
    counts = {"fifth": second, "sixth": 2 - second}
    pheno = pd.read_csv(example("phenotype.csv"), index_col="sample")["quantitative"]
    cov = pd.read_csv(example("covariates.csv"), index_col="sample")
    keep = pd.Index(iids).isin(pheno.dropna().index) & pd.Index(iids).isin(cov.dropna().index)
    y = pheno.loc[iids[keep]].to_numpy()
    X0 = sm.add_constant(cov.loc[iids[keep], ["sex", "age"]].to_numpy(float))

    rows = glm.set_index("ID")
    for name, allele_column in (("sixth", 5), ("fifth", 4)):
        sign = 1.0 if name == "sixth" else -1.0
        for j in range(0, 3000, 7):
            g = counts[name][keep, j]
            g = np.where(np.isnan(g), np.nanmean(g), g)  # the scan's mean imputation
            if np.ptp(g) == 0:
                continue
            fit = sm.OLS(y, np.column_stack([X0, g])).fit()
            variant = bim.loc[j, 1]
            row = rows.loc[variant]
            allele = bim.loc[j, allele_column]
            assert (row["A1"] == allele) == (sign > 0)  # the row names the counted allele
            np.testing.assert_allclose(sign * row["BETA"], fit.params[-1], rtol=1e-8)
            line = ssf.set_index("rsid").loc[variant]
            assert line["effect_allele"] == bim.loc[j, 5]
            np.testing.assert_allclose(sign * line["beta"], fit.params[-1], rtol=1e-8)


def test_formats_are_checked_before_anything_runs(invoke, tmp_path):
    r = invoke("qtl", "scan", "--example", "-o", "o", "--lik", "poisson", "--format", "plink2",
               "--trait", "disease", "--chrom", "6", "-q")  # fmt: skip
    assert_user_error(r, "--format", "linear or logistic")
    r = invoke("qtl", "scan", "--example", "-o", "o", "--meta", "genome_assembly", "-q")
    assert_user_error(r, "--meta", "KEY=VALUE")
    assert not (tmp_path / "o").exists()
