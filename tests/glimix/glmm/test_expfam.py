"""GLMMExpFam: exact where EP is exact, against an independent EP and quadrature, gradients."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import log_ndtr, ndtr

from glimix.glmm import GLMMExpFam, GLMMFitWarning
from glimix.glmm._prior import is_dense
from glimix.linalg import economic_qs, economic_qs_linear

from .._reference import log_lik


@pytest.mark.parametrize(
    ("kind", "y", "ntrials"),
    [("bernoulli", 1, None), ("probit", 0, None), ("poisson", 4, None), ("binomial", 3, 7)],
)
def test_single_sample_is_exact(kind, y, ntrials):
    """With one site EP matches the moments exactly: log Z_EP = log ∫ p(y∣z)𝓝(z; m, v) dz."""
    QS = ((np.ones((1, 1)),), np.array([2.0]))
    lik = ("binomial", [ntrials]) if kind == "binomial" else kind
    glmm = GLMMExpFam([y], lik, [[1.0]], QS)
    glmm.beta = [0.4]
    glmm.scale = 1.5
    if kind != "probit":
        glmm.delta = 0.25
    var = glmm.v0 * 2.0 + glmm.v1

    def integrand(z):
        return np.exp(log_lik(kind, y, z, ntrials) - (z - 0.4) ** 2 / (2 * var)) / math.sqrt(
            2 * math.pi * var
        )

    exact = math.log(quad(integrand, -40, 40, epsabs=0, epsrel=1e-12, limit=200)[0])
    assert glmm.lml() == pytest.approx(exact, rel=1e-8)


def _sequential_probit_ep(y, m, K, sweeps=500):
    """Textbook sequential EP for probit sites (Rasmussen & Williams, Alg. 3.5, with a mean)."""
    n = y.shape[0]
    s = 2 * y - 1
    tau, nu = np.zeros(n), np.zeros(n)

    def posterior():  # R&W (3.53), no K⁻¹: K may be singular
        A = np.eye(n) + tau[:, None] * K
        Sigma = K @ np.linalg.inv(A)
        return Sigma, m + K @ np.linalg.solve(A, nu - tau * m)

    def cavity(Sigma, mu):
        tc = 1 / np.diag(Sigma) - tau
        return (mu / np.diag(Sigma) - nu) / tc, 1 / tc

    for _ in range(sweeps):
        old = tau.copy()
        for i in range(n):
            Sigma, mu = posterior()
            mc, vc = (v[i] for v in cavity(Sigma, mu))
            z = s[i] * mc / math.sqrt(1 + vc)
            ratio = math.exp(-0.5 * z * z - log_ndtr(z)) / math.sqrt(2 * math.pi)
            mean = mc + s[i] * vc * ratio / math.sqrt(1 + vc)
            var = vc - vc**2 * ratio * (z + ratio) / (1 + vc)
            tau[i] = 1 / var - 1 / vc
            nu[i] = mean / var - mc / vc
        if np.max(np.abs(tau - old)) < 1e-13:
            break
    Sigma, mu = posterior()
    mc, vc = cavity(Sigma, mu)
    log_zhat = log_ndtr(s * mc / np.sqrt(1 + vc))
    mt, vt = nu / tau, 1 / tau
    log_zt = log_zhat + 0.5 * np.log(2 * np.pi * (vc + vt)) + (mc - mt) ** 2 / (2 * (vc + vt))
    C = K + np.diag(vt)
    r = mt - m
    gauss = -0.5 * (n * np.log(2 * np.pi) + np.linalg.slogdet(C)[1] + r @ np.linalg.solve(C, r))
    return float(np.sum(log_zt) + gauss), mu


@pytest.mark.parametrize("rank", [3, 8])
def test_probit_matches_independent_sequential_ep(rank):
    """Parallel EP on the low-rank or dense posterior and sequential textbook EP share the fixed
    point (unique for log-concave sites), hence log Z_EP and the posterior mean."""
    n = 8
    rng = np.random.default_rng(rank)
    G = rng.standard_normal((n, rank))
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    y = np.array([1, 0, 1, 1, 0, 0, 1, 0.0])
    glmm = GLMMExpFam(y, "probit", X, economic_qs_linear(G))
    glmm.beta = [0.3, -0.6]
    glmm.scale = 1.7
    K = glmm.covariance()
    expected, mean = _sequential_probit_ep(y, X @ glmm.beta, K)
    assert glmm.lml() == pytest.approx(expected, rel=1e-9)
    np.testing.assert_allclose(glmm.posteriori_mean(), mean, rtol=1e-5, atol=1e-6)


def test_probit_against_the_exact_two_sample_integral():
    """p(𝐲) for probit sites is an orthant probability of 𝐰 ∼ 𝓝(𝐦, K + I); for n = 2 it is a
    one-dimensional integral. EP is not exact here, but close."""
    y = np.array([1.0, 0.0])
    K0 = np.array([[1.0, 0.6], [0.6, 1.3]])
    X = np.array([[1.0], [1.0]])
    glmm = GLMMExpFam(y, "probit", X, economic_qs(K0))
    glmm.beta = [0.2]
    glmm.scale = 2.0
    sign = 2 * y - 1
    a = sign * 0.2
    C = (glmm.scale * K0 + np.eye(2)) * np.outer(sign, sign)
    cond_var = C[1, 1] - C[0, 1] ** 2 / C[0, 0]

    def integrand(u):
        density = math.exp(-((u - a[0]) ** 2) / (2 * C[0, 0])) / math.sqrt(2 * math.pi * C[0, 0])
        cond_mean = a[1] + C[0, 1] / C[0, 0] * (u - a[0])
        return density * ndtr(cond_mean / math.sqrt(cond_var))

    exact = math.log(quad(integrand, 0, np.inf, epsabs=0, epsrel=1e-12)[0])
    assert glmm.lml() == pytest.approx(exact, abs=2e-3)
    assert glmm.lml() != pytest.approx(exact, abs=1e-9)  # approximate, not exact


def _model(kind, rank, n=15, seed=0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    QS = None if rank == 0 else economic_qs_linear(rng.standard_normal((n, rank)))
    if kind == "poisson":
        y, lik = rng.poisson(2.0, n), "poisson"
    elif kind == "binomial":
        ntrials = rng.integers(0, 9, n)
        y, lik = rng.binomial(ntrials, 0.4), ("binomial", ntrials)
    else:
        y, lik = rng.integers(0, 2, n), kind
    glmm = GLMMExpFam(y, lik, X, QS)
    glmm.beta = [0.2, -0.3]
    glmm.scale = 0.8
    if kind != "probit" and rank:
        glmm.unfix("delta")
        glmm.delta = 0.3
    return glmm


def _finite_differences(glmm, h=1e-5):
    grad = {}
    beta = glmm.beta
    if not glmm.isfixed("beta"):
        cols = []
        for e in np.eye(beta.size):
            glmm.beta = beta + h * e
            up = glmm.lml()
            glmm.beta = beta - h * e
            cols.append((up - glmm.lml()) / (2 * h))
        glmm.beta = beta
        grad["beta"] = np.array(cols)
    scale = glmm.scale
    if not glmm.isfixed("scale"):
        glmm.scale = scale * math.exp(h)
        up = glmm.lml()
        glmm.scale = scale * math.exp(-h)
        grad["logscale"] = (up - glmm.lml()) / (2 * h)
        glmm.scale = scale
    delta = glmm.delta
    if not glmm.isfixed("delta"):
        glmm.delta = delta + h
        up = glmm.lml()
        glmm.delta = delta - h
        grad["delta"] = (up - glmm.lml()) / (2 * h)
        glmm.delta = delta
    return grad


@pytest.mark.parametrize(
    ("kind", "rank"),
    [
        (kind, rank)
        for kind in ("bernoulli", "probit", "poisson", "binomial")
        for rank in (0, 4, 15)
        if (kind, rank) != ("probit", 0)  # the probit GLMM needs K
    ],
)
def test_gradient_matches_finite_differences(kind, rank):
    """At the EP fixed point ∂log Z_EP = ∂G at fixed sites: low-rank (k = 4), dense (k = n)
    and no-K paths."""
    glmm = _model(kind, rank)
    analytic = glmm.gradient()
    numeric = _finite_differences(glmm)
    assert set(analytic) == set(numeric)
    for name, value in numeric.items():
        np.testing.assert_allclose(analytic[name], value, rtol=2e-5, atol=1e-6, err_msg=name)


def test_gradient_lists_only_free_parameters():
    glmm = _model("poisson", 4)
    glmm.fix("beta")
    glmm.fix("delta")
    assert set(glmm.gradient()) == {"logscale"}


def test_fit_reaches_a_stationary_point_and_keeps_fixed_parameters():
    glmm = _model("poisson", 4, n=40, seed=1)
    glmm.fit(verbose=False)
    grad = glmm.gradient()
    assert np.max(np.abs(grad["beta"])) < 1e-5
    assert abs(grad["logscale"]) < 1e-3 * glmm.nsamples
    fixed = _model("poisson", 4, n=40, seed=1)
    fixed.fix("scale")
    fixed.fix("beta")
    fixed.fit(verbose=False)
    assert fixed.scale == 0.8
    np.testing.assert_array_equal(fixed.beta, [0.2, -0.3])
    assert fixed.lml() <= glmm.lml() + 1e-8


def test_low_rank_and_dense_paths_fit_the_same_model(monkeypatch):
    rng = np.random.default_rng(2)
    n = 20
    G = rng.standard_normal((n, n))
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    y = rng.poisson(np.exp(0.3 + G[:, 0] / 2))
    QS = economic_qs_linear(G)
    dense = GLMMExpFam(y, "poisson", X, QS)
    assert is_dense(dense._kinship)
    dense.fit(verbose=False)
    dense_lml, dense_scale, dense_beta = dense.lml(), dense.scale, dense.beta
    monkeypatch.setattr("glimix.glmm._prior.DENSE_RANK_FRACTION", 2.0)
    low_rank = GLMMExpFam(y, "poisson", X, QS)
    assert not is_dense(low_rank._kinship)
    low_rank.fit(verbose=False)
    assert low_rank.lml() == pytest.approx(dense_lml, rel=1e-9)
    assert low_rank.scale == pytest.approx(dense_scale, rel=1e-4)
    np.testing.assert_allclose(low_rank.beta, dense_beta, rtol=1e-5)


def test_posterior_against_the_dense_formula_with_the_sites():
    glmm = _model("bernoulli", 4)
    tau, eta = glmm.site_tau, glmm.site_eta
    K = glmm.covariance()
    Kinv = np.linalg.inv(K)
    Sigma = np.linalg.inv(Kinv + np.diag(tau))
    np.testing.assert_allclose(glmm.posteriori_covariance(), Sigma, rtol=1e-9, atol=1e-12)
    mean = Sigma @ (Kinv @ glmm.mean() + eta)
    np.testing.assert_allclose(glmm.posteriori_mean(), mean, rtol=1e-9)


def test_fast_scanner_is_the_pseudo_data_scan():
    """The scanner's lml are GLS log-likelihoods of 𝛍̃ = 𝛈/𝛕 ∼ 𝓝(𝙴𝐛, s(K + T̃⁻¹))."""
    glmm = _model("poisson", 4, n=30, seed=3)
    glmm.fit(verbose=False)
    scanner = glmm.get_fast_scanner()
    tau, eta = glmm.site_tau, glmm.site_eta
    C = glmm.covariance() + np.diag(1 / tau)
    mu = eta / tau

    def profiled(E):
        Ci = np.linalg.inv(C)
        b = np.linalg.solve(E.T @ Ci @ E, E.T @ Ci @ mu)
        r = mu - E @ b
        n = mu.size
        s = r @ Ci @ r / n
        return -0.5 * (n * np.log(2 * np.pi * s) + np.linalg.slogdet(C)[1] + n), b

    null, b0 = profiled(glmm.X)
    assert scanner.null_lml() == pytest.approx(null, rel=1e-10)
    np.testing.assert_allclose(scanner.null_beta, b0, rtol=1e-8)
    np.testing.assert_allclose(b0, glmm.beta, rtol=1e-4)  # the EP optimum is stationary here
    g = np.random.default_rng(4).standard_normal((30, 2))
    result = scanner.fast_scan(g, verbose=False)
    for j in range(2):
        alt, b = profiled(np.column_stack([glmm.X, g[:, j]]))
        assert result["lml"][j] == pytest.approx(alt, rel=1e-10)
        assert result["effsizes1"][j] == pytest.approx(b[-1], rel=1e-7)


