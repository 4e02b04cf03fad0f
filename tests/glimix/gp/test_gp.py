"""GP: the log marginal likelihood, its gradient, fitting, variables, caching and display."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from optimix import Scalar
from scipy.stats import multivariate_normal

from glimix._function import Function
from glimix._optimize import OptimisationError
from glimix.cov import EyeCov, FreeFormCov, GivenCov, LinearCov, LRFreeFormCov, SumCov
from glimix.gp import GP
from glimix.mean import LinearMean, OffsetMean, SumMean
from glimix.testing import check_gradient


# -- problems ------------------------------------------------------------------------------------
def _mean(kind, n, rng):
    if kind == "offset":
        mean = OffsetMean(n)
        mean.offset = rng.normal()
    elif kind == "linear":
        mean = LinearMean(rng.normal(size=(n, 3)))
        mean.effsizes = rng.normal(size=3)
    else:
        linear = LinearMean(rng.normal(size=(n, 2)))
        linear.effsizes = rng.normal(size=2)
        offset = OffsetMean(n)
        offset.offset = rng.normal()
        mean = SumMean([linear, offset])
    return mean


def _cov(kind, n, rng):
    if kind == "eye":
        cov = EyeCov(n)
        cov.scale = np.exp(rng.uniform(-1, 1))
    elif kind == "linear+eye":
        linear = LinearCov(rng.normal(size=(n, 4)))
        linear.scale = np.exp(rng.uniform(-1, 1))
        eye = EyeCov(n)
        eye.scale = np.exp(rng.uniform(-1, 1))
        cov = SumCov([linear, eye])
    elif kind == "given":
        G = rng.normal(size=(n, n + 2))
        cov = GivenCov(G @ G.T / n)
        cov.scale = np.exp(rng.uniform(-1, 1))
    elif kind == "given+linear+eye":
        G = rng.normal(size=(n, 3))
        given = GivenCov(G @ G.T)
        given.scale = np.exp(rng.uniform(-1, 1))
        linear = LinearCov(rng.normal(size=(n, 2)))
        linear.scale = np.exp(rng.uniform(-1, 1))
        eye = EyeCov(n)
        eye.scale = np.exp(rng.uniform(-1, 1))
        cov = SumCov([given, linear, eye])
    elif kind == "free":
        cov = FreeFormCov(n)
        noff = n * (n - 1) // 2
        cov.Lu = np.concatenate([0.5 * rng.normal(size=noff), rng.uniform(-0.5, 0.5, size=n)])
    else:  # "lowrank+eye"
        lowrank = LRFreeFormCov(n, 2)
        lowrank.L = rng.normal(size=(n, 2))
        eye = EyeCov(n)
        eye.scale = np.exp(rng.uniform(-1, 1))
        cov = SumCov([lowrank, eye])
    return cov


MEANS = ["offset", "linear", "sum"]
COVS = ["eye", "linear+eye", "given", "given+linear+eye", "free", "lowrank+eye"]


def _gp(mean_kind, cov_kind, seed, n=12):
    rng = np.random.default_rng(seed)
    mean = _mean(mean_kind, n, rng)
    cov = _cov(cov_kind, n, rng)
    y = rng.normal(size=n) * 1.5 + 0.3
    return GP(y, mean, cov)


def _dense_lml(gp):
    return multivariate_normal.logpdf(gp.y, gp.mean.value(), gp.cov.value())


def _iid(n=30, seed=0):
    rng = np.random.default_rng(seed)
    y = 2.0 + 1.3 * rng.normal(size=n)
    return GP(y, OffsetMean(n), EyeCov(n))


def _mixed(seed=0, n=20):
    """y = Xβ + 0.5 + G𝐮 + 𝛆 with both variance components clearly away from zero."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    G = rng.normal(size=(n, 5)) / np.sqrt(5)
    y = X @ [1.0, -0.5] + 0.5 + G @ (1.5 * rng.normal(size=5)) + 0.8 * rng.normal(size=n)
    mean = SumMean([LinearMean(X), OffsetMean(n)])
    cov = SumCov([LinearCov(G), EyeCov(n)])
    return GP(y, mean, cov)


