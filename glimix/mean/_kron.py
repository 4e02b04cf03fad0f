"""Kronecker mean, 𝐦 = (A⊗X)vec(B)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from optimix import Vector

from .._check import finite_matrix, finite_vector, readonly
from .._function import Function

__all__ = ["KronMean"]


class KronMean(Function):
    """Kronecker mean function, (A⊗X)vec(B).

    Let

    * n be the number of samples;
    * p the number of traits;
    * c the number of covariates; and
    * q the number of trait designs (columns of A; q = p for the usual square A).

    The mathematical representation is

        𝐦 = (A⊗X)vec(B) = vec(XBAᵀ)

    where A is a p×q trait design matrix of fixed effects and X is a n×c sample design matrix of
    fixed effects. B is a c×q matrix of fixed-effect sizes (variable ``vecB`` = vec(B), stacked
    column by column, starting at zero). The product is computed as vec(XBAᵀ), never forming A⊗X;
    ``AX`` and ``gradient()`` do form it (n⋅p × c⋅q).

    Parameters
    ----------
    A
        Trait design, a finite p×q matrix.
    X
        Sample design, a finite n×c matrix.

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.mean import KronMean
    >>>
    >>> mean = KronMean(array([[1.0, 0.0], [1.0, 1.0]]), array([[1.0], [2.0], [3.0]]))
    >>> mean.B = [[0.5, -1.0]]
    >>> print(mean.value())
    [ 0.5  1.   1.5 -0.5 -1.  -1.5]
    >>> mean.name = "𝐦"
    >>> print(mean)
    KronMean(A=..., X=...): 𝐦
      B: [[ 0.5 -1. ]]
    """

    def __init__(self, A: ArrayLike, X: ArrayLike) -> None:
        self._A = readonly(finite_matrix(A, "A"))
        self._X = readonly(finite_matrix(X, "X"))
        c, q = self._X.shape[1], self._A.shape[1]
        self._vecB = Vector(np.zeros(c * q))
        Function.__init__(self, "KronMean", vecB=self._vecB)

    @property
    def A(self) -> NDArray[np.float64]:
        """Matrix A, p×q."""
        return self._A

    @property
    def X(self) -> NDArray[np.float64]:
        """Matrix X, n×c."""
        return self._X

    @property
    def AX(self) -> NDArray[np.float64]:
        """A ⊗ X, an (n⋅p)×(c⋅q) matrix."""
        return np.kron(self._A, self._X)

    @property
    def size(self) -> int:
        """Size n⋅p of the mean vector."""
        return self._X.shape[0] * self._A.shape[0]

    @property
    def B(self) -> NDArray[np.float64]:
        """Effect-sizes parameter, B, c×q."""
        c, q = self._X.shape[1], self._A.shape[1]
        return np.array(self._vecB.value, dtype=float).reshape((c, q), order="F")

    @B.setter
    def B(self, value: ArrayLike) -> None:
        B = finite_matrix(value, "B", (self._X.shape[1], self._A.shape[1]))
        self._vecB.value = B.ravel(order="F")

    @property
    def vecB(self) -> NDArray[np.float64]:
        """vec(B): the columns of B stacked."""
        return np.array(self._vecB.value, dtype=float)

    @vecB.setter
    def vecB(self, value: ArrayLike) -> None:
        self._vecB.value = finite_vector(value, "vecB", self._vecB.size)

    def value(self) -> NDArray[np.float64]:
        """Kronecker mean function, (A⊗X)vec(B) = vec(XBAᵀ)."""
        return (self._X @ self.B @ self._A.T).ravel(order="F")

    def gradient(self) -> dict[str, NDArray[np.float64]]:
        """Derivative of 𝐦 over vec(B): A⊗X."""
        return {"vecB": self.AX}

    def _str_header(self) -> str:
        return "KronMean(A=..., X=...)"

    def _str_params(self) -> list[tuple[str, Any]]:
        return [("B", self.B)]
