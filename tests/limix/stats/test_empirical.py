"""empirical_pvalues against direct counting."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from limix.stats import empirical_pvalues


def test_direct_count_with_floor():
    random = np.random.default_rng(0)
    x0 = random.chisquare(1, 1000)
    xt = np.concatenate([random.chisquare(1, 50), [x0.max(), x0.max() + 1, -1.0]])
    expected = np.array([max((x0 >= v).sum(), 1) / x0.size for v in xt])
    np.testing.assert_allclose(empirical_pvalues(xt, x0), expected)
    assert empirical_pvalues(x0.max() + 1, x0) == 1 / 1000  # the floor
    assert empirical_pvalues(-1.0, x0) == 1.0


def test_labels_and_errors():
    s = pd.Series([0.5, 3.0], index=["rs1", "rs2"])
    got = empirical_pvalues(s, [0.0, 1.0, 2.0, 4.0])
    assert list(got.index) == ["rs1", "rs2"]
    np.testing.assert_allclose(got.to_numpy(), [0.75, 0.25])
    with pytest.raises(ValueError, match="xt has NaN"):
        empirical_pvalues([np.nan], [1.0])
    with pytest.raises(ValueError, match="x0 has non-finite"):
        empirical_pvalues([1.0], [np.nan, 1.0])
    with pytest.raises(ValueError, match="at least one"):
        empirical_pvalues([1.0], [])
