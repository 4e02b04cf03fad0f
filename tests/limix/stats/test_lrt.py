"""lrt_pvalues against the χ² survival function, with the documented clipping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from limix.stats import lrt_pvalues


@pytest.mark.parametrize("dof", [1, 2, 5])
def test_against_chi2(dof):
    alt = -100 + np.array([0.01, 0.5, 2.0, 10.0, 30.0])
    np.testing.assert_allclose(lrt_pvalues(-100.0, alt, dof), chi2.sf(2 * (alt + 100), dof))


def test_clipping():
    pv = lrt_pvalues(0.0, [-1e-9, 0.0, 1e4])
    assert pv[0] == pv[1] == 1 - np.finfo(float).eps  # a fit slightly worse than the null
    assert pv[2] == np.finfo(float).tiny  # never exactly zero
    assert 0 < lrt_pvalues(0.0, 400.0) < 1e-170


def test_labels_and_errors():
    s = pd.Series([-9.0, -8.0], index=["rs1", "rs2"])
    got = lrt_pvalues(-10.0, s)
    assert list(got.index) == ["rs1", "rs2"]
    np.testing.assert_allclose(got.to_numpy(), chi2.sf([2.0, 4.0], 1))
    with pytest.raises(ValueError, match="alt_lmls has non-finite"):
        lrt_pvalues(0.0, [np.nan])
    with pytest.raises(ValueError, match="null_lml"):
        lrt_pvalues(np.nan, [1.0])
    with pytest.raises(ValueError, match="dof"):
        lrt_pvalues(0.0, [1.0], dof=0)


def test_one_null_per_alternative():
    """An array of nulls (the lml0 column of a scan with a null per chromosome or per trait)
    pairs each alternative with its own null."""
    null = np.array([-100.0, -50.0, -10.0])
    alt = np.array([-98.0, -47.0, -10.0])
    expected = chi2(1).sf(2 * (alt - null))
    np.testing.assert_allclose(lrt_pvalues(null, alt), expected, rtol=1e-12)
    labelled = lrt_pvalues(pd.Series(null), pd.Series(alt, index=["a", "b", "c"]))
    assert list(labelled.index) == ["a", "b", "c"]
    with pytest.raises(ValueError, match="null_lml must be a number or have"):
        lrt_pvalues(null[:2], alt)
    with pytest.raises(ValueError, match="null_lml has non-finite"):
        lrt_pvalues(np.array([np.nan, 0.0, 0.0]), alt)
