"""What models with the covariance s((1 − 𝛿)𝙺 + 𝛿𝙸) and the mean 𝚇𝜷 derive from s, 𝛿 and 𝜷.

The LMM and the GLMMs keep the scale s and the variance ratio 𝛿 as their parameters; the two
variances v₀ = s(1 − 𝛿) of 𝙺 and v₁ = s𝛿 of 𝙸, and the prior mean 𝐦 = 𝚇𝜷, follow from them the
same way in every model.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from ._check import as_float

__all__ = ["VarianceRatioModel", "check_delta", "check_scale"]

Array = NDArray[np.float64]


def check_scale(scale: object) -> float:
    """The scale s as a float, finite and positive.

    Raises
    ------
    ValueError
        If ``scale`` is not a real number, or not finite and positive.
    """
    value = as_float(scale, "scale")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"scale must be a finite positive number; got {value!r}.")
    return value


def check_delta(delta: object) -> float:
    """The variance ratio 𝛿 as a float in [0, 1].

    Raises
    ------
    ValueError
        If ``delta`` is not a real number in [0, 1].
    """
    value = as_float(delta, "delta")
    if not 0 <= value <= 1:
        raise ValueError(f"delta must lie in [0, 1]; got {value!r}.")
    return value


class VarianceRatioModel:
    """v₀, v₁, the number of covariates and the mean of a model parameterised by s, 𝛿 and 𝜷.

    Subclasses provide the properties ``scale`` (s), ``delta`` (𝛿) and ``beta`` (𝜷) and the
    covariates ``_X`` (n×c).
    """

    scale: float
    delta: float
    beta: Array
    _X: Array

    @property
    def v0(self) -> float:
        """First variance, v₀ = s(1 − 𝛿)."""
        return self.scale * (1 - self.delta)

    @property
    def v1(self) -> float:
        """Second variance, v₁ = s𝛿."""
        return self.scale * self.delta

    @property
    def ncovariates(self) -> int:
        """Number of covariates, c."""
        return int(self._X.shape[1])

    def mean(self) -> Array:
        """Mean of the prior, 𝐦 = 𝚇𝜷."""
        return self._X @ self.beta
