"""Linear mixed model 𝐲 ∼ 𝓝(𝚇𝜷, s((1−𝛿)𝙺 + 𝛿𝙸)) with 𝜷 and s profiled out in closed form."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import finite_vector, readonly
from .._optimize._delta_search import logistic, maximize_over_logit
from .._variance_ratio import VarianceRatioModel, check_delta, check_scale
from ..linalg import KinshipOperator
from ._inputs import check_covariates, check_outcome
from ._null import LOG_2PI, spd_inverse
from ._rotated import RotatedNull
from ._scanner import FastScanner

__all__ = ["LMM"]

Array = NDArray[np.float64]

_PARAMETERS = ("delta", "beta", "scale")


@dataclass(frozen=True)
class _Point:
    """The model evaluated at one 𝛿: log-likelihood and the profiled or fixed 𝜸, s."""

    lml: float
    gamma: Array
    scale: float
    Ainv: Array
    Q: float


class LMM(VarianceRatioModel):
    """Fast Linear Mixed Models inference via maximum likelihood.

    The model is

        𝐲 ∼ 𝓝(𝚇𝜷, 𝑠((1-𝛿)𝙺 + 𝛿𝙸)),

    and we thus have v₀ = s (1 - 𝛿) and v₁ = s 𝛿. Consider the economic eigendecomposition of 𝙺::

        𝙺 = [𝚀₀  𝚀₁] [𝚂₀  𝟎] [𝚀₀ᵀ]
                     [ 𝟎  𝟎] [𝚀₁ᵀ]

    and let 𝙳₀ = (1-𝛿)𝚂₀ + 𝛿𝙸₀ and 𝙳 = diag(𝙳₀, 𝛿𝙸₁). 𝚀₁ is never needed: 𝚀𝚀ᵀ = 𝙸 implies
    𝚀₁𝚀₁ᵀ = 𝙸 - 𝚀₀𝚀₀ᵀ, so the solution of ((1-𝛿)𝙺 + 𝛿𝙸)𝐱 = 𝐮 is 𝐱 = 𝙱𝐮 with::

        𝙱 = 𝚀₀𝙳₀⁻¹𝚀₀ᵀ                   if 𝛿=0, and
        𝙱 = 𝚀₀𝙳₀⁻¹𝚀₀ᵀ + 𝛿⁻¹(𝙸 - 𝚀₀𝚀₀ᵀ)  if 𝛿>0.

    𝜷 solves 𝚇ᵀ𝙱𝚇𝜷 = 𝚇ᵀ𝙱𝐲 and the scale is s = n⁻¹(𝐲 − 𝚇𝜷)ᵀ𝙱(𝐲 − 𝚇𝜷), so that for optimal
    𝜷 and s

        2⋅log(p(𝐲; 𝜷, s)) = -n⋅log(2π) - n⋅log s - log|𝙳| - n.

    With ``restricted=True`` the restricted (REML) likelihood of LaMotte (2007) is used instead,

        2⋅log p_R(𝐲) = -(n-p)⋅log(2π) + log|𝚇ᵀ𝚇| - log|s𝙳| - log|𝚇ᵀ(s𝙳)⁻¹𝚇| - (𝐲-𝚇𝜷)ᵀ𝙱(𝐲-𝚇𝜷)/s,

    p = rank(𝚇) (pseudo-determinants for a rank-deficient 𝚇), whose optimal scale is
    s = (n-p)⁻¹(𝐲 − 𝚇𝜷)ᵀ𝙱(𝐲 − 𝚇𝜷). It is the likelihood of the n − p error contrasts, so it
    does not depend on how span(𝚇) is parametrised.

    Every product with 𝙱 goes through 𝚀₀ᵀ𝐲 and 𝚀₀ᵀ𝚇, computed once: after that an evaluation
    costs O(r⋅c²), r = rank(𝙺). :meth:`fit` maximises over 𝛿 by a grid over logit(𝛿) followed
    by Brent's method on the best bracket (so a second mode is not missed); 𝜷 and s follow in
    closed form unless fixed.

    Parameters
    ----------
    y
        Outcome, a finite vector of n values.
    X
        Covariates, a finite n×c matrix (a vector is one covariate). It may be rank-deficient:
        𝜷 is then the minimum-norm solution and its covariance a pseudo-inverse.
    QS
        Economic eigendecomposition ``((Q0, Q1), S0)`` of 𝙺, as returned by
        :func:`glimix.linalg.economic_qs` or :func:`glimix.linalg.economic_qs_linear`
        (``((Q0,), S0)`` is enough: Q1 is not used). ``None`` (or a 𝙺 of rank 0) gives the
        linear model 𝐲 ∼ 𝓝(𝚇𝜷, s𝙸), for which 𝛿 = 1.
    restricted
        Maximise the restricted likelihood (REML) rather than the likelihood.

    Raises
    ------
    ValueError
        If an input is not finite or has the wrong shape, Q0 is not orthonormal, S0 negative,
        or 𝐲 is a linear combination of the columns of 𝚇 (the likelihood would be unbounded).

    Examples
    --------
    >>> from numpy import array
    >>> from glimix.linalg import economic_qs_linear
    >>> from glimix.lmm import LMM
    >>>
    >>> X = array([[1, 2], [3, -1]], float)
    >>> QS = economic_qs_linear(X)
    >>> covariates = array([[1], [1]])
    >>> y = array([-1, 2], float)
    >>> lmm = LMM(y, covariates, QS)
    >>> lmm.fit(verbose=False)
    >>> print('%.3f' % lmm.lml())
    -3.649

    One can also specify which parameters should be fitted:

    >>> lmm = LMM(y, covariates, QS)
    >>> lmm.fix('delta')
    >>> lmm.fix('scale')
    >>> lmm.delta = 0.5
    >>> lmm.scale = 1
    >>> lmm.fit(verbose=False)
    >>> print('%.3f' % lmm.lml())
    -3.832
    >>> lmm.unfix('delta')
    >>> lmm.fit(verbose=False)
    >>> print('%.3f' % lmm.lml())
    -3.713
    """

    def __init__(
        self, y: ArrayLike, X: ArrayLike, QS: Any = None, restricted: bool = False
    ) -> None:
        y = check_outcome(y)
        n = y.shape[0]
        X = check_covariates(X, n)
        kinship = KinshipOperator.of(QS, n)
        self._X = readonly(X)
        self._data = RotatedNull.of(y, X, kinship)
        self._restricted = bool(restricted)
        self._linear = kinship.rank == 0
        self._delta = 1.0 if self._linear else 0.5
        self._fixed = {name: False for name in _PARAMETERS}
        self._beta: Array | None = None
        self._scale: float | None = None

    # -- evaluation ------------------------------------------------------------------------------
    def _coefficients(self, delta: float) -> tuple[float, float]:
        """(a, b) of the covariance a𝙺 + b𝙸 before the scale."""
        return (0.0, 1.0) if self._linear else (1.0 - delta, delta)

    def _evaluate(self, delta: float) -> _Point:
        data = self._data
        n, p = data.n, data.p
        a, b = self._coefficients(delta)
        w0, w1 = data.kinship.inverse_weights(a, b)
        if self._fixed["beta"]:
            yBy, UBy, UBU = data.products(w0[:, None], np.atleast_1d(w1))
            yBy, UBy, UBU = float(yBy[0]), UBy[0], UBU[0]
            Ainv = spd_inverse(UBU, "𝚇ᵀ𝙱𝚇 (the covariates' information matrix)")
            assert self._beta is not None
            gamma = data.basis.from_x(self._beta)
            Q = max(yBy - 2 * float(gamma @ UBy) + float(gamma @ UBU @ gamma), 0.0)
            logdet_UBU = float(np.linalg.slogdet(UBU)[1])
        else:
            gamma, Ainv, Q, logdet_UBU = data.gls(w0, float(w1))
        dof = n - p if self._restricted else n
        if self._fixed["scale"]:
            assert self._scale is not None
            scale = self._scale
        else:
            scale = Q / dof
        twice = dof * LOG_2PI + float(data.kinship.logdet(a, b)) + dof * math.log(scale) + Q / scale
        if self._restricted and p:
            twice += logdet_UBU
        return _Point(-0.5 * twice, gamma, scale, Ainv, Q)

    def _current(self) -> _Point:
        return self._evaluate(self._delta)

    # -- likelihood ------------------------------------------------------------------------------
    def lml(self) -> float:
        """Log of the marginal likelihood.

        At the current 𝛿, with 𝜷 and s at their optima unless fixed:

            2⋅log(p(𝐲)) = -n⋅log(2π) - n⋅log(s) - log|𝙳| - (𝐲-𝚇𝜷)ᵀ(s𝙳)⁻¹(𝐲-𝚇𝜷),

        where (𝐲-𝚇𝜷)ᵀ𝙳⁻¹(𝐲-𝚇𝜷) stands for (𝐲-𝚇𝜷)ᵀ𝙱(𝐲-𝚇𝜷) in the eigenbasis of 𝙺. For optimal
        𝜷 and s it simplifies to 2⋅log(p(𝐲; 𝜷, s)) = -n⋅log(2π) - n⋅log s - log|𝙳| - n. With
        ``restricted=True`` it is the restricted likelihood given in the class notes.

        Returns
        -------
        float
            Log of the marginal likelihood.
        """
        return self._current().lml

    def value(self) -> float:
        """Internal use only: the objective of :meth:`fit`, equal to :meth:`lml`."""
        return self.lml()

    def gradient(self) -> dict[str, float]:
        """Derivative of :meth:`lml` over 𝛿, keyed ``"delta"``, when 𝛿 is a free parameter.

        With 𝜷 and s at their optima (or fixed) — which, being optima, contribute nothing — and
        𝐫 = 𝐲 − 𝚇𝜷,

            2⋅∂lml/∂𝛿 = −tr(𝙳⁻¹∂𝙳) + 𝐫ᵀ𝙱(𝙸 − 𝙺)𝙱𝐫/s  [− tr((𝚇ᵀ𝙱𝚇)⁻¹∂(𝚇ᵀ𝙱𝚇)) for REML],

        with ∂𝙳₀/∂𝛿 = 1 − 𝚂₀ and ∂𝙱/∂𝛿 = −𝚀₀ diag((1 − 𝚂₀)/𝙳₀²) 𝚀₀ᵀ − 𝛿⁻²(𝙸 − 𝚀₀𝚀₀ᵀ).

        Returns
        -------
        dict
            ``{"delta": ∂lml/∂𝛿}``, or an empty dict when 𝛿 is fixed or the model has no 𝙺.
        """
        if self._linear or self._fixed["delta"]:
            return {}
        data = self._data
        n, r = data.n, data.rank_k
        delta = self._delta
        point = self._current()
        gamma = point.gamma
        D0 = (1 - delta) * data.S0 + delta
        dD0 = 1 - data.S0
        dlogdet = float(np.sum(dD0 / D0))
        Qr = data.Qy - data.QU @ gamma
        quad = -float(np.sum(dD0 * Qr**2 / D0**2))
        dA = -(data.QU.T * (dD0 / D0**2)) @ data.QU
        if r < n:
            dlogdet += (n - r) / delta
            rr = data.yy - 2 * float(gamma @ data.Uy) + float(gamma @ gamma)
            quad -= max(rr - float(Qr @ Qr), 0.0) / delta**2
            dA -= (np.eye(data.p) - data.QU.T @ data.QU) / delta**2
        twice = -dlogdet - quad / point.scale
        if self._restricted:
            twice -= float(np.sum(point.Ainv * dA))
        return {"delta": 0.5 * twice}

    # -- fitting ---------------------------------------------------------------------------------
    def fit(self, verbose: bool = True, *, reml_if_degenerate: bool = True) -> None:
        """Maximise the marginal likelihood.

        Over 𝛿 (unless fixed) by a grid over logit(𝛿) ∈ [−20, 20] and Brent's method on the
        best bracket; 𝜷 and s, unless fixed, are optimal for every 𝛿 in closed form.

        When the covariates span every direction that 𝙺 leaves out (a kinship of centred
        genotypes, 𝙺𝟏 = 𝟎, with an offset), 𝚇 fits 𝐲 exactly there and the likelihood grows
        like ½(n − r)⋅log(1/𝛿) as 𝛿 → 0: its supremum is a spurious spike at v₁ = 0, not an
        estimate. The restricted likelihood integrates the covariate directions out and has no
        spike, so 𝛿 is then its (REML) maximiser, and 𝜷, s and the likelihood are the
        maximum-likelihood ones at that 𝛿. ``reml_if_degenerate=False`` maximises the
        likelihood regardless (it then ends at the spike).

        Parameters
        ----------
        verbose
            True for progress output; False otherwise. Defaults to True.
        reml_if_degenerate
            Take 𝛿 from REML when the maximum likelihood is degenerate (above). Default True.
        """
        degenerate = (
            reml_if_degenerate
            and not (self._restricted or self._linear or self._fixed["delta"])
            and self._data.covariates_fill_complement
        )
        if not (self._linear or self._fixed["delta"]):
            self._delta = self._best_delta(restricted=self._restricted or degenerate)
        if verbose:
            point = self._current()
            kind = "REML" if self._restricted else ("ML, REML 𝛿" if degenerate else "ML")
            print(
                f"LMM {kind} fit: 𝛿 = {self._delta:.6g}, scale = {point.scale:.6g}, "
                f"lml = {point.lml:.10g}"
            )

    def _best_delta(self, restricted: bool) -> float:
        """The maximiser over 𝛿 of the likelihood, or of the REML (for an ML model whose
        likelihood is degenerate: with 𝜷 and s free, as REML defines them)."""
        saved = self._restricted, dict(self._fixed)
        if restricted and not self._restricted:
            self._fixed.update(beta=False, scale=False)
        self._restricted = restricted

        def objective(theta: float) -> float:
            try:
                return self._evaluate(float(logistic(theta))).lml
            except ValueError:
                return -math.inf

        try:
            theta, _ = maximize_over_logit(objective)
        finally:
            self._restricted, self._fixed = saved
        return float(logistic(theta))

    def fix(self, *params: str) -> None:
        """Disable parameter optimization.

        Each parameter keeps its current value (for 𝜷 and s, the optimum at the current 𝛿)
        until it is set or unfixed.

        Parameters
        ----------
        *params
            Any of ``"delta"``, ``"beta"`` and ``"scale"`` (one or several, as for every
            glimix function and model).

        Raises
        ------
        ValueError
            For another name, none, or ``"beta"`` with ``restricted=True`` (the restricted
            likelihood integrates 𝜷 out, so there is nothing to fix).
        """
        for param in self._params(params):
            self._fix_one(param)

    def _fix_one(self, param: str) -> None:
        if param == "beta":
            if self._restricted:
                raise ValueError(
                    "fix('beta') is not available with restricted=True: the restricted "
                    "likelihood does not depend on 𝜷."
                )
            if not self._fixed["beta"]:
                self._beta = self.beta.copy()
        elif param == "scale" and not self._fixed["scale"]:
            self._scale = self.scale
        self._fixed[param] = True

    def unfix(self, *params: str) -> None:
        """Enable parameter optimization.

        Parameters
        ----------
        *params
            Any of ``"delta"``, ``"beta"`` and ``"scale"``.
        """
        for param in self._params(params):
            self._fixed[param] = False
            if param == "beta":
                self._beta = None
            elif param == "scale":
                self._scale = None

    @staticmethod
    def _params(params: tuple[str, ...]) -> tuple[str, ...]:
        names = ", ".join(map(repr, _PARAMETERS))
        if not params:
            raise ValueError(f"name the parameter(s) to fix or unfix: {names}.")
        for param in params:
            if param not in _PARAMETERS:
                raise ValueError(f"param must be one of {names}; got {param!r}.")
        return params

    def get_fast_scanner(self) -> FastScanner:
        """Return FastScanner for association scan.

        The scanner's null covariance is v₀𝙺 + v₁𝙸 at the current 𝛿 and s; each candidate
        keeps that ratio and refits the scale (or, with ``exact=True``, refits the ratio too).
        Its likelihoods are maximum-likelihood ones even when this model is restricted, as
        likelihood-ratio tests of fixed effects require.

        Returns
        -------
        FastScanner
            Instance of a class designed to perform very fast association scan.
        """
        scaled = dataclasses.replace(self._data, kinship=self._data.kinship.scaled(self.v0))
        return FastScanner._from_rotated(scaled, self.v1)

    # -- parameters ------------------------------------------------------------------------------
    @property
    def X(self) -> Array:
        """Covariates matrix (read-only)."""
        return self._X

    @property
    def beta(self) -> Array:
        """Fixed-effect sizes.

        Setting the derivative of log(p(𝐲)) over effect sizes equal to zero leads to solutions
        𝜷 from equation 𝚇ᵀ𝙱𝚇𝜷 = 𝚇ᵀ𝙱𝐲 (the minimum-norm solution for a rank-deficient 𝚇). They
        can be set only after ``fix("beta")``.
        """
        if self._fixed["beta"]:
            assert self._beta is not None
            return self._beta.copy()
        return self._data.basis.to_x(self._current().gamma)

    @beta.setter
    def beta(self, beta: ArrayLike) -> None:
        if not self._fixed["beta"]:
            raise ValueError("beta is profiled out; call fix('beta') before setting it.")
        self._beta = finite_vector(beta, "beta", size=self.ncovariates).copy()

    @property
    def beta_covariance(self) -> Array:
        """Estimates the covariance-matrix of the optimal beta: 𝑠(𝚇ᵀ𝙱𝚇)⁻¹.

        A pseudo-inverse when 𝚇 is rank-deficient.
        """
        point = self._current()
        return point.scale * self._data.basis.covariance_to_x(point.Ainv)

    @property
    def delta(self) -> float:
        """Variance ratio between K and I, 𝛿 ∈ [0, 1] (1 when there is no 𝙺)."""
        return self._delta

    @delta.setter
    def delta(self, delta: float) -> None:
        delta = check_delta(delta)
        if self._linear and delta != 1:
            raise ValueError("delta is 1 for a model without K (QS=None); it cannot be changed.")
        if delta == 0 and self._data.rank_k < self._data.n:
            raise ValueError(
                f"delta = 0 makes the covariance singular: K has rank {self._data.rank_k} < "
                f"n = {self._data.n}."
            )
        self._delta = delta

    @property
    def scale(self) -> float:
        """Scaling factor.

        Setting the derivative of log(p(𝐲; 𝜷)), for which 𝜷 is optimal, over scale equal to
        zero leads to the maximum

            s = n⁻¹(Qᵀ𝐲)ᵀD⁻¹ Qᵀ(𝐲-𝚇𝜷).

        In the case of restricted marginal likelihood

            s = (n-c)⁻¹(Qᵀ𝐲)ᵀD⁻¹ Qᵀ(𝐲-𝚇𝜷),

        where c is the rank of the covariates. It can be set only after ``fix("scale")``.
        """
        return self._current().scale

    @scale.setter
    def scale(self, scale: float) -> None:
        if not self._fixed["scale"]:
            raise ValueError("scale is profiled out; call fix('scale') before setting it.")
        self._scale = check_scale(scale)

    @property
    def nsamples(self) -> int:
        """Number of samples, n."""
        return self._data.n

    def covariance(self) -> Array:
        """Covariance of the prior, v₀𝙺 + v₁𝙸 (a dense n×n matrix)."""
        data = self._data
        return self.v0 * data.kinship.matrix + self.v1 * np.eye(data.n)
