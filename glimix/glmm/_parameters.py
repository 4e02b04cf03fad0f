"""What both GLMMs share: 𝚇, 𝙺₀, and the parameters 𝜷, s and 𝛿 of 𝓝(𝚇𝜷, s((1−𝛿)𝙺₀ + 𝛿I)).

The optimiser works on log s and on 𝛿 itself, within :meth:`GLMMParameters.bounds`:

* log s ∈ [−20, 10] − log c̄, c̄ = mean diag(𝙺₀) (1 without 𝙺₀): the kinship variance s⋅c̄
  ranges over [2⋅10⁻⁹, 2.2⋅10⁴] whatever the scale of 𝙺₀ is;
* 𝛿 ∈ [0, 1] — the boundaries v₁ = 0 and v₀ = 0 are ordinary estimates, reached in one projected
  step (in logit 𝛿 they would be approached ever more slowly, the slope vanishing with 𝛿); the
  lower end is 10⁻⁹ when a sample has no kinship variance (diag(𝙺₀)ᵢ = 0), whose latent
  variable would otherwise have no variance at all.

The properties ``scale`` and ``delta`` accept any value in (0, ∞) and [0, 1]. Without 𝙺₀
(``QS=None``) 𝛿 is 1 and cannot be freed; a model may pin 𝛿 to another value (the probit GLMM
pins it to 0) or start with it fixed (the Bernoulli GLMM).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import finite_vector, readonly
from .._optimize import OptimisationError, OptimisationResult, maximize
from .._variance_ratio import VarianceRatioModel, check_delta, check_scale
from ..linalg import KinshipOperator
from ._objective import VarianceObjective
from ._posterior import Posterior
from ._prior import Prior
from ._scanner import PseudoDataScanner

__all__ = ["LOGSCALE_RANGE", "PARAMETERS", "GLMMParameters"]

Array = NDArray[np.float64]

#: Names accepted by ``fix`` and ``unfix``.
PARAMETERS = ("beta", "scale", "delta")

#: Range of log(s⋅c̄) for the optimiser (module notes).
LOGSCALE_RANGE = (-20.0, 10.0)
#: Smallest 𝛿 for the optimiser when some sample has diag(𝙺₀)ᵢ = 0.
_MIN_DELTA_SINGULAR = 1e-9
#: diag(𝙺₀)ᵢ at or below this fraction of the largest counts as zero.
_ZERO_DIAG = 1e-10


class GLMMParameters(VarianceRatioModel):
    """𝜷, s, 𝛿 with their fixed/free state, 𝚇 and 𝙺₀ (see the module notes).

    Parameters
    ----------
    X
        Validated n×c covariates.
    kinship
        𝙺₀ by its eigenvectors.
    pinned_delta
        A value 𝛿 is fixed at for good (``None``: free, starting at 0.5, when 𝙺₀ is given).
    pinned_reason
        Why 𝛿 is pinned, for error messages.
    fixed_delta
        A value 𝛿 starts fixed at; ``unfix("delta")`` frees it.
    """

    def __init__(
        self,
        X: Array,
        kinship: KinshipOperator,
        pinned_delta: float | None = None,
        pinned_reason: str = "",
        fixed_delta: float | None = None,
    ) -> None:
        self._X = readonly(X)
        self._kinship = kinship
        if kinship.rank == 0:
            pinned_delta, pinned_reason = 1.0, "without K (QS=None) the covariance is s⋅I"
        self._pinned_delta = pinned_delta
        self._pinned_reason = pinned_reason
        self._beta = np.zeros(X.shape[1])
        self._scale = 1.0
        start = pinned_delta if pinned_delta is not None else fixed_delta
        self._delta = 0.5 if start is None else start
        self._fixed = {"beta": False, "scale": False, "delta": start is not None}

    def bounds(self) -> dict[str, tuple[float, float]]:
        """Bounds of the optimiser's variables ``"logscale"`` and ``"delta"`` (module notes)."""
        diag = self._kinship.diag
        mean_diag = float(np.mean(diag)) if self._kinship.rank else 1.0
        shift = math.log(mean_diag)
        singular = self._kinship.rank and bool(np.any(diag <= _ZERO_DIAG * float(np.max(diag))))
        return {
            "logscale": (LOGSCALE_RANGE[0] - shift, LOGSCALE_RANGE[1] - shift),
            "delta": (_MIN_DELTA_SINGULAR if singular else 0.0, 1.0),
        }

    # -- to be told about changes ------------------------------------------------------------------
    def _changed(self) -> None:
        """Called after any parameter changes (subclasses drop cached results)."""

    # -- fitting ---------------------------------------------------------------------------------
    def _maximise_variances(
        self,
        evaluate: Callable[[float, float], tuple[float, dict[str, float]]],
        label: str,
        profile: bool,
        verbose: bool,
        factr: float,
        pgtol: float,
    ) -> tuple[VarianceObjective, OptimisationResult]:
        """L-BFGS-B over the free ones of log s and 𝛿 of ``evaluate(scale, delta)`` → (lml,
        gradient); sets :attr:`at_bounds`. A failure raises ``ValueError`` naming ``label``."""
        objective = VarianceObjective(
            evaluate,
            self._scale,
            self._delta,
            free_scale=not self._fixed["scale"],
            free_delta=not self._fixed["delta"],
            bounds=self.bounds(),
            nsamples=self.nsamples,
        )
        if verbose:
            print(
                f"{label}: L-BFGS-B on lml/n over the free ones of log s and 𝛿"
                + (", 𝜷 profiled" if profile else "")
            )
        try:
            result = maximize(objective, verbose=verbose, factr=factr, pgtol=pgtol)
        except OptimisationError as err:
            failure = objective.failure or err
            name = "GLMM" if label == "GLMMExpFam" else label
            raise ValueError(f"{name} fit failed: {failure}") from failure
        self.at_bounds = tuple(
            {"logscale": "scale", "delta": "delta"}[name] for name in result.at_bounds
        )
        return objective, result

    # -- fixing ------------------------------------------------------------------------------------
    def _check_name(self, var_name: str) -> None:
        if var_name not in PARAMETERS:
            names = ", ".join(map(repr, PARAMETERS))
            raise ValueError(f"var_name must be one of {names}; got {var_name!r}.")

    def fix(self, *var_names: str) -> None:
        """Prevent variables to be adjusted.

        Parameters
        ----------
        *var_names
            Any of ``"beta"``, ``"scale"`` and ``"delta"`` (one or several).
        """
        for var_name in self._names(var_names):
            self._fixed[var_name] = True

    def unfix(self, *var_names: str) -> None:
        """Let variables be adjusted.

        Parameters
        ----------
        *var_names
            Any of ``"beta"``, ``"scale"`` and ``"delta"``.

        Raises
        ------
        ValueError
            For an unknown name, or ``"delta"`` when the model pins 𝛿 (no K, or probit).
        """
        for var_name in self._names(var_names):
            if var_name == "delta" and self._pinned_delta is not None:
                raise ValueError(
                    f"delta cannot be unfixed: it is {self._pinned_delta:g} because "
                    f"{self._pinned_reason}."
                )
            self._fixed[var_name] = False

    def _names(self, var_names: tuple[str, ...]) -> tuple[str, ...]:
        if not var_names:
            names = ", ".join(map(repr, PARAMETERS))
            raise ValueError(f"name the variable(s) to fix or unfix: {names}.")
        for var_name in var_names:
            self._check_name(var_name)
        return var_names

    def isfixed(self, var_name: str) -> bool:
        """Whether ``var_name`` (``"beta"``, ``"scale"`` or ``"delta"``) is fixed."""
        self._check_name(var_name)
        return self._fixed[var_name]

    # -- parameters --------------------------------------------------------------------------------
    @property
    def beta(self) -> Array:
        """Fixed-effect sizes 𝜷 (a copy)."""
        return self._beta.copy()

    @beta.setter
    def beta(self, beta: ArrayLike) -> None:
        self._beta = finite_vector(beta, "beta", size=self.ncovariates).copy()
        self._changed()

    @property
    def scale(self) -> float:
        """Scale s of the covariance s((1−𝛿)𝙺 + 𝛿𝙸), s > 0."""
        return self._scale

    @scale.setter
    def scale(self, scale: float) -> None:
        self._scale = check_scale(scale)
        self._changed()

    @property
    def delta(self) -> float:
        """Variance ratio 𝛿 ∈ [0, 1] between 𝙸 and 𝙺 + 𝙸."""
        return self._delta

    @delta.setter
    def delta(self, delta: float) -> None:
        value = check_delta(delta)
        if self._pinned_delta is not None and value != self._pinned_delta:
            raise ValueError(
                f"delta is {self._pinned_delta:g} because {self._pinned_reason}; got {delta!r}."
            )
        self._delta = value
        self._changed()

    @property
    def X(self) -> Array:
        """Covariates 𝚇 (read-only)."""
        return self._X

    @property
    def nsamples(self) -> int:
        """Number of samples, n."""
        return int(self._X.shape[0])

    def covariance(self) -> Array:
        """Covariance of the prior, v₀𝙺 + v₁𝙸 (a dense n×n matrix)."""
        return self._prior().matrix()

    # -- for the models ----------------------------------------------------------------------------
    def _prior(self, scale: float | None = None, delta: float | None = None) -> Prior:
        s = self._scale if scale is None else scale
        d = self._delta if delta is None else delta
        return Prior(self._kinship, s * (1 - d), s * d)

    def _gradient_at(self, posterior: Posterior) -> dict[str, Any]:
        """The gradient of the models' log marginal likelihood G at the current parameters.

        ∂G/∂𝜷 = 𝚇ᵀ𝛂 unless 𝜷 is fixed, and ∂G/∂log s, ∂G/∂𝛿 of the free ones (:meth:`_chain`),
        from the ``posterior`` at the current sites.
        """
        grad: dict[str, Any] = {}
        if not self._fixed["beta"]:
            grad["beta"] = posterior.beta_gradient()
        grad.update(self._chain(*posterior.variance_gradient(), self._scale, self._delta))
        return grad

    def _pseudo_data_scanner(
        self,
        tau: Array,
        eta: Array,
        fixed_scale: bool,
        keep: NDArray[np.bool_] | None = None,
    ) -> PseudoDataScanner:
        """The scanner of the pseudo-observations 𝛈̃/𝛕̃ with noise 1/𝛕̃, at the current v₀, v₁.

        Parameters
        ----------
        tau, eta
            The sites' natural parameters (n).
        fixed_scale
            As for :class:`PseudoDataScanner`.
        keep
            The samples whose sites are used (the others carry no information), or ``None``
            for all of them.
        """
        X, Q0 = self._X, self._kinship.Q0
        rows, nsamples = None, None
        if keep is not None:
            tau, eta, X, Q0 = tau[keep], eta[keep], X[keep], Q0[keep]
            rows, nsamples = np.flatnonzero(keep), self.nsamples
        return PseudoDataScanner(
            eta / tau,
            X,
            Q0,
            self._kinship.S0,
            self.v0,
            self.v1 + 1 / tau,
            rows=rows,
            nsamples=nsamples,
            fixed_scale=fixed_scale,
        )

    def _chain(self, g0: float, g1: float, scale: float, delta: float) -> dict[str, float]:
        """∂/∂log s and ∂/∂𝛿 from ∂/∂v₀ = g₀ and ∂/∂v₁ = g₁ (v₀ = s(1−𝛿), v₁ = s𝛿)."""
        grad: dict[str, float] = {}
        if not self._fixed["scale"]:
            grad["logscale"] = scale * ((1 - delta) * g0 + delta * g1)
        if not self._fixed["delta"]:
            grad["delta"] = scale * (g1 - g0)
        return grad
