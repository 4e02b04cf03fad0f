"""A square-root factor of a positive semi-definite matrix, singular ones included."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import symmetric_matrix

__all__ = ["psd_factor"]

#: Relative size, against max | λ|, of the negative eigenvalues taken as round-off of zero.
NEGATIVE_RTOL = float(np.sqrt(np.finfo(float).eps))


def psd_factor(K: ArrayLike, name: str = "K") -> NDArray[np.float64]:
    """Return an n×n matrix L with L·Lᵀ = K, for a symmetric positive semi-definite K.

    L = V·diag(√σ⁺) from the singular value decomposition K = U·diag(σ)·Vᵀ (σ in decreasing
    order), the factor with which :meth:`numpy.random.RandomState.multivariate_normal` turns
    standard normal draws 𝐳 into L𝐳 — so a sampler built on it draws what numpy draws from the same
    seed, and the manual's seeded examples are reproduced. Singular values at or below
    max σ·n·ε (ε the float64 machine epsilon) are set to zero: they are round-off of a zero
    eigenvalue, and keeping their square roots (≈ 1e-8) would let draws leak out of the column
    space of K. The factor exists for singular K too (a Cholesky factor does not). Eigenvalues
    down to −√ε·max | λ| ≈ −1.5e-8·max | λ| are accepted as round-off; a more negative one means
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
    """
    K = symmetric_matrix(K, name)
    if K.shape[0] == 0:
        return np.zeros((0, 0))
    K = (K + K.T) / 2
    w = np.linalg.eigvalsh(K)
    largest = float(np.max(np.abs(w)))
    if w[0] < -NEGATIVE_RTOL * largest:
        raise ValueError(
            f"{name} must be positive semi-definite; its smallest eigenvalue is {w[0]:.3g} "
            f"(largest {w[-1]:.3g})."
        )
    _, sigma, Vt = np.linalg.svd(K)
    rank_tol = largest * K.shape[0] * np.finfo(float).eps
    return Vt.T * np.sqrt(np.where(sigma > rank_tol, sigma, 0.0))
