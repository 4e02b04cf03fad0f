"""Sum of means, 𝐦 = 𝐟₀ + 𝐟₁ + …."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .._function import Function, SumFunction

__all__ = ["SumMean"]


class SumMean(SumFunction):
    """Sum mean function, 𝐟₀ + 𝐟₁ + ….

    The mathematical representation is

        𝐦 = 𝐟₀ + 𝐟₁ + …

    In other words, it is a sum of mean vectors. The variables of the i-th term are named
    ``SumMean[i].<name>``.

    Parameters
    ----------
    means
        One or more distinct mean functions of the same size; no two may share a parameter.

    Examples
    --------
    >>> from glimix.mean import OffsetMean, LinearMean, SumMean
    >>>
    >>> X = [[5.1, 1.0],
    ...      [2.1, -0.2]]
    >>>
    >>> mean0 = LinearMean(X)
    >>> mean0.effsizes = [-1.0, 0.5]
    >>>
    >>> mean1 = OffsetMean(2)
    >>> mean1.offset = 2.0
    >>>
    >>> mean = SumMean([mean0, mean1])
    >>>
    >>> print(mean.value())
    [-2.6 -0.2]
    >>> g = mean.gradient()
    >>> print(g["SumMean[0].effsizes"])
    [[ 5.1  1. ]
     [ 2.1 -0.2]]
    >>> print(g["SumMean[1].offset"])
    [1. 1.]
    >>> mean0.name = "A"
    >>> mean1.name = "B"
    >>> mean.name = "A+B"
    >>> print(mean)
    SumMean(means=...): A+B
      LinearMean(m=2): A
        effsizes: [-1.   0.5]
      OffsetMean(): B
        offset: 2.0
    """

    _term_kind = "mean function"

    def __init__(self, means: Sequence[Function]) -> None:
        SumFunction.__init__(self, "SumMean", "means", means)

    def _check_alike(self, terms: list[Function]) -> None:
        sizes = {int(m.size) for m in terms}
        if len(sizes) != 1:
            raise ValueError(f"means must all have the same size; got sizes {sorted(sizes)}.")

    @property
    def means(self) -> list[Function]:
        """The summed mean functions."""
        return list(self._terms)

    @property
    def size(self) -> int:
        """Size n of the mean vector."""
        return int(self._terms[0].size)

    def value(self) -> NDArray[np.float64]:
        """Sum of mean vectors, 𝐟₀ + 𝐟₁ + …."""
        return self._sum_of_values()

    def gradient(self) -> dict[str, NDArray[np.float64]]:
        """Derivatives of each term, keyed ``SumMean[i].<variable>``."""
        return self._prefixed_gradients()
