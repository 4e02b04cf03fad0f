"""multipletests against hand-written Bonferroni and Benjamini–Hochberg corrections."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from limix.stats import multipletests


def _bh(p):
    m = p.size
    order = np.argsort(p)
    adjusted = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(adjusted[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1)
    return out


def test_bonferroni_and_bh():
    p = np.random.default_rng(0).random(40) ** 3
    reject, corrected, sidak, bonf = multipletests(p, alpha=0.1, method="bonferroni")
    np.testing.assert_allclose(corrected, np.minimum(p * 40, 1))
    np.testing.assert_array_equal(reject, p * 40 <= 0.1)
    assert bonf == pytest.approx(0.1 / 40)
    assert sidak == pytest.approx(1 - 0.9 ** (1 / 40))
    reject, corrected, _, _ = multipletests(p, method="fdr_bh")
    np.testing.assert_allclose(corrected, _bh(p))
    np.testing.assert_array_equal(reject, _bh(p) <= 0.05)


def test_default_is_holm_sidak():
    p = np.array([0.001, 0.02, 0.03, 0.5])
    _, corrected, _, _ = multipletests(p)
    # step-down Šidák: 1 − (1 − p₍ᵢ₎)^(m − i + 1), made monotone
    raw = 1 - (1 - np.sort(p)) ** np.arange(4, 0, -1)
    np.testing.assert_allclose(corrected, np.maximum.accumulate(raw))


def test_labels_and_errors():
    s = pd.Series([0.01, 0.2], index=["rs1", "rs2"])
    reject, corrected, _, _ = multipletests(s, method="bonferroni")
    assert list(reject.index) == list(corrected.index) == ["rs1", "rs2"]
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        multipletests([0.1, 1.5])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        multipletests([0.1, np.nan])
    with pytest.raises(ValueError, match="method 'nonsense'"):
        multipletests([0.1, 0.2], method="nonsense")
    with pytest.raises(ValueError, match="not sorted"):
        multipletests([0.3, 0.2], is_sorted=True)
    with pytest.raises(ValueError, match="alpha"):
        multipletests([0.1], alpha=2.0)
