"""The data of the manual's ``limix.qtl.scan`` tutorial, drawn as the manual draws them.

The tutorial takes every number from one ``RandomState(2)`` stream, in order: the covariates
(an offset and ages), four candidates and a trait, then 50 variants for a linear kinship, then
what each example needs. The functions below make those draws, so that a test continuing the
stream gets the manual's numbers.
"""

from __future__ import annotations

import numpy as np

#: Number of samples of the tutorial.
NSAMPLES = 100


def tutorial_trait(random):
    """The tutorial's first draws: the trait 𝐲 = 𝙼𝛂 + 𝙶𝛃 + 𝛆, its covariates 𝙼 and candidates 𝙶.

    Parameters
    ----------
    random
        ``numpy.random.RandomState(2)``, before any draw; the draws continue from where these
        end.

    Returns
    -------
    y, M, G
        The trait (n), the covariates [offset, age] (n×2) and the four candidates (n×4).
    """
    n = NSAMPLES
    offset = np.ones(n) * random.randn()
    age = random.randint(16, 75, n)
    M = np.stack((offset, age), axis=1)
    G = random.randn(n, 4)
    alpha = random.randn(2)
    beta = random.randn(4)
    eps = random.randn(n)
    return M @ alpha + G @ beta + eps, M, G


def linear_kinship(G):
    """K = XXᵀ/d, X the column-standardised G (the manual's limix.stats.linear_kinship)."""
    X = (G - G.mean(axis=0)) / G.std(axis=0)
    return X @ X.T / G.shape[1]


def tutorial_kinship(random):
    """The tutorial's kinship, linear_kinship of 50 variants + 10⁻⁹𝙸, drawn after
    :func:`tutorial_trait`."""
    return linear_kinship(random.randn(NSAMPLES, 50)) + 1e-9 * np.eye(NSAMPLES)
