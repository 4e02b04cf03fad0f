"""Logit link, z = log(μ / (1 − μ))."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit, logit

from ._base import Link

__all__ = ["LogitLink"]


class LogitLink(Link):
    """Logit link function, g(μ) = log(μ / (1 − μ)) and g⁻¹(z) = 1 / (1 + e⁻ᶻ).

    The canonical link of the Bernoulli and binomial distributions: μ ∈ [0, 1] is a probability
    (g(0) = −∞, g(1) = +∞). The inverse, the logistic sigmoid σ(z), is computed by
    :func:`scipy.special.expit`, which neither overflows nor loses the tails: σ(−700) ≈ 9.9e-305
    and σ(±1000) is 0 or 1 exactly as floating point allows.

    Examples
    --------
    >>> from glimix.link import LogitLink
    >>>
    >>> link = LogitLink()
    >>> print(link.value([0.5, 0.75]).round(6))
    [0.       1.098612]
    >>> print(link.inv([-1000.0, 0.0, 1000.0]))
    [0.  0.5 1. ]
    >>> print(round(link.latent_variance, 6))
    3.289868
    >>> link
    LogitLink()
    """

    _lower = 0.0
    _upper = 1.0

    @property
    def latent_variance(self) -> float:
        """Variance of the standard latent residual, π²/3 ≈ 3.29.

        A Bernoulli outcome with P(y=1) = σ(z) is the indicator y = 1[z + ε > 0] of a latent
        liability with a standard logistic residual ε, whose variance is π²/3. Dividing the
        latent-scale variance components by their sum plus π²/3 gives heritability on the
        liability scale.
        """
        return math.pi**2 / 3

    def _value(self, mu: NDArray[np.float64]) -> NDArray[np.float64]:
        return logit(mu)

    def _inv(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        return expit(z)
