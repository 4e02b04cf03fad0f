"""The lock-step Brent maximiser of the exact scan, against scipy's bounded Brent."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from glimix._optimize._brent import maximize_brackets
from glimix._optimize._delta_search import LOGIT_BOUND, logistic, logit


def _problems(m, seed=0):
    rng = np.random.default_rng(seed)
    centre = rng.uniform(-3, 3, m)
    width = rng.uniform(0.3, 3, m)
    skew = rng.uniform(-0.5, 0.5, m)

    def f(t, idx):
        z = (t - centre[idx]) / width[idx]
        return -np.log1p(z**2) + skew[idx] * np.tanh(z)

    return f


def test_every_problem_reaches_scipys_maximum():
    m = 200
    f = _problems(m)
    grid = np.linspace(-6, 6, 13)
    values = np.stack([f(np.full(m, t), np.arange(m)) for t in grid], axis=1)
    k = np.argmax(values, axis=1)
    lo, hi = np.maximum(k - 1, 0), np.minimum(k + 1, grid.size - 1)
    rows = np.arange(m)
    calls = []

    def counted(t, idx):
        calls.append(idx.size)
        return f(t, idx)

    x, fx = maximize_brackets(
        counted,
        grid[lo],
        grid[k],
        grid[hi],
        values[rows, lo],
        values[rows, k],
        values[rows, hi],
        xatol=1e-8,
    )
    for j in range(m):
        ref = minimize_scalar(
            lambda t, j=j: -f(np.array([t]), np.array([j]))[0],
            bounds=(grid[lo[j]], grid[hi[j]]),
            method="bounded",
            options={"xatol": 1e-10},
        )
        assert x[j] == pytest.approx(ref.x, abs=1e-4)
        assert fx[j] == pytest.approx(-ref.fun, abs=1e-9)
        assert fx[j] >= values[j, k[j]]
    # problems leave the loop as they converge: later iterations evaluate fewer of them
    assert calls[-1] < m
    assert len(calls) < 40


def test_without_the_gain_test_brent_meets_its_bracket_tolerance():
    m = 50
    f = _problems(m, seed=1)
    lo, hi = np.full(m, -6.0), np.full(m, 6.0)
    x0 = np.zeros(m)
    idx = np.arange(m)
    x, _ = maximize_brackets(
        f, lo, x0, hi, f(lo, idx), f(x0, idx), f(hi, idx), xatol=1e-8, ftol=-1.0
    )
    for j in range(m):
        ref = minimize_scalar(
            lambda t, j=j: -f(np.array([t]), np.array([j]))[0],
            bounds=(-6, 6),
            method="bounded",
            options={"xatol": 1e-10},
        )
        assert x[j] == pytest.approx(ref.x, abs=1e-6)


def test_maxima_on_the_bracket_end_are_kept():
    def f(t, idx):
        return t.copy()  # increasing: the maximum is the upper end

    lo, x, hi = np.array([0.0, -1.0]), np.array([1.0, 0.0]), np.array([1.0, 0.0])
    xs, fs = maximize_brackets(f, lo, x, hi, lo, x, hi)
    np.testing.assert_allclose(xs, [1.0, 0.0], atol=1e-5)
    assert np.all(fs >= x - 1e-5)


def test_logistic_and_logit_are_inverse_and_finite_at_the_bounds():
    theta = np.array([-LOGIT_BOUND, -3.0, 0.0, 2.5, LOGIT_BOUND])
    delta = logistic(theta)
    assert np.all((delta > 0) & (delta < 1))
    np.testing.assert_allclose([logit(d) for d in delta], theta, rtol=1e-9)
    assert logistic(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]
    assert logit(0.0) == -LOGIT_BOUND and logit(1.0) == LOGIT_BOUND
