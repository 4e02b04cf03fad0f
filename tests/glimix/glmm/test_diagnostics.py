"""Separation is found before fitting; fits without a finite maximum end with a warning."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.glmm._diagnostics import GLMMFitWarning, check_fittable, warn_separation
from glimix.lik import BernoulliProdLik, BinomialProdLik, PoissonProdLik


def _lik(cls, y, *args):
    lik = cls(*args)
    lik.outcome = y
    return lik


def test_binomial_quasi_separation_and_its_absence():
    X = np.column_stack([np.ones(6), [0, 0, 1, 1, 2, 2]])
    trials = np.array([5, 5, 5, 5, 5, 5])
    # Only the top dose is at an end; 𝐱ᵢᵀ𝐝 must vanish at doses 0 and 1, so 𝐝 = 0.
    check_fittable(_lik(BinomialProdLik, [1, 2, 3, 2, 5, 5], trials), X)
    # Centred dose −1, 0, 1 with all failures at −1 and all successes at 1: 𝐝 = 1 separates.
    with pytest.raises(ValueError, match="X separates"):
        check_fittable(_lik(BinomialProdLik, [0, 0, 3, 2, 5, 5], trials), X[:, [1]] - 1)
    # Samples without trials carry nothing and are ignored.
    check_fittable(_lik(BinomialProdLik, [0, 0, 3, 2, 1, 4], [0, 0, 5, 5, 5, 5]), X)


def test_bernoulli_overlap_is_fittable_and_separation_is_not():
    x = np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0])
    X = np.column_stack([np.ones(6), x])
    check_fittable(_lik(BernoulliProdLik, [0, 1, 0, 1, 0, 1]), X)
    with pytest.raises(ValueError, match="X separates"):
        check_fittable(_lik(BernoulliProdLik, [0, 0, 0, 1, 1, 1]), X)
    with pytest.raises(ValueError, match="X separates"):  # quasi-complete: a tie at the border
        check_fittable(_lik(BernoulliProdLik, [0, 0, 1, 1, 1, 1]), np.column_stack([X, x > 0]))
    # All equal without an offset: no direction moves every site the same way.
    check_fittable(_lik(BernoulliProdLik, [1, 1, 1, 1, 1, 1]), x[:, None])


def test_poisson_zero_counts():
    X = np.column_stack([np.ones(5), [1, 1, 0, 0, 0]])
    with pytest.raises(ValueError, match="X separates"):
        check_fittable(_lik(PoissonProdLik, [0, 0, 3, 1, 2]), X)
    check_fittable(_lik(PoissonProdLik, [0, 1, 3, 1, 2]), X)
    with pytest.raises(ValueError, match="every outcome is 0"):
        check_fittable(_lik(PoissonProdLik, [0, 0, 0, 0, 0]), X)


def test_separation_warning_accounts_for_the_latent_variance():
    lik = _lik(BernoulliProdLik, [0, 1])
    with pytest.warns(GLMMFitWarning, match="1 sample"):
        warn_separation(lik, np.array([0.0, 40.0]), np.array([1.0, 1.0]))
    warn_separation(lik, np.array([0.0, 40.0]), np.array([1.0, 1e4]))  # σ(40/√3928): no warning
