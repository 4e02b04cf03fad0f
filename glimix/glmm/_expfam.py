"""GLMM with an exponential-family likelihood, fitted by expectation propagation."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import finite_vector
from .._ep._engine import EPConvergenceWarning, ExpectationPropagation, Moments
from .._ep._tilted import _family, tilted_moments
from .._optimize import FACTR, PGTOL
from ..lik import BernoulliProdLik, ProdLik
from ..lik._spec import likelihood_from_spec
from ..linalg import KinshipOperator
from ..link import ProbitLink
from ._diagnostics import check_fittable, warn_boundary, warn_separation
from ._inputs import check_accuracy, check_covariates
from ._objective import VarianceObjective
from ._parameters import GLMMParameters
from ._posterior import Posterior
from ._scanner import PseudoDataScanner

__all__ = ["GLMMExpFam"]

Array = NDArray[np.float64]

#: EP stops when no marginal mean moves by more than this many standard deviations and no log
#: marginal variance by more than this (``glimix._ep._engine``). log Z_EP is stationary in the
#: sites, so its error is of the order of n times the square of this; the gradient's, of this.
#: Much smaller values can be below the round-off of the fixed point when the latent variance is
#: tiny (a site precision is then the difference of nearly equal tilted and cavity precisions).
EP_TOLERANCE = 1e-6
#: EP sweeps per evaluation before an ``EPConvergenceWarning`` (in a fit: a failed evaluation,
#: from which L-BFGS-B steps back). Converging runs take a handful of sweeps from warm sites,
#: and a few dozen where the latent variance is huge.
EP_MAX_ITERATIONS = 100
#: Smallest diag(𝙺) relative to its largest entry with 𝛿 = 0: a sample without kinship variance
#: would have a latent variable of variance 0.
_MIN_DIAG = 1e-10
#: Sites with τ̃ᵢ below this fraction of the largest carry no information to the scanner.
_SCANNER_MIN_TAU = 1e-12


class GLMMExpFam(GLMMParameters):
    """Generalised Linear Gaussian Processes implementation.

    It implements inference over GLMMs via the Expectation Propagation [Min01] algorithm. It
    currently supports the ``"Bernoulli"``, ``"Probit"``, ``"Binomial"``, and ``"Poisson"``
    likelihoods. (For heterogeneous Normal likelihood, please refer to
    :class:`glimix.glmm.GLMMNormal` for a closed-form inference.)

    The model is

        𝐳 ∼ 𝓝(𝚇𝜷, s((1−𝛿)𝙺 + 𝛿𝙸)),    yᵢ | zᵢ ∼ ExpFam(μᵢ = g⁻¹(zᵢ)),

    with v₀ = s(1−𝛿) and v₁ = s𝛿, g the logit link (Bernoulli, binomial), the probit link
    (probit) or the log link (Poisson). 𝙺 is given by its economic eigendecomposition; without
    it (``QS=None``) the covariance is s𝙸 and 𝛿 is fixed at 1.

    Binary outcomes identify an extra residual v₁𝙸 only through the shape of the link (a
    logistic-normal against a logistic latent variable), so their likelihood is all but flat
    along a ridge of growing s, v₁ and 𝜷. The probit GLMM therefore fixes 𝛿 at 0 for good (the
    probit's own unit-variance residual plays the role of 𝛿𝙸), and the Bernoulli GLMM starts with
    𝛿 fixed at 0 (its logistic residual, of variance π²/3, does) — ``unfix("delta")`` estimates
    it anyway. A binomial outcome with several trials per sample identifies 𝛿, which is fitted.

    EP approximates each likelihood factor by a Gaussian site t̃ᵢ(zᵢ) ∝ exp(−½τ̃ᵢzᵢ² + ν̃ᵢzᵢ);
    :meth:`lml` is the EP approximation log Z_EP of log p(𝐲), exact when n = 1. At the EP fixed
    point its gradient is that of the posterior's log normaliser at fixed sites:

        ∂/∂𝜷 = 𝚇ᵀ𝛂,    ∂/∂v₀ = ½𝛂ᵀ𝙺𝛂 − ½tr(W𝙺),    ∂/∂v₁ = ½𝛂ᵀ𝛂 − ½tr(W),

    𝛂 = (I + T̃K)⁻¹(𝛎̃ − T̃𝚇𝜷), W = (I + T̃K)⁻¹T̃, K = v₀𝙺 + v₁𝙸. Every EP sweep costs
    O(n⋅k²) for a 𝙺 of rank k (Woodbury identity, no n×n matrix) or, when k > 0.8n, O(n³)
    through the dense 𝙺 (one Cholesky factor and one triangular solve).

    :meth:`fit` profiles 𝜷 out — each EP update moves 𝜷 to the generalised least-squares
    solution of the current pseudo-observations, so EP converges to the maximum over 𝜷 — and
    maximises over log s and 𝛿 by L-BFGS-B on the analytic gradient. The EP sites are
    kept between evaluations (warm starts) and damped when they oscillate.

    Parameters
    ----------
    y
        Outcome variable: 0/1 for Bernoulli and probit, successes for binomial, counts for
        Poisson.
    lik
        Likelihood: ``"bernoulli"``, ``"probit"``, ``"poisson"`` or ``("binomial", ntrials)``
        (names are case-insensitive), or a :class:`~glimix.lik.ProdLik` whose tilted moments EP
        can compute (Bernoulli with the logit or probit link, binomial with the logit link,
        Poisson with the log link).
    X
        Covariates, an n×c matrix (a vector is one covariate).
    QS
        Economic eigendecomposition ``((Q0, Q1), S0)`` of 𝙺 (see
        :func:`glimix.linalg.economic_qs`; Q1 is not used), or ``None`` for no 𝙺.
    n_int, rtol, atol
        Settings of the fixed-grid integrator of the original implementation, checked (a
        positive integer, non-negative tolerances) and kept for compatibility. Here the tilted
        integrals are computed in closed form (probit) or by adaptive quadrature to a relative
        accuracy of about 10⁻⁹, finer than these defaults ask for, so they do not change the
        result.

    Raises
    ------
    ValueError
        For an unknown likelihood, a binomial without trial counts, outcomes outside the
        likelihood's support, non-finite values, inputs of mismatched sizes, or a probit model
        without 𝙺 (or with a sample of zero kinship variance).

    Examples
    --------
    >>> from numpy import dot, sqrt, zeros
    >>> from numpy.random import RandomState
    >>>
    >>> from glimix.linalg import economic_qs
    >>>
    >>> from glimix.glmm import GLMMExpFam
    >>>
    >>> random = RandomState(0)
    >>> nsamples = 10
    >>>
    >>> X = random.randn(nsamples, 2)
    >>> G = random.randn(nsamples, 100)
    >>> K = dot(G, G.T)
    >>> ntrials = random.randint(1, 100, nsamples)
    >>> z = dot(G, random.randn(100)) / sqrt(100)
    >>>
    >>> successes = zeros(len(ntrials), int)
    >>> for i in range(len(ntrials)):
    ...    successes[i] = sum(z[i] + 0.2 * random.randn(ntrials[i]) > 0)
    >>>
    >>> QS = economic_qs(K)
    >>>
    >>> glmm = GLMMExpFam(successes, ('binomial', ntrials), X, QS)
    >>> print('Before: %.2f' % glmm.lml())
    Before: -16.40
    >>> glmm.fit(verbose=False)
    >>> print('After: %.2f' % glmm.lml())
    After: -13.43

    References
    ----------
    .. [Min01] Minka, T. P. (2001). Expectation Propagation for approximate Bayesian inference.
       Uncertainty in Artificial Intelligence, 17, 362-369.
    """

    def __init__(
        self,
        y: ArrayLike,
        lik: Any,
        X: ArrayLike,
        QS: Any = None,
        n_int: int = 1000,
        rtol: float = 1.49e-05,
        atol: float = 1.49e-08,
    ) -> None:
        y = finite_vector(y, "y")
        if y.shape[0] == 0:
            raise ValueError("y must have at least one sample; got an empty vector.")
        self._lik = _likelihood(lik, y)
        _family(self._lik)  # a ValueError now for a likelihood EP has no tilted moments for
        n = y.shape[0]
        X = check_covariates(X, n)
        kinship = KinshipOperator.of(QS, n).positive()
        pinned: float | None = None
        reason = ""
        start: float | None = None
        if isinstance(self._lik, BernoulliProdLik):
            if isinstance(self._lik.link, ProbitLink):
                _check_probit_kinship(kinship)
                pinned, reason = 0.0, "the probit's unit-variance residual takes the place of 𝛿𝙸"
            elif kinship.rank and _min_relative_diag(kinship) > _MIN_DIAG:
                start = 0.0
        GLMMParameters.__init__(self, X, kinship, pinned, reason, start)
        self._n_int, self._rtol, self._atol = check_accuracy(n_int, rtol, atol)
        self._ep = ExpectationPropagation(
            self._moments, n, tol=EP_TOLERANCE, max_iterations=EP_MAX_ITERATIONS
        )
        self._state: tuple[Posterior, float] | None = None

    # -- EP ----------------------------------------------------------------------------------------
    def _moments(self, mean: Array, variance: Array) -> Moments:
        return Moments(*tilted_moments(self._lik, mean, variance))

    def _changed(self) -> None:
        self._state = None

    def _run(
        self, scale: float, delta: float, beta: Array, profile: bool, strict: bool = False
    ) -> tuple[Posterior, float]:
        """EP at (𝜷, s, 𝛿) from the kept sites; with ``profile``, 𝜷 is the starting point.

        EP that stops at its iteration limit issues an ``EPConvergenceWarning``, or with
        ``strict`` (a trial point of the optimiser) raises a ``ValueError`` and forgets the sites.
        """
        posterior = Posterior(self._prior(scale, delta), self._X, beta, profile)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", EPConvergenceWarning)
                lml = self._ep.run(posterior)
        except BaseException:
            self._ep.reset()  # the sites may be half-updated; start afresh next time
            raise
        unsettled = [w for w in caught if issubclass(w.category, EPConvergenceWarning)]
        for w in caught:
            if w not in unsettled or not strict:
                warnings.warn(w.message, w.category, stacklevel=3)
        if strict and unsettled:
            self._ep.reset()
            raise ValueError(f"EP did not converge at scale {scale:.6g}, delta {delta:.6g}.")
        if not math.isfinite(lml):
            self._ep.reset()
            raise ValueError(f"the EP marginal likelihood is not finite ({lml}).")
        return posterior, lml

    def _fitted(self) -> tuple[Posterior, float]:
        if self._state is None:
            self._state = self._run(self._scale, self._delta, self._beta, profile=False)
        return self._state

    # -- likelihood --------------------------------------------------------------------------------
    def lml(self) -> float:
        """Log of the marginal likelihood, log Z_EP ≈ log p(𝐲), at the current parameters."""
        return self._fitted()[1]

    def value(self) -> float:
        """The objective maximised by :meth:`fit`: :meth:`lml`."""
        return self.lml()

    def gradient(self) -> dict[str, Any]:
        """Gradient of the log of the marginal likelihood.

        Returns
        -------
        dict
            Map between variables to their gradient values, for the free ones among
            ``"beta"`` (∂/∂𝜷, a vector), ``"logscale"`` (∂/∂log s) and ``"delta"`` (∂/∂𝛿).
        """
        return self._gradient_at(self._fitted()[0])

    # -- fitting -----------------------------------------------------------------------------------
    def fit(self, verbose: bool = True, factr: float = FACTR, pgtol: float = PGTOL) -> None:
        """Maximise the marginal likelihood.

        Parameters
        ----------
        verbose
            ``True`` for progress output; ``False`` otherwise.
        factr
            The iteration stops when (fᵏ − fᵏ⁺¹)/max{∣fᵏ∣, ∣fᵏ⁺¹∣, 1} ≤ factr⋅ε, ε the machine
            precision.
        pgtol
            The iteration stops when max{∣proj gᵢ∣ : i = 1, …, n} ≤ pgtol, proj gᵢ the i-th
            component of the projected gradient.

        Notes
        -----
        Please, refer to :func:`scipy.optimize.fmin_l_bfgs_b` for further information about
        factr and pgtol. A variance parameter that ends at a bound of the optimiser is listed by
        :attr:`at_bounds`; when the scale ends at its upper bound, or the fitted 𝚇𝜷 is extreme
        (separated outcomes), a :class:`~glimix.glmm.GLMMFitWarning` says so.

        Raises
        ------
        ValueError
            If the covariates separate the outcomes (every outcome at one end of the support
            with an offset, a covariate positive exactly for the cases, …: effect sizes without
            a finite maximum), or EP cannot be evaluated at the starting point.
        """
        check_fittable(self._lik, self._X)
        profile = not self._fixed["beta"]
        last: dict[str, Any] = {"beta": self._beta.copy(), "key": None, "state": None}

        def evaluate(scale: float, delta: float) -> tuple[float, dict[str, float]]:
            posterior, lml = self._run(scale, delta, last["beta"], profile, strict=True)
            grad = self._chain(*posterior.variance_gradient(), scale, delta)
            last.update(beta=posterior.beta, key=(scale, delta), state=(posterior, lml))
            last.setdefault("start", (lml, grad))
            return lml, grad

        objective, result = self._maximise_variances(
            evaluate, "GLMMExpFam", profile, verbose, factr, pgtol
        )
        _check_progress(objective, last.get("start"), result.value, pgtol, self.nsamples)
        scale, delta = objective.point()
        if last["key"] != (scale, delta):
            evaluate(scale, delta)
        posterior, lml = last["state"]
        self._scale, self._delta = scale, delta
        if profile:
            self._beta = posterior.beta
        # EP at the fitted 𝜷 would start from these converged sites and stop at once: keep them.
        self._state = (posterior, lml)
        if verbose:
            print(
                f"GLMMExpFam fit: scale = {scale:.6g}, delta = {delta:.6g}, "
                f"lml = {self.lml():.10g}"
                + (f"; at a bound: {', '.join(self.at_bounds)}" if self.at_bounds else "")
            )
        warn_boundary(result.at_bounds, math.log(scale), self.bounds()["logscale"][1])
        warn_separation(self._lik, self.mean(), self._prior().diag)

    #: Variance parameters (``"scale"``, ``"delta"``) that the last :meth:`fit` left at a bound
    #: of the optimiser (see :mod:`glimix.glmm`); empty before any fit.
    at_bounds: tuple[str, ...] = ()

    # -- posterior ---------------------------------------------------------------------------------
    def posteriori_mean(self) -> Array:
        """Mean of the estimated posteriori.

        This is also the maximum a posteriori estimation of the latent variable.
        """
        return self._fitted()[0].marginal_mean.copy()

    def posteriori_covariance(self) -> Array:
        """Covariance of the estimated posteriori, Σ = K(I + T̃K)⁻¹ (dense n×n)."""
        return self._fitted()[0].covariance()

    @property
    def likelihood(self) -> ProdLik:
        """The product likelihood, holding the outcome 𝐲."""
        return self._lik

    @property
    def site_tau(self) -> Array:
        """EP site precisions 𝛕̃ at the current parameters (the ``tau`` of GLMMNormal)."""
        self._fitted()
        return self._ep.site_tau

    @property
    def site_eta(self) -> Array:
        """EP site natural means 𝛎̃ = 𝛕̃𝛍̃ at the current parameters (the ``eta`` of GLMMNormal)."""
        self._fitted()
        return self._ep.site_eta

    def get_fast_scanner(self, *, fixed_scale: bool = False) -> PseudoDataScanner:
        """Return a FastScanner of the EP pseudo-observations for association scans.

        The pseudo-observations μ̃ᵢ = ν̃ᵢ/τ̃ᵢ of the EP sites at the current parameters follow
        the heteroscedastic LMM 𝛍̃ ∼ 𝓝(𝚇𝜷, v₀𝙺 + v₁𝙸 + T̃⁻¹) (:class:`GLMMNormal`); the scanner
        tests each candidate 𝐠 with 𝛍̃ ∼ 𝓝(𝚇𝜶 + 𝐠β, s(v₀𝙺 + v₁𝙸 + T̃⁻¹)), refitting 𝜶, β
        and s, and 2(lml − null_lml) is the likelihood-ratio statistic. Its log-likelihoods are
        those of the pseudo-observations — what limix's scan reports for non-normal traits —
        not log Z_EP (:meth:`lml`). After :meth:`fit`, (𝜷, v₀, v₁) is also a stationary point
        of the pseudo-observations' likelihood at these sites, so :class:`GLMMNormal` fitted to
        them would give this scanner too. Sites with τ̃ᵢ < 10⁻¹²⋅max τ̃ (whose
        pseudo-observation has a variance so large that it carries no information) are left
        out.

        Parameters
        ----------
        fixed_scale
            Keep s = 1 instead of refitting it: the test on the pseudo-observations is then
            calibrated where refitting s inflates it (Poisson traits with a latent variance;
            see :class:`PseudoDataScanner`). ``limix.qtl.scan`` uses it; the default is the
            reference manual's scanner.

        Returns
        -------
        PseudoDataScanner
            A :class:`glimix.lmm.FastScanner` for candidates of n rows.
        """
        self._fitted()
        tau, eta = self._ep.site_tau, self._ep.site_eta
        keep = tau > _SCANNER_MIN_TAU * float(np.max(tau, initial=0.0))
        if not np.any(keep):
            raise ValueError("the EP sites carry no information (every τ̃ is 0); nothing to scan.")
        return self._pseudo_data_scanner(tau, eta, fixed_scale, keep)


def _check_progress(
    objective: VarianceObjective,
    start: tuple[float, dict[str, float]] | None,
    best: float,
    pgtol: float,
    nsamples: int,
) -> None:
    """Raise if failed evaluations left the optimiser stuck at a non-stationary start."""
    if objective.failure is None or start is None:
        return
    value, grad = start
    stationary = max((abs(g) for g in grad.values()), default=0.0) / nsamples <= pgtol
    # The best point can be the start evaluated again, warm-started from the first evaluation's
    # 𝜷: its lml then differs from the first by rounding only (≈1e-15 relative), either way.
    rounding = 1e-10 * max(1.0, abs(value))
    if best * nsamples <= value + rounding and not stationary:
        raise ValueError(
            "GLMM fit failed: the optimiser could not move from the starting point because EP "
            f"failed at its trial points ({objective.failure}). Try another starting scale or "
            "delta, or fix one of them."
        ) from objective.failure


def _likelihood(lik: Any, y: Array) -> ProdLik:
    """The product likelihood named by ``lik``, holding ``y``; support errors name ``y``."""
    try:
        return likelihood_from_spec(lik, y, "lik")
    except ValueError as err:
        message = str(err)
        if message.startswith("outcome"):
            name = lik[0] if isinstance(lik, tuple) and lik else lik
            raise ValueError(f"y does not fit the {name!r} likelihood: {message}") from None
        raise


def _check_probit_kinship(kinship: KinshipOperator) -> None:
    if kinship.rank == 0:
        raise ValueError(
            'lik: the "probit" GLMM needs QS: its 𝛿 is fixed at 0 (the probit\'s unit-variance '
            "residual takes its place), so without 𝙺 the latent variable would have no variance. "
            'Pass QS, or use "bernoulli".'
        )
    if _min_relative_diag(kinship) <= _MIN_DIAG:
        low = int(np.count_nonzero(kinship.diag <= _MIN_DIAG * float(np.max(kinship.diag))))
        raise ValueError(
            f'QS: the "probit" GLMM fixes 𝛿 at 0, so every sample needs kinship variance; '
            f"{low} sample(s) have diag(𝙺) = 0."
        )


def _min_relative_diag(kinship: KinshipOperator) -> float:
    return float(np.min(kinship.diag) / np.max(kinship.diag))
