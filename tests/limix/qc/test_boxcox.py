"""boxcox: λ maximises the directly computed profile log-likelihood; values follow the formula."""

from __future__ import annotations

import numpy as np
import pytest

from limix.qc import boxcox


def _profile_loglik(x, lmb):
    y = np.log(x) if lmb == 0 else (x**lmb - 1) / lmb
    return -x.size / 2 * np.log(np.mean((y - y.mean()) ** 2)) + (lmb - 1) * np.log(x).sum()


def _implied_lambda(x, y):
    """Recover λ from one transformed pair: y = (x^λ − 1)/λ is monotone in λ."""
    from scipy.optimize import brentq

    i = np.argmax(np.abs(np.log(x)))
    return brentq(lambda t: (x[i] ** t - 1) / t - y[i] if t else np.log(x[i]) - y[i], -5, 5)


def test_lambda_is_the_likelihood_maximum():
    x = np.random.default_rng(0).lognormal(0.5, 0.6, size=200) ** 1.7
    y = boxcox(x)
    lmb = _implied_lambda(x, y)
    np.testing.assert_allclose(y, (x**lmb - 1) / lmb, rtol=1e-9)
    best = _profile_loglik(x, lmb)
    for step in (1e-3, 1e-2, 1e-1):
        assert best >= _profile_loglik(x, lmb + step) - 1e-9
        assert best >= _profile_loglik(x, lmb - step) - 1e-9
    grid = np.linspace(-2, 2, 401)
    assert abs(grid[np.argmax([_profile_loglik(x, t) for t in grid])] - lmb) < 0.011


def test_columns_get_their_own_lambda_and_nan_stays():
    random = np.random.default_rng(1)
    a = random.exponential(size=50) + 0.1
    b = random.lognormal(size=50)
    X = np.column_stack([a, b])
    X[5, 1] = np.nan
    Y = boxcox(X)
    np.testing.assert_allclose(Y[:, 0], boxcox(a))
    assert np.isnan(Y[5, 1])
    np.testing.assert_allclose(np.delete(Y[:, 1], 5), boxcox(np.delete(b, 5)))


def test_bad_input():
    with pytest.raises(ValueError, match="positive"):
        boxcox([1.0, 0.0, 2.0])
    with pytest.raises(ValueError, match="positive"):
        boxcox([1.0, -1.0, 2.0])
    with pytest.raises(ValueError, match="two distinct"):
        boxcox([2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="infinite"):
        boxcox([1.0, np.inf])
