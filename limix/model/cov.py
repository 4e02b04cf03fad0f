"""Covariance functions: :mod:`glimix.cov` re-exported."""

from glimix.cov import (
    EyeCov,
    FreeFormCov,
    GivenCov,
    LinearCov,
    LRFreeFormCov,
    SumCov,
)

__all__ = ["EyeCov", "FreeFormCov", "GivenCov", "LRFreeFormCov", "LinearCov", "SumCov"]
