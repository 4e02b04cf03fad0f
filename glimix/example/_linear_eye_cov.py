"""A ready-made covariance for documentation examples."""

from __future__ import annotations

import numpy as np

from ..cov import EyeCov, LinearCov, SumCov

__all__ = ["linear_eye_cov"]


def linear_eye_cov() -> SumCov:
    """Sum of a linear and an identity covariance of size 10, K = s₀XXᵀ + s₁I with s₀ = s₁ = 1.

    X is a fixed 10×15 matrix, ``numpy.random.RandomState(458).randn(10, 15) / sqrt(15)``, so
    the diagonal of XXᵀ is about 1 and K is about half linear, half identity. Every call builds
    new functions with the same values.

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
    X = np.random.RandomState(458).randn(10, 15) / np.sqrt(15)
    return SumCov([LinearCov(X), EyeCov(10)])