def test_manual_binomial_example_and_economic_qs_linear():
    """The manual's example, with K = GGᵀ decomposed from G (the same K: same numbers)."""
    random = np.random.RandomState(0)
    X = random.randn(10, 2)
    G = random.randn(10, 100)
    ntrials = random.randint(1, 100, 10)
    z = G @ random.randn(100) / np.sqrt(100)
    successes = np.array([sum(z[i] + 0.2 * random.randn(ntrials[i]) > 0) for i in range(10)])
    glmm = GLMMExpFam(successes, ("binomial", ntrials), X, economic_qs_linear(G))
    assert glmm.lml() == pytest.approx(-16.40319566832776, rel=1e-9)
    glmm.fit(verbose=False)
    assert glmm.lml() == pytest.approx(-13.426574263777926, rel=1e-8)
    assert glmm.delta < 1e-4  # the optimum is at 𝛿 ≈ 3⋅10⁻⁵, as good as 0 to 10⁻⁹
    assert set(glmm.at_bounds) <= {"delta"}


# -- bad input ----------------------------------------------------------------------------------
_X = np.ones((4, 1))
_QS = economic_qs_linear(np.arange(8.0).reshape(4, 2) + np.eye(4, 2))


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([0, 1, 1, 0], "gaussian", _X), "lik must be one of"),
        (([0, 1, 1, 0], "binomial", _X), "needs its trial counts"),
        (([0, 1, 2, 0], "bernoulli", _X), "y does not fit the 'bernoulli' likelihood"),
        (([0, 1, -1, 0], "poisson", _X), "non-negative"),
        (([0, 1, 0.5, 0], "poisson", _X), "whole numbers"),
        (([0, 5, 1, 0], ("Binomial", [3, 3, 3, 3]), _X), "must not exceed ntrials"),
        (([0, 1, np.nan, 0], "bernoulli", _X), "y has 1 non-finite"),
        (([0, 1, 1, 0], "bernoulli", [[1.0], [np.inf], [1.0], [1.0]]), "X has 1 non-finite"),
        (([0, 1, 1, 0], "bernoulli", np.ones((3, 1))), "X must have one row per sample"),
        (([0, 1, 1, 0], "bernoulli", _X, "K"), "QS must be the pair"),
        (([0, 1, 1, 0], "bernoulli", _X, ((np.ones((4, 2)),), [1.0, 1.0])), "orthonormal"),
        (([0, 1, 1, 0], "probit", _X), "needs QS"),
        (([], "poisson", _X), "at least one sample"),
    ],
)
def test_bad_input_raises_value_error(args, match):
    with pytest.raises(ValueError, match=match):
        GLMMExpFam(*args)


