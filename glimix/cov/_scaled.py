"""Covariances of the form K = s·K₀ with a single scale parameter s > 0."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray
from optimix import Scalar

from .._check import as_float
from .._function import LOGSCALE_BOUNDS, Function

__all__ = ["ScaledCov"]


class ScaledCov(Function):
    """K = s·K₀, parameterised by log(s) so that the optimiser works on an unbounded-like scale.

    The variable is ``logscale`` = log(s), bounded to [−30, 30]. Since ∂K/∂log(s) = s·K₀ = K,
    the gradient is the value itself.

    Subclasses implement :meth:`_unscaled`, returning K₀.
    """

    def __init__(self, name: str) -> None:
        self._logscale = Scalar(0.0)
        self._logscale.bounds = LOGSCALE_BOUNDS
        Function.__init__(self, name, logscale=self._logscale)

    def _unscaled(self) -> NDArray[np.float64]:
        raise TypeError(f"{type(self).__name__} must define _unscaled()")  # pragma: no cover

    @property
    def scale(self) -> float:
        """Scale parameter, s."""
        return math.exp(float(self._logscale.value))

    @scale.setter
    def scale(self, scale: float) -> None:
        scale = as_float(scale, "scale")
        if not (math.isfinite(scale) and scale > 0):
            raise ValueError(f"scale must be a positive finite number; got {scale}.")
        lo, hi = LOGSCALE_BOUNDS
        if not lo <= math.log(scale) <= hi:
            raise ValueError(
                f"scale must lie within [e^{lo:g}, e^{hi:g}], the optimiser's bounds; got {scale}."
            )
        self._logscale.value = math.log(scale)

    def value(self) -> NDArray[np.float64]:
        """Covariance matrix, s·K₀."""
        return self.scale * self._unscaled()

    def gradient(self) -> dict[str, NDArray[np.float64]]:
        """Derivative over log(s): ∂(s·K₀)/∂log(s) = s·K₀."""
        return {"logscale": self.value()}

    def _str_params(self) -> list[tuple[str, Any]]:
        return [("scale", self.scale)]
