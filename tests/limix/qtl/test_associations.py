"""QTLResult.associations: labels, N, frequency, the rows of each test, −log₁₀ p below 1e-300."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from scipy.special import log_ndtr

from limix.qtl import iscan, scan
from limix.qtl._result._lrt import lrt_neg_log10_pvalue

COLUMNS = [
    "test", "trait", "variant", "chrom", "pos", "effect_allele", "other_allele", "n", "eaf",
    "beta", "se", "chisq", "dof", "pvalue", "neg_log10_pvalue",
]  # fmt: skip


def _genotype(random, n=120, m=6):
    values = random.binomial(2, 0.35, size=(n, m)).astype(float)
    values[3, 1] = np.nan  # one missing genotype
    return xr.DataArray(
        values,
        dims=("sample", "variant"),
        coords={
            "sample": [f"s{i}" for i in range(n)],
            "variant": [f"rs{j}" for j in range(m)],
            "chrom": ("variant", ["1", "1", "2", "2", "X", "X"][:m]),
            "pos": ("variant", np.arange(m) * 100 + 5),
            "effect_allele": ("variant", ["A"] * m),
            "other_allele": ("variant", ["G"] * m),
        },
    )


def test_labels_n_and_frequency_of_a_labelled_genotype():
    random = np.random.RandomState(1)
    G = _genotype(random)
    y = pd.Series(G.values[:, 0] * 0.4 + random.randn(120), index=G["sample"].values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = scan(G, y, verbose=False)
    table = result.associations
    assert list(table.columns) == COLUMNS
    assert list(table["variant"]) == [f"rs{j}" for j in range(6)]
    assert list(table["chrom"]) == ["1", "1", "2", "2", "X", "X"]
    np.testing.assert_array_equal(table["n"], [120, 119, 120, 120, 120, 120])
    observed = G.values
    np.testing.assert_allclose(table["eaf"], np.nanmean(observed, axis=0) / 2, rtol=1e-12)
    effects = result.effsizes["h2"].query("effect_type == 'candidate'")
    np.testing.assert_array_equal(table["beta"], effects["effsize"])
    np.testing.assert_array_equal(table["pvalue"], result.stats["pv20"])
    np.testing.assert_allclose(
        table["neg_log10_pvalue"], -np.log10(result.stats["pv20"]), rtol=1e-10
    )


def test_non_dosage_candidates_have_no_allele_frequency():
    random = np.random.RandomState(2)
    G = random.randn(50, 3)
    table = scan(G, random.randn(50), verbose=False).associations
    assert table["eaf"].isna().all()
    assert list(table["variant"]) == ["0", "1", "2"]
    assert "chrom" not in table


def test_neg_log10_pvalue_against_closed_forms_far_below_1e_300():
    stat = np.array([1.0, 50.0, 1300.0, 1400.0, 5000.0, 1e5, 1e7])
    one = -(np.log(2) + log_ndtr(-np.sqrt(stat))) / np.log(10)  # χ²₁: 2Φ(−√x)
    np.testing.assert_allclose(lrt_neg_log10_pvalue(0, stat / 2, 1), one, rtol=1e-12)
    two = stat / 2 / np.log(10)  # χ²₂: e^{−x/2}
    np.testing.assert_allclose(lrt_neg_log10_pvalue(0, stat / 2, 2), two, rtol=1e-12)
    four = (stat / 2 - np.log1p(stat / 2)) / np.log(10)  # χ²₄: e^{−x/2}(1 + x/2)
    np.testing.assert_allclose(lrt_neg_log10_pvalue(0, stat / 2, 4), four, rtol=1e-12)
    assert lrt_neg_log10_pvalue(0, -1.0, 1) == 0.0 and lrt_neg_log10_pvalue(0, 5.0, 0) == 0.0


def test_a_scan_with_p_below_1e_300_keeps_its_neg_log10_p():
    random = np.random.RandomState(3)
    g = random.binomial(2, 0.5, size=(2000, 1)).astype(float)
    y = g[:, 0] + 0.05 * random.randn(2000)
    table = scan(g, y, verbose=False).associations
    assert table["pvalue"].iloc[0] == 2.2e-308  # clipped
    expected = -(np.log(2) + log_ndtr(-np.sqrt(table["chisq"].iloc[0]))) / np.log(10)
    assert np.isfinite(table["neg_log10_pvalue"].iloc[0])
    assert table["neg_log10_pvalue"].iloc[0] > 1000
    np.testing.assert_allclose(table["neg_log10_pvalue"].iloc[0], expected, rtol=1e-10)


def test_interaction_rows_are_the_effects_h2_adds_with_pv21():
    random = np.random.RandomState(4)
    G = random.binomial(2, 0.4, size=(80, 4)).astype(float)
    E1 = random.randn(80, 2)
    result = iscan(G, random.randn(80), E1=E1, verbose=False)
    table = result.associations
    assert len(table) == 4 * 2
    assert set(table["env"]) == {"env1_0", "env1_1"}
    np.testing.assert_array_equal(table["pvalue"], np.repeat(result.stats["pv21"], 2))
    np.testing.assert_array_equal(table["dof"], 2)


def test_multi_trait_rows_per_trait_and_candidate_sets_per_member():
    random = np.random.RandomState(5)
    G = random.binomial(2, 0.4, size=(60, 3)).astype(float)
    Y = random.randn(60, 2)
    table = scan(G, Y, verbose=False).associations
    assert len(table) == 6 and table.groupby("test").size().tolist() == [2, 2, 2]
    assert (table["dof"] == 2).all()

    sets = scan(G, Y[:, 0], idx=[[0, 2], [1]], verbose=False).associations
    assert list(sets["test"]) == [0, 0, 1] and list(sets["variant"]) == ["0", "2", "1"]
    assert list(sets["dof"]) == [2, 2, 1]


def test_leave_one_chromosome_out_keeps_g_order():
    random = np.random.RandomState(6)
    G = _genotype(random)
    K = {c: np.eye(120) * 0.5 + 0.5 for c in ("1", "2", "X")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = scan(G, random.randn(120), K=K, verbose=False)
    table = result.associations
    assert list(table["variant"]) == [f"rs{j}" for j in range(6)]
    np.testing.assert_array_equal(table["n"], [120, 119, 120, 120, 120, 120])


def test_sets_of_repeated_labels_are_refused():
    from limix.qtl._result._associations import association_table

    effsizes = pd.DataFrame(
        {"test": [0], "trait": ["y"], "effect_type": ["candidate"], "effect_name": ["a"],
         "effsize": [1.0], "effsize_se": [0.1]}
    )  # fmt: skip
    stats = pd.DataFrame({"lml0": [0.0], "lml2": [1.0], "dof20": [1], "pv20": [0.1]})
    candidates = pd.DataFrame({"variant": ["b", "a", "a"], "n": [1, 1, 1], "eaf": [0.1] * 3})
    with pytest.raises(ValueError, match="labels repeat"):
        association_table(stats, {"h2": effsizes}, candidates)


def test_take_equals_a_scan_of_the_kept_candidates_only():
    """QTLResult.take (how the command line leaves out untestable variants after the scan)
    gives what a scan of the kept candidates alone gives."""
    random = np.random.RandomState(8)
    G = random.binomial(2, 0.3, size=(80, 6)).astype(float)
    G[:, 1] = 2.0  # monomorphic
    G[:, 4] = np.nan  # no observed genotype
    y = random.randn(80)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = scan(G, y, verbose=False)
        kept = scan(G[:, [0, 2, 3, 5]], y, verbose=False)
    candidates = whole.candidates
    assert list(candidates["n"]) == [80, 80, 80, 80, 0, 80]
    assert candidates["eaf"].iloc[1] == 1.0
    taken = whole.take([0, 2, 3, 5])
    pd.testing.assert_frame_equal(taken.stats, kept.stats, rtol=1e-12)
    expected = kept.effsizes["h2"].assign(
        effect_name=kept.effsizes["h2"]["effect_name"].replace({"1": "2", "2": "3", "3": "5"})
    )
    pd.testing.assert_frame_equal(taken.effsizes["h2"], expected, rtol=1e-10)
    assert list(taken.associations["variant"]) == ["0", "2", "3", "5"]
    with pytest.raises(ValueError, match="increasing positions"):
        whole.take([2, 0])