def test_likelihood_objects_are_accepted_when_ep_supports_them():
    from glimix.lik import BinomialProdLik, PoissonProdLik
    from glimix.link import ProbitLink

    glmm = GLMMExpFam([0, 2, 1, 0], PoissonProdLik(), _X, _QS)
    assert np.isfinite(glmm.lml())
    with pytest.raises(ValueError, match="tilted moments are available"):
        GLMMExpFam([0, 2, 1, 0], BinomialProdLik([3, 3, 3, 3], ProbitLink()), _X, _QS)


def test_fit_with_fixed_variances_profiles_beta_only():
    glmm = _model("binomial", 4)
    glmm.fix("scale")
    glmm.fix("delta")
    glmm.fit(verbose=False)
    assert (glmm.scale, glmm.delta) == (0.8, 0.3)
    np.testing.assert_allclose(glmm.gradient()["beta"], 0, atol=1e-5)


def test_bad_accuracy_settings_and_parameter_values():
    y = [0, 1, 1, 0]
    with pytest.raises(ValueError, match="n_int"):
        GLMMExpFam(y, "bernoulli", _X, _QS, n_int=0)
    with pytest.raises(ValueError, match="rtol"):
        GLMMExpFam(y, "bernoulli", _X, _QS, rtol=-1.0)
    glmm = GLMMExpFam(y, "BERNOULLI", _X, _QS)
    with pytest.raises(ValueError, match="scale"):
        glmm.scale = 0.0
    with pytest.raises(ValueError, match="delta"):
        glmm.delta = 1.5
    with pytest.raises(ValueError, match="beta"):
        glmm.beta = [1.0, 2.0]
    with pytest.raises(ValueError, match="var_name"):
        glmm.fix("logscale")


