"""The principal square root of a positive semi-definite matrix: a factor unique for each matrix.

A draw 𝐦 + L𝐮 from 𝓝(𝐦, K) depends on which factor L (L·Lᵀ = K) is used. Factors built from an
eigen- or singular-value decomposition Q·diag(√λ) are not unique: each column's sign is free, and
so is the basis of every eigenspace whose eigenvalue repeats (a kinship plus a noise term has one
of high multiplicity). LAPACK fixes those choices by the rounding of its blocked kernels, so the
same seed gave different draws on CPUs whose BLAS kernels differ. The principal square root
K^½ = Q·diag(√λ)·Qᵀ is the one symmetric positive semi-definite factor: it does not depend on
the basis or the signs chosen, and it is a continuous function of K, so a rounding-sized
difference in K or in the decomposition moves a draw by a rounding-sized amount. A Cholesky
factor is unique too, but only for positive definite K; near the boundary of the cone, whether
it exists depends on rounding.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import symmetric_matrix

__all__ = ["psd_factor"]

#: Relative size, against max | λ|, of the negative eigenvalues taken as round-off of zero.
NEGATIVE_RTOL = float(np.sqrt(np.finfo(float).eps))


def psd_factor(K: ArrayLike, name: str = "K") -> NDArray[np.float64]:
    """Return the principal square root L = K^½ of a symmetric positive semi-definite K.

    L = Q·diag(√λ⁺)·Qᵀ from the eigendecomposition K = Q·diag(λ)·Qᵀ. L is symmetric,
    L·Lᵀ = L² = K, and it is the same matrix whatever eigenbasis the decomposition returns —
    eigenvector signs and the basis of a repeated eigenvalue's eigenspace cancel in
    Q·diag(√λ)·Qᵀ — so a sampler built on it gives the same draw from the same seed on every CPU
    and BLAS (to rounding). It exists for singular K too (a Cholesky factor does not).

    λ⁺ is λ with the eigenvalues at or below max | λ|·n·ε set to zero (ε the float64 machine
    epsilon): they are round-off of a zero eigenvalue, and keeping their square roots (≈ 1e-8)
    would let draws leak out of the column space of K. Eigenvalues down to
    −√ε·max | λ| ≈ −1.5e-8·max | λ| are accepted as round-off of zero; a more negative one means
    K is not positive semi-definite.

    Parameters
    ----------
    K
        A finite, square, symmetric matrix: max | K − Kᵀ| ≤ 10⁻⁸·max(1, max | K|), a round-off
        asymmetry that is removed by symmetrising before factorising.
    name
        How error messages call K.

    Raises
    ------
    ValueError
        If K is not finite, square and symmetric, or clearly not positive semi-definite.

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.random import psd_factor
    >>>
    >>> K = array([[1.0, 1.0], [1.0, 1.0]])
    >>> L = psd_factor(K)
    >>> print((L @ L.T).round(12))
    [[1. 1.]
     [1. 1.]]
    >>> print((L * 2**0.5).round(12))
    [[1. 1.]
     [1. 1.]]
    """
    K = symmetric_matrix(K, name)
    if K.shape[0] == 0:
        return np.zeros((0, 0))
    K = (K + K.T) / 2
    w, Q = np.linalg.eigh(K)
    largest = float(np.max(np.abs(w)))
    if w[0] < -NEGATIVE_RTOL * largest:
        raise ValueError(
            f"{name} must be positive semi-definite; its smallest eigenvalue is {w[0]:.3g} "
            f"(largest {w[-1]:.3g})."
        )
    rank_tol = largest * K.shape[0] * np.finfo(float).eps
    L = (Q * np.sqrt(np.where(w > rank_tol, w, 0.0))) @ Q.T
    return (L + L.T) / 2
