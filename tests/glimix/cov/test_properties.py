"""Property tests: covariances are symmetric PSD for any parameters, sums add up, gradients hold,
and the optimiser leaves a fixed variable alone while it improves a Gaussian log-density."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from glimix._function import Function
from glimix._optimize import maximize
from glimix.cov import EyeCov, FreeFormCov, GivenCov, LinearCov, LRFreeFormCov, SumCov
from glimix.mean import LinearMean, OffsetMean, SumMean
from glimix.testing import check_gradient

SETTINGS = settings(max_examples=40, deadline=None)

finite = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)
logscales = st.floats(-4.0, 4.0, allow_nan=False, allow_infinity=False)


def matrices(rows, cols):
    return hnp.arrays(float, (rows, cols), elements=finite)


@st.composite
def covariances(draw, n):
    """One covariance function of shape n×n, of any kind, at drawn parameter values."""
    kind = draw(st.sampled_from(["eye", "given", "linear", "free", "lowrank"]))
    if kind == "eye":
        cov = EyeCov(n)
    elif kind == "given":
        G = draw(matrices(n, draw(st.integers(1, n + 1))))
        cov = GivenCov(G @ G.T)
    elif kind == "linear":
        cov = LinearCov(draw(matrices(n, draw(st.integers(1, n + 1)))))
    elif kind == "free":
        cov = FreeFormCov(n)
        noff = n * (n - 1) // 2
        off = draw(hnp.arrays(float, noff, elements=finite))
        logdiag = draw(hnp.arrays(float, n, elements=st.floats(-15.0, 3.0)))
        cov.Lu = np.concatenate([off, logdiag])
        return cov
    else:
        cov = LRFreeFormCov(n, draw(st.integers(1, n)))
        cov.L = draw(matrices(n, cov.L.shape[1]))
        return cov
    cov.scale = np.exp(draw(logscales))
    return cov


@st.composite
def sized_covariances(draw, min_terms=1, max_terms=4):
    n = draw(st.integers(1, 5))
    return draw(st.lists(covariances(n), min_size=min_terms, max_size=max_terms))


def _assert_symmetric_psd(K):
    scale = max(1.0, float(np.max(np.abs(K))))
    np.testing.assert_allclose(K, K.T, rtol=0, atol=1e-13 * scale)
    S = np.linalg.eigvalsh((K + K.T) / 2)
    assert S[0] >= -1e-12 * scale * K.shape[0], S


@SETTINGS
@given(sized_covariances(max_terms=1))
def test_covariance_is_symmetric_psd(terms):
    _assert_symmetric_psd(terms[0].value())


@SETTINGS
@given(sized_covariances(min_terms=1, max_terms=4))
def test_sum_is_sum_of_parts_and_psd(terms):
    cov = SumCov(terms)
    expected = np.zeros(cov.shape)
    for t in terms:
        expected += t.value()
    np.testing.assert_allclose(cov.value(), expected, rtol=1e-13, atol=1e-300)
    _assert_symmetric_psd(cov.value())
    grad = cov.gradient()
    assert sorted(grad) == sorted(
        f"SumCov[{i}].{name}" for i, t in enumerate(terms) for name in t.variable_names()
    )


@SETTINGS
@given(
    st.integers(1, 5).flatmap(
        lambda d: st.tuples(
            st.just(d),
            hnp.arrays(float, d * (d - 1) // 2, elements=st.floats(-5.0, 5.0)),
            hnp.arrays(float, d, elements=st.floats(-15.0, 3.0)),
        )
    )
)
def test_free_form_is_positive_definite(args):
    d, off, logdiag = args
    cov = FreeFormCov(d)
    cov.Lu = np.concatenate([off, logdiag])
    K = cov.value()
    _assert_symmetric_psd(K)
    # K = LLᵀ + ϵI has every eigenvalue ≥ ϵ = 1.49e-8, and a Cholesky factor
    assert np.linalg.eigvalsh(K)[0] >= 0.5 * 1.49e-8
    np.linalg.cholesky(K)
    assert np.isfinite(cov.logdet())


@settings(max_examples=30, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.lists(covariances(n), min_size=1, max_size=3).filter(
            # keep finite differences accurate: no term scaled far above the rest
            lambda ts: max(np.abs(t.value()).max() for t in ts) < 1e3
        )
    )
)
def test_sum_gradient(terms):
    for t in terms:
        if isinstance(t, FreeFormCov):  # finite differences across e⁻¹⁵ are too coarse
            t.Lu = np.clip(t.Lu, -2.0, None)
    check_gradient(SumCov(terms), rtol=1e-4, atol=1e-5)


# -- the optimiser and fixed variables -----------------------------------------------------------


class GaussianLogDensity(Function):
    """log 𝓝(𝐲; 𝐦, K) of a mean function 𝐦 and a covariance function K, with

    ∂/∂θ = ½tr((K⁻¹𝐫𝐫ᵀK⁻¹ − K⁻¹)∂K) + 𝐫ᵀK⁻¹∂𝐦,  𝐫 = 𝐲 − 𝐦.
    """

    def __init__(self, y, mean, cov):
        self._y = np.asarray(y, float)
        self._mean = mean
        self._cov = cov
        Function.__init__(self, "GaussianLogDensity", composite=[("mean", mean), ("cov", cov)])

    def value(self):
        K = self._cov.value()
        r = self._y - self._mean.value()
        sign, logdet = np.linalg.slogdet(K)
        assert sign > 0
        n = r.size
        return -0.5 * (n * np.log(2 * np.pi) + logdet + r @ np.linalg.solve(K, r))

    def gradient(self):
        K = self._cov.value()
        r = self._y - self._mean.value()
        Kinv = np.linalg.inv(K)
        a = Kinv @ r
        W = np.outer(a, a) - Kinv
        grad = {}
        for name, dK in self._cov.gradient().items():
            grad[f"cov.{name}"] = 0.5 * np.einsum("ij,ji...->...", W, dK)
        for name, dm in self._mean.gradient().items():
            grad[f"mean.{name}"] = np.einsum("i,i...->...", a, dm)
        return grad


def _problem(seed, params):
    rng = np.random.default_rng(seed)
    n = 15
    Xm, G = rng.normal(size=(n, 2)), rng.normal(size=(n, 3))
    y = 0.5 + Xm @ [1.0, -0.5] + G @ rng.normal(size=3) + 0.7 * rng.normal(size=n)
    linear_mean, offset = LinearMean(Xm), OffsetMean(n)
    linear_mean.effsizes = params[:2]
    offset.offset = params[2]
    genetic, noise = LinearCov(G), EyeCov(n)
    genetic.scale, noise.scale = np.exp(params[3]), np.exp(params[4])
    mean = SumMean([linear_mean, offset])
    cov = SumCov([genetic, noise])
    return GaussianLogDensity(y, mean, cov)


def test_gaussian_log_density_value_is_textbook():
    f = _problem(0, [0.3, -0.2, 0.1, 0.4, -0.3])
    K, m, y = f._cov.value(), f._mean.value(), f._y
    r = y - m
    n = y.size
    dense = -0.5 * n * np.log(2 * np.pi) - 0.5 * np.log(np.linalg.det(K))
    dense -= 0.5 * r @ np.linalg.inv(K) @ r
    assert np.isclose(f.value(), dense, rtol=1e-10)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**16), hnp.arrays(float, 5, elements=st.floats(-1.5, 1.5)))
def test_gaussian_log_density_gradient(seed, params):
    f = _problem(seed, params)
    check_gradient(f)


@settings(max_examples=15, deadline=None)
@given(
    st.integers(0, 2**16),
    hnp.arrays(float, 5, elements=st.floats(-1.5, 1.5)),
    st.sampled_from(
        [
            "mean.SumMean[0].effsizes",
            "mean.SumMean[1].offset",
            "cov.SumCov[0].logscale",
            "cov.SumCov[1].logscale",
        ]
    ),
)
def test_optimiser_leaves_fixed_variable_alone(seed, params, fixed):
    f = _problem(seed, params)
    assert f.variable_names() == sorted(
        [
            "mean.SumMean[0].effsizes",
            "mean.SumMean[1].offset",
            "cov.SumCov[0].logscale",
            "cov.SumCov[1].logscale",
        ]
    )
    check_gradient(f)
    f._variables[fixed].fix()
    held = np.array(f._variables[fixed].value, dtype=float)
    others = {n: np.array(f._variables[n].value, dtype=float) for n in f.variable_names()}
    calls = []
    f.listen(lambda: calls.append(1))
    before = f.value()

    maximize(f)

    np.testing.assert_array_equal(np.array(f._variables[fixed].value, dtype=float), held)
    assert f.value() > before
    assert calls  # the optimiser's variable assignments reached the listener
    moved = [
        n
        for n in f.variable_names()
        if not np.array_equal(np.array(f._variables[n].value, dtype=float), others[n])
    ]
    assert moved
    assert fixed not in moved
    # at the optimum, the free variables' gradient vanishes (up to L-BFGS-B's tolerance)
    grad = f.gradient()
    for name in f._variables.select(fixed=False).names():
        np.testing.assert_allclose(grad[name], 0, atol=1e-3)


def test_optimiser_with_a_fixed_child_function():
    """Fixing a child function (not the composite's variable) is seen by the optimiser."""
    f = _problem(1, [0.0, 0.0, 0.0, 0.5, 0.5])
    noise = f._cov.covariances[1]
    noise.scale = 0.3
    noise.fix()
    offset = f._mean.means[1]
    offset.fix_offset()
    held = noise.scale
    before = f.value()
    maximize(f)
    assert noise.scale == held
    assert offset.offset == 0.0
    assert f.value() > before
    assert f._cov.covariances[0].scale != np.exp(0.5)
