"""A robust fit of the multi-trait null model: several starts, a gradient check, a boundary warning.

The likelihood of vec(Y) ∼ 𝓝((A⊗X)vec(B), C₀⊗GGᵀ + C₁⊗I) over C₀ and C₁ can have several local
maxima, and a start far from the optimum (half of the residual covariance in each term) can end
in a poor one when the traits' heritabilities differ. This fit tries two starts and keeps the
better optimum:

1. ``Kron2Sum``'s own start: the residual covariance of least squares split in halves;
2. a staged start from the per-trait nulls: each trait's single-trait LMM
   𝐲ⱼ ∼ 𝓝(X𝛂ⱼ, v₀ⱼGGᵀ + v₁ⱼI) gives the variances, and the correlation of the least-squares
   residuals the correlations: C₀ = D₀^½RD₀^½ (its ``rank`` leading eigenvectors),
   C₁ = D₁^½RD₁^½, with Dₜ = diag(vₜⱼ).

Each start is maximised by L-BFGS-B on the analytic gradient; the better optimum is returned.

When the covariates fit Y exactly on the directions that GGᵀ leaves out (a centred kinship and
an offset: GGᵀ𝟏 = 𝟎), the likelihood grows like −½(n − r)⋅log|C₁| as C₁ becomes singular: its
supremum is a spurious spike, which the per-trait start (from single-trait ML fits, themselves
at that spike) climbs. C₀ and C₁ are then the restricted (REML) estimates, whose likelihood
integrates the covariate directions out and has no spike, and B and the reported likelihood
are the maximum-likelihood ones at those C₀, C₁ — the policy of the single-trait scans.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._kron2sum import Kron2Sum
from ._kron2sum_exact import _complement_is_fitted
from ._lmm import LMM

__all__ = ["BoundaryWarning", "fit_kron2sum"]

Array = NDArray[np.float64]

#: An eigenvalue of C₀ or C₁ below this fraction of the largest sits at the boundary of the cone.
BOUNDARY_RTOL = 1e-6
#: Largest |∂lml/∂θ| accepted at the optimum, relative to max(1, |lml|)/n.
GRADIENT_RTOL = 1e-3


class BoundaryWarning(UserWarning):
    """A fitted trait covariance is (numerically) singular: a variance or correlation is at
    the edge of its range, where likelihood-ratio tests of it are not χ²."""


def _per_trait_start(model: Kron2Sum, Y: Array, X: Array, rank: int) -> tuple[Array, Array]:
    """(L₀, L₁) of the staged start from the per-trait single-trait nulls (REML ones for a
    restricted model)."""
    data = model._data
    p = Y.shape[1]
    QS = ((data.Q0,), data.sx)
    v0 = np.empty(p)
    v1 = np.empty(p)
    for j in range(p):
        lmm = LMM(Y[:, j], X, QS, restricted=model.restricted)
        lmm.fit(verbose=False)
        v0[j], v1[j] = lmm.v0, lmm.v1
    resid = Y - X @ np.linalg.lstsq(X, Y, rcond=None)[0]
    sd = np.sqrt(np.maximum(np.einsum("ij,ij->j", resid, resid), 1e-300))
    R = (resid.T @ resid) / np.outer(sd, sd)
    floor = 1e-4 * max(float(np.mean(v0 + v1)), 1e-300)
    d0 = np.sqrt(np.maximum(v0, floor))
    d1 = np.sqrt(np.maximum(v1, floor))
    C0 = R * np.outer(d0, d0)
    C1 = R * np.outer(d1, d1) + floor * np.eye(p)
    w, U = np.linalg.eigh(C0)
    L0 = U[:, ::-1][:, :rank] * np.sqrt(np.maximum(w[::-1][:rank], floor))
    return L0, np.linalg.cholesky(C1)


def _boundary_warnings(model: Kron2Sum, rank: int) -> None:
    for name, C, k in (("C₀", model.C0, rank), ("C₁", model.C1, model.ntraits)):
        if name == "C₀" and model._data.sx.size == 0:  # no genetic term: C₀ is held at 0
            continue
        w = np.linalg.eigvalsh(C)[::-1]
        if w[0] > 0 and w[k - 1] <= BOUNDARY_RTOL * w[0]:
            warnings.warn(
                f"the fitted {name} is at the boundary of the positive semi-definite cone "
                f"(eigenvalues {np.array2string(w, precision=3)}): a trait's variance or a "
                "correlation is at the edge of its range.",
                BoundaryWarning,
                stacklevel=3,
            )


def fit_kron2sum(
    Y: ArrayLike,
    A: ArrayLike,
    X: ArrayLike,
    G: ArrayLike | None,
    rank: int | None = None,
    restricted: bool = False,
) -> Kron2Sum:
    """Fit :class:`Kron2Sum` from two starts and return the better optimum.

    Parameters
    ----------
    Y, A, X, G, restricted
        As for :class:`Kron2Sum`.
    rank
        Maximum rank of C₀; ``None`` (default) for full rank, p (C₀ free: genetic
        correlations estimated, not forced to ±1).

    Returns
    -------
    Kron2Sum
        The fitted model at the better of the two optima (with a centred kinship whose null
        space the covariates fit, C₀ and C₁ at their REML estimates: see the module's notes).

    Warns
    -----
    BoundaryWarning
        If C₀ (within its rank) or C₁ is numerically singular at the optimum.
    RuntimeWarning
        If the gradient at the optimum is not small (the optimiser stopped early).

    Examples
    --------
    >>> from numpy import eye, ones
    >>> from numpy.random import RandomState
    >>> from glimix.lmm import fit_kron2sum
    >>>
    >>> random = RandomState(0)
    >>> n, p = 50, 2
    >>> G = random.randn(n, 10) / 10 ** 0.5
    >>> Y = G @ random.randn(10, p) + random.randn(n, p)
    >>> model = fit_kron2sum(Y, eye(p), ones((n, 1)), G)
    >>> print("%.4f" % model.lml())
    -155.2665
    """
    Yc = np.asarray(Y, dtype=float)
    p = Yc.shape[1] if Yc.ndim == 2 else 1
    k = p if rank is None else rank
    model = Kron2Sum(Y, A, X, G, rank=k, restricted=restricted)
    if not restricted and _complement_is_fitted(model._data):
        reml = _fit_from_two_starts(Kron2Sum(Y, A, X, G, rank=k, restricted=True), k)
        model._cov.C0.L = reml._cov.C0.L.copy()
        model._cov.C1.L = reml._cov.C1.L.copy()
        _boundary_warnings(model, k)
        return model
    _fit_from_two_starts(model, k)
    grad = model.gradient()
    worst = max((float(np.max(np.abs(g))) for g in grad.values()), default=0.0)
    if worst > GRADIENT_RTOL * max(1.0, abs(model.lml())) / max(1, model.nsamples) * p:
        warnings.warn(
            f"the multi-trait null model may not be at its optimum: largest |gradient| "
            f"{worst:.3g}.",
            RuntimeWarning,
            stacklevel=2,
        )
    _boundary_warnings(model, k)
    return model


def _fit_from_two_starts(model: Kron2Sum, k: int) -> Kron2Sum:
    """Fit ``model`` from Kron2Sum's start and from the per-trait start; keep the better."""
    model.fit(verbose=False)
    if model._data.sx.size:
        best_lml = model.lml()
        best = (model._cov.C0.L.copy(), model._cov.C1.L.copy())
        L0, L1 = _per_trait_start(model, model._Y, model._X, k)
        model._cov.C0.L = L0
        model._cov.C1.L = L1
        model.fit(verbose=False)
        if not model.lml() > best_lml:
            model._cov.C0.L, model._cov.C1.L = best
    return model
