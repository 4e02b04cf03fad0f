"""Given covariance, K = s·K₀."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import readonly, symmetric_matrix
from ._scaled import ScaledCov

__all__ = ["GivenCov"]


class GivenCov(ScaledCov):
    """Given covariance function, K = s⋅K₀.

    The covariance matrix is the provided matrix K₀ scaled by s: K = s⋅K₀.

    Parameters
    ----------
    K0
        A finite, symmetric d×d matrix (positive semi-definite for K to be a covariance; that is
        not checked here, as it would cost an eigendecomposition).

    Examples
    --------
    >>> from glimix.cov import GivenCov
    >>> from numpy import dot
    >>> from numpy.random import RandomState
    >>>
    >>> G = RandomState(0).randn(5, 3)
    >>> K0 = dot(G, G.T)
    >>> cov = GivenCov(K0)
    >>> cov.scale = 1.3
    >>> cov.name = "K"
    >>> print(cov)
    GivenCov(K0=...): K
      scale: 1.3
    """

    def __init__(self, K0: ArrayLike) -> None:
        self._K0 = readonly(symmetric_matrix(K0, "K0"))
        ScaledCov.__init__(self, "GivenCov")

    @property
    def K0(self) -> NDArray[np.float64]:
        """The given matrix K₀."""
        return self._K0

    @property
    def shape(self) -> tuple[int, int]:
        """Array shape, (d, d)."""
        return self._K0.shape  # type: ignore[return-value]

    def _unscaled(self) -> NDArray[np.float64]:
        return self._K0

    def _str_header(self) -> str:
        return "GivenCov(K0=...)"
