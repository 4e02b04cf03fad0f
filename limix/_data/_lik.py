"""The ``lik`` argument: likelihood names, the binomial trial counts, and the outcome's support."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from glimix.lik._spec import LIKELIHOOD_NAMES, parse_spec

from ._labelled import NTRIALS, as_labelled
from ._missing import reject_infinite

__all__ = ["LIKELIHOODS", "Likelihood", "as_ntrials", "check_outcome", "parse_lik"]

#: The likelihood names the analyses accept (case-insensitive).
LIKELIHOODS = LIKELIHOOD_NAMES


@dataclass(frozen=True)
class Likelihood:
    """A validated likelihood: its lower-case name and, for a binomial, the aligned trials.

    Attributes
    ----------
    name
        One of :data:`LIKELIHOODS`.
    ntrials
        For ``"binomial"``, the number of trials of each analysed sample, a read-only float
        DataArray with dim ``sample`` in the order of the trait; None otherwise.
    """

    name: str
    ntrials: xr.DataArray | None = None

    @property
    def spec(self) -> str | tuple[str, NDArray[np.float64]]:
        """The ``lik`` argument glimix's models take: a name, or ("binomial", ntrials)."""
        if self.ntrials is not None:
            return (self.name, self.ntrials.values)
        return self.name


#: Validate ``lik``: (lower-case name, the binomial's raw trial counts or None). The one parser
#: of likelihood names is glimix's; its trial counts are aligned like the trait afterwards.
parse_lik = parse_spec


def as_ntrials(ntrials: Any, name: str = "ntrials") -> xr.DataArray:
    """Binomial trial counts as a DataArray (sample, ntrials) with one column.

    NaN marks a missing count (its sample is dropped, as for a missing trait value); the counts
    are checked to be whole and non-negative by :func:`check_outcome`, after alignment.

    Raises
    ------
    ValueError
        If ``ntrials`` is not numeric, has more than one column, or holds an infinite value.

    Examples
    --------
    >>> from limix._data import as_ntrials
    >>> as_ntrials([10, 3]).shape
    (2, 1)
    """
    out = as_labelled(ntrials, name, NTRIALS)
    if out.shape[1] != 1:
        raise ValueError(f"{name} must hold one count per sample; got shape {out.shape}.")
    reject_infinite(out.values, name)
    return out


def _count(mask: NDArray[np.bool_]) -> int:
    return int(np.count_nonzero(mask))


def check_outcome(y: NDArray[np.float64], lik: Likelihood, name: str = "y") -> None:
    """Raise a ``ValueError`` if the (finite, aligned) trait values are outside ``lik``'s support.

    Bernoulli and probit traits are 0 or 1; Poisson traits non-negative whole numbers; binomial
    traits whole numbers of successes between 0 and the sample's number of trials, which are
    non-negative whole numbers. Normal traits take any value.

    Examples
    --------
    >>> from numpy import array
    >>> from limix._data import Likelihood, check_outcome
    >>> check_outcome(array([[0.0], [2.0]]), Likelihood("bernoulli"))
    Traceback (most recent call last):
    ...
    ValueError: y must be 0 or 1 for a bernoulli likelihood; 1 value(s) are not.
    """
    if lik.name in ("bernoulli", "probit"):
        bad = _count((y != 0) & (y != 1))
        if bad:
            raise ValueError(
                f"{name} must be 0 or 1 for a {lik.name} likelihood; {bad} value(s) are not."
            )
    elif lik.name == "poisson":
        bad = _count((y < 0) | (y != np.round(y)))
        if bad:
            raise ValueError(
                f"{name} must hold non-negative whole numbers (counts) for a poisson likelihood; "
                f"{bad} value(s) are not."
            )
    elif lik.name == "binomial":
        assert lik.ntrials is not None
        n = lik.ntrials.values
        bad = _count((n < 0) | (n != np.round(n)))
        if bad:
            raise ValueError(
                f"ntrials must hold non-negative whole numbers; {bad} value(s) are not."
            )
        bad = _count((y < 0) | (y != np.round(y)) | (y > n[:, None]))
        if bad:
            raise ValueError(
                f"{name} must hold whole numbers of successes between 0 and ntrials for a "
                f"binomial likelihood; {bad} value(s) are not."
            )
