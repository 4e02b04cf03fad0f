"""Validation of what the LMM and the scanner are given: 𝐲, 𝚇, QS and the variance v.

Every check raises a ``ValueError`` naming the argument and the problem. The economic
eigendecomposition ``QS = ((Q0, Q1), S0)`` is reduced to ``(Q0, S0)``: nothing here needs Q₁
(products with it come from 𝚀₁𝚀₁ᵀ = 𝙸 − 𝚀₀𝚀₀ᵀ), so a ``((Q0,), S0)`` from
``economic_qs_linear(G, return_q1=False)`` is as good.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import as_float, finite_matrix, finite_vector

__all__ = ["check_covariates", "check_outcome", "check_qs", "check_variance"]

Array = NDArray[np.float64]

#: Tolerance on ‖𝐪ᵢ‖² − 1 and on 𝐪ᵢᵀ𝐪ⱼ for the columns of Q0.
_ORTHONORMAL_TOL = 1e-6

#: Columns of Q0 whose inner products with all of Q0 are checked (a full Q0ᵀQ0 costs n·r²).
_PROBE_COLUMNS = 8


def check_outcome(y: ArrayLike) -> Array:
    """𝐲 as a finite vector with at least one element."""
    y = finite_vector(y, "y")
    if y.shape[0] == 0:
        raise ValueError("y must have at least one sample; got an empty vector.")
    return y


def check_covariates(X: ArrayLike, n: int, name: str = "X") -> Array:
    """A finite n×c matrix (covariates, or candidates); a vector of size n is one column."""
    try:
        arr = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be numeric: {err}") from None
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    X = finite_matrix(arr, name)
    if X.shape[0] != n:
        raise ValueError(
            f"{name} must have one row per sample: y has {n} sample(s) but {name} has shape "
            f"{X.shape}."
        )
    return X


def check_qs(QS: Any, n: int) -> tuple[Array, Array]:
    """(Q0, S0) from an economic eigendecomposition ``((Q0, Q1), S0)`` of K.

    Q0 must be a finite n×r matrix with orthonormal columns (checked on the column norms and on
    the inner products of a few columns with all others), and S0 r finite non-negative
    eigenvalues. Q1, when given, is not used.
    """
    if not isinstance(QS, (tuple, list)) or len(QS) != 2:
        raise ValueError(
            "QS must be the pair ((Q0, Q1), S0) returned by glimix.linalg.economic_qs; "
            f"got {type(QS).__name__}."
        )
    Q, S0 = QS
    if isinstance(Q, (tuple, list)):
        if len(Q) == 0:
            raise ValueError("QS[0] must hold Q0 (and optionally Q1); got an empty sequence.")
        Q0 = Q[0]
    else:
        Q0 = Q
    Q0 = finite_matrix(Q0, "QS Q0")
    if Q0.shape[0] != n:
        raise ValueError(
            f"QS Q0 must have one row per sample: y has {n} sample(s) but Q0 has shape {Q0.shape}."
        )
    r = Q0.shape[1]
    if r > n:
        raise ValueError(f"QS Q0 must have at most n = {n} columns; got {r}.")
    S0 = finite_vector(S0, "QS S0", size=r)
    if np.any(S0 < 0):
        raise ValueError(
            f"QS S0 must be non-negative (eigenvalues of a PSD K); its minimum is {S0.min():.3g}."
        )
    _check_orthonormal(Q0)
    return Q0, S0


def _check_orthonormal(Q0: Array) -> None:
    r = Q0.shape[1]
    if r == 0:
        return
    norms = np.einsum("ij,ij->j", Q0, Q0)
    worst = float(np.max(np.abs(norms - 1)))
    if worst > _ORTHONORMAL_TOL:
        raise ValueError(
            "QS Q0 must have orthonormal columns (eigenvectors of K); a column has squared "
            f"norm off 1 by {worst:.3g}."
        )
    probe = np.unique(np.linspace(0, r - 1, min(r, _PROBE_COLUMNS)).astype(int))
    gram = Q0.T @ Q0[:, probe]
    gram[probe, np.arange(probe.size)] -= 1
    worst = float(np.max(np.abs(gram)))
    if worst > _ORTHONORMAL_TOL:
        raise ValueError(
            "QS Q0 must have orthonormal columns (eigenvectors of K); two columns have inner "
            f"product {worst:.3g}."
        )


def check_variance(v: object, name: str) -> float:
    """A finite, non-negative variance."""
    value = as_float(v, name)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite non-negative variance; got {value!r}.")
    return value
