"""Checks and numerically careful pieces shared by the likelihoods.

* outcome checks — whole, non-negative numbers, each failure a ``ValueError`` naming the argument
  and counting the offending entries;
* g⁻¹(z) as probabilities or rates, rejecting a link that maps z outside the valid range;
* log p and log(1 − p) for a probability p = g⁻¹(z), computed in the latent scale for the logit
  and probit links so that neither tail rounds to log(0).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import log_expit, log_ndtr

from ..link import Link, LogitLink, ProbitLink

__all__ = [
    "check_nonnegative",
    "check_whole",
    "log_probabilities",
    "probabilities",
    "rates",
    "times",
]

Array = NDArray[np.float64]


def check_whole(x: Array, name: str) -> None:
    """Raise a ``ValueError`` unless every entry of the finite array ``x`` is an integer."""
    bad = int(np.count_nonzero(x != np.round(x)))
    if bad:
        raise ValueError(f"{name} must hold whole numbers; {bad} value(s) are not integers.")


def check_nonnegative(x: Array, name: str) -> None:
    """Raise a ``ValueError`` unless every entry of the finite array ``x`` is ≥ 0."""
    bad = int(np.count_nonzero(x < 0))
    if bad:
        raise ValueError(f"{name} must be non-negative; {bad} value(s) are negative.")


def probabilities(link: Link, z: Array) -> Array:
    """μ = g⁻¹(z), checked to lie in [0, 1]."""
    p = link.inv(z)
    bad = int(np.count_nonzero((p < 0) | (p > 1)))
    if bad:
        raise ValueError(
            f"z is mapped by {link!r} to {bad} value(s) outside [0, 1], which are not "
            "probabilities; use LogitLink() or ProbitLink()."
        )
    return p


def rates(link: Link, z: Array) -> Array:
    """λ = g⁻¹(z), checked to be non-negative."""
    lam = link.inv(z)
    bad = int(np.count_nonzero(lam < 0))
    if bad:
        raise ValueError(
            f"z is mapped by {link!r} to {bad} negative value(s), which are not rates; "
            "use LogLink()."
        )
    return lam


def log_probabilities(link: Link, z: Array) -> tuple[Array, Array]:
    """(log p, log(1 − p)) for p = g⁻¹(z).

    For the logit link these are log σ(z) and log σ(−z), for the probit link log Φ(z) and
    log Φ(−z), both finite for any finite z. Other links go through p itself, and may give −∞.
    """
    if isinstance(link, LogitLink):
        return log_expit(z), log_expit(-z)
    if isinstance(link, ProbitLink):
        return log_ndtr(z), log_ndtr(-z)
    p = probabilities(link, z)
    with np.errstate(divide="ignore"):
        return np.log(p), np.log1p(-p)


def times(c: Array, log_value: Array) -> Array:
    """c·log_value with 0·(−∞) taken as 0 (xlogy's convention: a zero count contributes nothing)."""
    return np.multiply(c, log_value, out=np.zeros(np.broadcast(c, log_value).shape), where=c != 0)
