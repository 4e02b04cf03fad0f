"""Validation of what the GLMMs are given: covariates and EP sites.

Every check raises a ``ValueError`` naming the argument and the problem. ``QS`` is checked by
:meth:`glimix.linalg.KinshipOperator.of`; the GLMMs keep its positive eigenvalues.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import as_float, check_covariates, finite_vector

__all__ = ["check_accuracy", "check_covariates", "check_sites"]

Array = NDArray[np.float64]


def check_sites(eta: ArrayLike, tau: ArrayLike) -> tuple[Array, Array]:
    """EP site parameters 𝛈 (finite) and 𝛕 (finite, positive) of the same size."""
    tau = finite_vector(tau, "tau")
    if tau.shape[0] == 0:
        raise ValueError("tau must have at least one element; got an empty vector.")
    eta = finite_vector(eta, "eta", size=tau.shape[0])
    bad = int(np.count_nonzero(tau <= 0))
    if bad:
        raise ValueError(
            f"tau must be positive (the precision 1/σ̃² of each pseudo-observation); {bad} "
            "value(s) are not."
        )
    return eta, tau


def check_accuracy(n_int: object, rtol: object, atol: object) -> tuple[int, float, float]:
    """The manual's integration settings: a positive integer and two non-negative tolerances."""
    if isinstance(n_int, bool) or not isinstance(n_int, (int, np.integer)) or n_int < 1:
        raise ValueError(f"n_int must be a positive integer; got {n_int!r}.")
    values = []
    for name, value in (("rtol", rtol), ("atol", atol)):
        x = as_float(value, name)
        if not (np.isfinite(x) and x >= 0):
            raise ValueError(f"{name} must be a finite non-negative number; got {value!r}.")
        values.append(x)
    return int(n_int), values[0], values[1]
