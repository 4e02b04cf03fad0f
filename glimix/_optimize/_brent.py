"""Brent's bounded maximisation for many independent scalar problems in lock-step.

Each problem j has a bracket [aⱼ, bⱼ] and a best point xⱼ inside it (from a grid). Every
iteration makes one step per unfinished problem — a parabolic step through its three best points
when that step is acceptable, a golden-section step otherwise, exactly as in Brent (1973) and
``scipy.optimize.fminbound`` — and evaluates all those steps with one call of the objective, so
the objective can use matrix operations across problems. A problem stops when its bracket is
below the tolerance (Brent's own test), or earlier when a parabolic step of at most 10⁻³ changes
the objective by at most ``ftol``: near a maximum f(x*) − f(x) ≈ ½|f″|(x − x*)², so a step that
gains less than ``ftol`` was taken from a point already within about ``ftol`` of the maximum, and
lands much closer (parabolic steps converge superlinearly). That second test saves Brent's last
two or three probing steps, which only shrink the bracket. The loop stops when all problems
have stopped, or after ``maxiter`` iterations.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

__all__ = ["maximize_brackets"]

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]

_CGOLD = 0.5 * (3.0 - np.sqrt(5.0))
_SQRT_EPS = float(np.sqrt(np.finfo(float).eps))

#: Largest parabolic step after which a negligible gain ends a problem.
_SMALL_STEP = 1e-3


def maximize_brackets(
    f: Callable[[Array, IntArray], Array],
    lo: Array,
    x: Array,
    hi: Array,
    f_lo: Array,
    f_x: Array,
    f_hi: Array,
    xatol: float = 1e-6,
    ftol: float = 1e-9,
    maxiter: int = 100,
) -> tuple[Array, Array]:
    """Maximise m scalar functions, problem j over [loⱼ, hiⱼ], starting from xⱼ.

    Parameters
    ----------
    f
        ``f(t, idx)`` returns, for each k, the value of problem ``idx[k]`` at ``t[k]``.
    lo, x, hi
        Brackets and starting points, lo ≤ x ≤ hi, with f(x) ≥ f(lo), f(hi).
    f_lo, f_x, f_hi
        The objective at lo, x and hi (already known from the grid).
    xatol
        Absolute tolerance on the maximiser; the bracket is shrunk to about 2·(xatol/3 +
        √ε·|x|), as in ``scipy.optimize.fminbound``.
    ftol
        A problem also stops when a parabolic step of at most 10⁻³ changes its value by at most
        ``ftol`` (absolute).
    maxiter
        Maximum number of lock-step iterations.

    Returns
    -------
    x, fx
        The best point found for each problem and its value (never worse than the start).
    """
    # Brent's method minimises: work with g = −f.
    a, b, x = lo.astype(float), hi.astype(float), x.astype(float)
    fx = -np.asarray(f_x, float)
    # The bracket ends seed the two other points, so the first step can be the vertex of the
    # parabola through the three grid points; w must be the second best. The bracket width
    # also stands for the two previous steps (e, d), so that parabolic steps are accepted from
    # the start as long as they shrink (Brent's rule: a step under half the one before last).
    w, fw = a.copy(), -np.asarray(f_lo, float)
    v, fv = b.copy(), -np.asarray(f_hi, float)
    swap = fv < fw
    w[swap], v[swap] = v[swap], w[swap].copy()
    fw[swap], fv[swap] = fv[swap], fw[swap].copy()
    e = b - a
    d = b - a
    stalled = np.zeros(x.shape, dtype=bool)
    for _ in range(maxiter):
        xm = 0.5 * (a + b)
        tol1 = _SQRT_EPS * np.abs(x) + xatol / 3.0
        tol2 = 2.0 * tol1
        act = np.flatnonzero((np.abs(x - xm) > tol2 - 0.5 * (b - a)) & ~stalled)
        if act.size == 0:
            break
        A, B, X, W, V = a[act], b[act], x[act], w[act], v[act]
        FX, FW, FV, D, E = fx[act], fw[act], fv[act], d[act], e[act]
        XM, T1, T2 = xm[act], tol1[act], tol2[act]

        r = (X - W) * (FX - FV)
        q = (X - V) * (FX - FW)
        p = (X - V) * q - (X - W) * r
        q = 2.0 * (q - r)
        p = np.where(q > 0, -p, p)
        q = np.abs(q)
        parabolic = (
            (np.abs(E) > T1)
            & (np.abs(p) < np.abs(0.5 * q * E))
            & (p > q * (A - X))
            & (p < q * (B - X))
        )
        e_golden = np.where(X >= XM, A - X, B - X)
        E = np.where(parabolic, D, e_golden)
        D = np.where(parabolic, p / np.where(parabolic, q, 1.0), _CGOLD * e_golden)
        U = X + D
        near_end = parabolic & (((U - A) < T2) | ((B - U) < T2))
        D = np.where(near_end, np.where(XM - X >= 0, T1, -T1), D)
        step = np.where(D >= 0, 1.0, -1.0) * np.maximum(np.abs(D), T1)
        U = X + step
        FU = -np.asarray(f(U, act), float)
        stalled[act] = parabolic & (np.abs(step) <= _SMALL_STEP) & (np.abs(FU - FX) <= ftol)

        better = FU <= FX
        a[act] = np.where(better, np.where(U >= X, X, A), np.where(U < X, U, A))
        b[act] = np.where(better, np.where(U >= X, B, X), np.where(U < X, B, U))
        second = ~better & ((FU <= FW) | (W == X))
        third = ~better & ~second & ((FU <= FV) | (V == X) | (V == W))
        v[act] = np.where(better | second, W, np.where(third, U, V))
        fv[act] = np.where(better | second, FW, np.where(third, FU, FV))
        w[act] = np.where(better, X, np.where(second, U, W))
        fw[act] = np.where(better, FX, np.where(second, FU, FW))
        x[act] = np.where(better, U, X)
        fx[act] = np.where(better, FU, FX)
        d[act] = D
        e[act] = E
    return x, -fx
