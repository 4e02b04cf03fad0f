"""The manual's first ``limix.qtl.scan`` example, at the level of LMM + FastScanner.

Its printed numbers depend only on the data (NumPy's RandomState(2)) and the model, so the null
fit and the summary of the per-candidate results must come out as printed.
"""

from __future__ import annotations

import numpy as np
from numpy.random import RandomState
from scipy.stats import chi2

from glimix.lmm import LMM

from .._manual import tutorial_trait


def _manual_data():
    return tutorial_trait(RandomState(2))


def test_null_hypothesis_as_printed():
    y, M, _ = _manual_data()
    lmm = LMM(y, M, None)
    lmm.fit(verbose=False)
    assert f"{lmm.v1:.3f}" == "3.462"
    np.testing.assert_allclose(lmm.beta, [2.10096551, 0.19582931], rtol=0, atol=5e-9)
    se = np.sqrt(np.diag(lmm.beta_covariance))
    np.testing.assert_allclose(se, [1.25826998, 0.01068367], rtol=0, atol=5e-9)
    np.testing.assert_allclose(lmm.lml(), -203.98750767964498, rtol=1e-13)


def test_candidate_summaries_as_printed():
    y, M, G = _manual_data()
    lmm = LMM(y, M, None)
    lmm.fit(verbose=False)
    scanner = lmm.get_fast_scanner()
    r = scanner.fast_scan(G, verbose=False)

    def summary(x):
        x = np.asarray(x).ravel()
        q = np.percentile(x, [0, 25, 50, 75, 100])
        return [f"{v:.3e}" for v in [x.mean(), x.std(ddof=1), *q]]

    assert summary(r["lml"]) == [
        "-1.951e+02",
        "9.227e+00",
        "-2.031e+02",
        "-2.026e+02",
        "-1.967e+02",
        "-1.893e+02",
        "-1.841e+02",
    ]
    assert summary(r["effsizes0"]) == [
        "9.915e-01",
        "9.342e-01",
        "1.844e-01",
        "1.959e-01",
        "5.965e-01",
        "1.831e+00",
        "2.312e+00",
    ]
    assert summary(r["effsizes1"]) == [
        "-6.198e-01",
        "3.974e-01",
        "-1.025e+00",
        "-9.275e-01",
        "-6.047e-01",
        "-2.970e-01",
        "-2.448e-01",
    ]
    pv = chi2(1).sf(2 * (r["lml"] - scanner.null_lml()))
    assert summary(pv) == [
        "6.514e-02",
        "8.856e-02",
        "2.804e-10",
        "2.606e-07",
        "3.651e-02",
        "1.016e-01",
        "1.875e-01",
    ]
