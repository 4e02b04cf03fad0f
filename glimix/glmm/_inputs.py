"""Validation of what the GLMMs are given: covariates, the eigendecomposition of K, EP sites.

Every check raises a ``ValueError`` naming the argument and the problem. ``QS`` is reduced to
``(Q0, S0)``: the models never need Q₁ (𝚀₁𝚀₁ᵀ = 𝙸 − 𝚀₀𝚀₀ᵀ), so ``((Q0,), S0)`` is as good as
``((Q0, Q1), S0)``. Eigenvalues that are zero are dropped with their eigenvectors (they add
nothing to K).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import as_float, finite_matrix, finite_vector

__all__ = ["check_accuracy", "check_covariates", "check_qs", "check_sites"]

Array = NDArray[np.float64]

#: Tolerance on the entries of Q0ᵀQ0 − I.
_ORTHONORMAL_TOL = 1e-6


def check_covariates(X: ArrayLike, n: int) -> Array:
    """𝚇 as a finite n×c matrix (a vector of size n is one covariate)."""
    try:
        arr = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"X must be numeric: {err}") from None
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    arr = finite_matrix(arr, "X")
    if arr.shape[0] != n:
        raise ValueError(
            f"X must have one row per sample: y has {n} sample(s) but X has shape {arr.shape}."
        )
    return arr


def check_qs(QS: Any, n: int) -> tuple[Array, Array]:
    """(Q0, S0) of K = Q0 diag(S0) Q0ᵀ from ``((Q0, Q1), S0)``, ``((Q0,), S0)`` or ``None``.

    Q0 must be a finite n×k matrix with orthonormal columns and S0 its k finite, non-negative
    eigenvalues. ``None`` gives k = 0 (no K).
    """
    if QS is None:
        return np.zeros((n, 0)), np.zeros(0)
    if not isinstance(QS, (tuple, list)) or len(QS) != 2:
        raise ValueError(
            "QS must be the pair ((Q0, Q1), S0) returned by glimix.linalg.economic_qs, or None; "
            f"got {type(QS).__name__}."
        )
    Q, S0 = QS
    if isinstance(Q, (tuple, list)):
        if len(Q) == 0:
            raise ValueError("QS[0] must hold Q0 (and optionally Q1); got an empty sequence.")
        Q = Q[0]
    Q0 = finite_matrix(Q, "QS Q0")
    if Q0.shape[0] != n:
        raise ValueError(
            f"QS Q0 must have one row per sample: y has {n} sample(s) but Q0 has shape {Q0.shape}."
        )
    k = Q0.shape[1]
    if k > n:
        raise ValueError(f"QS Q0 must have at most n = {n} columns; got {k}.")
    S0 = finite_vector(S0, "QS S0", size=k)
    if np.any(S0 < 0):
        raise ValueError(
            f"QS S0 must be non-negative (eigenvalues of a PSD K); its minimum is {S0.min():.3g}."
        )
    if k:
        gram = Q0.T @ Q0
        gram[np.diag_indices(k)] -= 1
        worst = float(np.max(np.abs(gram)))
        if worst > _ORTHONORMAL_TOL:
            raise ValueError(
                "QS Q0 must have orthonormal columns (eigenvectors of K); Q0ᵀQ0 differs from "
                f"the identity by {worst:.3g}."
            )
    keep = S0 > 0
    return np.ascontiguousarray(Q0[:, keep]), S0[keep].copy()


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
