"""Maximisation of a glimix function over its unfixed variables, by L-BFGS-B.

optimix's own driver passes ``disp`` to scipy's L-BFGS-B, which scipy deprecates and drops, and
retries silently from averaged points when a step fails. This module is the one place where
glimix models call the optimiser: it flattens the unfixed variables (sorted by name) into one
vector with their bounds, hands value and analytic gradient to ``scipy.optimize.minimize``, writes
the best point back into the variables, and reports a failure as an exception that says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.optimize
from numpy.typing import NDArray

__all__ = ["OptimisationError", "OptimisationResult", "maximize"]

#: Defaults of the manual's ``fit(verbose, factr, pgtol)`` (as ``scipy.optimize.fmin_l_bfgs_b``).
FACTR = 1e5
PGTOL = 1e-7


class OptimisationError(RuntimeError):
    """The optimiser could not improve on, or even evaluate, the objective."""


@dataclass(frozen=True)
class OptimisationResult:
    """What :func:`maximize` did.

    Attributes
    ----------
    value
        Objective at the returned point.
    niterations
        L-BFGS-B iterations.
    message
        scipy's termination message.
    at_bounds
        Names of the variables with an entry at one of its bounds at the end.
    """

    value: float
    niterations: int
    message: str
    at_bounds: tuple[str, ...]


def _flatten(variables: Any, names: list[str]) -> NDArray[np.float64]:
    return np.concatenate([np.atleast_1d(np.asarray(variables[n].value, float)) for n in names])


def _assign(variables: Any, names: list[str], x: NDArray[np.float64]) -> None:
    offset = 0
    for name in names:
        var = variables[name]
        size = var.size
        var.value = x[offset : offset + size] if var.ndim else x[offset]
        offset += size


def _bounds(variables: Any, names: list[str]) -> list[tuple[float, float]]:
    bounds: list[tuple[float, float]] = []
    for name in names:
        var = variables[name]
        bounds.extend([var.bounds] if var.ndim == 0 else list(var.bounds))
    return bounds


def maximize(
    func: Any, verbose: bool = False, factr: float = FACTR, pgtol: float = PGTOL
) -> OptimisationResult:
    """Maximise ``func.value()`` over its unfixed variables with L-BFGS-B on ``func.gradient()``.

    Parameters
    ----------
    func
        A glimix function (or model) whose ``value()`` is a scalar and whose ``gradient()`` has an
        entry for every unfixed variable.
    verbose
        Print one line per iteration and a summary.
    factr
        Stop when the relative reduction (fᵏ − fᵏ⁺¹)/max(|fᵏ|, |fᵏ⁺¹|, 1) ≤ factr⋅ε.
    pgtol
        Stop when the largest entry of the projected gradient is ≤ pgtol.

    Returns
    -------
    OptimisationResult

    Raises
    ------
    OptimisationError
        If the objective is not finite at the starting point, or L-BFGS-B stops without improving
        on a non-stationary start.
    """
    variables = func._variables
    names = sorted(variables.select(fixed=False).names())
    if not names:
        return OptimisationResult(float(func.value()), 0, "no unfixed variable", ())
    x0 = _flatten(variables, names)
    bounds = _bounds(variables, names)
    best: dict[str, Any] = {"f": np.inf, "x": x0.copy()}

    def objective(x: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        _assign(variables, names, x)
        f = -float(func.value())
        grad = func.gradient()
        g = -np.concatenate([np.atleast_1d(np.asarray(grad[n], float)).ravel() for n in names])
        if not np.isfinite(f) or not np.all(np.isfinite(g)):
            return np.inf, np.zeros_like(x)
        if f < best["f"]:
            best["f"], best["x"] = f, x.copy()
        return f, g

    f0, _ = objective(x0)
    if not np.isfinite(f0):
        raise OptimisationError(
            f"the objective of {type(func).__name__} is not finite at the starting point."
        )

    iteration = [0]

    def progress(x: NDArray[np.float64]) -> None:
        iteration[0] += 1
        if verbose:
            print(f"  iteration {iteration[0]:4d}: objective {-best['f']:.10g}")

    eps = np.finfo(float).eps
    result = scipy.optimize.minimize(
        objective,
        x0,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        callback=progress,
        options={"ftol": factr * eps, "gtol": pgtol, "maxiter": 15000, "maxfun": 15000},
    )
    _assign(variables, names, best["x"])
    if not result.success and best["f"] >= f0 and np.max(np.abs(result.jac)) > pgtol:
        raise OptimisationError(f"L-BFGS-B did not improve the objective: {result.message}")
    at_bounds = []
    offset = 0
    for name in names:
        size = variables[name].size
        x = best["x"][offset : offset + size]
        lo, hi = np.array(bounds[offset : offset + size], dtype=float).T
        if np.any(np.isclose(x, lo, rtol=0, atol=1e-8) | np.isclose(x, hi, rtol=0, atol=1e-8)):
            at_bounds.append(name)
        offset += size
    summary = OptimisationResult(-best["f"], int(result.nit), str(result.message), tuple(at_bounds))
    if verbose:
        print(f"L-BFGS-B: {summary.message}; objective {summary.value:.10g}")
    return summary