# -- the log marginal likelihood -----------------------------------------------------------------
@pytest.mark.parametrize("cov_kind", COVS)
@pytest.mark.parametrize("mean_kind", MEANS)
def test_lml_is_the_gaussian_log_density(mean_kind, cov_kind):
    gp = _gp(mean_kind, cov_kind, seed=7)
    assert np.isclose(gp.lml(), _dense_lml(gp), rtol=1e-10, atol=1e-10)
    assert gp.value() == gp.lml()


def test_lml_by_hand():
    n = 3
    y = np.array([0.5, -1.0, 2.0])
    mean = OffsetMean(n)
    mean.offset = 0.25
    cov = EyeCov(n)
    cov.scale = 2.0
    r = y - 0.25
    expected = -0.5 * (n * np.log(2 * np.pi) + n * np.log(2.0) + r @ r / 2.0)
    assert np.isclose(GP(y, mean, cov).lml(), expected, rtol=1e-14)


# -- the gradient --------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("cov_kind", COVS)
@pytest.mark.parametrize("mean_kind", MEANS)
def test_gradient_matches_finite_differences(mean_kind, cov_kind, seed):
    n = 8 + 6 * seed
    gp = _gp(mean_kind, cov_kind, seed=100 + seed, n=n)
    check_gradient(gp, rtol=1e-5, atol=1e-6)


def test_gradient_shapes():
    gp = _gp("sum", "free", seed=3, n=5)
    grad = gp.gradient()
    assert isinstance(grad["SumMean[1].offset"], float)
    assert grad["SumMean[0].effsizes"].shape == (2,)
    assert grad["Lu"].shape == (15,)


def test_gradient_of_the_iid_model_in_closed_form():
    gp = _iid(n=10, seed=4)
    gp.mean.offset = 0.7
    gp.cov.scale = 1.8
    r = gp.y - 0.7
    s, n = 1.8, 10
    grad = gp.gradient()
    # lml = −½(n log 2π + n log s + 𝐫ᵀ𝐫/s): ∂/∂θ = ∑𝐫/s, ∂/∂log s = −n/2 + 𝐫ᵀ𝐫/(2s)
    assert np.isclose(grad["offset"], r.sum() / s, rtol=1e-12)
    assert np.isclose(grad["logscale"], -n / 2 + r @ r / (2 * s), rtol=1e-12)


# -- variables -----------------------------------------------------------------------------------
def test_variable_names_are_those_of_the_mean_and_the_covariance():
    gp = _mixed()
    expected = sorted(gp.mean.variable_names() + gp.cov.variable_names())
    assert expected == [
        "SumCov[0].logscale",
        "SumCov[1].logscale",
        "SumMean[0].effsizes",
        "SumMean[1].offset",
    ]
    assert gp.variable_names() == expected
    assert sorted(gp.gradient()) == expected


def test_variables_are_the_same_objects():
    gp = _mixed()
    for func in (gp.mean, gp.cov):
        for name in func.variable_names():
            assert gp._variables[name] is func._variables[name]
    gp.cov.covariances[1].fix()
    assert gp._variables["SumCov[1].logscale"].isfixed
    gp.fix()
    assert all(gp.mean._variables[n].isfixed for n in gp.mean.variable_names())
    gp.unfix()
    assert not any(gp.cov._variables[n].isfixed for n in gp.cov.variable_names())


class _ScaledOnes(Function):
    """𝐦 = exp(logscale)⋅𝟏 — a mean whose variable name collides with a ScaledCov's."""

    def __init__(self, n, var=None):
        self._n = n
        self._var = Scalar(0.0) if var is None else var
        Function.__init__(self, "ScaledOnes", **{"logscale" if var is None else "s": self._var})

    def value(self):
        return np.full(self._n, np.exp(float(self._var.value)))

    def gradient(self):
        name = self.variable_names()[0]
        return {name: self.value()}


