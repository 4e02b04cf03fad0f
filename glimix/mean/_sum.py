"""Sum of means, 𝐦 = 𝐟₀ + 𝐟₁ + …."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .._function import Function, require_distinct_terms

__all__ = ["SumMean"]


class SumMean(Function):
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

    def __init__(self, means: Sequence[Function]) -> None:
        means = list(means)
        if not means:
            raise ValueError("means must contain at least one mean function.")
        sizes = {int(m.size) for m in means}
        if len(sizes) != 1:
            raise ValueError(f"means must all have the same size; got sizes {sorted(sizes)}.")
        require_distinct_terms(means, "means")
        self._means = means
        self._prefixes = [f"SumMean[{i}]" for i in range(len(means))]
        Function.__init__(self, "SumMean", composite=list(zip(self._prefixes, means, strict=True)))

    @property
    def means(self) -> list[Function]:
        """The summed mean functions."""
        return list(self._means)

    @property
    def size(self) -> int:
        """Size n of the mean vector."""
        return int(self._means[0].size)

    def value(self) -> NDArray[np.float64]:
        """Sum of mean vectors, 𝐟₀ + 𝐟₁ + …."""
        return sum((m.value() for m in self._means[1:]), self._means[0].value())

    def gradient(self) -> dict[str, NDArray[np.float64]]:
        """Derivatives of each term, keyed ``SumMean[i].<variable>``."""
        grad = {}
        for prefix, mean in zip(self._prefixes, self._means, strict=True):
            for name, g in mean.gradient().items():
                grad[f"{prefix}.{name}"] = g
        return grad

    def _str_header(self) -> str:
        return "SumMean(means=...)"
