"""Textbook formulas the glimix tests compare with, written without glimix."""

from __future__ import annotations

import numpy as np
from scipy.special import expit, gammaln, log_ndtr


def log_lik(kind, y, z, ntrials=None):
    """log p(y | z) of one site for the likelihood ``kind``, straight from its definition.

    Parameters
    ----------
    kind
        ``"bernoulli"`` (logit link), ``"probit"``, ``"poisson"`` (log link) or, for anything
        else, binomial with the logit link.
    y
        The outcome: 0 or 1, a count, or the number of successes.
    z
        The latent value.
    ntrials
        Number of trials of a binomial site.
    """
    if kind == "bernoulli":
        return np.log(expit(z)) if y == 1 else np.log(expit(-z))
    if kind == "probit":
        return log_ndtr(z) if y == 1 else log_ndtr(-z)
    if kind == "poisson":
        return y * z - np.exp(z) - gammaln(y + 1)
    logc = gammaln(ntrials + 1) - gammaln(y + 1) - gammaln(ntrials - y + 1)
    return logc + y * np.log(expit(z)) + (ntrials - y) * np.log(expit(-z))
