"""Likelihoods named as the models' ``lik`` argument names them."""

from __future__ import annotations

from typing import Any

from numpy.typing import ArrayLike

from ..link import ProbitLink
from ._base import ProdLik
from ._bernoulli import BernoulliProdLik
from ._binomial import BinomialProdLik
from ._poisson import PoissonProdLik

__all__ = ["LIKELIHOOD_NAMES", "likelihood_from_spec", "parse_spec"]

#: Every likelihood name an analysis takes (case-insensitive): "normal" (the LMMs) and the
#: GLMMs' exponential families. The one place they are parsed is :func:`parse_spec`.
LIKELIHOOD_NAMES = ("normal", "bernoulli", "probit", "binomial", "poisson")


def _usage(names: tuple[str, ...]) -> str:
    quoted = [f'"{n}"' if n != "binomial" else '("binomial", ntrials)' for n in names]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


def parse_spec(
    lik: Any, name: str = "lik", names: tuple[str, ...] = LIKELIHOOD_NAMES
) -> tuple[str, Any]:
    """Validate a ``lik`` argument: (lower-case name, the binomial's raw trial counts or None).

    Parameters
    ----------
    lik
        A name (any case), a one-element tuple or list of one, or ``("binomial", ntrials)``.
    name
        The argument's name, for error messages.
    names
        The names accepted (the GLMMs do not take "normal").

    Raises
    ------
    ValueError
        For an unknown name, a binomial without trial counts, or extra items after a name that
        takes none.

    Examples
    --------
    >>> from glimix.lik._spec import parse_spec
    >>> parse_spec("Poisson")
    ('poisson', None)
    >>> parse_spec(("binomial", [10, 12]))
    ('binomial', [10, 12])
    """
    order = [n for n in ("normal", "bernoulli", "probit", "poisson", "binomial") if n in names]
    usage = _usage(tuple(order))
    spec = tuple(lik) if isinstance(lik, (tuple, list)) else (lik,)
    if not spec or not isinstance(spec[0], str):
        raise ValueError(f"{name} must be one of {usage}; got {lik!r}.")
    kind = spec[0].lower()
    if kind not in names:
        raise ValueError(f"{name} must be one of {usage}; got the unknown name {spec[0]!r}.")
    if kind == "binomial":
        if len(spec) != 2 or spec[1] is None:
            raise ValueError(
                f'{name}: a binomial likelihood needs its trial counts, ("binomial", ntrials).'
            )
        return kind, spec[1]
    if len(spec) != 1:
        raise ValueError(f"{name}: {kind!r} takes no extra parameter; got {len(spec) - 1}.")
    return kind, None


def likelihood_from_spec(lik: Any, y: ArrayLike, name: str = "lik") -> ProdLik:
    """The product likelihood that ``lik`` names, with outcome ``y``.

    Parameters
    ----------
    lik
        ``"bernoulli"`` (logit link), ``"probit"`` (Bernoulli with the probit link),
        ``"poisson"`` (log link), ``("binomial", ntrials)`` (logit link), a one-element tuple of
        one of the names, or a :class:`~glimix.lik.ProdLik` instance (its outcome is replaced).
        Names are case-insensitive (:func:`parse_spec`).
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
        kind, ntrials = parse_spec(lik, name, LIKELIHOOD_NAMES[1:])
        likelihood = {
            "binomial": lambda: BinomialProdLik(ntrials),
            "bernoulli": BernoulliProdLik,
            "probit": lambda: BernoulliProdLik(ProbitLink()),
            "poisson": PoissonProdLik,
        }[kind]()
    likelihood.outcome = y
    return likelihood
