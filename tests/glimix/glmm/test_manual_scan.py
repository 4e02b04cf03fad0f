"""The manual's non-normal trait association (Poisson) at the glimix level.

The data are the manual's (``limix.qtl.scan`` section): its random stream, a linear kinship
from 50 standardised variants, one multivariate normal draw by Cholesky factor, and the trait
standardised by pandas (ddof = 1) before the Poisson draw. The null is GLMMExpFam; the tests of
the four candidates are the scanner of its EP pseudo-observations. Every printed summary is
reproduced to its printed digits (p-values to 10⁻³ relative); the null's lml, 𝜶 and se(𝜶) to the
digits the EP and optimiser tolerances leave (lml within 2⋅10⁻⁴, 𝜶 within 10⁻⁶ relative).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2

from glimix.glmm import GLMMExpFam
from glimix.linalg import economic_qs

from .._manual import NSAMPLES, tutorial_kinship, tutorial_trait


def _manual_data():
    random = np.random.RandomState(2)
    y, M, G = tutorial_trait(random)
    K = tutorial_kinship(random)
    y = y + np.linalg.cholesky(K) @ random.standard_normal(NSAMPLES)
    z = (y - y.mean()) / y.std(ddof=1)  # a pandas Series in the manual: ddof = 1
    y = random.poisson(np.exp(z))
    return y, M, G, K


def _summary(x):
    return [x.mean(), x.std(ddof=1), x.min(), *np.percentile(x, [25, 50, 75]), x.max()]


def test_manual_poisson_scan():
    y, M, G, K = _manual_data()
    glmm = GLMMExpFam(y, "poisson", M, economic_qs(K))
    glmm.fit(verbose=False)
    assert f"{glmm.v0:.3f} {glmm.v1:.3f}" == "0.154 0.000"
    scanner = glmm.get_fast_scanner()
    np.testing.assert_allclose(scanner.null_beta, [5.17511934, 0.04665214], rtol=1e-5)
    np.testing.assert_allclose(scanner.null_beta_se, [0.85159296, 0.00604330], rtol=1e-5)
    null = scanner.null_lml()
    assert null == pytest.approx(-145.33385788740767, abs=1e-3)

    r = scanner.fast_scan(G, verbose=False)
    printed = {
        "lml": [-1.440e02, 1.343e00, -1.453e02, -1.450e02, -1.439e02, -1.428e02, -1.427e02],
        "cov": [2.553e00, 2.682e00, 4.345e-02, 4.635e-02, 2.456e00, 5.054e00, 5.202e00],
        "cand": [-1.306e-01, 9.268e-02, -2.227e-01, -2.018e-01, -1.344e-01, -6.321e-02, -3.085e-02],
        "pv": [2.830e-01, 3.213e-01, 2.274e-02, 2.519e-02, 2.113e-01, 4.692e-01, 6.867e-01],
    }
    pv = chi2(1).sf(2 * (r["lml"] - null))
    ours = {
        "lml": _summary(r["lml"]),
        "cov": _summary(r["effsizes0"].ravel()),
        "cand": _summary(r["effsizes1"]),
        "pv": _summary(pv),
    }
    for key in ("lml", "cov", "cand"):
        assert [f"{v:.3e}" for v in ours[key]] == [f"{v:.3e}" for v in printed[key]], key
    # The p-values also carry the null's lml, 2⋅10⁻⁴ from the printed one: the smallest,
    # 0.022735, rounds to 2.273e-02 against the printed 2.274e-02.
    np.testing.assert_allclose(ours["pv"], printed["pv"], rtol=1e-3)
