"""Mean functions: :mod:`glimix.mean` re-exported."""

from glimix.mean import KronMean, LinearMean, OffsetMean, SumMean

__all__ = ["KronMean", "LinearMean", "OffsetMean", "SumMean"]
