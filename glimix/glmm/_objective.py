"""log s and 𝛿 as optimix variables, so that :func:`glimix._optimize.maximize` can fit them.

Both GLMMs profile 𝜷 out and hand the optimiser the variance parameters only. The objective is
the log-likelihood divided by n: its gradient is then of order one, and so is the first step of
L-BFGS-B (−g, which for the log-likelihood itself would reach the bounds at once). ``pgtol``
applies to this gradient; ``factr`` to the relative change, which the division leaves alone
(where ∣f∣ < 1 it is absolute in f/n). An evaluation that fails numerically (a tilted integral
that cannot be computed, a factorisation that breaks down at an extreme trial point) counts as
−∞, so L-BFGS-B steps back instead of the fit aborting; the failure is kept and reported if the
optimiser cannot recover.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import optimix

from .._function import Function

__all__ = ["VarianceObjective"]

#: evaluate(scale, delta) → (objective, {"logscale": ∂, "delta": ∂} for the free ones).
Evaluate = Callable[[float, float], tuple[float, dict[str, float]]]


class VarianceObjective(Function):
    """The objective over (log s, 𝛿) for :func:`~glimix._optimize.maximize`.

    Parameters
    ----------
    evaluate
        ``evaluate(scale, delta)`` → (value, gradient over the free variables).
    scale, delta
        Starting point (moved inside the bounds).
    free_scale, free_delta
        Which of the two are optimised.
    bounds
        Bounds of ``"logscale"`` and ``"delta"``.
    nsamples
        n, the divisor of the objective and its gradient.
    """

    def __init__(
        self,
        evaluate: Evaluate,
        scale: float,
        delta: float,
        free_scale: bool,
        free_delta: bool,
        bounds: dict[str, tuple[float, float]],
        nsamples: int,
    ) -> None:
        variables = {}
        for name, start, free in (
            ("logscale", math.log(scale), free_scale),
            ("delta", delta, free_delta),
        ):
            var = optimix.Scalar(float(np.clip(start, *bounds[name])) if free else start)
            var.bounds = bounds[name]
            if not free:
                var.fix()
            variables[name] = var
        Function.__init__(self, "VarianceObjective", **variables)
        self._evaluate = evaluate
        self._n = float(nsamples)
        self._fixed_scale = None if free_scale else scale
        self._cache: tuple[tuple[float, float], float, dict[str, float]] | None = None
        self.failure: Exception | None = None

    def point(self) -> tuple[float, float]:
        """(s, 𝛿) at the variables' current values (a fixed s exactly as given)."""
        scale = self._fixed_scale
        if scale is None:
            scale = math.exp(float(self._variables["logscale"].value))
        return scale, float(self._variables["delta"].value)

    def _evaluated(self) -> tuple[float, dict[str, float]]:
        key = self.point()
        if self._cache is None or self._cache[0] != key:
            try:
                value, grad = self._evaluate(*key)
                value /= self._n
                grad = {name: g / self._n for name, g in grad.items()}
            except (ValueError, np.linalg.LinAlgError, FloatingPointError) as err:
                self.failure = err
                value, grad = -math.inf, {}
            self._cache = (key, value, grad)
        return self._cache[1], self._cache[2]

    def value(self) -> float:
        """The objective (log-likelihood over n) at the current point; −∞ where it fails."""
        return self._evaluated()[0]

    def gradient(self) -> dict[str, float]:
        """Its derivatives over the free variables (zeros where it cannot be evaluated)."""
        value, grad = self._evaluated()
        names = self._variables.select(fixed=False).names()
        if not math.isfinite(value):
            return {name: 0.0 for name in names}
        return {name: grad[name] for name in names}
