"""Gaussian process inference by maximum likelihood, 𝐲 ∼ 𝓝(𝐦, K)."""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike, NDArray

from .._check import finite_vector, readonly
from .._function import Function, describe_model
from .._optimize import FACTR, PGTOL, maximize

__all__ = ["GP"]

Array = NDArray[np.float64]

_LOG_2PI = math.log(2 * math.pi)


class GP(Function):
    """Gaussian process inference via maximum likelihood, 𝐲 ∼ 𝓝(𝐦, K).

    The mean 𝐦 = ``mean.value()`` and the covariance K = ``cov.value()`` come from any glimix
    mean and covariance functions, and the GP is itself a glimix function of their parameters:
    its variables are theirs, under the names they use (``offset``, ``SumCov[0].logscale``, …),
    so fixing a variable of the mean or of the covariance keeps :meth:`fit` from changing it.

    The log marginal likelihood is

        log 𝓝(𝐲; 𝐦, K) = −½(n⋅log 2π + log|K| + 𝐫ᵀK⁻¹𝐫),  𝐫 = 𝐲 − 𝐦,

    computed from the Cholesky factor K = LLᵀ, as log|K| = 2∑ᵢ log Lᵢᵢ and 𝛂 = K⁻¹𝐫 by two
    triangular solves. The factor is kept until a parameter of the covariance changes; a change
    of a mean parameter only recomputes 𝛂.

    Parameters
    ----------
    y
        Outcome, a finite vector of size n.
    mean
        Mean function whose ``value()`` is a vector of size n (for instance
        :class:`glimix.mean.OffsetMean`).
    cov
        Covariance function whose ``value()`` is a symmetric n×n matrix (for instance a
        :mod:`glimix.cov` function); it must be positive definite where :meth:`lml` is asked for.

    Raises
    ------
    ValueError
        If ``y`` is not a finite vector; if the mean or the covariance disagrees with ``y`` on
        n, or their value is not finite (the covariance's not symmetric); if the mean and the
        covariance have a variable name in common or share a parameter.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>>
    >>> from glimix.example import offset_mean
    >>> from glimix.example import linear_eye_cov
    >>> from glimix.gp import GP
    >>> from glimix.random import GPSampler
    >>>
    >>> random = RandomState(94584)
    >>>
    >>> mean = offset_mean()
    >>> cov = linear_eye_cov()
    >>>
    >>> y = GPSampler(mean, cov).sample(random)
    >>>
    >>> gp = GP(y, mean, cov)
    >>> print('Before: %.4f' % gp.lml())
    Before: -15.5582
    >>> gp.fit(verbose=False)
    >>> bool(gp.lml() > -15.5582), bool(cov.covariances[1].scale < 1e-3)
    (True, True)

    This example's likelihood has no maximum: 𝚇 is column-standardised, so 𝚇𝚇ᵀ leaves out the
    direction 𝟏, which the offset fits exactly, and the lml grows as −½·log of the EyeCov scale
    when that scale goes to zero. L-BFGS-B stops on that ridge where its tolerances say, which
    depends on the machine's rounding; only the lml before fitting is a property of the data.

    The manual prints −13.4791 after fitting (and an EyeCov scale of 0.8676, a local maximum)
    because its 𝐲 is another draw from the same seed: the manual's sampler multiplied the seed's
    standard normals by the SVD factor of K, whose eigenvector signs LAPACK chooses (they differ
    between BLAS kernels); :class:`~glimix.random.GPSampler` uses the principal square root, the
    same on every machine. The lml before fitting, 𝐲ᵀK⁻¹𝐲 = 𝐮ᵀ𝐮 for any factor, is the manual's.
    On the manual's own draw, this GP reproduces its −15.5582, −13.4791 and 0.8676
    (``tests/glimix/gp/test_gp.py::test_the_manuals_example_on_its_draw``); the manual's offset
    there, 0.7756, is a misprint: the maximum-likelihood offset is 0.2756, and at 0.7756 the log
    marginal likelihood is −14.92, not −13.48.
    """

    def __init__(self, y: ArrayLike, mean: Function, cov: Function) -> None:
        self._y = readonly(finite_vector(y, "y"))
        n = self._y.shape[0]
        m = np.asarray(mean.value(), dtype=float)
        if m.ndim != 1 or m.shape[0] != n:
            raise ValueError(
                f"mean and y sizes disagree: y has {n} element(s), mean.value() has shape "
                f"{m.shape}; it must have shape ({n},)."
            )
        finite_vector(m, "mean.value()")
        K = np.asarray(cov.value(), dtype=float)
        if K.shape != (n, n):
            raise ValueError(
                f"cov and y sizes disagree: y has {n} element(s), cov.value() has shape "
                f"{K.shape}; it must be {n}×{n}."
            )
        self._check_cov_value(K)
        self._mean = mean
        self._cov = cov
        Function.__init__(self, "GP")
        self._adopt_variables([("mean", mean), ("cov", cov)])
        self._factor: tuple[Array, bool] | None = None
        self._logdet = 0.0
        self._not_pd: str | None = None
        self._Kinv: Array | None = None
        self._alpha: Array | None = None
        mean.listen(self._on_mean_change)
        cov.listen(self._on_cov_change)

    # -- inputs ----------------------------------------------------------------------------------
    @property
    def y(self) -> Array:
        """Outcome 𝐲 (read-only)."""
        return self._y

    @property
    def mean(self) -> Function:
        """Mean function, 𝐦 = ``mean.value()``."""
        return self._mean

    @property
    def cov(self) -> Function:
        """Covariance function, K = ``cov.value()``."""
        return self._cov

    # -- caches ----------------------------------------------------------------------------------
    def _on_mean_change(self) -> None:
        self._alpha = None

    def _on_cov_change(self) -> None:
        self._factor = None
        self._not_pd = None
        self._Kinv = None
        self._alpha = None

    @staticmethod
    def _check_cov_value(K: Array) -> None:
        if not np.all(np.isfinite(K)):
            bad = int(np.count_nonzero(~np.isfinite(K)))
            raise ValueError(f"cov.value() has {bad} non-finite value(s) (NaN or infinity).")
        scale = max(1.0, float(np.max(np.abs(K)))) if K.size else 1.0
        asym = float(np.max(np.abs(K - K.T))) if K.size else 0.0
        if asym > 1e-8 * scale:
            raise ValueError(f"cov.value() must be symmetric; max|K − Kᵀ| = {asym:.3g}.")

    def _cholesky(self) -> tuple[Array, bool] | None:
        """Cholesky factor of K, or ``None`` if K is not positive definite (reason in _not_pd)."""
        if self._factor is None and self._not_pd is None:
            K = np.asarray(self._cov.value(), dtype=float)
            self._check_cov_value(K)
            try:
                factor = scipy.linalg.cho_factor(K, lower=True, check_finite=False)
            except np.linalg.LinAlgError as err:
                self._not_pd = str(err) or "no Cholesky factor"
                return None
            self._factor = factor
            self._logdet = 2.0 * float(np.sum(np.log(np.diag(factor[0]))))
        return self._factor

    def _solve_alpha(self, factor: tuple[Array, bool]) -> Array:
        """𝛂 = K⁻¹(𝐲 − 𝐦)."""
        if self._alpha is None:
            r = self._y - np.asarray(self._mean.value(), dtype=float)
            self._alpha = scipy.linalg.cho_solve(factor, r, check_finite=False)
        return self._alpha

    def _inverse(self, factor: tuple[Array, bool]) -> Array:
        """K⁻¹, symmetrised."""
        if self._Kinv is None:
            Kinv = scipy.linalg.cho_solve(factor, np.eye(self._y.shape[0]), check_finite=False)
            self._Kinv = (Kinv + Kinv.T) / 2
        return self._Kinv

    # -- likelihood ------------------------------------------------------------------------------
    def lml(self) -> float:
        """Log of the marginal likelihood, log 𝓝(𝐲; 𝐦, K) = −½(n⋅log 2π + log|K| + 𝐫ᵀK⁻¹𝐫).

        Here 𝐫 = 𝐲 − 𝐦, and log|K| and 𝐫ᵀK⁻¹𝐫 = 𝐫ᵀ𝛂 come from the Cholesky factor of K.

        Raises
        ------
        ValueError
            If K is not positive definite (it has no Cholesky factor), or not finite.
        """
        factor = self._cholesky()
        if factor is None:
            raise ValueError(
                f"the covariance matrix K = cov.value() is not positive definite ({self._not_pd}); "
                "log 𝓝(𝐲; 𝐦, K) is undefined."
            )
        alpha = self._solve_alpha(factor)
        r = self._y - np.asarray(self._mean.value(), dtype=float)
        n = self._y.shape[0]
        return -0.5 * (n * _LOG_2PI + self._logdet + float(r @ alpha))

    def value(self) -> float:
        """The objective of :meth:`fit`: :meth:`lml`, or −∞ if K is not positive definite.

        Returning −∞ rather than raising lets the optimiser treat a step into a region where K
        is singular or indefinite as a failed step and try a shorter one.
        """
        if self._cholesky() is None:
            return -math.inf
        return self.lml()

    def gradient(self) -> dict[str, float | Array]:
        """Derivatives of :meth:`lml` over every unfixed variable, keyed by variable name.

        With 𝐫 = 𝐲 − 𝐦 and 𝛂 = K⁻¹𝐫, over a covariance parameter θ,

            ∂lml/∂θ = ½𝛂ᵀ(∂K/∂θ)𝛂 − ½tr(K⁻¹∂K/∂θ) = ½∑ᵢⱼ Wᵢⱼ(∂K/∂θ)ᵢⱼ,  W = 𝛂𝛂ᵀ − K⁻¹,

        contracted with every slice of ∂K/∂θ at once (K⁻¹ is formed once per parameter values,
        never K⁻¹∂K); over a mean parameter, ∂lml/∂θ = 𝛂ᵀ∂𝐦/∂θ. A scalar variable gets a scalar, a
        vector variable a vector of its size.

        If K is not positive definite every entry is NaN, which :meth:`fit`'s optimiser takes,
        with ``value()`` = −∞, as a failed step.

        Raises
        ------
        ValueError
            If ``mean.gradient()`` or ``cov.gradient()`` lacks an unfixed variable.
        """
        unfixed = set(self._variables.select(fixed=False).names())
        factor = self._cholesky()
        if factor is None:
            return {
                name: (
                    math.nan
                    if self._variables[name].ndim == 0
                    else np.full(self._variables[name].size, math.nan)
                )
                for name in sorted(unfixed)
            }
        alpha = self._solve_alpha(factor)
        grad: dict[str, float | Array] = {}
        for name, dm in self._mean.gradient().items():
            if name in unfixed:
                grad[name] = self._contract(np.tensordot(alpha, np.asarray(dm, float), axes=1))
        cov_grad = {n: g for n, g in self._cov.gradient().items() if n in unfixed}
        if cov_grad:
            W = np.outer(alpha, alpha) - self._inverse(factor)
            for name, dK in cov_grad.items():
                g = np.tensordot(W, np.asarray(dK, float), axes=([0, 1], [0, 1]))
                grad[name] = self._contract(0.5 * g)
        missing = unfixed - set(grad)
        if missing:
            raise ValueError(
                f"mean.gradient() and cov.gradient() lack unfixed variable(s) {sorted(missing)}."
            )
        return grad

    @staticmethod
    def _contract(g: Array) -> float | Array:
        return float(g) if g.ndim == 0 else np.asarray(g, dtype=float)

    # -- fitting ---------------------------------------------------------------------------------
    def fit(self, verbose: bool = True, factr: float = FACTR, pgtol: float = PGTOL) -> None:
        """Maximise :meth:`lml` over the unfixed parameters of the mean and the covariance.

        L-BFGS-B on the analytic :meth:`gradient`, by :func:`glimix._optimize.maximize`; the
        parameters are left at the best point found.

        Parameters
        ----------
        verbose
            Print one line per iteration and a summary.
        factr
            Stop when the relative reduction of −lml between iterations is ≤ factr⋅ε.
        pgtol
            Stop when the largest entry of the projected gradient is ≤ pgtol.

        Raises
        ------
        glimix._optimize.OptimisationError
            If K is not positive definite at the start, or the optimiser cannot improve on a
            non-stationary start.
        """
        maximize(self, verbose, factr, pgtol)

    # -- display ---------------------------------------------------------------------------------
    def __str__(self) -> str:
        return describe_model("GP(...)", self.value(), [self._mean, self._cov])
