"""PseudoDataScanner: the FastScanner of heteroscedastic data, against dense GLS."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from glimix.glmm import PseudoDataScanner
from glimix.linalg import economic_qs_linear
from glimix.lmm import FastScanner


def _setup(n=25, k=3, seed=0):
    rng = np.random.default_rng(seed)
    (Q0,), S0 = economic_qs_linear(rng.standard_normal((n, k)), return_q1=False)
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    noise = rng.uniform(0.2, 3.0, n)
    y = X @ [1.0, 0.5] + rng.standard_normal(n) * np.sqrt(noise) + Q0 @ rng.standard_normal(k)
    return y, X, Q0, S0, noise, rng


def _assert_null_matches(scanner, lml, beta, beta_se):
    """The scanner's null model is the dense one: its lml, effect sizes and their errors."""
    assert scanner.null_lml() == pytest.approx(lml, rel=1e-10)
    np.testing.assert_allclose(scanner.null_beta, beta, rtol=1e-8)
    np.testing.assert_allclose(scanner.null_beta_se, beta_se, rtol=1e-8)


def _dense(y, E, C):
    Ci = np.linalg.inv(C)
    A = E.T @ Ci @ E
    b = np.linalg.solve(A, E.T @ Ci @ y)
    r = y - E @ b
    n = y.size
    s = r @ Ci @ r / n
    lml = -0.5 * (n * np.log(2 * np.pi * s) + np.linalg.slogdet(C)[1] + n)
    return lml, b, np.sqrt(np.diag(s * np.linalg.inv(A))), s


def test_fast_scan_matches_dense_generalised_least_squares():
    y, X, Q0, S0, noise, rng = _setup()
    v0 = 0.7
    C = v0 * (Q0 * S0) @ Q0.T + np.diag(noise)
    scanner = PseudoDataScanner(y, X, Q0, S0, v0, noise)
    assert isinstance(scanner, FastScanner)
    _assert_null_matches(scanner, *_dense(y, X, C)[:3])
    G = rng.standard_normal((y.size, 3))
    result = scanner.fast_scan(G, verbose=False)
    for j in range(3):
        lml, b, se, s = _dense(y, np.column_stack([X, G[:, j]]), C)
        assert result["lml"][j] == pytest.approx(lml, rel=1e-10)
        assert result["effsizes1"][j] == pytest.approx(b[-1], rel=1e-8)
        assert result["effsizes1_se"][j] == pytest.approx(se[-1], rel=1e-8)
        np.testing.assert_allclose(result["effsizes0"][j], b[:-1], rtol=1e-8)
        assert result["scale"][j] == pytest.approx(s, rel=1e-8)


def _dense_unit_scale(y, E, C):
    """log N(𝐲 | 𝙴𝐛, 𝙲) at the GLS 𝐛 (no scale), and the GLS standard errors."""
    Ci = np.linalg.inv(C)
    A = E.T @ Ci @ E
    b = np.linalg.solve(A, E.T @ Ci @ y)
    r = y - E @ b
    lml = -0.5 * (y.size * np.log(2 * np.pi) + np.linalg.slogdet(C)[1] + r @ Ci @ r)
    return lml, b, np.sqrt(np.diag(np.linalg.inv(A)))


def test_fixed_scale_matches_dense_generalised_least_squares_at_unit_scale():
    y, X, Q0, S0, noise, rng = _setup(seed=3)
    v0 = 0.7
    C = v0 * (Q0 * S0) @ Q0.T + np.diag(noise)
    scanner = PseudoDataScanner(y, X, Q0, S0, v0, noise, fixed_scale=True)
    assert scanner.fixed_scale and scanner.null_scale == 1.0
    _assert_null_matches(scanner, *_dense_unit_scale(y, X, C))
    G = rng.standard_normal((y.size, 3))
    result = scanner.fast_scan(G, verbose=False)
    for j in range(3):
        E = np.column_stack([X, G[:, j]])
        lml, b, se = _dense_unit_scale(y, E, C)
        assert result["lml"][j] == pytest.approx(lml, rel=1e-10)
        assert result["effsizes1"][j] == pytest.approx(b[-1], rel=1e-8)
        assert result["effsizes1_se"][j] == pytest.approx(se[-1], rel=1e-8)
        np.testing.assert_allclose(result["effsizes0_se"][j], se[:-1], rtol=1e-8)
        assert result["scale"][j] == 1.0
        one = scanner.scan(G[:, j])
        assert one["lml"] == pytest.approx(lml, rel=1e-10)
        np.testing.assert_allclose(one["effsizes1_se"], se[-1:], rtol=1e-8)
    with pytest.raises(ValueError, match="fixed_scale"):
        scanner.fast_scan(G, verbose=False, exact=True)


