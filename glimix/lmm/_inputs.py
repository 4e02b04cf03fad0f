"""Validation of what the LMM and the scanner are given: 𝐲, 𝚇 and the variance v.

Every check raises a ``ValueError`` naming the argument and the problem. ``QS`` is checked by
:meth:`glimix.linalg.KinshipOperator.of`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import as_float, check_covariates, finite_vector

__all__ = ["check_covariates", "check_outcome", "check_variance"]

Array = NDArray[np.float64]


def check_outcome(y: ArrayLike) -> Array:
    """𝐲 as a finite vector with at least one element."""
    y = finite_vector(y, "y")
    if y.shape[0] == 0:
        raise ValueError("y must have at least one sample; got an empty vector.")
    return y


def check_variance(v: object, name: str) -> float:
    """A finite, non-negative variance."""
    value = as_float(v, name)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite non-negative variance; got {value!r}.")
    return value
