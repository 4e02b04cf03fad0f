import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from limix.qtl._result import NullModel, QTLResult, long_effsizes, scan_statistics


def _null(multi: bool = False) -> NullModel:
    if multi:
        effsizes = pd.DataFrame(
            {
                "trait": ["0", "0", "1", "1"],
                "covariate": ["offset", "age", "offset", "age"],
                "effsize": [-0.16350676, -0.00299814, -0.34521236, -0.00080406],
                "effsize_se": [11.30571652, 0.09640163, 5.36090270, 0.04573611],
            }
        )
        variances = pd.DataFrame(
            {
                "trait0": ["0", "0", "1", "1"],
                "trait1": ["0", "1", "0", "1"],
                "fore_covariance": [0.01404947, 0.0, 0.0, 0.29153072],
                "back_covariance": [0.81175806, 0.1, 0.1, 0.85780008],
            }
        )
        return NullModel("normal", -277.3341913587698, effsizes, variances, "𝐲 ~ …")
    effsizes = pd.DataFrame(
        {
            "trait": ["y", "y"],
            "covariate": ["offset", "age"],
            "effsize": [2.10096551, 0.19582931],
            "effsize_se": [1.25826998, 0.01068367],
        }
    )
    variances = pd.DataFrame({"trait": ["y"], "fore_covariance": [0.0], "back_covariance": [3.462]})
    return NullModel("normal", -203.98750767964498, effsizes, variances, "𝐲 ~ 𝓝(𝙼𝜶, 3.462⋅𝙸)")


def _result(three: bool = False) -> QTLResult:
    rng = np.random.default_rng(0)
    m = 5
    tests = np.arange(m)
    lml2 = -203.98750767964498 + rng.uniform(0, 10, m)
    alternatives = {2: (lml2, 2 if three else 1, rng.uniform(1, 2, m))}
    if three:
        alternatives[1] = (lml2 - rng.uniform(0, 1, m), 1, rng.uniform(1, 2, m))
    stats = scan_statistics(tests, -203.98750767964498, alternatives)
    effsizes = {}
    for k in alternatives:
        k_cand = 2 if (three and k == 2) else 1
        effsizes[f"h{k}"] = long_effsizes(
            tests,
            ["offset", "age"],
            rng.normal(size=(m, 2)),
            rng.uniform(size=(m, 2)),
            [f"c{j}" for j in range(k_cand)],
            rng.normal(size=(m, k_cand)),
            rng.uniform(size=(m, k_cand)),
            ["y"] * (2 + k_cand),
        )
    return QTLResult(stats, effsizes, _null(), {f"h{k}": f"formula {k}" for k in alternatives})


def test_statistics_columns_and_pvalues():
    result = _result(three=True)
    s = result.stats
    assert list(s.columns) == [
        "lml0", "lml1", "lml2", "dof10", "dof20", "dof21", "scale1", "scale2", "pv10", "pv20",
        "pv21",
    ]  # fmt: skip
    assert s.index.name == "test"
    np.testing.assert_allclose(s["pv20"], chi2.sf(2 * (s["lml2"] - s["lml0"]), 2), rtol=1e-12)
    np.testing.assert_allclose(s["pv21"], chi2.sf(2 * (s["lml2"] - s["lml1"]), 1), rtol=1e-12)
    assert list(_result().stats.columns) == ["lml0", "lml2", "dof20", "scale2", "pv20"]


def test_pvalues_are_clipped_not_zero_or_one():
    stats = scan_statistics([0, 1, 2], -10.0, {2: ([-10.5, -10.0, 1e6], 1, 1.0)})
    assert stats["pv20"].iloc[0] == stats["pv20"].iloc[1] == 1 - np.finfo(float).eps
    assert stats["pv20"].iloc[2] == 2.2e-308


def test_printout_layout():
    text = str(_result())
    lines = text.splitlines()
    assert lines[:6] == [
        "Hypothesis 0",
        "------------",
        "",
        "𝐲 ~ 𝓝(𝙼𝜶, 3.462⋅𝙸)",
        "",
        "M     = ['offset' 'age']",
    ]
    assert "𝜶     = [2.10096551 0.19582931]" in lines
    assert "se(𝜶) = [1.25826998 0.01068367]" in lines
    assert "lml   = -203.98750767964498" in lines
    assert lines.index("Hypothesis 2") < lines.index("Likelihood-ratio test p-values")
    header = lines[lines.index("Hypothesis 2") + 5]
    assert header.split() == ["lml", "cov.", "effsizes", "cand.", "effsizes"]
    assert lines[-9].split() == ["𝓗₀", "vs", "𝓗₂"]
    assert [line.split()[0] for line in lines[-7:]] == [
        "mean",
        "std",
        "min",
        "25%",
        "50%",
        "75%",
        "max",
    ]
    assert all(len(line) == 16 for line in lines[-7:])


def test_three_hypotheses_printout():
    text = str(_result(three=True))
    assert "Hypothesis 1" in text and "Hypothesis 2" in text
    assert "𝓗₀ vs 𝓗₁    𝓗₀ vs 𝓗₂    𝓗₁ vs 𝓗₂" in text


def test_multi_trait_null_block():
    lines = _null(multi=True).summary().splitlines()
    assert lines[2:] == [
        "traits   = ['0' '1']",
        "M        = ['offset' 'age']",
        "𝜶        = [-0.16350676 -0.00299814 -0.34521236 -0.00080406]",
        "se(𝜶)    = [11.30571652  0.09640163  5.36090270  0.04573611]",
        "diag(C₀) = [0.01404947 0.29153072]",
        "diag(C₁) = [0.81175806 0.85780008]",
        "corr(C₀) = [0.00000000]",
        "corr(C₁) = [0.11983775]",
        "lml      = -277.3341913587698",
    ]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_round_trip_and_no_overwrite(tmp_path, fmt):
    result = _result(three=True)
    write = result.to_csv if fmt == "csv" else result.to_parquet
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    paths = write(tmp_path / "out")
    names = sorted(p.name for p in paths)
    assert names == sorted(
        f"{n}.{fmt}"
        for n in ["stats", "effsizes_h1", "effsizes_h2", "h0_effsizes", "h0_variances", "h0_lml"]
    )
    stats = read(tmp_path / "out" / f"stats.{fmt}")
    np.testing.assert_allclose(stats["pv21"], result.stats["pv21"], rtol=1e-15)
    effsizes = read(tmp_path / "out" / f"effsizes_h2.{fmt}")
    assert list(effsizes.columns) == [
        "test", "trait", "effect_type", "effect_name", "effsize", "effsize_se",
    ]  # fmt: skip
    before = (tmp_path / "out" / f"stats.{fmt}").read_bytes()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        write(tmp_path / "out")
    assert (tmp_path / "out" / f"stats.{fmt}").read_bytes() == before
    write(tmp_path / "out", overwrite=True)


def test_long_effsizes_rejects_mismatched_names():
    with pytest.raises(ValueError, match="expected 1 covariate and 1 candidate names"):
        long_effsizes([0], ["a", "b"], [[1.0]], [[1.0]], ["c"], [[1.0]], [[1.0]], ["y", "y"])
