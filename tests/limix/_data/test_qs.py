import numpy as np
import pandas as pd
import pytest

from limix._data import (
    DecomposedKinship,
    KinshipFactor,
    as_kinship,
    kinship_factor,
    kinship_qs,
    prepare_inputs,
)
from limix._data import _qs as qs_module


def _count_calls(monkeypatch, name):
    calls = []
    original = getattr(qs_module, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(qs_module, name, counted)
    return calls


def test_decomposition_reconstructs_k():
    X = np.random.RandomState(0).randn(6, 3)
    K = X @ X.T
    (Q0,), S0 = kinship_qs(as_kinship(K))
    assert Q0.shape == (6, 3)
    np.testing.assert_allclose(Q0 @ np.diag(S0) @ Q0.T, K, atol=1e-10)
    assert not Q0.flags.writeable and not S0.flags.writeable


def _labelled_kinship(n=4, seed=3):
    X = np.random.RandomState(seed).randn(n, n + 2)
    labels = list("abcdefgh"[:n])
    return pd.DataFrame(X @ X.T / n, index=labels, columns=labels)


def test_one_eigh_shared_by_many_traits(monkeypatch):
    calls = _count_calls(monkeypatch, "economic_qs")
    K = DecomposedKinship(_labelled_kinship())
    first = prepare_inputs(pd.Series([1.0, 2, 3, 4], index=list("abcd")), K=K)
    second = prepare_inputs(pd.Series([4.0, 3, 2, 1], index=list("dbca")), K=K)
    (Q1,), S1 = first.kinship_qs()
    (Q2,), S2 = second.kinship_qs()
    assert len(calls) == 1
    # each is the decomposition of K on its own samples, in its own order
    for inputs, Q, S in ((first, Q1, S1), (second, Q2, S2)):
        np.testing.assert_allclose(Q * S @ Q.T, inputs.K.values, atol=1e-12)
        np.testing.assert_allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=1e-12)


def test_shared_decomposition_gives_the_same_scan_as_a_plain_matrix():
    from limix.qtl import scan

    random = np.random.RandomState(4)
    K = _labelled_kinship(8, 5)
    y = pd.Series(random.randn(8), index=list("hgfedcba"))
    G = pd.DataFrame(random.randn(8, 3), index=y.index)
    plain = scan(G, y, K=K, verbose=False).stats
    shared = scan(G, y, K=DecomposedKinship(K), verbose=False).stats
    np.testing.assert_allclose(shared["pv20"], plain["pv20"], rtol=1e-9)


def test_plain_matrices_are_decomposed_per_analysis(monkeypatch):
    calls = _count_calls(monkeypatch, "economic_qs")
    K = np.eye(3) + 0.1
    prepare_inputs([1.0, 2.0, 3.0], K=K).kinship_qs()
    prepare_inputs([3.0, 2.0, 1.0], K=K).kinship_qs()
    assert len(calls) == 2


def test_a_subset_of_samples_gets_a_new_decomposition(monkeypatch):
    calls = _count_calls(monkeypatch, "economic_qs")
    K = DecomposedKinship(np.eye(3) + 0.1)
    prepare_inputs([1.0, 2.0, 3.0], K=K).kinship_qs()
    with pytest.warns(UserWarning, match="1 of the 3 samples"):
        inputs = prepare_inputs([1.0, np.nan, 3.0], K=K)
    (Q0,), S0 = inputs.kinship_qs()
    assert len(calls) == 2
    np.testing.assert_allclose(Q0 * S0 @ Q0.T, (np.eye(3) + 0.1)[[0, 2]][:, [0, 2]], atol=1e-12)


def test_k_changed_in_place_is_not_served_stale():
    K = np.eye(3)
    _, S0 = kinship_qs(as_kinship(K))
    assert S0.max() == pytest.approx(1.0)
    K[0, 0] = 4.0
    _, S0 = kinship_qs(as_kinship(K))
    assert S0.max() == pytest.approx(4.0)
    # a DecomposedKinship holds its own read-only copy, not a view of the user's array
    held = DecomposedKinship(K)
    K[0, 0] = 9.0
    assert held.qs()[1].max() == pytest.approx(4.0)


def test_not_psd_is_an_error():
    with pytest.raises(ValueError, match="positive semi-definite"):
        kinship_qs(as_kinship(np.array([[1.0, 2.0], [2.0, 1.0]])))


def test_factor_uses_the_linear_decomposition(monkeypatch):
    eigh_calls = _count_calls(monkeypatch, "economic_qs")
    svd_calls = _count_calls(monkeypatch, "economic_qs_linear")
    X = np.random.RandomState(1).randn(8, 2)
    (Q0,), S0 = kinship_qs(as_kinship(KinshipFactor(X)))
    assert Q0.shape == (8, 2)
    np.testing.assert_allclose(Q0 @ np.diag(S0) @ Q0.T, X @ X.T, atol=1e-10)
    assert (len(eigh_calls), len(svd_calls)) == (0, 1)


def test_kinship_factor():
    X = np.random.RandomState(2).randn(5, 2)
    K = X @ X.T
    L = kinship_factor(as_kinship(K))
    np.testing.assert_allclose(L @ L.T, K, atol=1e-10)
    np.testing.assert_array_equal(kinship_factor(as_kinship(KinshipFactor(X))), X)


def test_a_kinship_stored_in_float32_is_judged_at_float32_precision():
    X = np.random.RandomState(7).randn(60, 20)
    K = (X @ X.T / 20).astype(np.float32).astype(float)  # rank 20, rounded as GCTA stores it
    (Q0,), S0 = kinship_qs(as_kinship(K))
    assert Q0.shape[1] == 20  # the rounding's tiny eigenvalues, either sign, are zeros
    np.testing.assert_allclose(Q0 * S0 @ Q0.T, K, atol=1e-5)
    bad = K.copy()
    bad[0, 1] = bad[1, 0] = bad[0, 0] + 1.0  # truly indefinite: still refused
    with pytest.raises(ValueError, match="positive semi-definite"):
        kinship_qs(as_kinship(bad.astype(np.float32).astype(float)))
    # the same rounding in a float64 matrix keeps the float64 tolerance
    with pytest.raises(ValueError, match="positive semi-definite"):
        kinship_qs(as_kinship(K + np.diag(np.r_[-1e-6, np.zeros(59)])))
