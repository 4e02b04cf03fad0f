"""Identity link, z = μ."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._base import Link

__all__ = ["IdentityLink"]


class IdentityLink(Link):
    """Identity link function, g(μ) = μ and g⁻¹(z) = z.

    The canonical link of the normal distribution, and the default of
    :class:`glimix.lik.DeltaProdLik`. Any real μ is accepted.

    Examples
    --------
    >>> from glimix.link import IdentityLink
    >>>
    >>> link = IdentityLink()
    >>> print(link.value([-1.5, 0.0, 2.0]))
    [-1.5  0.   2. ]
    >>> print(link.inv([-1.5, 0.0, 2.0]))
    [-1.5  0.   2. ]
    >>> link
    IdentityLink()
    """

    def _value(self, mu: NDArray[np.float64]) -> NDArray[np.float64]:
        return mu.copy()

    def _inv(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        return z.copy()
