"""Sampling a Gaussian process: 𝐲 ∼ 𝓝(𝐦, K)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._check import finite_vector
from ._factor import psd_factor
from ._state import RandomStateLike, as_random_state

__all__ = ["GPSampler"]

Array = NDArray[np.float64]


class GPSampler:
    """Sample from a Gaussian process, 𝐲 ∼ 𝓝(𝐦, K).

    𝐦 = ``mean.value()`` and K = ``cov.value()`` are read at every draw, so changing a parameter
    of either function changes what the next draw follows. A draw is 𝐦 + L𝐮 with 𝐮 a vector of
    n standard normals and L = K^½ the principal square root of K
    (:func:`~glimix.random.psd_factor`): unique for each K, singular ones included, so a seed
    gives the same draw on every CPU and BLAS. The factor is reused while K is unchanged.

    Parameters
    ----------
    mean
        Mean function: anything whose ``value()`` is a finite vector of size n (for instance
        :class:`glimix.mean.OffsetMean`).
    cov
        Covariance function: anything whose ``value()`` is a finite, symmetric, positive
        semi-definite n×n matrix (for instance a :mod:`glimix.cov` function).

    Raises
    ------
    ValueError
        If the mean and the covariance disagree on n, or either value is invalid.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from glimix.example import offset_mean, linear_eye_cov
    >>> from glimix.random import GPSampler
    >>>
    >>> mean = offset_mean()
    >>> cov = linear_eye_cov()
    >>> y = GPSampler(mean, cov).sample(RandomState(94584))
    >>> y.shape
    (10,)
    """

    def __init__(self, mean: Any, cov: Any) -> None:
        self._mean = mean
        self._cov = cov
        self._cached: tuple[Array, Array] | None = None
        self._moments()

    @property
    def mean(self) -> Any:
        """Mean function, 𝐦 = ``mean.value()``."""
        return self._mean

    @property
    def cov(self) -> Any:
        """Covariance function, K = ``cov.value()``."""
        return self._cov

    def sample(self, random_state: RandomStateLike = None) -> Array:
        """Draw 𝐲 ∼ 𝓝(𝐦, K).

        Parameters
        ----------
        random_state
            ``None``, an integer seed, a :class:`numpy.random.RandomState` or a
            :class:`numpy.random.Generator` (see :func:`~glimix.random.as_random_state`); the
            same seed gives the same draw.

        Returns
        -------
        y
            A vector of size n.
        """
        return self._draw(as_random_state(random_state))

    def _draw(self, random: np.random.RandomState | np.random.Generator) -> Array:
        m, L = self._moments()
        return m + L @ random.standard_normal(m.shape[0])

    def _moments(self) -> tuple[Array, Array]:
        """The mean vector and a factor L of K (L·Lᵀ = K), checked for agreeing sizes."""
        m = finite_vector(self._mean.value(), "mean.value()")
        K = np.asarray(self._cov.value(), dtype=float)
        if K.ndim != 2 or K.shape != (m.shape[0], m.shape[0]):
            raise ValueError(
                f"mean and cov sizes disagree: mean.value() has {m.shape[0]} element(s), "
                f"so cov.value() must be {m.shape[0]}×{m.shape[0]}; got shape {K.shape}."
            )
        if self._cached is not None and np.array_equal(self._cached[0], K):
            return m, self._cached[1]
        L = psd_factor(K, "cov.value()")
        self._cached = (K.copy(), L)
        return m, L
