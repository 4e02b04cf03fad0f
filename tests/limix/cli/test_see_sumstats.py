"""``limix see`` on summary statistics: detection, top hits, λ_GC, the Manhattan and QQ plots."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2

from limix.io import sumstats

from .conftest import assert_user_error

PNG = b"\x89PNG\r\n\x1a\n"
META = {
    "genome_assembly": "GRCh38",
    "genotyping_technology": "Genome-wide genotyping array",
    "sample_ancestry_category": "European",
}


def _write(tmp_path, name, fmt, m=400):
    random = np.random.RandomState(0)
    stat = chi2.isf(random.uniform(size=m), 1) * 1.2  # inflated: λ_GC = 1.2
    stat[7] = 2000.0  # p below the double range
    logp = -(chi2.logsf(stat, 1)) / np.log(10)
    logp[7] = 436.1  # −log₁₀ of the 2000 statistic's p (χ²₁)
    table = pd.DataFrame(
        {
            "test": np.arange(m),
            "trait": "y",
            "variant": [f"rs{j}" for j in range(m)],
            "chrom": np.repeat(["1", "2"], m // 2),
            "pos": np.tile(np.arange(m // 2) * 100 + 1, 2),
            "effect_allele": "A",
            "other_allele": "G",
            "n": 500,
            "eaf": 0.3,
            "beta": random.randn(m),
            "se": 0.1,
            "chisq": stat,
            "dof": 1,
            "pvalue": np.maximum(10.0**-logp, 2.2e-308),
            "neg_log10_pvalue": logp,
        }
    )
    sumstats.write(table, tmp_path / name, fmt, metadata=META)
    expected = np.median(stat) / chi2.ppf(0.5, 1)
    return expected


def test_every_format_is_detected_and_summarised(invoke, tmp_path):
    for name, fmt in (
        ("a.tsv.gz", "gwas-ssf"),
        ("a.regenie", "regenie"),
        ("a.glm.linear", "plink2"),
        ("associations.csv", "csv"),
    ):
        expected = _write(tmp_path, name, fmt)
        r = invoke("see", name, "--rows", "3")
        assert r.exit_code == 0, r.output
        assert f"{fmt} file, 400 rows" in r.output
        assert f"λ_GC = {expected:.4f}" in r.output
        top = r.output.split("Top 3 rows")[1].splitlines()
        assert top[2].split()[0] == "rs7"  # the p below 1e-300 ranks first
        assert "436.1" in top[2]


def test_plot_on_request(invoke, tmp_path):
    _write(tmp_path, "a.regenie", "regenie")
    r = invoke("see", "a.regenie", "--plot", "--output", "gwas.png")
    assert r.exit_code == 0, r.output
    assert r.output.endswith("Plot saved to gwas.png\n")
    assert (tmp_path / "gwas.png").read_bytes().startswith(PNG)
    assert (tmp_path / "gwas.png").stat().st_size > 20_000
    (tmp_path / "t.csv").write_text("a,b\n1,2\n")
    assert_user_error(invoke("see", "t.csv", "--plot"), "--plot", "summary statistics")