def test_delta_is_pinned_for_probit_and_without_k():
    probit = GLMMExpFam([0, 1, 1, 0], "probit", _X, _QS)
    assert probit.delta == 0 and probit.isfixed("delta")
    with pytest.raises(ValueError, match="probit"):
        probit.unfix("delta")
    with pytest.raises(ValueError, match="probit"):
        probit.delta = 0.5
    no_k = GLMMExpFam([0, 1, 1, 0], "bernoulli", _X)
    assert no_k.delta == 1 and no_k.v0 == 0
    with pytest.raises(ValueError, match="QS=None"):
        no_k.unfix("delta")


# -- robustness ---------------------------------------------------------------------------------
def test_separation_and_all_equal_outcomes_raise_before_fitting():
    rng = np.random.default_rng(5)
    n = 30
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    QS = economic_qs_linear(rng.standard_normal((n, 5)))
    with pytest.raises(ValueError, match="every outcome is equal to its number of trials"):
        GLMMExpFam(np.ones(n), "bernoulli", X, QS).fit(verbose=False)
    with pytest.raises(ValueError, match="every outcome is 0"):
        GLMMExpFam(np.zeros(n), "poisson", X, QS).fit(verbose=False)
    separated = (X[:, 1] > 0).astype(float)
    with pytest.raises(ValueError, match="X separates the outcomes"):
        GLMMExpFam(separated, "probit", X, QS).fit(verbose=False)
    zero_group = rng.poisson(3.0, n)
    zero_group[:10] = 0
    group = np.column_stack([np.ones(n), np.arange(n) < 10])
    with pytest.raises(ValueError, match="X separates the outcomes"):
        GLMMExpFam(zero_group, "poisson", group, QS).fit(verbose=False)