def test_rows_and_lazy_candidates():
    """Only the rows used are read from each candidate block, which may be a dask array."""
    y, X, Q0, S0, noise, rng = _setup(n=20, seed=1)
    rows = np.flatnonzero(np.arange(24) % 6 != 0)  # 20 of 24 samples
    scanner = PseudoDataScanner(y, X, Q0, S0, 0.5, noise, rows=rows, nsamples=24)
    G = rng.standard_normal((24, 2))
    plain = PseudoDataScanner(y, X, Q0, S0, 0.5, noise)
    expected = plain.fast_scan(G[rows], verbose=False)
    da = pytest.importorskip("dask.array")
    result = scanner.fast_scan(da.from_array(G, chunks=(24, 1)), verbose=False)
    np.testing.assert_allclose(result["lml"], expected["lml"], rtol=1e-12)
    assert scanner.null_lml() == pytest.approx(plain.null_lml(), rel=1e-12)
    joint = scanner.scan(G)
    assert joint["lml"] == pytest.approx(plain.scan(G[rows])["lml"], rel=1e-12)
    assert joint["lml"] >= max(result["lml"]) - 1e-9
    exact = scanner.fast_scan(G, verbose=False, exact=True)
    assert np.all(exact["lml"] >= result["lml"] - 1e-6)
    with pytest.raises(ValueError, match="one row per sample"):
        scanner.fast_scan(G[:20], verbose=False)
    with pytest.raises(ValueError, match="one row per sample"):
        scanner.scan(G[:20])


def test_bad_input():
    y, X, Q0, S0, noise, _ = _setup(n=10)
    with pytest.raises(ValueError, match="noise must be positive"):
        PseudoDataScanner(y, X, Q0, S0, 0.5, np.r_[0.0, noise[1:]])
    with pytest.raises(ValueError, match="v0"):
        PseudoDataScanner(y, X, Q0, S0, -1.0, noise)
    with pytest.raises(ValueError, match="Q0 must have 10 rows"):
        PseudoDataScanner(y, X, Q0[:9], S0, 0.5, noise)
    with pytest.raises(ValueError, match="y has 1 non-finite"):
        PseudoDataScanner(np.r_[np.nan, y[1:]], X, Q0, S0, 0.5, noise)


def test_scanner_overrides_every_public_method_that_takes_candidates():
    """A FastScanner method added later and taking candidates must be whitened here too."""
    candidate_methods = {
        name
        for name, member in inspect.getmembers(FastScanner, inspect.isfunction)
        if not name.startswith("_")
    }
    assert candidate_methods <= {"fast_scan", "scan", "null_lml", "test"}
    for name in ("fast_scan", "scan", "null_lml"):
        assert getattr(PseudoDataScanner, name) is not getattr(FastScanner, name)
    # the scanner protocol's test() goes through the (whitened) fast_scan of the subclass
    y, X, Q0, S0, noise, rng = _setup()
    G = rng.standard_normal((y.size, 4))
    scanner = PseudoDataScanner(y, X, Q0, S0, 0.7, noise)
    via_test = scanner.test(G)
    direct = scanner.fast_scan(G, verbose=False)
    for key in ("lml", "effsizes1", "effsizes1_se", "scale"):
        np.testing.assert_array_equal(via_test[key], direct[key])
