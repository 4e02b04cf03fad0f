"""limix.qtl.iscan against dense maximum likelihood: three hypotheses per candidate.

𝓗₀: 𝐲 ∼ 𝓝(M𝜶, v₀K + v₁I) fitted by ML; 𝓗₁ adds (𝐠⊙E₀)𝛃₀ and 𝓗₂ also (𝐠⊙E₁)𝛃₁, both with
v₀/v₁ at the null's ratio and the scale refitted. References are dense GLS fits with an explicit
covariance (helpers of ``test_scan_dense``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.stats import chi2

from limix.qtl import iscan, scan

from .test_scan_dense import dense_gls, dense_null, effsize_table, null_variances

COLUMNS = [
    "lml0", "lml1", "lml2", "dof10", "dof20", "dof21", "scale1", "scale2", "pv10", "pv20", "pv21",
]  # fmt: skip


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(12)
    n, m = 50, 4
    X = rng.randn(n, 60)
    K = X @ X.T / 60
    M = np.column_stack([np.ones(n), rng.randn(n)])
    G = rng.randn(n, m)
    E0 = rng.randn(n, 1)
    E1 = rng.randn(n, 2)
    y = (
        M @ [0.5, 0.3]
        + X @ rng.randn(60) * 0.2
        + rng.randn(n)
        + 1.2 * G[:, 0] * E0[:, 0]
        + 2.0 * G[:, 1] * E1[:, 1]
    )
    return y, M, K, G, E0, E1


@pytest.fixture(scope="module")
def result(data):
    y, M, K, G, E0, E1 = data
    return iscan(G, y, "normal", K, M, E0=E0, E1=E1, verbose=False)


@pytest.fixture(scope="module")
def null(data):
    y, M, K, *_ = data
    return dense_null(y, M, K)


def test_stats_columns_and_degrees_of_freedom(result):
    assert list(result.stats.columns) == COLUMNS
    assert result.stats.index.name == "test"
    assert (result.stats["dof10"] == 1).all()
    assert (result.stats["dof20"] == 3).all()
    assert (result.stats["dof21"] == 2).all()


def test_null_is_the_dense_maximum(result, null):
    lml, v0, v1, alpha, se = null
    assert v0 > 0.05 and v1 > 0.05  # an interior optimum
    assert_allclose(result.h0.lml, lml, rtol=1e-9)
    assert_allclose(result.stats["lml0"], lml, rtol=1e-9)
    assert_allclose(null_variances(result), [v0, v1], rtol=2e-3)
    assert_allclose(result.h0.effsizes["effsize"], alpha, rtol=1e-4)
    assert_allclose(result.h0.effsizes["effsize_se"], se, rtol=1e-4)


def test_three_hypotheses_are_dense_gls_fits(data, result, null):
    y, M, K, G, E0, E1 = data
    n = len(y)
    v0, v1 = null_variances(result)
    V = v0 * K + v1 * np.eye(n)
    lml0 = null[0]
    s = result.stats
    lmls = {}
    for k, E in {1: E0, 2: np.hstack([E0, E1])}.items():
        cov, cov_se, cand, cand_se = effsize_table(result, f"h{k}")
        for j, g in enumerate(G.T):
            lml, beta, se, scale = dense_gls(y, np.column_stack([M, g[:, None] * E]), V)
            lmls[k, j] = lml
            assert_allclose(s[f"lml{k}"].iloc[j], lml, rtol=1e-10)
            assert_allclose(s[f"scale{k}"].iloc[j], scale, rtol=1e-8)
            assert_allclose(np.r_[cov[j], cand[j]], beta, rtol=1e-7, atol=1e-10)
            assert_allclose(np.r_[cov_se[j], cand_se[j]], se, rtol=1e-7)
            expected = chi2.sf(2 * (lml - lml0), E.shape[1])
            assert_allclose(s[f"pv{k}0"].iloc[j], expected, rtol=1e-5)
    for j in range(G.shape[1]):
        expected = chi2.sf(2 * (lmls[2, j] - lmls[1, j]), 2)
        assert_allclose(s["pv21"].iloc[j], expected, rtol=1e-8)
    # the interactions that were simulated are found where they were put
    assert s["pv10"].iloc[0] < 1e-3
    assert s["pv21"].iloc[1] < 1e-3


def test_effect_table_names_the_environments(result):
    h1, h2 = result.effsizes["h1"], result.effsizes["h2"]
    for table in (h1, h2):
        assert list(table.columns) == [
            "test", "trait", "effect_type", "effect_name", "env", "effsize", "effsize_se",
        ]  # fmt: skip
    cand1 = h1[(h1["test"] == 2) & (h1["effect_type"] == "candidate")]
    cand2 = h2[(h2["test"] == 2) & (h2["effect_type"] == "candidate")]
    assert cand1["env"].tolist() == ["env0_0"]
    assert cand2["env"].tolist() == ["env0_0", "env1_0", "env1_1"]
    assert cand2["effect_name"].tolist() == ["2"] * 3
    assert len(h1) == 4 * (2 + 1) and len(h2) == 4 * (2 + 3)


def test_without_E0_the_first_alternative_is_the_main_effect(data):
    y, M, K, G, _, E1 = data
    v = iscan(G, y, "normal", K, M, E1=E1, verbose=False)
    plain = scan(G, y, "normal", K, M=M, verbose=False)
    assert_allclose(v.stats["lml1"], plain.stats["lml2"], rtol=1e-10)
    assert_allclose(v.stats["pv10"], plain.stats["pv20"], rtol=1e-6)
    v0, v1 = null_variances(v)
    V = v0 * K + v1 * np.eye(len(y))
    for j, g in enumerate(G.T):
        lml = dense_gls(y, np.column_stack([M, g, g[:, None] * E1]), V)[0]
        assert_allclose(v.stats["lml2"].iloc[j], lml, rtol=1e-10)
    assert (v.stats["dof20"] == 3).all()
    h1 = v.effsizes["h1"]
    assert set(h1.loc[h1["effect_type"] == "candidate", "env"]) == {"env0_offset"}


def test_linear_model_interaction_scan(data):
    y, M, _, G, E0, E1 = data
    n = len(y)
    v = iscan(G, y, "normal", None, M, E0=E0, E1=E1, verbose=False)
    alpha = np.linalg.lstsq(M, y, rcond=None)[0]
    v1 = float(np.sum((y - M @ alpha) ** 2)) / n
    lml0 = dense_gls(y, M, np.eye(n))[0]
    assert_allclose(v.h0.lml, lml0, rtol=1e-12)
    for j, g in enumerate(G.T):
        E = np.hstack([E0, E1])
        lml, _, _, scale = dense_gls(y, np.column_stack([M, g[:, None] * E]), v1 * np.eye(n))
        assert_allclose(v.stats["lml2"].iloc[j], lml, rtol=1e-12)
        assert_allclose(v.stats["scale2"].iloc[j], scale, rtol=1e-10)


def test_labelled_environments_are_aligned(data, result):
    y, M, K, G, E0, E1 = data
    n = len(y)
    labels = np.array([f"s{i}" for i in range(n)])
    rng = np.random.RandomState(1)
    p0, p1 = rng.permutation(n), rng.permutation(n)
    y_s = pd.Series(y, index=labels)
    E0_s = pd.DataFrame(E0[p0], index=labels[p0], columns=["temp"])
    E1_s = pd.DataFrame(E1[p1], index=labels[p1], columns=["sun", "rain"])
    v = iscan(G, y_s, "normal", K, M, E0=E0_s, E1=E1_s, verbose=False)
    assert_allclose(v.stats.to_numpy(), result.stats.to_numpy(), rtol=1e-8)
    h2 = v.effsizes["h2"]
    assert h2.loc[h2["effect_type"] == "candidate", "env"].tolist()[:3] == [
        "env0_temp", "env1_sun", "env1_rain",
    ]  # fmt: skip


def test_invalid_arguments(data):
    y, M, K, G, E0, E1 = data
    with pytest.raises(ValueError, match="E1"):
        iscan(G, y, "normal", K, M, E0=E0, verbose=False)
    with pytest.raises(ValueError, match="idx"):
        iscan(G, y, "normal", K, M, idx=[[0]], E0=E0, E1=E1, verbose=False)
    with pytest.raises(ValueError, match="E1"):
        iscan(G, y, "normal", K, M, E0=E0, E1=E1[:-2], verbose=False)
