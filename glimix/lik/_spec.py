"""Likelihoods named as the models' ``lik`` argument names them."""

from __future__ import annotations

from typing import Any

from numpy.typing import ArrayLike

from ..link import ProbitLink
from ._base import ProdLik
from ._bernoulli import BernoulliProdLik
from ._binomial import BinomialProdLik
from ._poisson import PoissonProdLik

__all__ = ["likelihood_from_spec"]

_NAMES = ('"bernoulli"', '"probit"', '"poisson"', '("binomial", ntrials)')


def likelihood_from_spec(lik: Any, y: ArrayLike, name: str = "lik") -> ProdLik:
    """The product likelihood that ``lik`` names, with outcome ``y``.

    Parameters
    ----------
    lik
        ``"bernoulli"`` (logit link), ``"probit"`` (Bernoulli with the probit link),
        ``"poisson"`` (log link), ``("binomial", ntrials)`` (logit link), a one-element tuple of
        one of the names, or a :class:`~glimix.lik.ProdLik` instance (its outcome is replaced).
        Names are case-insensitive.
    y
        Outcome vector, validated against the likelihood's support.
    name
        Argument name used in error messages.

    Raises
    ------
    ValueError
        For an unknown name, a binomial without trial counts, or an outcome outside the support.
    """
    if isinstance(lik, ProdLik):
        likelihood = lik
    else:
        spec = lik if isinstance(lik, tuple) else (lik,)
        if not spec or not isinstance(spec[0], str):
            raise ValueError(f"{name} must be one of {', '.join(_NAMES)}; got {lik!r}.")
        kind = spec[0].lower()
        if kind == "binomial":
            if len(spec) != 2 or spec[1] is None:
                raise ValueError(
                    f'{name}: a binomial likelihood needs its trial counts, ("binomial", ntrials).'
                )
            likelihood = BinomialProdLik(spec[1])
        elif len(spec) != 1:
            raise ValueError(f"{name}: {kind!r} takes no extra parameter; got {lik!r}.")
        elif kind == "bernoulli":
            likelihood = BernoulliProdLik()
        elif kind == "probit":
            likelihood = BernoulliProdLik(ProbitLink())
        elif kind == "poisson":
            likelihood = PoissonProdLik()
        else:
            raise ValueError(f"{name} must be one of {', '.join(_NAMES)}; got {lik!r}.")
    likelihood.outcome = y
    return likelihood