def test_name_collision_is_refused():
    with pytest.raises(ValueError, match="both have a variable named 'logscale'"):
        GP(np.zeros(4), _ScaledOnes(4), EyeCov(4))


def test_shared_parameter_is_refused():
    cov = EyeCov(4)
    mean = _ScaledOnes(4, var=cov._variables["logscale"])
    with pytest.raises(ValueError, match="share parameters"):
        GP(np.zeros(4), mean, cov)


def test_fixed_variables_are_not_in_the_gradient():
    gp = _mixed(1)
    gp.mean.means[1].fix_offset()
    gp.cov.covariances[0].fix()
    assert sorted(gp.gradient()) == ["SumCov[1].logscale", "SumMean[0].effsizes"]
    check_gradient(gp)


# -- fitting -------------------------------------------------------------------------------------
def _assert_stationary(gp, atol):
    """Zero projected gradient: zero inside the bounds, pointing outwards at a bound."""
    grad = gp.gradient()
    for name in gp._variables.select(fixed=False).names():
        var = gp._variables[name]
        g = np.atleast_1d(grad[name])
        x = np.atleast_1d(np.asarray(var.value, dtype=float))
        bounds = [var.bounds] * x.size if var.ndim == 0 else list(var.bounds)
        lo, hi = np.array(bounds, dtype=float).T
        g = np.where(np.isclose(x, lo, atol=1e-8) & (g < 0), 0.0, g)
        g = np.where(np.isclose(x, hi, atol=1e-8) & (g > 0), 0.0, g)
        np.testing.assert_allclose(g, 0, atol=atol, err_msg=name)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fit_increases_lml_and_reaches_a_stationary_point(seed):
    gp = _mixed(seed)
    before = gp.lml()
    gp.fit(verbose=False)
    assert gp.lml() > before
    _assert_stationary(gp, atol=1e-3)


def test_fit_of_the_iid_model_is_the_closed_form():
    gp = _iid(n=30, seed=5)
    gp.fit(verbose=False)
    y = gp.y
    np.testing.assert_allclose(gp.mean.offset, y.mean(), rtol=1e-5)
    np.testing.assert_allclose(gp.cov.scale, y.var(), rtol=1e-5)
    r = y - y.mean()
    best = -0.5 * y.size * (np.log(2 * np.pi * r @ r / y.size) + 1)
    np.testing.assert_allclose(gp.lml(), best, rtol=1e-10)


def test_fit_leaves_fixed_variables_alone():
    gp = _mixed(2)
    gp.cov.covariances[1].scale = 0.3
    gp.cov.covariances[1].fix()
    gp.mean.means[1].offset = 0.1
    gp.mean.means[1].fix_offset()
    before = gp.lml()
    gp.fit(verbose=False)
    assert gp.cov.covariances[1].scale == 0.3
    assert gp.mean.means[1].offset == 0.1
    assert gp.lml() > before
    assert sorted(gp.gradient()) == ["SumCov[0].logscale", "SumMean[0].effsizes"]
    _assert_stationary(gp, atol=1e-3)


def test_fit_verbose_prints(capsys):
    gp = _iid(n=10, seed=6)
    gp.fit()
    assert "L-BFGS-B" in capsys.readouterr().out


def test_fit_survives_steps_into_a_non_positive_definite_region():
    """K = s₀A + s₁I with an indefinite A: steps that make K indefinite are failed steps."""
    n = 10
    rng = np.random.default_rng(8)
    Q = np.linalg.qr(rng.normal(size=(n, n)))[0]
    A = (Q * np.linspace(-1.0, 3.0, n)) @ Q.T
    A = (A + A.T) / 2
    given, eye = GivenCov(A), EyeCov(n)
    given.scale, eye.scale = 0.1, 2.0
    y = rng.normal(size=n) * 3.0
    gp = GP(y, OffsetMean(n), SumCov([given, eye]))
    before = gp.lml()
    gp.fit(verbose=False)
    after = gp.lml()  # K at the returned point is positive definite
    assert np.isfinite(after)
    assert after > before


