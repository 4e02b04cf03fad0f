"""Covariance functions: :mod:`glimix.cov` re-exported."""

from glimix.cov import (
    EyeCov,
    FreeFormCov,
    GivenCov,
    Kron2SumCov,
    LinearCov,
    LRFreeFormCov,
    SumCov,
)

__all__ = [
    "EyeCov",
    "FreeFormCov",
    "GivenCov",
    "Kron2SumCov",
    "LRFreeFormCov",
    "LinearCov",
    "SumCov",
]
