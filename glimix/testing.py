"""Checks for authors of new glimix functions and models.

``check_gradient`` compares a function's analytic ``gradient()`` with central finite differences
of its ``value()`` for every unfixed variable — the test every Function of this package passes, and
the first test to write for a covariance or mean of your own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["check_gradient", "finite_difference_gradient"]


def finite_difference_gradient(func: Any, step: float = 1e-6) -> dict[str, NDArray[np.float64]]:
    """Central finite differences of ``func.value()`` over each unfixed variable.

    For a variable θ with entries θₖ, the k-th slice (last axis) is
    (f(θ + h·eₖ) − f(θ − h·eₖ)) / 2h, with h = step·max(1, abs(θₖ)). Scalar variables give an
    array shaped like ``value()``; vector variables add a last axis of the variable's size.
    """
    variables = func._variables
    grad: dict[str, NDArray[np.float64]] = {}
    for name in variables.select(fixed=False).names():
        var = variables[name]
        flat = np.atleast_1d(np.array(var.value, dtype=float)).ravel()
        columns = []
        for k in range(flat.size):
            h = step * max(1.0, abs(flat[k]))
            shifted = flat.copy()
            shifted[k] = flat[k] + h
            var.value = shifted if var.ndim else shifted[0]
            upper = np.asarray(func.value(), dtype=float)
            shifted[k] = flat[k] - h
            var.value = shifted if var.ndim else shifted[0]
            lower = np.asarray(func.value(), dtype=float)
            columns.append((upper - lower) / (2 * h))
        var.value = flat if var.ndim else flat[0]
        grad[name] = columns[0] if var.ndim == 0 else np.stack(columns, axis=-1)
    return grad


def check_gradient(func: Any, step: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    """Assert that ``func.gradient()`` matches finite differences for every unfixed variable.

    Raises
    ------
    AssertionError
        Naming the variable whose analytic and numerical gradients disagree, or a variable present
        in one and missing in the other.
    """
    analytic = {k: np.asarray(v, dtype=float) for k, v in func.gradient().items()}
    numeric = finite_difference_gradient(func, step)
    missing = set(numeric) - set(analytic)
    if missing:
        raise AssertionError(f"gradient() lacks unfixed variable(s): {sorted(missing)}")
    for name, num in numeric.items():
        ana = analytic[name]
        if ana.shape != num.shape:
            raise AssertionError(
                f"gradient()[{name!r}] has shape {ana.shape}; finite differences give {num.shape}"
            )
        np.testing.assert_allclose(
            ana, num, rtol=rtol, atol=atol, err_msg=f"gradient of variable {name!r}"
        )
