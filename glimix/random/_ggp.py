"""Sampling a generalised Gaussian process: 𝐳 ∼ 𝓝(𝐦, K), then 𝐲 ∼ p(𝐲 | 𝐳)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
from numpy.typing import NDArray

from ._gp import GPSampler
from ._state import RandomStateLike, as_random_state

if TYPE_CHECKING:
    from ..lik import ProdLik

__all__ = ["GGPSampler"]

Array = NDArray[np.float64]


class GGPSampler:
    """Sample from a generalised Gaussian process: 𝐳 ∼ 𝓝(𝐦, K), then 𝐲 ∼ p(𝐲 | 𝐳).

    The latent vector 𝐳 is drawn as by :class:`GPSampler`, then the outcome by the likelihood's
    ``sample`` from the same random number generator — so one seed fixes both.

    Parameters
    ----------
    lik
        Likelihood p(𝐲 | 𝐳), such as :class:`glimix.lik.BernoulliProdLik`. A binomial likelihood
        must have one ``ntrials`` entry per site.
    mean
        Mean function: anything whose ``value()`` is a finite vector of size n.
    cov
        Covariance function: anything whose ``value()`` is a finite, symmetric, positive
        semi-definite n×n matrix.

    Raises
    ------
    ValueError
        If the mean, the covariance and the likelihood disagree on n.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from glimix.example import offset_mean, linear_eye_cov
    >>> from glimix.lik import BernoulliProdLik
    >>> from glimix.link import LogitLink
    >>> from glimix.random import GGPSampler
    >>>
    >>> sampler = GGPSampler(BernoulliProdLik(LogitLink()), offset_mean(), linear_eye_cov())
    >>> y = sampler.sample(RandomState(1))
    >>> y.shape
    (10,)
    >>> set(y.tolist()) <= {0.0, 1.0}
    True
    >>> y_again, z = sampler.sample(RandomState(1), return_latent=True)
    >>> bool((y_again == y).all()), z.shape
    (True, (10,))
    """

    def __init__(self, lik: ProdLik, mean: Any, cov: Any) -> None:
        self._lik = lik
        self._gp = GPSampler(mean, cov)
        n = self._gp.mean.value().shape[0]
        size = getattr(lik, "ntrials", None)
        if size is not None and len(size) != n:
            raise ValueError(
                f"lik and mean sizes disagree: lik.ntrials has {len(size)} element(s), "
                f"mean.value() has {n}."
            )

    @property
    def lik(self) -> ProdLik:
        """Likelihood p(𝐲 | 𝐳)."""
        return self._lik

    @property
    def mean(self) -> Any:
        """Mean function of the latent process, 𝐦 = ``mean.value()``."""
        return self._gp.mean

    @property
    def cov(self) -> Any:
        """Covariance function of the latent process, K = ``cov.value()``."""
        return self._gp.cov

    @overload
    def sample(
        self, random_state: RandomStateLike = ..., return_latent: Literal[False] = ...
    ) -> Array: ...

    @overload
    def sample(
        self, random_state: RandomStateLike = ..., *, return_latent: Literal[True]
    ) -> tuple[Array, Array]: ...

    @overload
    def sample(
        self, random_state: RandomStateLike, return_latent: Literal[True]
    ) -> tuple[Array, Array]: ...

    def sample(
        self, random_state: RandomStateLike = None, return_latent: bool = False
    ) -> Array | tuple[Array, Array]:
        """Draw 𝐳 ∼ 𝓝(𝐦, K) and then 𝐲 ∼ p(𝐲 | 𝐳).

        Parameters
        ----------
        random_state
            ``None``, an integer seed, a :class:`numpy.random.RandomState` or a
            :class:`numpy.random.Generator` (see :func:`~glimix.random.as_random_state`); the
            same seed gives the same draw.
        return_latent
            Also return the latent draw 𝐳.

        Returns
        -------
        y
            The outcome, a vector of size n.
        z
            The latent vector it was drawn given; only if ``return_latent`` is true.
        """
        random = as_random_state(random_state)
        z = self._gp._draw(random)
        y = self._lik.sample(z, random)
        if return_latent:
            return y, z
        return y
