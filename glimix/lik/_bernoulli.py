"""Product of Bernoulli likelihoods: yᵢ ∈ {0, 1} with P(yᵢ = 1) = g⁻¹(zᵢ)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..link import Link, LogitLink
from ._base import ProdLik
from ._support import log_probabilities, probabilities

__all__ = ["BernoulliProdLik"]


class BernoulliProdLik(ProdLik):
    """Product of Bernoulli likelihoods, p(𝐲 | 𝐳) = ∏ᵢ μᵢ^yᵢ (1 − μᵢ)^(1−yᵢ), μᵢ = g⁻¹(zᵢ).

    Each outcome yᵢ is 0 or 1 and P(yᵢ = 1 | zᵢ) = g⁻¹(zᵢ). With the default
    :class:`~glimix.link.LogitLink` this is logistic regression's likelihood;
    ``BernoulliProdLik(ProbitLink())`` is the probit Bernoulli likelihood, P(yᵢ = 1) = Φ(zᵢ),
    that of a liability-threshold model yᵢ = 1[zᵢ + εᵢ > 0] with εᵢ ∼ 𝓝(0, 1). Other links must
    map every zᵢ into [0, 1]; a ``ValueError`` says so when one does not.

    Parameters
    ----------
    link
        Link function g; defaults to :class:`~glimix.link.LogitLink`.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from glimix.lik import BernoulliProdLik
    >>> from glimix.link import ProbitLink
    >>>
    >>> lik = BernoulliProdLik()
    >>> lik
    BernoulliProdLik(link=LogitLink())
    >>> lik.outcome = [1, 0, 1]
    >>> print(lik.logpdf([0.0, -50.0, 50.0]).round(6))
    [-0.693147 -0.       -0.      ]
    >>> print(lik.sample([-60.0, 0.0, 60.0], RandomState(0)))
    [0. 0. 1.]
    >>> print(BernoulliProdLik(ProbitLink()).mean([0.0, 1.959964]).round(4))
    [0.5   0.975]
    """

    _name = "Bernoulli"

    def __init__(self, link: Link | None = None) -> None:
        ProdLik.__init__(self, LogitLink() if link is None else link)

    def logpdf(self, z: ArrayLike) -> NDArray[np.float64]:
        """Log-likelihood of each site, log p(yᵢ | zᵢ) = log μᵢ if yᵢ = 1, log(1 − μᵢ) if yᵢ = 0.

        With the logit link these are log σ(zᵢ) and log σ(−zᵢ) = −log(1 + e^{±zᵢ}); with the
        probit link log Φ(±zᵢ) (:func:`scipy.special.log_ndtr`). Both are computed on the latent
        scale, finite for every finite zᵢ: log σ(−50) ≈ −50 rather than log(0).

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
        log_p, log_q = log_probabilities(self._link, z)
        return np.where(y == 1, log_p, log_q)

    def _check_support(self, y: NDArray[np.float64]) -> None:
        bad = int(np.count_nonzero((y != 0) & (y != 1)))
        if bad:
            raise ValueError(f"outcome must hold only 0 and 1; {bad} value(s) are neither.")

    def _sample(
        self, z: NDArray[np.float64], random: np.random.RandomState | np.random.Generator
    ) -> NDArray[np.float64]:
        p = probabilities(self._link, z)
        return (random.uniform(size=z.shape[0]) < p).astype(float)
