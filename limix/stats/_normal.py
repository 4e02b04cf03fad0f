"""Draws from a multivariate normal distribution."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from glimix.random import psd_factor

from .._adapt import to_numpy, unwrap

__all__ = ["multivariate_normal"]


def multivariate_normal(
    random: np.random.RandomState | np.random.Generator, mean: ArrayLike, cov: ArrayLike
) -> NDArray[np.float64]:
    """Draw random samples from a multivariate normal distribution.

    One draw 𝐱 ∼ 𝓝(𝐦, Σ) is 𝐱 = 𝐦 + 𝙻𝐳, with 𝐳 a vector of n independent standard normal
    variables drawn from ``random`` and 𝙻 the lower Cholesky factor of Σ = 𝙻𝙻ᵀ (the manual's
    draws). A positive semi-definite but singular Σ (no Cholesky factor) uses its principal
    square root 𝙻 = Σ^½ (:func:`glimix.random.psd_factor`) instead, so that draws lie in the
    span of Σ. Both factors are unique for a given Σ, so a seed gives the same draw on every CPU
    and BLAS.

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
        L = psd_factor(S, "cov")
    return m + L @ random.standard_normal(n)
