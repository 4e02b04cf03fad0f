"""Sum of covariances, K = K₀ + K₁ + ⋯."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .._function import Function, SumFunction

__all__ = ["SumCov"]


class SumCov(SumFunction):
    """Sum of covariance functions, K = K₀ + K₁ + ⋯.

    The variables of the i-th term are named ``SumCov[i].<name>`` (for instance
    ``SumCov[0].logscale``); these names are fixed at construction.

    Parameters
    ----------
    covariances
        One or more distinct covariance functions (objects with ``shape``, ``value()`` and
        ``gradient()``) of the same shape; no two may share a parameter.

    Examples
    --------
    >>> from glimix.cov import LinearCov, SumCov
    >>> from numpy.random import RandomState
    >>>
    >>> random = RandomState(0)
    >>> cov_left = LinearCov(random.randn(4, 20))
    >>> cov_right = LinearCov(random.randn(4, 15))
    >>> cov_left.scale = 0.5
    >>>
    >>> cov = SumCov([cov_left, cov_right])
    >>> cov_left.name = "A"
    >>> cov_right.name = "B"
    >>> cov.name = "A+B"
    >>> print(cov)
    SumCov(covariances=...): A+B
      LinearCov(): A
        scale: 0.5
      LinearCov(): B
        scale: 1.0
    >>> sorted(cov.gradient().keys())
    ['SumCov[0].logscale', 'SumCov[1].logscale']
    """

    _term_kind = "covariance function"

    def __init__(self, covariances: Sequence[Function]) -> None:
        SumFunction.__init__(self, "SumCov", "covariances", covariances)

    def _check_alike(self, terms: list[Function]) -> None:
        shapes = {tuple(c.shape) for c in terms}
        if len(shapes) != 1:
            raise ValueError(f"covariances must all have the same shape; got {sorted(shapes)}.")

    @property
    def covariances(self) -> list[Function]:
        """The summed covariance functions."""
        return list(self._terms)

    @property
    def shape(self) -> tuple[int, int]:
        """Array shape, that of every term."""
        return tuple(self._terms[0].shape)  # type: ignore[return-value]

    def value(self) -> NDArray[np.float64]:
        """Sum of covariance matrices, K₀ + K₁ + ⋯."""
        return self._sum_of_values()

    def gradient(self) -> dict[str, NDArray[np.float64]]:
        """Derivatives of each term, keyed ``SumCov[i].<variable>``: ∂K = ∂K₀ + ∂K₁ + ⋯."""
        return self._prefixed_gradients()
