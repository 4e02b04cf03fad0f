"""Low-rank free-form covariance, K = LLᵀ with L of size n×m."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from optimix import Vector

from .._check import finite_matrix, finite_vector, positive_int
from .._function import Function

__all__ = ["LRFreeFormCov"]


class LRFreeFormCov(Function):
    """General semi-definite positive matrix of low rank, K = LLᵀ.

    The covariance matrix K is given by LLᵀ, where L is a n×m matrix and n≥m. Therefore, K will
    have rank(K) ≤ m. Every entry of L is a parameter: the variable ``Lu`` is L flattened row by
    row (n⋅m values), and

        ∂K/∂Lᵢⱼ = AᵢⱼLᵀ + LAᵢⱼᵀ,

    where Aᵢⱼ is an n×m matrix of zeros except at [Aᵢⱼ]ᵢⱼ=1. L starts as a matrix of ones.

    Parameters
    ----------
    n
        Dimension of K.
    m
        Number of columns of L (the maximal rank of K), 1 ≤ m ≤ n.

    Examples
    --------
    >>> from glimix.cov import LRFreeFormCov
    >>> cov = LRFreeFormCov(3, 2)
    >>> print(cov.L)
    [[1. 1.]
     [1. 1.]
     [1. 1.]]
    >>> cov.L = [[1, 2], [0, 3], [1, 3]]
    >>> print(cov.L)
    [[1. 2.]
     [0. 3.]
     [1. 3.]]
    >>> cov.name = "F"
    >>> print(cov)
    LRFreeFormCov(n=3, m=2): F
      L: [[1. 2.]
          [0. 3.]
          [1. 3.]]
    """

    def __init__(self, n: int, m: int) -> None:
        self._n = positive_int(n, "n")
        self._m = positive_int(m, "m")
        if self._m > self._n:
            raise ValueError(f"m must not exceed n; got n={self._n}, m={self._m}.")
        self._Lu = Vector(np.ones(self._n * self._m))
        Function.__init__(self, "LRFreeFormCov", Lu=self._Lu)

    @property
    def shape(self) -> tuple[int, int]:
        """Array shape, (n, n)."""
        return (self._n, self._n)

    @property
    def L(self) -> NDArray[np.float64]:
        """Matrix L from K = LLᵀ, n×m."""
        return np.array(self._Lu.value, dtype=float).reshape(self._n, self._m)

    @L.setter
    def L(self, value: ArrayLike) -> None:
        self._Lu.value = finite_matrix(value, "L", (self._n, self._m)).ravel()

    @property
    def Lu(self) -> NDArray[np.float64]:
        """Flat parameter vector: L row by row."""
        return np.array(self._Lu.value, dtype=float)

    @Lu.setter
    def Lu(self, value: ArrayLike) -> None:
        self._Lu.value = finite_vector(value, "Lu", self._n * self._m)

    def value(self) -> NDArray[np.float64]:
        """Covariance matrix K = LLᵀ, n×n."""
        L = self.L
        return L @ L.T

    def gradient(self) -> dict[str, NDArray[np.float64]]:
        """Derivative of K over ``Lu``, an n×n×(n⋅m) array: ∂K/∂Lᵢⱼ = AᵢⱼLᵀ + LAᵢⱼᵀ."""
        n, m = self._n, self._m
        L = self.L
        grad = np.zeros((n, n, n * m))
        i, j = np.divmod(np.arange(n * m), m)
        # (AᵢⱼLᵀ)[a, b] = δ(a, i)·L[b, j]
        grad[i, :, np.arange(n * m)] = L[:, j].T
        return {"Lu": grad + grad.transpose(1, 0, 2)}

    def _str_header(self) -> str:
        return f"LRFreeFormCov(n={self._n}, m={self._m})"

    def _str_params(self) -> list[tuple[str, Any]]:
        return [("L", self.L)]
