"""Product of Poisson likelihoods: counts yᵢ with rate g⁻¹(zᵢ)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln

from ..link import Link, LogLink
from ._base import ProdLik
from ._support import check_nonnegative, check_whole, rates, times

__all__ = ["PoissonProdLik"]

#: Largest rate numpy's Poisson sampler accepts (that of ``RandomState`` and ``Generator``).
MAX_RATE = float(np.iinfo(np.int64).max - 10 * np.sqrt(np.iinfo(np.int64).max))


class PoissonProdLik(ProdLik):
    """Product of Poisson likelihoods, p(𝐲 | 𝐳) = ∏ᵢ λᵢ^yᵢ e^(−λᵢ) / yᵢ!, λᵢ = g⁻¹(zᵢ).

    Each outcome yᵢ is a count 0, 1, 2, … with rate (mean) λᵢ = g⁻¹(zᵢ). Other links than the
    default must map every zᵢ to a non-negative rate; a ``ValueError`` says so when one does not.

    Parameters
    ----------
    link
        Link function g; defaults to :class:`~glimix.link.LogLink`.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from glimix.lik import PoissonProdLik
    >>>
    >>> lik = PoissonProdLik()
    >>> lik
    PoissonProdLik(link=LogLink())
    >>> lik.outcome = [0, 2, 3]
    >>> print(lik.logpdf([0.0, 0.0, -50.0]).round(6))
    [  -1.        -1.693147 -151.791759]
    >>> print(lik.sample([-60.0, 0.0, 3.0], RandomState(0)))
    [ 0.  2. 19.]
    """

    _name = "Poisson"

    def __init__(self, link: Link | None = None) -> None:
        ProdLik.__init__(self, LogLink() if link is None else link)

    def logpdf(self, z: ArrayLike) -> NDArray[np.float64]:
        """Log-likelihood of each site, log p(yᵢ | zᵢ) = yᵢ log λᵢ − λᵢ − log yᵢ!.

        With the log link this is yᵢzᵢ − e^zᵢ − log yᵢ!, never taking log(e^zᵢ): it stays exact
        for very negative zᵢ and is −∞ once e^zᵢ overflows (zᵢ ≳ 709.78). Other links go through
        λᵢ = g⁻¹(zᵢ), with a zero count contributing nothing even when λᵢ = 0.

        Parameters
        ----------
        z
            Finite latent vector, one entry per outcome.

        Raises
        ------
        ValueError
            If no outcome has been set, or ``z`` is not a finite vector of the outcome's size.
        """
        y, z = self._outcome_and_z(z)
        if isinstance(self._link, LogLink):
            with np.errstate(over="ignore"):
                return y * z - np.exp(z) - gammaln(y + 1)
        lam = rates(self._link, z)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = times(y, np.log(lam)) - lam - gammaln(y + 1)
        return np.where(np.isinf(lam), -np.inf, value)

    def _check_support(self, y: NDArray[np.float64]) -> None:
        check_nonnegative(y, "outcome")
        check_whole(y, "outcome")

    def _sample(
        self, z: NDArray[np.float64], random: np.random.RandomState | np.random.Generator
    ) -> NDArray[np.float64]:
        lam = rates(self._link, z)
        large = int(np.count_nonzero(lam > MAX_RATE))
        if large:
            raise ValueError(
                f"z gives {large} rate(s) g⁻¹(z) above {MAX_RATE:.3g}, too large to sample."
            )
        return random.poisson(lam).astype(float)