# -- positive definiteness -----------------------------------------------------------------------
def test_non_positive_definite_covariance():
    cov = GivenCov(np.diag([1.0, -1.0, 2.0]))
    gp = GP(np.zeros(3), OffsetMean(3), cov)
    with pytest.raises(ValueError, match="not positive definite"):
        gp.lml()
    assert gp.value() == -np.inf
    grad = gp.gradient()
    assert sorted(grad) == ["logscale", "offset"]
    assert all(np.isnan(g) for g in grad.values())
    assert "lml: -inf" in str(gp)
    with pytest.raises(OptimisationError, match="not finite at the starting point"):
        gp.fit(verbose=False)


# -- validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "y, match",
    [
        ([[1.0, 2.0, 3.0]], "y must be one-dimensional"),
        ([1.0, np.nan, 3.0], "y has 1 non-finite"),
        ([1.0, np.inf, 3.0], "y has 1 non-finite"),
        (["a", "b", "c"], "y must be numeric"),
    ],
)
def test_bad_y(y, match):
    with pytest.raises(ValueError, match=match):
        GP(y, OffsetMean(3), EyeCov(3))


def test_size_mismatch_names_the_argument():
    with pytest.raises(ValueError, match=r"mean and y sizes disagree: y has 3 .* shape \(4,\)"):
        GP(np.zeros(3), OffsetMean(4), EyeCov(3))
    with pytest.raises(ValueError, match=r"cov and y sizes disagree: y has 3 .* shape \(4, 4\)"):
        GP(np.zeros(3), OffsetMean(3), EyeCov(4))


def test_stored_y_is_read_only():
    y = np.array([1.0, 2.0, 3.0])
    gp = GP(y, OffsetMean(3), EyeCov(3))
    with pytest.raises(ValueError):
        gp.y[0] = 5.0
    y[0] = 0.0  # the caller's array stays the caller's
    assert gp.y[0] == 0.0


# -- caching and listening -----------------------------------------------------------------------
def test_changing_a_parameter_after_lml_gives_the_new_lml():
    gp = _mixed(3)
    first = gp.lml()
    gp.cov.covariances[0].scale = 2.5
    second = gp.lml()
    assert second != first
    assert np.isclose(second, _dense_lml(gp), rtol=1e-12)
    gp.mean.means[1].offset = -1.0
    third = gp.lml()
    assert np.isclose(third, _dense_lml(gp), rtol=1e-12)
    gp.mean.means[0].effsizes = [0.3, 0.2]
    np.testing.assert_allclose(gp.lml(), _dense_lml(gp), rtol=1e-12)
    check_gradient(gp)


def test_changing_a_parameter_through_the_gp_drops_the_cache():
    gp = _iid(n=6, seed=9)
    gp.lml()
    gp._variables["logscale"].value = 1.0
    assert np.isclose(gp.lml(), _dense_lml(gp), rtol=1e-12)


def test_leaving_positive_definiteness_and_coming_back():
    """A cached failure to factorise is dropped too when a parameter changes."""
    negative = GivenCov(-np.eye(3))
    gp = GP(np.ones(3), OffsetMean(3), SumCov([negative, EyeCov(3)]))
    negative.scale = 0.5
    assert np.isclose(gp.lml(), _dense_lml(gp), rtol=1e-12)
    negative.scale = 2.0
    assert gp.value() == -np.inf
    with pytest.raises(ValueError, match="not positive definite"):
        gp.lml()
    negative.scale = 0.25
    assert np.isclose(gp.lml(), _dense_lml(gp), rtol=1e-12)


