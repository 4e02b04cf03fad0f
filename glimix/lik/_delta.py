"""Product of Dirac deltas: yᵢ = g⁻¹(zᵢ) exactly."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..link import IdentityLink, Link
from ._base import ProdLik

__all__ = ["DeltaProdLik"]


class DeltaProdLik(ProdLik):
    """Product of Dirac delta likelihoods, p(𝐲 | 𝐳) = ∏ᵢ δ(yᵢ − g⁻¹(zᵢ)).

    The outcome is the latent vector itself mapped through the link — with the default identity
    link, 𝐲 = 𝐳: what a Gaussian process without noise samples. Any finite outcome is accepted.

    This likelihood has no ``logpdf``. Given 𝐳 the outcome is a point mass, which has no density:
    log δ(0) is not a number, and a stand-in such as "0 where yᵢ = zᵢ, −∞ elsewhere" would be
    useless for fitting (it is −∞ almost everywhere and its gradient is undefined). Models of
    continuous outcomes put their Gaussian noise into the covariance instead.

    Parameters
    ----------
    link
        Link function g; defaults to :class:`~glimix.link.IdentityLink`.

    Examples
    --------
    >>> from glimix.lik import DeltaProdLik
    >>>
    >>> lik = DeltaProdLik()
    >>> lik
    DeltaProdLik(link=IdentityLink())
    >>> print(lik.sample([-1.5, 0.0, 2.0]))
    [-1.5  0.   2. ]
    >>> lik.outcome = [0.3, -1.2]
    >>> lik.sample_size
    2
    """

    _name = "Delta"

    def __init__(self, link: Link | None = None) -> None:
        ProdLik.__init__(self, IdentityLink() if link is None else link)

    def _sample(
        self, z: NDArray[np.float64], random: np.random.RandomState | np.random.Generator
    ) -> NDArray[np.float64]:
        return self._link.inv(z)
