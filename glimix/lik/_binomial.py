"""Product of binomial likelihoods: yᵢ successes out of nᵢ trials, success probability g⁻¹(zᵢ)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln

from .._check import finite_vector
from ..link import Link, LogitLink
from ._base import ProdLik
from ._support import check_nonnegative, check_whole, log_probabilities, probabilities, times

__all__ = ["BinomialProdLik"]

#: Largest number of trials: integers beyond 2⁵³ are not all representable in float64.
MAX_NTRIALS = 2**53


class BinomialProdLik(ProdLik):
    """Product of binomial likelihoods, p(𝐲 | 𝐳) = ∏ᵢ C(nᵢ, yᵢ) μᵢ^yᵢ (1 − μᵢ)^(nᵢ−yᵢ).

    Site i counts yᵢ successes out of nᵢ independent trials, each a success with probability
    μᵢ = g⁻¹(zᵢ). The outcome is the number of successes (not the proportion), a whole number
    between 0 and nᵢ. Trials may be 0 (such a site has y = 0 and carries no information).

    Parameters
    ----------
    ntrials
        Number of trials nᵢ of each site: finite, non-negative whole numbers no larger than 2⁵³.
        It fixes the number of sites.
    link
        Link function g; defaults to :class:`~glimix.link.LogitLink`. It must map every zᵢ into
        [0, 1], as the logit and probit links do.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from glimix.lik import BinomialProdLik
    >>>
    >>> lik = BinomialProdLik([10, 10, 4])
    >>> lik
    BinomialProdLik(ntrials=[10, 10, 4], link=LogitLink())
    >>> lik.outcome = [5, 0, 4]
    >>> print(lik.logpdf([0.0, -50.0, 50.0]).round(6))
    [-1.402043 -0.       -0.      ]
    >>> print(lik.sample([0.0, -60.0, 60.0], RandomState(0)))
    [5. 0. 4.]
    """

    _name = "Binomial"

    def __init__(self, ntrials: ArrayLike, link: Link | None = None) -> None:
        n = finite_vector(ntrials, "ntrials").copy()
        check_nonnegative(n, "ntrials")
        check_whole(n, "ntrials")
        large = int(np.count_nonzero(n > MAX_NTRIALS))
        if large:
            raise ValueError(f"ntrials must be at most 2⁵³; {large} value(s) are larger.")
        n.flags.writeable = False
        self._ntrials = n
        ProdLik.__init__(self, LogitLink() if link is None else link)

    @property
    def ntrials(self) -> NDArray[np.float64]:
        """Number of trials nᵢ of each site (read-only float array of whole numbers)."""
        return self._ntrials

    def mean(self, z: ArrayLike) -> NDArray[np.float64]:
        """Success probability of each site, μᵢ = g⁻¹(zᵢ); the expected count is nᵢμᵢ.

        Parameters
        ----------
        z
            Finite latent vector, one entry per site.
        """
        return ProdLik.mean(self, z)

    def logpdf(self, z: ArrayLike) -> NDArray[np.float64]:
        """Log-likelihood of each site, log p(yᵢ | zᵢ).

        log C(nᵢ, yᵢ) + yᵢ log μᵢ + (nᵢ − yᵢ) log(1 − μᵢ), with the log binomial coefficient
        through log Γ (:func:`scipy.special.gammaln`) and log μᵢ, log(1 − μᵢ) computed on the
        latent scale for the logit and probit links (finite for every finite zᵢ). A zero count
        contributes nothing even when its log-probability is −∞.

        Parameters
        ----------
        z
            Finite latent vector, one entry per site.

        Raises
        ------
        ValueError
            If no outcome has been set, or ``z`` is not a finite vector of the outcome's size.
        """
        y, z = self._outcome_and_z(z)
        n = self._ntrials
        log_p, log_q = log_probabilities(self._link, z)
        log_choose = gammaln(n + 1) - gammaln(y + 1) - gammaln(n - y + 1)
        return log_choose + times(y, log_p) + times(n - y, log_q)

    def _fixed_size(self) -> int:
        return int(self._ntrials.shape[0])

    def _check_support(self, y: NDArray[np.float64]) -> None:
        check_nonnegative(y, "outcome")
        check_whole(y, "outcome")
        above = int(np.count_nonzero(y > self._ntrials))
        if above:
            raise ValueError(
                f"outcome must not exceed ntrials (successes out of trials); {above} value(s) do."
            )

    def _sample(
        self, z: NDArray[np.float64], random: np.random.RandomState | np.random.Generator
    ) -> NDArray[np.float64]:
        p = probabilities(self._link, z)
        return random.binomial(self._ntrials.astype(np.int64), p).astype(float)

    def _repr_args(self) -> str:
        trials = np.array2string(self._ntrials.astype(np.int64), separator=", ", threshold=8)
        return f"ntrials={trials}, link={self._link!r}"
