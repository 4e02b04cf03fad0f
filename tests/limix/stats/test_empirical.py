"""empirical_pvalues against direct counting, the manual's numbers, and calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from limix.stats import empirical_pvalues


def test_direct_count_with_floor():
    random = np.random.default_rng(0)
    x0 = random.chisquare(1, 1000)
    xt = np.concatenate([random.chisquare(1, 50), [x0.max(), x0.max() + 1, -1.0]])
    expected = np.array([min(((x0 >= v).sum() + 1) / x0.size, 1.0) for v in xt])
    np.testing.assert_allclose(empirical_pvalues(xt, x0), expected)
    assert empirical_pvalues(x0.max() + 1, x0) == 1 / 1000  # the floor
    assert empirical_pvalues(-1.0, x0) == 1.0
    assert empirical_pvalues(x0.max(), x0) == 2 / 1000  # a tie counts as at least as extreme


def test_the_manuals_example():
    random = np.random.RandomState(1)
    x0 = random.chisquare(1, 5)
    x1 = random.chisquare(1, 10000)
    np.testing.assert_allclose(
        empirical_pvalues(x0, x1), [0.563, 1.0, 0.839, 0.7982, 0.5803], rtol=0, atol=1e-12
    )


@pytest.mark.parametrize("m", [20, 99])
def test_valid_under_the_null(m):
    """Observed and null statistics exchangeable: P(p ≤ α) ≤ α (exactly ⌊αm⌋/(m + 1))."""
    random = np.random.default_rng(m)
    reps = 40_000
    stats = random.standard_normal((reps, m + 1))
    pv = np.array([empirical_pvalues(row[0], row[1:]) for row in stats])
    for alpha in (0.05, 0.1, 0.5):
        expected = np.floor(alpha * m) / (m + 1)
        rate = float(np.mean(pv <= alpha + 1e-12))
        se = np.sqrt(expected * (1 - expected) / reps)
        assert rate <= alpha + 3 * se
        assert abs(rate - expected) < 4 * se


def test_labels_and_errors():
    s = pd.Series([0.5, 3.0], index=["rs1", "rs2"])
    got = empirical_pvalues(s, [0.0, 1.0, 2.0, 4.0])
    assert list(got.index) == ["rs1", "rs2"]
    np.testing.assert_allclose(got.to_numpy(), [1.0, 0.5])
    with pytest.raises(ValueError, match="xt has NaN"):
        empirical_pvalues([np.nan], [1.0])
    with pytest.raises(ValueError, match="x0 has non-finite"):
        empirical_pvalues([1.0], [np.nan, 1.0])
    with pytest.raises(ValueError, match="at least one"):
        empirical_pvalues([1.0], [])
