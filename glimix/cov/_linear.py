"""Linear covariance, K = s·XXᵀ."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import finite_matrix, readonly
from ._scaled import ScaledCov

__all__ = ["LinearCov"]


class LinearCov(ScaledCov):
    """Linear covariance function, K = s⋅XXᵀ.

    The mathematical representation is s⋅XXᵀ, for a n×r matrix X provided by the user and a
    scaling parameter s.

    Parameters
    ----------
    X
        A finite n×r matrix.

    Examples
    --------
    >>> from glimix.cov import LinearCov
    >>> from numpy import dot
    >>> from numpy.random import RandomState
    >>>
    >>> X = RandomState(0).randn(2, 3)
    >>> cov = LinearCov(X)
    >>> cov.scale = 1.3
    >>> cov.name = "K"
    >>> print(cov)
    LinearCov(): K
      scale: 1.3
    """

    def __init__(self, X: ArrayLike) -> None:
        self._X = readonly(finite_matrix(X, "X"))
        ScaledCov.__init__(self, "LinearCov")

    @property
    def X(self) -> NDArray[np.float64]:
        """Matrix X from K = s⋅XXᵀ."""
        return self._X

    @property
    def shape(self) -> tuple[int, int]:
        """Array shape, (n, n)."""
        n = self._X.shape[0]
        return (n, n)

    def _unscaled(self) -> NDArray[np.float64]:
        return self._X @ self._X.T

    def _str_header(self) -> str:
        return "LinearCov()"
