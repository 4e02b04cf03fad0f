import numpy as np
import pandas as pd
import pytest

from limix._data import (
    KinshipFactor,
    as_kinship,
    clear_kinship_cache,
    kinship_factor,
    kinship_qs,
    prepare_inputs,
)
from limix._data import _qs as qs_module


@pytest.fixture(autouse=True)
def _empty_cache():
    clear_kinship_cache()
    yield
    clear_kinship_cache()


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


def test_one_eigh_shared_by_many_traits(monkeypatch):
    calls = _count_calls(monkeypatch, "economic_qs")
    K = pd.DataFrame(np.eye(4) + 0.1, index=list("abcd"), columns=list("abcd"))
    first = kinship_qs(prepare_inputs(pd.Series([1.0, 2, 3, 4], index=list("abcd")), K=K).K)
    second = kinship_qs(prepare_inputs(pd.Series([4.0, 3, 2, 1], index=list("dcba")), K=K).K)
    assert len(calls) == 1
    assert first is not None and second is first


def test_different_samples_get_a_new_decomposition(monkeypatch):
    calls = _count_calls(monkeypatch, "economic_qs")
    K = np.eye(3) + 0.1
    kinship_qs(prepare_inputs([1.0, 2.0, 3.0], K=K).K)
    with pytest.warns(UserWarning, match="1 of the 3 samples"):
        kinship_qs(prepare_inputs([1.0, np.nan, 3.0], K=K).K)
    assert len(calls) == 2


def test_k_changed_in_place_is_not_served_stale():
    K = np.eye(3)
    _, S0 = kinship_qs(as_kinship(K))
    assert S0.max() == pytest.approx(1.0)
    K[0, 0] = 4.0
    _, S0 = kinship_qs(as_kinship(K))
    assert S0.max() == pytest.approx(4.0)


def test_cache_is_bounded(monkeypatch):
    calls = _count_calls(monkeypatch, "economic_qs")
    for scale in (1.0, 2.0, 3.0, 1.0):
        kinship_qs(as_kinship(np.eye(2) * scale))
    assert len(calls) == 4  # the first was evicted by the third


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
