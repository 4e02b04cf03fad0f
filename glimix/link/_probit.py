"""Probit link, z = Φ⁻¹(μ)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr, ndtri

from ._base import Link

__all__ = ["ProbitLink"]


class ProbitLink(Link):
    """Probit link function, g(μ) = Φ⁻¹(μ) and g⁻¹(z) = Φ(z).

    Φ is the standard normal cumulative distribution function, so μ ∈ [0, 1] is a probability
    (g(0) = −∞, g(1) = +∞). Both directions go through :func:`scipy.special.ndtr` and
    :func:`scipy.special.ndtri`, accurate in the tails: Φ(−37) ≈ 5.7e-300 and Φ(±1000) is 0 or 1.

    Examples
    --------
    >>> from glimix.link import ProbitLink
    >>>
    >>> link = ProbitLink()
    >>> print(link.value([0.5, 0.975]).round(6))
    [0.       1.959964]
    >>> print(link.inv([-1000.0, 0.0, 1000.0]))
    [0.  0.5 1. ]
    >>> link.latent_variance
    1.0
    >>> link
    ProbitLink()
    """

    _lower = 0.0
    _upper = 1.0

    @property
    def latent_variance(self) -> float:
        """Variance of the standard latent residual, 1.

        A Bernoulli outcome with P(y=1) = Φ(z) is the indicator y = 1[z + ε > 0] of a latent
        liability with a standard normal residual ε, whose variance is 1. Dividing the
        latent-scale variance components by their sum plus 1 gives heritability on the liability
        scale.
        """
        return 1.0

    def _value(self, mu: NDArray[np.float64]) -> NDArray[np.float64]:
        return ndtri(mu)

    def _inv(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        return ndtr(z)