def test_near_separation_by_the_random_effect_ends_with_a_warning():
    rng = np.random.default_rng(0)
    n = 40
    G = rng.standard_normal((n, 3))
    y = (G[:, 0] > 0).astype(float)
    glmm = GLMMExpFam(y, "bernoulli", np.ones((n, 1)), economic_qs_linear(G))
    with pytest.warns(GLMMFitWarning, match="upper bound"):
        glmm.fit(verbose=False)
    assert "scale" in glmm.at_bounds
    assert np.isfinite(glmm.lml())


def test_huge_counts_fit():
    rng = np.random.default_rng(1)
    n = 30
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    y = rng.poisson(np.exp(14 + 0.2 * X[:, 1] + 0.1 * rng.standard_normal(n)))
    glmm = GLMMExpFam(y, "poisson", X, economic_qs_linear(rng.standard_normal((n, 4))))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        glmm.fit(verbose=False)
    assert np.isfinite(glmm.lml())
    assert glmm.beta[0] == pytest.approx(14, abs=0.2)


def test_fit_prints_progress_when_verbose(capsys):
    glmm = _model("binomial", 4)
    glmm.fit(verbose=True)
    out = capsys.readouterr().out
    assert "GLMMExpFam fit" in out and "lml" in out


def _failing_beyond(monkeypatch, predicate):
    """Make EP fail (as a non-converging run does in a fit) wherever predicate(scale, delta)."""
    original = GLMMExpFam._run

    def run(self, scale, delta, beta, profile, strict=False):
        if strict and predicate(scale, delta):
            raise ValueError(f"EP did not converge at scale {scale:.6g}, delta {delta:.6g}.")
        return original(self, scale, delta, beta, profile, strict)

    monkeypatch.setattr(GLMMExpFam, "_run", run)


def test_fit_steps_back_from_points_where_ep_fails(monkeypatch):
    reference = _model("poisson", 4, n=40, seed=1)
    start = reference.lml()
    reference.fit(verbose=False)
    assert reference.delta == 1.0  # the optimum is on the boundary, where the first step goes
    _failing_beyond(monkeypatch, lambda scale, delta: delta > 0.95)
    glmm = _model("poisson", 4, n=40, seed=1)
    glmm.fit(verbose=False)
    assert glmm.delta <= 0.95
    assert start + 1 < glmm.lml() <= reference.lml() + 1e-9


def test_fit_that_cannot_leave_its_start_raises(monkeypatch):
    glmm = _model("poisson", 4, n=40, seed=1)
    start = (glmm.scale, glmm.delta)
    _failing_beyond(monkeypatch, lambda scale, delta: (scale, delta) != start)
    with pytest.raises(ValueError, match="could not move from the starting point"):
        glmm.fit(verbose=False)
