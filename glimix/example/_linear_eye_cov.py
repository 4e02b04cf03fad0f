"""A ready-made covariance for documentation examples."""

from __future__ import annotations

import numpy as np

from ..cov import EyeCov, LinearCov, SumCov

__all__ = ["linear_eye_cov"]


def linear_eye_cov() -> SumCov:
    """Sum of a linear and an identity covariance of size 10, K = s₀XXᵀ + s₁I with s₀ = s₁ = 1.

    X is a fixed 10×11 matrix: ``numpy.random.RandomState(458).randn(10, 11)`` with each column
    standardised to mean 0 and variance 1, then divided by √11, so that the diagonal of XXᵀ
    averages 1 and K is about half linear, half identity. (This design reproduces the numbers
    the reference manual prints for its GP example.) Every call builds new functions with the same
    values.

    Examples
    --------
    >>> from glimix.example import linear_eye_cov
    >>>
    >>> cov = linear_eye_cov()
    >>> print(cov)
    SumCov(covariances=...): SumCov
      LinearCov(): LinearCov
        scale: 1.0
      EyeCov(dim=10): EyeCov
        scale: 1.0
    >>> cov.value().shape
    (10, 10)
    """
    X = np.random.RandomState(458).randn(10, 11)
    X = (X - X.mean(axis=0)) / X.std(axis=0) / np.sqrt(X.shape[1])
    return SumCov([LinearCov(X), EyeCov(10)])
