"""Offset mean, 𝐦 = θ⋅𝟏."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from optimix import Scalar

from .._check import as_float, positive_int
from .._function import Function

__all__ = ["OffsetMean"]


class OffsetMean(Function):
    """Offset mean function, θ⋅𝟏.

    It represents a mean vector 𝐦 = θ⋅𝟏 of size n. The offset is given by the parameter θ
    (variable ``offset``, unbounded, starting at 0).

    Parameters
    ----------
    n
        Size of the mean vector.

    Examples
    --------
    >>> from glimix.mean import OffsetMean
    >>>
    >>> mean = OffsetMean(3)
    >>> mean.offset = 2.0
    >>> print(mean.value())
    [2. 2. 2.]
    >>> print(mean.gradient())
    {'offset': array([1., 1., 1.])}
    >>> mean.name = "𝐦"
    >>> print(mean)
    OffsetMean(): 𝐦
      offset: 2.0
    """

    def __init__(self, n: int) -> None:
        self._n = positive_int(n, "n")
        self._offset = Scalar(0.0)
        Function.__init__(self, "OffsetMean", offset=self._offset)

    @property
    def size(self) -> int:
        """Size n of the mean vector."""
        return self._n

    @property
    def offset(self) -> float:
        """Offset parameter, θ."""
        return float(self._offset.value)

    @offset.setter
    def offset(self, offset: float) -> None:
        offset = as_float(offset, "offset")
        if not np.isfinite(offset):
            raise ValueError(f"offset must be finite; got {offset}.")
        self._offset.value = offset

    def fix_offset(self) -> None:
        """Prevent θ update during optimization."""
        self._offset.fix()

    def unfix_offset(self) -> None:
        """Enable θ update during optimization."""
        self._offset.unfix()

    def value(self) -> NDArray[np.float64]:
        """Offset mean, θ⋅𝟏."""
        return np.full(self._n, self.offset)

    def gradient(self) -> dict[str, NDArray[np.float64]]:
        """Gradient of the offset function: the vector 𝟏."""
        return {"offset": np.ones(self._n)}

    def _str_params(self) -> list[tuple[str, Any]]:
        return [("offset", self.offset)]
