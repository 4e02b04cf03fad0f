"""The tables of real scan results, as ``spec/results-schema.md`` names them, and their export."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.stats import chi2

from limix.qtl import iscan, scan

TWO = ["lml0", "lml2", "dof20", "scale2", "pv20"]
THREE = [
    "lml0", "lml1", "lml2", "dof10", "dof20", "dof21", "scale1", "scale2", "pv10", "pv20", "pv21",
]  # fmt: skip
EFFECTS = ["test", "trait", "effect_type", "effect_name", "effsize", "effsize_se"]


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(4)
    n, m = 40, 3
    samples = [f"ind{i}" for i in range(n)]
    X = rng.randn(n, 50)
    K = pd.DataFrame(X @ X.T / 50, index=samples, columns=samples)
    M = pd.DataFrame({"offset": np.ones(n), "age": rng.uniform(20, 60, n)}, index=samples)
    G = pd.DataFrame(rng.randn(n, m), index=samples, columns=["rs1", "rs2", "rs3"])
    y = pd.Series(rng.randn(n) + 0.02 * M["age"], index=samples, name="height")
    Y = pd.DataFrame({"height": y, "weight": rng.randn(n)}, index=samples)
    E = pd.DataFrame({"diet": rng.randn(n)}, index=samples)
    return {"K": K, "M": M, "G": G, "y": y, "Y": Y, "E": E}


@pytest.fixture(scope="module")
def single(data):
    return scan(data["G"], data["y"], "normal", data["K"], M=data["M"], verbose=False)


@pytest.fixture(scope="module")
def multi(data):
    d = data
    return scan(d["G"], d["Y"], "normal", d["K"], M=d["M"], A0=np.ones((2, 1)), verbose=False)


@pytest.fixture(scope="module")
def interaction(data):
    d = data
    return iscan(d["G"], d["y"], "normal", d["K"], d["M"], E1=d["E"], verbose=False)


def test_single_trait_stats_columns(single):
    assert list(single.stats.columns) == TWO
    assert single.stats.index.name == "test"
    assert single.stats.index.tolist() == [0, 1, 2]
    s = single.stats
    assert_allclose(s["pv20"], chi2.sf(2 * (s["lml2"] - s["lml0"]), s["dof20"]), rtol=1e-10)
    assert (s["lml0"] == single.h0.lml).all()


def test_three_hypothesis_stats_columns(multi, interaction):
    assert list(multi.stats.columns) == THREE
    assert list(interaction.stats.columns) == THREE
    for r in (multi, interaction):
        s = r.stats
        assert (s["dof21"] == s["dof20"] - s["dof10"]).all()
        assert_allclose(s["pv10"], chi2.sf(2 * (s["lml1"] - s["lml0"]), s["dof10"]), rtol=1e-10)
        assert_allclose(s["pv21"], chi2.sf(2 * (s["lml2"] - s["lml1"]), s["dof21"]), rtol=1e-10)


def test_multi_trait_without_A0_has_the_single_hypothesis_columns(data):
    d = data
    r = scan(d["G"], d["Y"], "normal", d["K"], M=d["M"], verbose=False)
    assert list(r.stats.columns) == TWO
    assert (r.stats["dof20"] == 2).all()
    assert list(r.effsizes) == ["h2"]


def test_long_effect_sizes_of_a_single_trait_scan(single):
    table = single.effsizes["h2"]
    assert list(table.columns) == EFFECTS
    assert len(table) == 3 * (2 + 1)
    assert set(table["trait"]) == {"height"}
    assert table["effect_type"].tolist() == ["covariate", "covariate", "candidate"] * 3
    assert table["effect_name"].tolist()[:3] == ["offset", "age", "rs1"]
    cand = table[table["effect_type"] == "candidate"]
    assert cand["effect_name"].tolist() == ["rs1", "rs2", "rs3"]
    assert cand["test"].tolist() == [0, 1, 2]
    assert np.all(table["effsize_se"] > 0)


def test_long_effect_sizes_with_environments(multi, interaction):
    for r, keys in [(multi, ["h1", "h2"]), (interaction, ["h1", "h2"])]:
        assert sorted(r.effsizes) == keys
        for key in keys:
            assert list(r.effsizes[key].columns) == [*EFFECTS[:4], "env", *EFFECTS[4:]]
    h2 = multi.effsizes["h2"]
    test0 = h2[h2["test"] == 0]
    # covariates of each trait (A = I: named by trait), then A0's column, then A1 = I's
    assert test0["trait"].tolist() == [
        "height", "height", "weight", "weight", "A0_0", "height", "weight",
    ]  # fmt: skip
    assert test0["env"].isna().tolist() == [True] * 4 + [False] * 3  # missing, not ""
    assert test0["env"].tolist()[4:] == ["env0_0", "env1_0", "env1_1"]
    i2 = interaction.effsizes["h2"]
    cand = i2[(i2["test"] == 1) & (i2["effect_type"] == "candidate")]
    assert cand["env"].tolist() == ["env0_offset", "env1_diet"]
    assert cand["effect_name"].tolist() == ["rs2", "rs2"]


def test_null_model_tables(single, multi):
    h0 = single.h0
    assert list(h0.effsizes.columns) == ["trait", "covariate", "effsize", "effsize_se"]
    assert h0.effsizes["covariate"].tolist() == ["offset", "age"]
    assert h0.effsizes["trait"].tolist() == ["height", "height"]
    assert list(h0.variances.columns) == ["trait", "fore_covariance", "back_covariance"]
    assert h0.variances["trait"].tolist() == ["height"]
    assert np.all(h0.variances[["fore_covariance", "back_covariance"]].to_numpy() >= 0)
    assert h0.likelihood == "normal"
    assert list(multi.h0.variances.columns) == [
        "trait0", "trait1", "fore_covariance", "back_covariance",
    ]  # fmt: skip
    v = multi.h0.variances
    assert v["trait0"].tolist() == ["height", "height", "weight", "weight"]
    assert v["trait1"].tolist() == ["height", "weight", "height", "weight"]
    for column in ("fore_covariance", "back_covariance"):
        C = v[column].to_numpy().reshape(2, 2)
        assert_allclose(C, C.T)
        assert np.linalg.eigvalsh(C).min() > -1e-10  # a covariance matrix
    assert multi.h0.effsizes["trait"].tolist() == ["height", "height", "weight", "weight"]


def _read(path):
    return pd.read_csv(path) if path.suffix == ".csv" else pd.read_parquet(path)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_of_a_real_result(tmp_path, interaction, fmt):
    write = getattr(interaction, f"to_{fmt}")
    paths = write(tmp_path / "out")
    names = sorted(p.name for p in paths)
    assert names == sorted(
        f"{stem}.{fmt}"
        for stem in ("stats", "effsizes_h1", "effsizes_h2", "h0_effsizes", "h0_variances", "h0_lml")
    )
    stats = _read(tmp_path / "out" / f"stats.{fmt}")
    assert list(stats.columns) == ["test", *THREE]
    assert_allclose(stats[THREE].to_numpy(), interaction.stats.to_numpy(), rtol=1e-12)
    h2 = _read(tmp_path / "out" / f"effsizes_h2.{fmt}")
    assert list(h2.columns) == [*EFFECTS[:4], "env", *EFFECTS[4:]]
    assert_allclose(h2["effsize"], interaction.effsizes["h2"]["effsize"], rtol=1e-12)
    assert (
        h2["effect_name"].astype(str).tolist() == interaction.effsizes["h2"]["effect_name"].tolist()
    )
    lml = _read(tmp_path / "out" / f"h0_lml.{fmt}")
    assert_allclose(lml["lml"].iloc[0], interaction.h0.lml, rtol=1e-14)
    assert lml["likelihood"].iloc[0] == "normal"
    with pytest.raises(FileExistsError):
        write(tmp_path / "out")
    assert len(write(tmp_path / "out", overwrite=True)) == 6


def test_null_model_export(tmp_path, single):
    paths = single.h0.to_csv(tmp_path)
    assert sorted(p.name for p in paths) == ["h0_effsizes.csv", "h0_lml.csv", "h0_variances.csv"]
    variances = pd.read_csv(tmp_path / "h0_variances.csv")
    assert_allclose(
        variances[["fore_covariance", "back_covariance"]].to_numpy(),
        single.h0.variances[["fore_covariance", "back_covariance"]].to_numpy(),
        rtol=1e-14,
    )
