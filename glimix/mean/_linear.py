"""Linear mean, 𝐦 = X𝜶."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from optimix import Vector

from .._check import finite_matrix, finite_vector, readonly
from .._function import Function

__all__ = ["LinearMean"]


class LinearMean(Function):
    """Linear mean function, X𝜶.

    It defines X𝜶, for which X is a n×m matrix provided by the user and 𝜶 is a vector of size m
    (variable ``effsizes``, unbounded, starting at zero).

    Parameters
    ----------
    X
        A finite n×m matrix of covariates.

    Examples
    --------
    >>> from glimix.mean import LinearMean
    >>>
    >>> mean = LinearMean([[1.5, 0.2], [0.5, 0.4]])
    >>> mean.effsizes = [1.0, -1.0]
    >>> print(mean.value())
    [1.3 0.1]
    >>> print(mean.gradient()["effsizes"])
    [[1.5 0.2]
     [0.5 0.4]]
    >>> mean.name = "𝐦"
    >>> print(mean)
    LinearMean(m=2): 𝐦
      effsizes: [ 1. -1.]
    """

    def __init__(self, X: ArrayLike) -> None:
        self._X = readonly(finite_matrix(X, "X"))
        self._effsizes = Vector(np.zeros(self._X.shape[1]))
        Function.__init__(self, "LinearMean", effsizes=self._effsizes)

    @property
    def X(self) -> NDArray[np.float64]:
        """An n×m matrix of covariates."""
        return self._X

    @property
    def size(self) -> int:
        """Size n of the mean vector."""
        return self._X.shape[0]

    @property
    def effsizes(self) -> NDArray[np.float64]:
        """Effect-sizes parameter, 𝜶, of size m."""
        return np.array(self._effsizes.value, dtype=float)

    @effsizes.setter
    def effsizes(self, value: ArrayLike) -> None:
        self._effsizes.value = finite_vector(value, "effsizes", self._X.shape[1])

    def value(self) -> NDArray[np.float64]:
        """Linear mean function, X𝜶."""
        return self._X @ self.effsizes

    def gradient(self) -> dict[str, NDArray[np.float64]]:
        """Gradient over the effect sizes: the n×m matrix X."""
        return {"effsizes": self._X}

    def _str_header(self) -> str:
        return f"LinearMean(m={self._X.shape[1]})"

    def _str_params(self) -> list[tuple[str, Any]]:
        return [("effsizes", self.effsizes)]
