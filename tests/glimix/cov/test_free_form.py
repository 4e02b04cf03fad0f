"""FreeFormCov, K = LLᵀ + ϵI."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.cov import FreeFormCov
from glimix.testing import check_gradient

from .._function_checks import check_listen_fix_unfix

EPS = 1.49e-08


def _random_Lu(d, seed):
    rng = np.random.default_rng(seed)
    noff = d * (d - 1) // 2
    return np.concatenate([rng.normal(size=noff), rng.uniform(-1.0, 1.0, size=d)])


def _textbook_L(Lu, d):
    """L from Lu: the strictly-lower entries row by row (l₁₀, l₂₀, l₂₁, …), then log(Lᵢᵢ)."""
    L = np.zeros((d, d))
    k = 0
    for i in range(d):
        for j in range(i):
            L[i, j] = Lu[k]
            k += 1
    for i in range(d):
        L[i, i] = np.exp(Lu[k])
        k += 1
    return L


@pytest.mark.parametrize("d", [1, 2, 4])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_finite_differences(d, seed):
    cov = FreeFormCov(d)
    cov.Lu = _random_Lu(d, seed)
    assert cov.gradient()["Lu"].shape == (d, d, d * (d + 1) // 2)
    check_gradient(cov)


@pytest.mark.parametrize("d", [1, 3])
def test_gradient_textbook(d):
    cov = FreeFormCov(d)
    Lu = _random_Lu(d, 7)
    cov.Lu = Lu
    L = _textbook_L(Lu, d)
    grad = cov.gradient()["Lu"]
    pairs = [(i, j) for i in range(d) for j in range(i)] + [(i, i) for i in range(d)]
    for k, (i, j) in enumerate(pairs):
        E = np.zeros((d, d))
        E[i, j] = 1.0
        dK = E @ L.T + L @ E.T
        if i == j:
            dK *= L[i, i]  # chain rule through log(Lᵢᵢ)
        np.testing.assert_allclose(grad[..., k], dK, atol=1e-14)


@pytest.mark.parametrize("d", [1, 2, 4])
def test_value_textbook(d):
    cov = FreeFormCov(d)
    Lu = _random_Lu(d, 3)
    cov.Lu = Lu
    L = _textbook_L(Lu, d)
    np.testing.assert_allclose(cov.L, L, rtol=1e-15)
    np.testing.assert_allclose(cov.value(), L @ L.T + EPS * np.eye(d), rtol=1e-13, atol=1e-15)


def test_starts_at_identity():
    cov = FreeFormCov(3)
    np.testing.assert_array_equal(cov.L, np.eye(3))
    np.testing.assert_allclose(cov.value(), (1 + EPS) * np.eye(3))
    assert cov.dim == 3
    assert cov.shape == (3, 3)
    assert cov.nparams == 6


def test_bounds():
    bounds = FreeFormCov(3)._variables["Lu"].bounds
    assert len(bounds) == 6
    assert bounds[:3] == [(-np.inf, np.inf)] * 3
    assert bounds[3:] == [(-15.0, 15.0)] * 3


@pytest.mark.parametrize("d", [1, 2, 4])
def test_eigh_and_logdet(d):
    cov = FreeFormCov(d)
    cov.Lu = _random_Lu(d, 11)
    K = cov.value()
    S, U = cov.eigh()
    np.testing.assert_allclose(S, np.linalg.eigvalsh(K), rtol=1e-10)
    assert np.all(np.diff(S) >= 0)
    np.testing.assert_allclose(U.T @ U, np.eye(d), atol=1e-12)
    np.testing.assert_allclose(U @ np.diag(S) @ U.T, K, atol=1e-12)
    sign, logdet = np.linalg.slogdet(K)
    assert sign == 1
    assert cov.logdet() == pytest.approx(logdet, rel=1e-10, abs=1e-12)
    assert cov.logdet() == pytest.approx(np.sum(np.log(S)), rel=1e-8, abs=1e-10)


def test_L_setter_round_trip():
    cov = FreeFormCov(3)
    L = np.array([[1.5, 0.0, 0.0], [-0.3, 0.2, 0.0], [2.0, 0.7, 3.0]])
    cov.L = L
    np.testing.assert_allclose(cov.L, L, rtol=1e-14)
    np.testing.assert_allclose(cov.Lu, [-0.3, 2.0, 0.7, np.log(1.5), np.log(0.2), np.log(3.0)])
    np.testing.assert_allclose(cov.value(), L @ L.T + EPS * np.eye(3), rtol=1e-13)
    cov.Lu = cov.Lu  # and back through Lu
    np.testing.assert_allclose(cov.L, L, rtol=1e-14)


def test_L_setter_flips_negative_diagonal_columns():
    L = np.array([[-1.0, 0.0, 0.0], [0.5, 2.0, 0.0], [0.3, -0.4, -0.7]])
    cov = FreeFormCov(3)
    cov.L = L
    assert np.all(np.diag(cov.L) > 0)
    # column j is multiplied by sign(Lⱼⱼ); K = LLᵀ is unchanged
    np.testing.assert_allclose(cov.L, L * np.sign(np.diag(L)), rtol=1e-14)
    np.testing.assert_allclose(cov.value(), L @ L.T + EPS * np.eye(3), rtol=1e-13)


@pytest.mark.parametrize(
    ("L", "message"),
    [
        ([[1.0, 0.0], [0.5, 0.0]], "non-zero diagonal"),
        ([[0.0, 0.0], [0.5, 1.0]], "non-zero diagonal"),
        ([[1.0, 0.1], [0.5, 1.0]], "lower triangular"),
        ([[1.0, 0.0], [np.nan, 1.0]], "L has 1 non-finite"),
        ([[np.inf, 0.0], [0.0, 1.0]], "L has 1 non-finite"),
        (np.eye(3), "L must have 2 rows"),
        (np.ones((2, 1)), "L must have 2 columns"),
        (np.ones(2), "L must be two-dimensional"),
    ],
)
def test_bad_L(L, message):
    cov = FreeFormCov(2)
    cov.L = [[2.0, 0.0], [1.0, 3.0]]
    with pytest.raises(ValueError, match=message):
        cov.L = L
    np.testing.assert_allclose(cov.L, [[2.0, 0.0], [1.0, 3.0]], rtol=1e-15)  # left unchanged


@pytest.mark.parametrize(
    ("Lu", "message"),
    [
        (np.zeros(2), "Lu must have 3 element"),
        (np.zeros(4), "Lu must have 3 element"),
        (np.zeros((1, 3)), "Lu must be one-dimensional"),
        ([0.0, np.nan, 0.0], "Lu has 1 non-finite"),
        ([0.0, 0.0, -np.inf], "Lu has 1 non-finite"),
    ],
)
def test_bad_Lu(Lu, message):
    cov = FreeFormCov(2)
    with pytest.raises(ValueError, match=message):
        cov.Lu = Lu


@pytest.mark.parametrize("bad", [0, -1, 2.0, True, "2", None])
def test_bad_dim(bad):
    with pytest.raises(ValueError, match=r"^dim "):
        FreeFormCov(bad)


def test_listen_and_fix():
    cov = FreeFormCov(2)
    L = [[1.0, 0.0], [2.0, 1.0]]
    check_listen_fix_unfix(cov, "Lu", np.array([1.0, 0.0, 0.0]), L=L, Lu=[0.1, 0.2, 0.3])
    np.testing.assert_array_equal(cov.L, [[1.0, 0.0], [1.0, 1.0]])


def test_str():
    cov = FreeFormCov(2)
    cov.L = [[1.0, 0.0], [0.5, 2.0]]
    cov.name = "K"
    assert str(cov) == "FreeFormCov(dim=2): K\n  L: [[1.  0. ]\n      [0.5 2. ]]"
    one = FreeFormCov(1)
    assert str(one) == "FreeFormCov(dim=1): FreeFormCov\n  L: [[1.]]"
