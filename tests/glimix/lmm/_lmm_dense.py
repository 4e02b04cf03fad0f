"""Dense textbook formulas the LMM and the scanner are tested against.

Everything here forms the n×n covariance explicitly and uses scipy's multivariate normal or a
Cholesky solve; nothing of glimix.lmm is used.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
from scipy.optimize import minimize_scalar
from scipy.stats import multivariate_normal


def gls(y, E, V):
    """(β, cov factor (EᵀV⁻¹E)⁺, Q = rᵀV⁻¹r) by Cholesky solves with V."""
    factor = scipy.linalg.cho_factor(V, lower=True)
    ViE = scipy.linalg.cho_solve(factor, E)
    Viy = scipy.linalg.cho_solve(factor, y)
    F = E.T @ ViE
    Finv = np.linalg.pinv(F, hermitian=True)
    beta = Finv @ (E.T @ Viy)
    r = y - E @ beta
    Q = float(r @ scipy.linalg.cho_solve(factor, r))
    return beta, Finv, Q


def ml(y, E, V, scale=None):
    """Maximum-likelihood fit of y ∼ N(Eβ, sV): lml, β, s, se."""
    n = y.shape[0]
    beta, Finv, Q = gls(y, E, V)
    s = Q / n if scale is None else scale
    lml = multivariate_normal(E @ beta, s * V, allow_singular=False).logpdf(y)
    return float(lml), beta, s, np.sqrt(np.diag(s * Finv)), s * Finv


def reml(y, X, V, scale=None):
    """Restricted likelihood as the likelihood of the error contrasts Lᵀy (L orthonormal)."""
    n = y.shape[0]
    L = scipy.linalg.null_space(X.T) if X.shape[1] else np.eye(n)
    p = n - L.shape[1]
    beta, Finv, Q = gls(y, X, V)
    s = Q / (n - p) if scale is None else scale
    lml = multivariate_normal(np.zeros(L.shape[1]), s * (L.T @ V @ L)).logpdf(L.T @ y)
    return float(lml), beta, s, Finv * s


def covariance(K, delta):
    n = K.shape[0]
    return (1 - delta) * K + delta * np.eye(n)


def best_over_delta(f, npoints=401):
    """max over δ of f(δ): a fine grid over logit(δ) ∈ [−20, 20] then bounded Brent.

    Points where the dense covariance is numerically singular count as −∞.
    """

    def safe(delta):
        try:
            return f(delta)
        except np.linalg.LinAlgError:
            return -np.inf

    grid = np.linspace(-20, 20, npoints)
    values = np.array([safe(1 / (1 + np.exp(-t))) for t in grid])
    k = int(np.argmax(values))
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, npoints - 1)]
    res = minimize_scalar(
        lambda t: -safe(1 / (1 + np.exp(-t))),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-10},
    )
    if -res.fun > values[k]:
        return 1 / (1 + np.exp(-res.x)), -res.fun
    return 1 / (1 + np.exp(-grid[k])), values[k]
