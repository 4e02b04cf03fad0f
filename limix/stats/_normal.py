"""Draws from a multivariate normal distribution."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._adapt import to_numpy, unwrap

__all__ = ["multivariate_normal"]


def multivariate_normal(
    random: np.random.RandomState | np.random.Generator, mean: ArrayLike, cov: ArrayLike
) -> NDArray[np.float64]:
    """Draw random samples from a multivariate normal distribution.

    One draw 𝐱 ∼ 𝓝(𝐦, Σ) is 𝐱 = 𝐦 + 𝙻𝐳, with 𝐳 a vector of n independent standard normal
    variables drawn from ``random`` and 𝙻 the lower Cholesky factor of Σ = 𝙻𝙻ᵀ. A positive
    semi-definite but singular Σ (no Cholesky factor) uses 𝙻 = 𝚀√Λ from its eigendecomposition
    Σ = 𝚀Λ𝚀ᵀ instead (eigenvalues within round-off of zero, below n·ε times the largest
    magnitude, taken as zero, so draws lie in the span of Σ).

    Parameters
    ----------
    random : numpy.random.RandomState or numpy.random.Generator
        Random number generator; exactly n standard normal values are drawn from it.
    mean : array_like
        Mean vector 𝐦, of size n.
    cov : array_like
        Covariance matrix Σ, n×n, symmetric positive semi-definite.

    Returns
    -------
    ndarray
        A vector of size n.

    Raises
    ------
    ValueError
        If shapes disagree, values are not finite, or Σ is not symmetric positive
        semi-definite.

    Examples
    --------
    >>> from numpy import array, zeros
    >>> from numpy.random import RandomState
    >>> from limix.stats import multivariate_normal
    >>>
    >>> cov = array([[2.0, 0.5], [0.5, 1.0]])
    >>> print(multivariate_normal(RandomState(0), zeros(2), cov))
    [2.49474675 0.99799948]
    """
    if not hasattr(random, "standard_normal"):
        raise ValueError(
            "random must be a numpy RandomState or Generator; got " + type(random).__name__
        )
    m, _ = unwrap(mean, "mean", ndims=(1,))
    m = to_numpy(m)
    S, _ = unwrap(cov, "cov", ndims=(2,))
    S = to_numpy(S)
    n = m.size
    if S.shape != (n, n):
        raise ValueError(f"cov must be {n}×{n} to match mean; got shape {S.shape}.")
    if not (np.isfinite(m).all() and np.isfinite(S).all()):
        raise ValueError("mean and cov must be finite.")
    scale = max(1.0, float(np.abs(S).max())) if n else 1.0
    if n and float(np.abs(S - S.T).max()) > 1e-8 * scale:
        raise ValueError("cov must be symmetric.")
    try:
        L = np.linalg.cholesky(S)
    except np.linalg.LinAlgError:
        eigenvalues, Q = np.linalg.eigh(S)
        # eigenvalues within round-off of zero (glimix.linalg's rank rule) are zero
        tol = float(np.abs(eigenvalues).max()) * n * np.finfo(float).eps
        if eigenvalues.min() < -tol:
            raise ValueError(
                f"cov is not positive semi-definite (smallest eigenvalue {eigenvalues.min():.3g})."
            ) from None
        L = Q * np.sqrt(np.where(eigenvalues > tol, eigenvalues, 0.0))
    return m + L @ random.standard_normal(n)