def test_gp_listens_weakly():
    mean, cov = OffsetMean(4), EyeCov(4)
    gp = GP(np.arange(4.0), mean, cov)
    ref = weakref.ref(gp)
    del gp
    gc.collect()
    assert ref() is None
    cov.scale = 2.0  # the dead GP's listener is dropped without error
    mean.offset = 1.0


# -- display -------------------------------------------------------------------------------------
def test_str_layout():
    gp = _iid(n=4, seed=10)
    gp.mean.offset = 0.5
    gp.cov.scale = 2.0
    assert str(gp) == "\n".join(
        [
            "GP(...)",
            f"  lml: {gp.lml()!r}",
            "  OffsetMean(): OffsetMean",
            "    offset: 0.5",
            "  EyeCov(dim=4): EyeCov",
            "    scale: 2.0",
        ]
    )


def test_str_of_composites_and_limix_alias():
    from limix.model.gp import GP as LimixGP

    assert LimixGP is GP
    rng = np.random.default_rng(11)
    X = rng.normal(size=(10, 15)) / np.sqrt(15)
    gp = GP(rng.normal(size=10), OffsetMean(10), SumCov([LinearCov(X), EyeCov(10)]))
    lines = str(gp).splitlines()
    assert lines[0] == "GP(...)"
    assert lines[1] == f"  lml: {gp.lml()!r}"
    assert lines[2:] == [
        "  OffsetMean(): OffsetMean",
        "    offset: 0.0",
        "  SumCov(covariances=...): SumCov",
        "    LinearCov(): LinearCov",
        "      scale: 1.0",
        "    EyeCov(dim=10): EyeCov",
        "      scale: 1.0",
    ]
    assert repr(gp) == str(gp)


# -- the reference manual's example, on the manual's own draw ----------------------------------
#: The manual's 𝐲: GPSampler(offset_mean(), linear_eye_cov()).sample(RandomState(94584)) with the
#: SVD factor of numpy's multivariate_normal on the machine that printed the manual. GPSampler now
#: draws with the principal square root (unique on every machine), so the draw is kept here.
MANUAL_GP_DRAW = [
    0.6184450814183401, -0.9638809731542505, 1.7569152721430985, -0.4846638646668484,
    0.9600006083101166, -0.6416205724885399, -0.4758589365417371, 0.38402593125895573,
    1.7527538473941338, -0.15031150149747213,
]  # fmt: skip


def test_the_manuals_example_on_its_draw():
    """The manual prints lml −15.5582 before and −13.4791 after fitting, EyeCov scale 0.8676."""
    from glimix.example import linear_eye_cov, offset_mean

    mean, cov = offset_mean(), linear_eye_cov()
    gp = GP(np.array(MANUAL_GP_DRAW), mean, cov)
    assert f"{gp.lml():.4f}" == "-15.5582"
    gp.fit(verbose=False)
    assert f"{gp.lml():.4f}" == "-13.4791"
    assert f"{cov.covariances[1].scale:.4f}" == "0.8676"
    # the maximum-likelihood offset is the sample mean (the manual's 0.7756 is a misprint)
    assert mean.offset == pytest.approx(np.mean(MANUAL_GP_DRAW), abs=1e-4)


def test_the_manuals_draw_is_one_factor_of_its_seed():
    """The stored draw is 𝐦 + L𝐮 for the seed's 𝐮 and some factor L of K with L·Lᵀ = K: its
    Mahalanobis norm equals 𝐮ᵀ𝐮 whatever the factor, which pins the seed and K without
    depending on the machine's choice of eigenvector signs."""
    from glimix.example import linear_eye_cov

    K = linear_eye_cov().value()
    u = np.random.RandomState(94584).standard_normal(10)
    y = np.array(MANUAL_GP_DRAW)
    assert y @ np.linalg.solve(K, y) == pytest.approx(u @ u, rel=1e-12)
