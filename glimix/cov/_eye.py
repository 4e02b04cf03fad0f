"""Identity covariance, K = s·I."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .._check import positive_int
from ._scaled import ScaledCov

__all__ = ["EyeCov"]


class EyeCov(ScaledCov):
    """Identity covariance function, K = s·I.

    The parameter s is the scale of the matrix.

    Parameters
    ----------
    dim
        Matrix dimension, d.

    Examples
    --------
    >>> from glimix.cov import EyeCov
    >>>
    >>> cov = EyeCov(2)
    >>> cov.scale = 2.5
    >>> print(cov.value())
    [[2.5 0. ]
     [0.  2.5]]
    >>> g = cov.gradient()
    >>> print(g['logscale'])
    [[2.5 0. ]
     [0.  2.5]]
    >>> cov.name = "I"
    >>> print(cov)
    EyeCov(dim=2): I
      scale: 2.5
    """

    def __init__(self, dim: int) -> None:
        self._dim = positive_int(dim, "dim")
        ScaledCov.__init__(self, "EyeCov")

    @property
    def dim(self) -> int:
        """Dimension of the matrix, d: its number of rows and of columns."""
        return self._dim

    @property
    def shape(self) -> tuple[int, int]:
        """Array shape, (d, d)."""
        return (self._dim, self._dim)

    def _unscaled(self) -> NDArray[np.float64]:
        return np.eye(self._dim)

    def _str_header(self) -> str:
        return f"EyeCov(dim={self._dim})"
