"""Parallel expectation propagation with damping and warm starts, and its marginal likelihood.

Model: prior 𝐳 ∼ 𝓝(𝐦, K) and a likelihood ∏ᵢ p(yᵢ | zᵢ). EP replaces each likelihood factor by a
site t̃ᵢ(zᵢ) = C̃ᵢ exp(−½τ̃ᵢzᵢ² + ν̃ᵢzᵢ) and iterates, for all sites at once (parallel EP):

1. posterior marginals 𝓝(μᵢ, σᵢ²) of prior × sites (a posterior object, ``_posterior*.py``);
2. cavities: τ₋ᵢ = σᵢ⁻² − τ̃ᵢ, ν₋ᵢ = μᵢσᵢ⁻² − ν̃ᵢ — the marginal of zᵢ under prior × the other
   sites, hence proper whenever every τ̃ᵢ ≥ 0;
3. tilted moments of p(yᵢ | z)𝓝(z; ν₋ᵢ/τ₋ᵢ, 1/τ₋ᵢ): log Ẑᵢ, mean μ̂ᵢ and variance σ̂ᵢ²;
4. new sites matching them: τ̃ᵢ ← σ̂ᵢ⁻² − τ₋ᵢ, ν̃ᵢ ← μ̂ᵢσ̂ᵢ⁻² − ν₋ᵢ, moved by a damping factor
   ρ ∈ (0, 1] from the old ones. For log-concave likelihoods σ̂ᵢ² ≤ 1/τ₋ᵢ, so τ̃ᵢ ≥ 0; a negative
   round-off is set to zero.

ρ starts at 1 and is halved whenever an iteration changes the posterior more than the one before
(oscillation); the iteration stops when the largest change of a marginal mean (in standard
deviations) and of a log marginal variance falls below ``tol``. Sites are kept between runs, so a
model refitted at nearby parameters starts from the previous solution (warm start).

EP marginal likelihood. With C̃ᵢ fixed by Ẑᵢ = ∫ 𝓝(z; cavity) t̃ᵢ(z) dz,

    log Z_EP = G + ∑ᵢ [log Ẑᵢ + ½log((τ₋ᵢ + τ̃ᵢ)/τ₋ᵢ) − ½(ν₋ᵢ + ν̃ᵢ)²/(τ₋ᵢ + τ̃ᵢ) + ½ν₋ᵢ²/τ₋ᵢ],

G = log ∫ 𝓝(𝐳; 𝐦, K) exp(−½𝐳ᵀT̃𝐳 + 𝛎̃ᵀ𝐳) d𝐳 being the posterior's log normaliser. At an EP
fixed point the bracketed terms are stationary in the cavity parameters (their derivatives are
differences between tilted and posterior moments, zero after moment matching), so the gradient
of log Z_EP over a parameter of 𝐦 or K is that of G at fixed sites:
∂log Z_EP/∂θ = ½𝛂ᵀ(∂K)𝛂 − ½tr(W∂K) + 𝛂ᵀ∂𝐦.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import NamedTuple, Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = ["EPConvergenceWarning", "ExpectationPropagation", "Posterior"]

Array = NDArray[np.float64]

# Smallest cavity precision relative to the posterior precision: guards the difference
# σᵢ⁻² − τ̃ᵢ against round-off when a site carries nearly all of the information.
_MIN_CAVITY_FRACTION = 1e-10


class EPConvergenceWarning(UserWarning):
    """EP stopped at its iteration limit before the posterior settled."""


class Moments(NamedTuple):
    """Tilted moments of every site: log Ẑ, mean and variance."""

    log_z: Array
    mean: Array
    variance: Array


class Posterior(Protocol):
    """What the EP loop needs from a posterior (``DensePosterior``, the GLMMs' ``Posterior``)."""

    @property
    def size(self) -> int: ...

    def update(self, tau: Array, eta: Array) -> None: ...

    @property
    def marginal_mean(self) -> Array: ...

    @property
    def marginal_variance(self) -> Array: ...

    @property
    def log_normaliser(self) -> float: ...


TiltedMomentsFunc = Callable[[Array, Array], Moments]


class ExpectationPropagation:
    """Parallel EP for one likelihood, keeping its sites between runs.

    Parameters
    ----------
    moments
        ``moments(cavity_mean, cavity_variance)`` → (log Ẑ, mean, variance) per site.
    size
        Number of sites.
    tol
        Convergence threshold on the change of the posterior marginals (see the module notes).
    max_iterations
        Iteration limit of one run; reaching it issues an :class:`EPConvergenceWarning`.
    """

    def __init__(
        self,
        moments: TiltedMomentsFunc,
        size: int,
        tol: float = 1e-9,
        max_iterations: int = 500,
    ) -> None:
        self._moments = moments
        self._tau = np.zeros(size)
        self._eta = np.zeros(size)
        self._tol = tol
        self._max_iterations = max_iterations
        self.niterations = 0

    @property
    def site_tau(self) -> Array:
        """Site precisions τ̃ (a copy)."""
        return self._tau.copy()

    @property
    def site_eta(self) -> Array:
        """Site precision-adjusted means ν̃ = τ̃μ̃ (a copy)."""
        return self._eta.copy()

    def reset(self) -> None:
        """Forget the sites (the next run starts from τ̃ = ν̃ = 0)."""
        self._tau[:] = 0
        self._eta[:] = 0

    def _cavity(self, posterior: Posterior) -> tuple[Array, Array]:
        precision = 1 / posterior.marginal_variance
        tau_cav = np.maximum(precision - self._tau, _MIN_CAVITY_FRACTION * precision)
        eta_cav = posterior.marginal_mean * precision - self._eta
        return tau_cav, eta_cav

    def run(self, posterior: Posterior) -> float:
        """Iterate EP to convergence from the kept sites and return log Z_EP.

        ``posterior`` is updated in place: on return it holds the final sites.
        """
        posterior.update(self._tau, self._eta)
        if not _finite_marginals(posterior):
            self.reset()
            posterior.update(self._tau, self._eta)
        rho = 1.0
        last_change = np.inf
        self.niterations = 0
        for iteration in range(1, self._max_iterations + 1):
            mu, var = posterior.marginal_mean, posterior.marginal_variance
            tau_cav, eta_cav = self._cavity(posterior)
            tilted = self._moments(eta_cav / tau_cav, 1 / tau_cav)
            tau_new = np.maximum(1 / tilted.variance - tau_cav, 0.0)
            eta_new = tilted.mean / tilted.variance - eta_cav
            self._tau += rho * (tau_new - self._tau)
            self._eta += rho * (eta_new - self._eta)
            posterior.update(self._tau, self._eta)
            new_mu, new_var = posterior.marginal_mean, posterior.marginal_variance
            change = max(
                float(np.max(np.abs(new_mu - mu) / np.sqrt(var), initial=0.0)),
                float(np.max(np.abs(np.log(new_var / var)), initial=0.0)),
            )
            self.niterations = iteration
            if change <= self._tol:
                break
            if change > last_change:
                rho = max(rho / 2, 1e-3)
            last_change = change
        else:
            warnings.warn(
                f"EP did not converge in {self._max_iterations} iterations "
                f"(last change {last_change:.3g}, tolerance {self._tol:.3g}).",
                EPConvergenceWarning,
                stacklevel=2,
            )
        return self.log_marginal_likelihood(posterior)

    def log_marginal_likelihood(self, posterior: Posterior) -> float:
        """log Z_EP for the current sites (``posterior`` must hold them; module notes)."""
        tau_cav, eta_cav = self._cavity(posterior)
        tilted = self._moments(eta_cav / tau_cav, 1 / tau_cav)
        tau_post = tau_cav + self._tau
        eta_post = eta_cav + self._eta
        sites = (
            tilted.log_z
            + 0.5 * np.log(tau_post / tau_cav)
            - 0.5 * eta_post**2 / tau_post
            + 0.5 * eta_cav**2 / tau_cav
        )
        return float(posterior.log_normaliser + np.sum(sites))


def _finite_marginals(posterior: Posterior) -> bool:
    var = posterior.marginal_variance
    return bool(np.all(np.isfinite(posterior.marginal_mean)) and np.all(var > 0))
