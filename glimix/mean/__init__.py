"""Mean functions: parameterised vectors that models are composed from."""

from ._kron import KronMean
from ._linear import LinearMean
from ._offset import OffsetMean
from ._sum import SumMean

__all__ = ["KronMean", "LinearMean", "OffsetMean", "SumMean"]
