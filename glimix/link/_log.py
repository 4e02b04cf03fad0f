"""Log link, z = log(μ)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._base import Link

__all__ = ["LogLink"]


class LogLink(Link):
    """Log link function, g(μ) = log(μ) and g⁻¹(z) = eᶻ.

    The canonical link of the Poisson distribution: μ ≥ 0 is a rate (g(0) = −∞). The inverse
    underflows gracefully to 0 for very negative z; above z ≈ 709.78 the rate eᶻ exceeds the
    largest float64 and is returned as +∞, without a warning.

    Examples
    --------
    >>> from glimix.link import LogLink
    >>>
    >>> link = LogLink()
    >>> print(link.value([1.0, 10.0]).round(6))
    [0.       2.302585]
    >>> print(link.inv([-1000.0, 0.0, 1.0]).round(6))
    [0.       1.       2.718282]
    >>> link
    LogLink()
    """

    _lower = 0.0

    def _value(self, mu: NDArray[np.float64]) -> NDArray[np.float64]:
        with np.errstate(divide="ignore"):
            return np.log(mu)

    def _inv(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        with np.errstate(over="ignore"):
            return np.exp(z)
