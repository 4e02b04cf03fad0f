"""LMM against the dense textbook formulas: lml, 𝜷, its covariance, scale, the fit over 𝛿."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import multivariate_normal

from glimix.linalg import economic_qs, economic_qs_linear
from glimix.lmm import LMM

from . import _lmm_dense as dense
from . import _problems as problems

N = 14


def _problem(kind: str, covariates: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    K, QS = problems.kinship(rng, N, kind, rank=4, return_q1=kind != "low-noq1")
    X = problems.covariates(rng, N, covariates)
    y = X @ rng.normal(size=X.shape[1]) + rng.multivariate_normal(
        np.zeros(N), 0.8 * K + 0.5 * np.eye(N)
    )
    return y, X, K, QS


KINDS = ["full", "low", "low-noq1", "none"]
COVARIATES = ["one", "three", "deficient"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("covariates", COVARIATES)
@pytest.mark.parametrize("restricted", [False, True])
def test_lml_beta_scale_at_fixed_delta(kind, covariates, restricted):
    y, X, K, QS = _problem(kind, covariates)
    lmm = LMM(y, X, QS, restricted=restricted)
    delta = 1.0 if kind == "none" else 0.3
    lmm.delta = delta
    V = dense.covariance(K, delta)
    if restricted:
        lml, beta, s, cov = dense.reml(y, X, V)
    else:
        lml, beta, s, _, cov = dense.ml(y, X, V)
    assert lmm.lml() == pytest.approx(lml, rel=1e-10, abs=1e-10)
    assert lmm.value() == lmm.lml()
    np.testing.assert_allclose(lmm.beta, beta, rtol=1e-8, atol=1e-10)
    assert lmm.scale == pytest.approx(s, rel=1e-10)
    np.testing.assert_allclose(lmm.beta_covariance, cov, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(lmm.mean(), X @ beta, rtol=1e-8, atol=1e-10)
    assert lmm.v0 == pytest.approx(s * (1 - delta))
    assert lmm.v1 == pytest.approx(s * delta)
    np.testing.assert_allclose(lmm.covariance(), s * V, rtol=1e-10, atol=1e-12)
    assert lmm.nsamples == N
    assert lmm.ncovariates == X.shape[1]
    np.testing.assert_array_equal(lmm.X, X)


@pytest.mark.parametrize("kind", ["full", "low", "none"])
@pytest.mark.parametrize("covariates", ["one", "three", "deficient"])
@pytest.mark.parametrize("restricted", [False, True])
def test_fit_reaches_the_dense_maximum(kind, covariates, restricted):
    y, X, K, QS = _problem(kind, covariates, seed=1)
    lmm = LMM(y, X, QS, restricted=restricted)
    lmm.fit(verbose=False)

    def profile(delta):
        V = dense.covariance(K, delta)
        return dense.reml(y, X, V)[0] if restricted else dense.ml(y, X, V)[0]

    if kind == "none":
        assert lmm.delta == 1.0
        assert lmm.lml() == pytest.approx(profile(1.0), rel=1e-10)
        return
    delta, best = dense.best_over_delta(profile)
    assert lmm.lml() == pytest.approx(best, abs=1e-8)
    assert lmm.lml() >= best - 1e-8
    if 1e-6 < delta < 1 - 1e-6:
        assert lmm.delta == pytest.approx(delta, rel=1e-4, abs=1e-6)


def test_fixed_scale_and_fixed_beta_match_the_dense_likelihood():
    y, X, K, QS = _problem("low", "three", seed=2)
    lmm = LMM(y, X, QS)
    lmm.fix("delta")
    lmm.delta = 0.4
    V = dense.covariance(K, 0.4)
    lmm.fix("scale")
    lmm.scale = 2.5
    lml, beta, *_ = dense.ml(y, X, V, scale=2.5)
    assert lmm.lml() == pytest.approx(lml, rel=1e-10)
    np.testing.assert_allclose(lmm.beta, beta, rtol=1e-8)
    lmm.fix("beta")
    lmm.beta = [0.5, -1.0, 2.0]
    expected = multivariate_normal(X @ [0.5, -1.0, 2.0], 2.5 * V).logpdf(y)
    assert lmm.lml() == pytest.approx(expected, rel=1e-10)
    lmm.unfix("scale")
    r = y - X @ [0.5, -1.0, 2.0]
    s = r @ np.linalg.solve(V, r) / N
    expected = multivariate_normal(X @ [0.5, -1.0, 2.0], s * V).logpdf(y)
    assert lmm.scale == pytest.approx(s, rel=1e-10)
    assert lmm.lml() == pytest.approx(expected, rel=1e-10)
    lmm.unfix("beta")
    assert lmm.lml() == pytest.approx(dense.ml(y, X, V)[0], rel=1e-10)


def test_fit_with_fixed_scale_optimises_delta_only():
    y, X, K, QS = _problem("full", "one", seed=3)
    lmm = LMM(y, X, QS)
    lmm.fix("scale")
    lmm.scale = 1.3

    def profile(delta):
        return dense.ml(y, X, dense.covariance(K, delta), scale=1.3)[0]

    lmm.fit(verbose=False)
    assert lmm.scale == 1.3
    assert lmm.lml() == pytest.approx(dense.best_over_delta(profile)[1], abs=1e-8)


def test_fix_keeps_the_current_optimum_and_fit_leaves_fixed_delta():
    y, X, _, QS = _problem("full", "three", seed=4)
    lmm = LMM(y, X, QS)
    lmm.fit(verbose=False)
    beta, scale, delta = lmm.beta, lmm.scale, lmm.delta
    lmm.fix("beta")
    lmm.fix("scale")
    lmm.fix("delta")
    lmm.fit(verbose=False)
    np.testing.assert_array_equal(lmm.beta, beta)
    assert lmm.delta == delta
    assert lmm.scale == pytest.approx(scale, rel=1e-12)


def test_rank_deficient_covariates_give_the_same_fit_as_their_span():
    y, X, _, QS = _problem("full", "deficient", seed=5)
    full = LMM(y, X, QS)
    reduced = LMM(y, X[:, :2], QS)
    full.fit(verbose=False)
    reduced.fit(verbose=False)
    assert full.lml() == pytest.approx(reduced.lml(), rel=1e-10)
    np.testing.assert_allclose(full.mean(), reduced.mean(), rtol=1e-8)
    # minimum-norm: β is orthogonal to the null space of X, (1, 2, −1)·β = 0 up to scaling
    null = np.array([1.0, 2.0, -1.0])
    assert abs(null @ full.beta) < 1e-8


@pytest.mark.parametrize("kind", ["full", "low"])
@pytest.mark.parametrize("restricted", [False, True])
@pytest.mark.parametrize("fixed_scale", [False, True])
def test_gradient_matches_finite_differences(kind, restricted, fixed_scale):
    y, X, _, QS = _problem(kind, "three", seed=6)
    lmm = LMM(y, X, QS, restricted=restricted)
    if fixed_scale:
        lmm.fix("scale")
        lmm.scale = 0.7
    for delta in (0.05, 0.5, 0.93):
        lmm.delta = delta
        h = 1e-6
        lmm.delta = delta + h
        upper = lmm.lml()
        lmm.delta = delta - h
        lower = lmm.lml()
        lmm.delta = delta
        assert lmm.gradient()["delta"] == pytest.approx((upper - lower) / (2 * h), rel=1e-5)


def test_gradient_is_empty_without_a_free_delta():
    y, X, _, QS = _problem("full", "one")
    assert LMM(y, X, None).gradient() == {}
    lmm = LMM(y, X, QS)
    lmm.fix("delta")
    assert lmm.gradient() == {}


def test_verbose_fit_prints_a_summary(capsys):
    y, X, _, QS = _problem("full", "one")
    LMM(y, X, QS).fit()
    assert "LMM ML fit: 𝛿 =" in capsys.readouterr().out


def test_the_grid_finds_the_higher_of_two_modes():
    # Eigenvalues in three groups and an outcome whose profile lml over θ = logit(𝛿) has two
    # local maxima: about −45.78 at θ ≈ −0.42 (next to the usual start 𝛿 = 0.5) and the global
    # one, about −44.11, at θ ≈ 7.1. No covariates (c = 0).
    S = np.array([4547.05] * 3 + [4.01] * 10 + [0.0] * 10)
    z = np.array(
        [
            -8.134,
            21.611,
            -1.004,
            0.897,
            0.11,
            -0.101,
            -18.972,
            -17.806,
            -0.08,
            0.223,
            3.354,
            -0.019,
            -0.011,
            0.974,
            7.682,
            0.038,
            -0.062,
            0.078,
            1.812,
            -0.748,
            -0.058,
            1.229,
            1.845,
        ]
    )
    Q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(S.size, S.size)))
    K = (Q * S) @ Q.T
    y = Q @ z
    X = np.zeros((S.size, 0))
    lmm = LMM(y, X, economic_qs(K))
    lmm.fit(verbose=False)

    def profile(delta):
        V = dense.covariance(K, delta)
        s = y @ np.linalg.solve(V, y) / S.size
        return float(multivariate_normal(np.zeros(S.size), s * V).logpdf(y))

    delta, best = dense.best_over_delta(profile)
    assert np.log(delta / (1 - delta)) == pytest.approx(7.1, abs=0.05)
    assert lmm.lml() == pytest.approx(best, abs=1e-8)
    assert lmm.delta == pytest.approx(delta, rel=1e-5)
    assert lmm.beta.shape == (0,)


# -- errors --------------------------------------------------------------------------------------
def test_non_finite_and_misshaped_inputs_are_rejected():
    y, X, _, QS = _problem("full", "one")
    bad = y.copy()
    bad[3] = np.nan
    with pytest.raises(ValueError, match="y has 1 non-finite"):
        LMM(bad, X, QS)
    badX = X.copy()
    badX[0, 0] = np.inf
    with pytest.raises(ValueError, match="X has 1 non-finite"):
        LMM(y, badX, QS)
    with pytest.raises(ValueError, match="X must have one row per sample"):
        LMM(y, X[:-1], QS)
    with pytest.raises(ValueError, match="y must be one-dimensional"):
        LMM(y[:, None], X, QS)
    (Q0, Q1), S0 = QS
    with pytest.raises(ValueError, match="QS Q0 must have one row per sample"):
        LMM(y, X, ((Q0[:-1], Q1), S0))
    with pytest.raises(ValueError, match="QS S0 must have"):
        LMM(y, X, ((Q0, Q1), S0[:-1]))
    with pytest.raises(ValueError, match="QS S0 must be non-negative"):
        LMM(y, X, ((Q0, Q1), -S0))
    with pytest.raises(ValueError, match="orthonormal"):
        LMM(y, X, ((2 * Q0, Q1), S0))
    with pytest.raises(ValueError, match="QS must be the pair"):
        LMM(y, X, Q0)
    nanS = S0.copy()
    nanS[0] = np.nan
    with pytest.raises(ValueError, match="QS S0 has 1 non-finite"):
        LMM(y, X, ((Q0, Q1), nanS))


def test_outcome_in_the_span_of_the_covariates_is_rejected():
    _, X, _, QS = _problem("full", "three")
    with pytest.raises(ValueError, match="linear combination of the columns of X"):
        LMM(X @ [1.0, 2.0, 3.0], X, QS)
    with pytest.raises(ValueError, match="linear combination"):
        LMM(np.ones(3), np.eye(3), None)


def test_parameter_handling_errors():
    y, X, _, QS = _problem("low", "one")
    lmm = LMM(y, X, QS)
    with pytest.raises(ValueError, match="param must be one of"):
        lmm.fix("offset")
    with pytest.raises(ValueError, match="param must be one of"):
        lmm.unfix("gamma")
    with pytest.raises(ValueError, match="call fix\\('beta'\\)"):
        lmm.beta = [1.0]
    with pytest.raises(ValueError, match="call fix\\('scale'\\)"):
        lmm.scale = 1.0
    with pytest.raises(ValueError, match="delta must lie in"):
        lmm.delta = 1.5
    with pytest.raises(ValueError, match="covariance singular"):
        lmm.delta = 0.0
    lmm.fix("scale")
    with pytest.raises(ValueError, match="finite positive"):
        lmm.scale = -1.0
    lmm.fix("beta")
    with pytest.raises(ValueError, match="beta must have 1 element"):
        lmm.beta = [1.0, 2.0]
    with pytest.raises(ValueError, match="restricted=True"):
        LMM(y, X, QS, restricted=True).fix("beta")
    linear = LMM(y, X, None)
    with pytest.raises(ValueError, match="without K"):
        linear.delta = 0.5
    linear.delta = 1.0


def test_delta_zero_is_allowed_with_a_full_rank_k():
    y, X, K, QS = _problem("full", "one")
    lmm = LMM(y, X, QS)
    lmm.delta = 0.0
    assert lmm.lml() == pytest.approx(dense.ml(y, X, K)[0], rel=1e-10)


def test_fit_takes_delta_from_reml_where_ml_is_degenerate():
    """A kinship of centred genotypes (K𝟏 = 𝟎) and an offset: the covariates fit y exactly on
    K's null space, the likelihood grows without bound as 𝛿 → 0, and fit() takes 𝛿 from REML
    (with 𝜷, s and the lml the ML ones at that 𝛿); reml_if_degenerate=False climbs the spike."""

    rng = np.random.default_rng(4)
    n = 60
    G = rng.standard_normal((n, 200))
    G -= G.mean(axis=0)
    y = G @ rng.standard_normal(200) / 20 + rng.standard_normal(n) + 3.0
    X = np.ones((n, 1))
    QS = economic_qs_linear(G)
    assert QS[0][0].shape[1] == n - 1  # K's null space is 𝟏, which the offset spans
    lmm = LMM(y, X, QS)
    lmm.fit(verbose=False)
    reml = LMM(y, X, QS, restricted=True)
    reml.fit(verbose=False)
    assert lmm.delta == pytest.approx(reml.delta, rel=1e-6)
    at = LMM(y, X, QS)
    at.fix("delta")
    at.delta = reml.delta
    assert lmm.lml() == pytest.approx(at.lml(), abs=1e-10)
    spike = LMM(y, X, QS)
    spike.fit(verbose=False, reml_if_degenerate=False)
    assert spike.delta < 1e-6 and spike.lml() > lmm.lml()
    # full-rank K: nothing changes
    QS_full = economic_qs_linear(G + rng.standard_normal((n, 1)))
    full = LMM(y, X, QS_full)
    full.fit(verbose=False)
    plain = LMM(y, X, QS_full)
    plain.fit(verbose=False, reml_if_degenerate=False)
    assert not full._data.covariates_fill_complement
    assert full.delta == plain.delta
