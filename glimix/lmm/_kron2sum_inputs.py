"""Checked inputs and starting values of the multi-trait LMM (:class:`glimix.lmm.Kron2Sum`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import finite_matrix, float_array, positive_int
from ..linalg import KinshipOperator

__all__ = ["Kron2SumInputs", "StartValues", "check_inputs", "start_values"]

Array = NDArray[np.float64]

#: Variances an initial C₁ may have: FreeFormCov bounds the log-diagonal of L to [−15, 15].
_VARIANCE_RANGE = (np.exp(-28.0), np.exp(28.0))


@dataclass(frozen=True)
class Kron2SumInputs:
    """Validated Y (n×p), A (p×q), X (n×c), G (n×m, m = 0 when absent), rank and REML flag."""

    Y: Array
    A: Array
    X: Array
    G: Array
    rank: int
    restricted: bool


def _finite(x: ArrayLike, name: str, what: str) -> Array:
    """A 2-D float array with a message that counts the affected rows when values are missing."""
    arr = float_array(x, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be two-dimensional ({what}); got shape {arr.shape}.")
    bad = ~np.isfinite(arr)
    if bad.any():
        rows = int(np.count_nonzero(bad.any(axis=1)))
        raise ValueError(
            f"{name} has {int(bad.sum())} missing or non-finite value(s) (NaN or infinity) in "
            f"{rows} row(s); remove or impute those samples before fitting."
        )
    return arr


#: Columns whose unit-norm versions have σ_min ≤ this × σ_max are numerically collinear: the
#: effect sizes would lose more than half of their digits (√ε).
_COLLINEAR_RTOL = float(np.sqrt(np.finfo(float).eps))


def _full_column_rank(M: Array, name: str, what: str) -> None:
    """Raise unless the columns of M are linearly independent, judged at unit column norms.

    Scaling each column to unit norm first makes the test blind to units (a covariate in base
    pairs next to an offset is fine) and sensitive to collinearity only.
    """
    norms = np.linalg.norm(M, axis=0)
    if np.any(norms == 0):
        zero = int(np.flatnonzero(norms == 0)[0])
        raise ValueError(
            f"{name} has an all-zero column ({zero}): its {what} must be linearly independent."
        )
    S = np.linalg.svd(M / norms, compute_uv=False)
    rank = int(np.sum(S > max(M.shape) * np.finfo(float).eps * S[0]))
    if rank < M.shape[1]:
        raise ValueError(
            f"{name} has {M.shape[1]} columns but rank {rank}: its {what} are linearly "
            "dependent, so the effect sizes B are not identifiable; remove redundant columns."
        )
    if S[-1] <= _COLLINEAR_RTOL * S[0]:
        raise ValueError(
            f"{name}'s {what} are nearly collinear (condition number {S[0] / S[-1]:.2g} at unit "
            "column norms), so the effect sizes B cannot be estimated accurately; remove or "
            "combine columns."
        )


def check_inputs(
    Y: ArrayLike, A: ArrayLike, X: ArrayLike, G: ArrayLike | None, rank: int, restricted: bool
) -> Kron2SumInputs:
    """Validate the arguments of :class:`glimix.lmm.Kron2Sum`.

    Raises
    ------
    ValueError
        Naming the argument: not a finite 2-D array (missing values are counted), shapes that
        disagree, X or A without full column rank, ``rank`` outside 1…p, a non-boolean
        ``restricted``, or no more observations n⋅p than effect sizes c⋅q.
    """
    Yc = _finite(Y, "Y", "samples × traits")
    n, p = Yc.shape
    if n < 1 or p < 1:
        raise ValueError(f"Y must have at least one sample and one trait; got shape {Yc.shape}.")
    Ac = finite_matrix(A, "A")
    if Ac.shape[0] != p or Ac.shape[1] < 1:
        raise ValueError(
            f"A must be p×q with p = {p} rows (one per trait, column of Y) and q ≥ 1; "
            f"got shape {Ac.shape}."
        )
    Xc = _finite(X, "X", "samples × covariates")
    if Xc.shape[0] != n or Xc.shape[1] < 1:
        raise ValueError(
            f"X must be n×c with n = {n} rows (the samples of Y) and c ≥ 1 covariates "
            f"(an offset, say); got shape {Xc.shape}."
        )
    if G is None:
        Gc = np.zeros((n, 0))
    elif isinstance(G, KinshipOperator):
        Gc = G.Q0 * np.sqrt(G.S0)  # a factor of its K
    else:
        Gc = _finite(G, "G", "samples × factors of K = GGᵀ")
        if Gc.shape[0] != n:
            raise ValueError(f"G must have n = {n} rows (the samples of Y); got shape {Gc.shape}.")
    k = positive_int(rank, "rank")
    if k > p:
        raise ValueError(f"rank (of C₀) must be between 1 and p = {p} traits; got {k}.")
    if not isinstance(restricted, (bool, np.bool_)):
        raise ValueError(f"restricted must be True or False; got {restricted!r}.")
    _full_column_rank(Xc, "X", "covariates")
    _full_column_rank(Ac, "A", "trait designs")
    c, q = Xc.shape[1], Ac.shape[1]
    if n * p <= c * q:
        raise ValueError(
            f"Y has n⋅p = {n * p} values but the mean has c⋅q = {c * q} effect sizes; "
            "more observations than effect sizes are needed."
        )
    return Kron2SumInputs(Yc, Ac, Xc, Gc, k, bool(restricted))


@dataclass(frozen=True)
class StartValues:
    """Initial L of C₀ = LLᵀ (p×rank) and of C₁ = LLᵀ (lower triangular p×p)."""

    L0: Array
    L1: Array


def start_values(inputs: Kron2SumInputs, sx: Array) -> StartValues:
    """Split the residual covariance of least squares between C₀ and C₁.

    With B̂ = (XᵀX)⁻¹XᵀYA(AᵀA)⁻¹ and R = Y − XB̂Aᵀ, let Σ = RᵀR/n. Half of Σ goes to C₁ and
    half to C₀⊗GGᵀ, scaled by the mean diagonal of GGᵀ (tr(GGᵀ)/n = ∑σᵢ²/n) and truncated to
    its ``rank`` leading eigenvectors; without G (no non-zero σᵢ) C₀ = 0 and C₁ = Σ.

    Raises
    ------
    ValueError
        If the residual variances are zero (Y is a linear function of X) or so extreme that
        C₁ cannot be represented; rescale Y.
    """
    Y, A, X = inputs.Y, inputs.A, inputs.X
    n, p = Y.shape
    B = np.linalg.lstsq(X, Y, rcond=None)[0] @ A @ np.linalg.inv(A.T @ A)
    R = Y - X @ B @ A.T
    Sigma = R.T @ R / n
    Sigma = (Sigma + Sigma.T) / 2
    var = float(np.trace(Sigma)) / p
    lo, hi = _VARIANCE_RANGE
    if not lo <= var <= hi:
        raise ValueError(
            f"Y's residual variance after regressing out X is {var:.3g}, outside "
            f"[{lo:.1e}, {hi:.1e}]: Y is (nearly) a linear function of X, or needs rescaling."
        )
    # A little ridge keeps the starting C₁ well conditioned when traits are collinear.
    Sigma = Sigma + 1e-4 * var * np.eye(p)
    kappa = float(np.sum(sx)) / n
    share = 0.5 if kappa > 0 else 1.0
    L1 = np.linalg.cholesky(share * Sigma)
    S, U = np.linalg.eigh(Sigma)
    k = inputs.rank
    if kappa > 0:
        L0 = U[:, ::-1][:, :k] * np.sqrt(np.maximum(S[::-1][:k], 0.0) * 0.5 / kappa)
    else:
        L0 = np.zeros((p, k))
    return StartValues(L0, L1)
