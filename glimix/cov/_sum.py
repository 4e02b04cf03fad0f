"""Sum of covariances, K = K₀ + K₁ + ⋯."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .._function import Function, require_distinct_terms

__all__ = ["SumCov"]


class SumCov(Function):
    """Sum of covariance functions, K = K₀ + K₁ + ⋯.

    The variables of the i-th term are named ``SumCov[i].<name>`` (for instance
    ``SumCov[0].logscale``); these names are fixed at construction.

    Parameters
    ----------
    covariances
        One or more distinct covariance functions (objects with ``shape``, ``value()`` and
        ``gradient()``) of the same shape; no two may share a parameter.

    Examples
    --------
    >>> from glimix.cov import LinearCov, SumCov
    >>> from numpy.random import RandomState
    >>>
    >>> random = RandomState(0)
    >>> cov_left = LinearCov(random.randn(4, 20))
    >>> cov_right = LinearCov(random.randn(4, 15))
    >>> cov_left.scale = 0.5
    >>>
    >>> cov = SumCov([cov_left, cov_right])
    >>> cov_left.name = "A"
    >>> cov_right.name = "B"
    >>> cov.name = "A+B"
    >>> print(cov)
    SumCov(covariances=...): A+B
      LinearCov(): A
        scale: 0.5
      LinearCov(): B
        scale: 1.0
    >>> sorted(cov.gradient().keys())
    ['SumCov[0].logscale', 'SumCov[1].logscale']
    """

    def __init__(self, covariances: Sequence[Function]) -> None:
        covariances = list(covariances)
        if not covariances:
            raise ValueError("covariances must contain at least one covariance function.")
        shapes = {tuple(c.shape) for c in covariances}
        if len(shapes) != 1:
            raise ValueError(f"covariances must all have the same shape; got {sorted(shapes)}.")
        require_distinct_terms(covariances, "covariances")
        self._covariances = covariances
        self._prefixes = [f"SumCov[{i}]" for i in range(len(covariances))]
        Function.__init__(
            self, "SumCov", composite=list(zip(self._prefixes, covariances, strict=True))
        )

    @property
    def covariances(self) -> list[Function]:
        """The summed covariance functions."""
        return list(self._covariances)

    @property
    def shape(self) -> tuple[int, int]:
        """Array shape, that of every term."""
        return tuple(self._covariances[0].shape)  # type: ignore[return-value]

    def value(self) -> NDArray[np.float64]:
        """Sum of covariance matrices, K₀ + K₁ + ⋯."""
        return sum((c.value() for c in self._covariances[1:]), self._covariances[0].value())

    def gradient(self) -> dict[str, NDArray[np.float64]]:
        """Derivatives of each term, keyed ``SumCov[i].<variable>``: ∂K = ∂K₀ + ∂K₁ + ⋯."""
        grad = {}
        for prefix, cov in zip(self._prefixes, self._covariances, strict=True):
            for name, g in cov.gradient().items():
                grad[f"{prefix}.{name}"] = g
        return grad

    def _str_header(self) -> str:
        return "SumCov(covariances=...)"
