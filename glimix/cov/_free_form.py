"""Free-form positive-definite covariance, K = LLᵀ + ϵI."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from optimix import Vector

from .._check import finite_matrix, finite_vector, positive_int
from .._function import Function

__all__ = ["FreeFormCov"]

#: The ϵ of K = LLᵀ + ϵI: keeps K positive definite and well conditioned.
EPSILON = 1.49e-08

#: Bounds of log(Lᵢᵢ): Lᵢᵢ between e⁻¹⁵ ≈ 3e-7 and e¹⁵ ≈ 3e6 (variances e∓³⁰, as for scales).
LOG_DIAGONAL_BOUNDS = (-15.0, 15.0)


class FreeFormCov(Function):
    """General definite positive matrix, K = LLᵀ + ϵI.

    A d×d covariance matrix K will have ((d+1)⋅d)/2 parameters defining the lower triangular
    elements of a Cholesky matrix L such that:

        K = LLᵀ + ϵI,

    for a very small positive number ϵ (1.49e-8). That additional term is necessary to avoid
    singular and ill conditioned covariance matrices.

    Parameterisation: the variable ``Lu`` holds the strictly-lower entries of L (row by row), then
    log(Lᵢᵢ) for the diagonal. The logarithm keeps Lᵢᵢ > 0 so that L is the unique Cholesky factor
    of LLᵀ. Hence ∂K/∂Lᵢⱼ = EᵢⱼLᵀ + LEⱼᵢ for i > j, and ∂K/∂log(Lᵢᵢ) = Lᵢᵢ(EᵢᵢLᵀ + LEᵢᵢ), where
    Eᵢⱼ is zero but for a one at (i, j). L starts at the identity.

    Parameters
    ----------
    dim
        Dimension d of K.

    Examples
    --------
    >>> from glimix.cov import FreeFormCov
    >>>
    >>> cov = FreeFormCov(2)
    >>> cov.L = [[1., .0], [0.5, 2.]]
    >>> print(cov.gradient()["Lu"])
    [[[0.  2.  0. ]
      [1.  0.5 0. ]]
    <BLANKLINE>
     [[1.  0.5 0. ]
      [1.  0.  8. ]]]
    >>> cov.name = "K"
    >>> print(cov)
    FreeFormCov(dim=2): K
      L: [[1.  0. ]
          [0.5 2. ]]
    """

    def __init__(self, dim: int) -> None:
        d = positive_int(dim, "dim")
        self._dim = d
        self._tril = np.tril_indices(d, k=-1)
        self._ndiag = d
        noff = self._tril[0].size
        self._Lu = Vector(np.zeros(noff + d))
        self._Lu.bounds = [(-np.inf, np.inf)] * noff + [LOG_DIAGONAL_BOUNDS] * d
        Function.__init__(self, "FreeFormCov", Lu=self._Lu)

    @property
    def dim(self) -> int:
        """Dimension d of K."""
        return self._dim

    @property
    def shape(self) -> tuple[int, int]:
        """Array shape, (d, d)."""
        return (self._dim, self._dim)

    @property
    def Lu(self) -> NDArray[np.float64]:
        """Flat parameter vector: strictly-lower entries of L, then log of its diagonal."""
        return np.array(self._Lu.value, dtype=float)

    @Lu.setter
    def Lu(self, value: ArrayLike) -> None:
        self._set_Lu(finite_vector(value, "Lu", self._Lu.size), "Lu")

    @property
    def L(self) -> NDArray[np.float64]:
        """Lower-triangular matrix L such that K = LLᵀ + ϵI, with a positive diagonal."""
        Lu = np.asarray(self._Lu.value, dtype=float)
        L = np.zeros((self._dim, self._dim))
        noff = self._tril[0].size
        L[self._tril] = Lu[:noff]
        L[np.diag_indices(self._dim)] = np.exp(Lu[noff:])
        return L

    @L.setter
    def L(self, value: ArrayLike) -> None:
        L = finite_matrix(value, "L", (self._dim, self._dim))
        if np.any(np.triu(L, k=1) != 0):
            raise ValueError("L must be lower triangular (zeros above the diagonal).")
        # Flipping the sign of a column leaves LLᵀ unchanged; use it to make the diagonal positive.
        L = L * np.where(np.diag(L) < 0, -1.0, 1.0)
        diag = np.diag(L)
        if np.any(diag == 0):
            raise ValueError("L must have a non-zero diagonal (K = LLᵀ would be singular).")
        self._set_Lu(np.concatenate([L[self._tril], np.log(diag)]), "L")

    def _set_Lu(self, Lu: NDArray[np.float64], name: str) -> None:
        """Assign the parameters after checking log(Lᵢᵢ) against the optimiser's bounds."""
        lo, hi = LOG_DIAGONAL_BOUNDS
        logdiag = Lu[self._tril[0].size :]
        if np.any((logdiag < lo) | (logdiag > hi)):
            raise ValueError(
                f"{name} gives a diagonal of L outside [e^{lo:g}, e^{hi:g}], the optimiser's "
                f"bounds; log-diagonal {logdiag}."
            )
        self._Lu.value = Lu

    def value(self) -> NDArray[np.float64]:
        """Covariance matrix K = LLᵀ + ϵI."""
        L = self.L
        return L @ L.T + EPSILON * np.eye(self._dim)

    def gradient(self) -> dict[str, NDArray[np.float64]]:
        """Derivative of K over ``Lu``, a d×d×nparams array (see the class notes)."""
        d = self._dim
        L = self.L
        rows = np.concatenate([self._tril[0], np.arange(d)])
        cols = np.concatenate([self._tril[1], np.arange(d)])
        factor = np.ones(rows.size)
        factor[self._tril[0].size :] = np.diag(L)
        # dLₖ = factorₖ·E(rowsₖ, colsₖ), so (dLₖLᵀ)[a, b] = factorₖ·δ(a, rowsₖ)·L[b, colsₖ]
        grad = np.zeros((d, d, rows.size))
        k = np.arange(rows.size)
        grad[rows, :, k] = factor[:, None] * L[:, cols].T
        return {"Lu": grad + grad.transpose(1, 0, 2)}

    def eigh(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Eigendecomposition of K.

        Returns
        -------
        S
            The eigenvalues in ascending order, each repeated according to its multiplicity.
        U
            Normalised eigenvectors, one per column.
        """
        S, U = np.linalg.eigh(self.value())
        return S, U

    def logdet(self) -> float:
        """Log-determinant of K, 2∑log(diag(chol(K)))."""
        chol = np.linalg.cholesky(self.value())
        return float(2 * np.sum(np.log(np.diag(chol))))

    def _str_header(self) -> str:
        return f"FreeFormCov(dim={self._dim})"

    def _str_params(self) -> list[tuple[str, Any]]:
        return [("L", self.L)]
