"""Chi2Mixture: recovers the parameters of a large simulated mixture; sf is the mixture's."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2

from limix.stats import Chi2Mixture


def _mixture(n, weight, scale, dof, seed):
    random = np.random.RandomState(seed)
    x = scale * random.chisquare(dof, n)
    x[random.random_sample(n) >= weight] = 0.0
    return x


def test_recovers_a_large_mixture():
    x = _mixture(40_000, 0.4, 1.5, 1.0, 0)  # a tail of 1600 statistics: thinned to 250
    model = Chi2Mixture(qmax=0.1, n_intervals=100, lrt=x)
    assert abs(model.mixture - 0.4) < 0.01
    # the tail fit is noisy: ±0.15 is about three grid steps
    assert abs(model.scale - 1.5) < 0.15
    assert abs(model.dof - 1.0) < 0.15


def test_sf_is_the_mixture_survival():
    x = _mixture(500, 0.5, 1.0, 2.0, 1)
    model = Chi2Mixture(tol=1e-8)
    model.estimate_chi2mixture(x)
    t = np.array([0.0, 0.5, 3.0, 40.0])
    np.testing.assert_allclose(
        model.sf(t), model.mixture * chi2.sf(t / model.scale, model.dof), rtol=1e-12
    )
    assert model.sf(0.0) == pytest.approx(model.mixture)


def test_grid_is_respected():
    x = _mixture(1000, 0.5, 1.0, 1.0, 2)
    model = Chi2Mixture(
        scale_min=0.5, scale_max=2.0, dof_min=0.5, dof_max=2.0, n_intervals=4, lrt=x
    )
    assert model.scale in np.linspace(0.5, 2.0, 4)
    assert model.dof in np.linspace(0.5, 2.0, 4)


def test_errors():
    with pytest.raises(ValueError, match="not been fitted"):
        Chi2Mixture().sf([1.0])
    with pytest.raises(ValueError, match="at least two"):
        Chi2Mixture(lrt=[0.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="non-negative"):
        Chi2Mixture(lrt=[0.0, -1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="non-finite"):
        Chi2Mixture(lrt=[np.nan, 1.0, 2.0])
    with pytest.raises(ValueError, match="scale_min"):
        Chi2Mixture(scale_min=2.0, scale_max=1.0)
    with pytest.raises(ValueError, match="qmax"):
        Chi2Mixture(qmax=0)
    with pytest.raises(ValueError, match="n_intervals"):
        Chi2Mixture(n_intervals=0)


def _documented_procedure(x, scale_min, scale_max, dof_min, dof_max, n_intervals, qmax, tol):
    """The class docstring's three steps, written plainly (loops, scipy.stats.chi2.sf)."""
    import math

    nonzero = sorted((v for v in x if v > tol), reverse=True)  # step 1
    n1 = len(nonzero)
    mixture = n1 / len(x)
    m = math.ceil(qmax * n1)  # step 2
    ranks = list(range(1, m + 1))
    if m > 250:
        ranks = sorted({int(r) for r in np.round(np.linspace(1, m, 250))})
    best, best_mse = None, math.inf
    for i in range(n_intervals):  # step 3, scale-major; the first minimum wins
        scale = scale_min + (scale_max - scale_min) * i / (n_intervals - 1)
        for j in range(n_intervals):
            dof = dof_min + (dof_max - dof_min) * j / (n_intervals - 1)
            total = 0.0
            for rank in ranks:
                survival = chi2.sf(nonzero[rank - 1] / scale, dof)
                total += (math.log(survival) - math.log(rank / (n1 - 1))) ** 2
            mse = total / len(ranks)
            if mse < best_mse:
                best, best_mse = (scale, dof), mse
    return mixture, best[0], best[1]


@pytest.mark.parametrize(("n", "qmax"), [(400, 0.2), (6000, 0.5)])  # the second: > 250 ranks
def test_estimates_follow_the_documented_steps(n, qmax):
    random = np.random.RandomState(11)
    x = 0.7 * random.chisquare(1.3, n)
    x[random.rand(n) < 0.4] = 0.0
    settings = {"scale_min": 0.2, "scale_max": 3.0, "dof_min": 0.3, "dof_max": 4.0,
                "n_intervals": 25, "qmax": qmax, "tol": 1e-3}  # fmt: skip
    fitted = Chi2Mixture(**settings)
    fitted.estimate_chi2mixture(x)
    mixture, scale, dof = _documented_procedure(x, **settings)
    assert fitted.mixture == mixture
    assert fitted.scale == pytest.approx(scale, rel=1e-12)
    assert fitted.dof == pytest.approx(dof, rel=1e-12)
    # and the p-values are the mixture's survival at those estimates
    np.testing.assert_allclose(fitted.sf(x[:50]), mixture * chi2.sf(x[:50] / scale, dof),
                               rtol=1e-12)  # fmt: skip
