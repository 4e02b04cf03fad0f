"""KinshipOperator against the dense n×n algebra of a·K + b·I."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from glimix.linalg import KinshipOperator, economic_qs


def _kinship(n, r, seed=0):
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((n, r))
    return G, G @ G.T


@pytest.mark.parametrize("r", [3, 12, 0])
@pytest.mark.parametrize(("a", "b"), [(1.0, 0.5), (0.3, 2.0), (0.0, 1.0)])
def test_operations_equal_the_dense_matrix(r, a, b):
    n = 12
    G, K = _kinship(n, r)
    op = KinshipOperator.from_factor(G) if r else KinshipOperator.of(None, n)
    V = a * K + b * np.eye(n)
    rng = np.random.default_rng(1)
    x = rng.standard_normal(n)
    A = rng.standard_normal((n, 3))
    B = rng.standard_normal((n, 2))
    assert float(op.logdet(a, b)) == pytest.approx(np.linalg.slogdet(V)[1], rel=1e-12)
    assert_allclose(op.solve(x, a, b), np.linalg.solve(V, x), rtol=1e-10, atol=1e-12)
    assert_allclose(op.solve(A, a, b), np.linalg.solve(V, A), rtol=1e-10, atol=1e-12)
    assert_allclose(op.quad_form(A, B, a, b), A.T @ np.linalg.solve(V, B), rtol=1e-10, atol=1e-12)
    assert_allclose(op.dot(A, a, b), V @ A, rtol=1e-12, atol=1e-12)
    assert op.quad(x) == pytest.approx(x @ K @ x, rel=1e-12, abs=1e-12)
    assert_allclose(op.diag, np.diag(K), atol=1e-12)
    assert_allclose(op.matrix, K, atol=1e-12)
    w0, w1 = op.inverse_weights(a, b)
    Binv = (op.Q0 * w0) @ op.Q0.T + float(w1) * np.eye(n)
    assert_allclose(Binv, np.linalg.inv(V), rtol=1e-10, atol=1e-12)


def test_weights_broadcast_over_many_variance_ratios():
    n = 10
    G, K = _kinship(n, 4)
    op = KinshipOperator.from_factor(G)
    deltas = np.array([0.1, 0.5, 0.9])
    values = op.logdet(1 - deltas, deltas)
    assert values.shape == (3,)
    for d, v in zip(deltas, values, strict=True):
        assert v == pytest.approx(np.linalg.slogdet((1 - d) * K + d * np.eye(n))[1], rel=1e-12)
    w0, w1 = op.inverse_weights(1 - deltas, deltas)
    assert w0.shape == (4, 3) and w1.shape == (3,)


def test_constructors_agree_and_helpers():
    n = 8
    G, K = _kinship(n, 3)
    a = KinshipOperator.from_factor(G)
    b = KinshipOperator.from_matrix(K)
    c = KinshipOperator.of(economic_qs(K), n)
    for op in (b, c):
        assert_allclose(op.matrix, a.matrix, atol=1e-10)
    assert KinshipOperator.of(a, n) is a
    assert_allclose(a.scaled(2.5).matrix, 2.5 * K, atol=1e-10)
    assert a.positive() is a  # no zero eigenvalue: the same operator
    with_zero = KinshipOperator(b.Q0, np.where(b.S0 < 1e-8, 0.0, b.S0))
    assert with_zero.positive().rank == int(np.count_nonzero(with_zero.S0))


@pytest.mark.parametrize(
    ("QS", "words"),
    [
        ("K", "QS must be the pair"),
        (((np.ones((5, 2)),), [1.0, 1.0]), "orthonormal"),
        (((np.eye(5)[:, :2],), [1.0, -1.0]), "non-negative"),
        (((np.eye(4)[:, :2],), [1.0, 1.0]), "one row per sample"),
        (((np.eye(5)[:, :2],), [1.0]), "QS S0"),
    ],
)
def test_bad_decompositions_are_named(QS, words):
    with pytest.raises(ValueError, match=words):
        KinshipOperator.of(QS, 5)


def test_operator_of_another_size_is_refused():
    G, _ = _kinship(6, 2)
    with pytest.raises(ValueError, match="6 samples"):
        KinshipOperator.of(KinshipOperator.from_factor(G), 5)
