"""What every product likelihood p(𝐲 | 𝐳) = ∏ᵢ p(yᵢ | zᵢ) shares: a link, an outcome, sampling."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import finite_vector
from ..link import Link
from ..random import RandomStateLike, as_random_state

__all__ = ["ProdLik"]

Array = NDArray[np.float64]


class ProdLik:
    """Base class of product likelihoods, p(𝐲 | 𝐳) = ∏ᵢ p(yᵢ | zᵢ) with mean μᵢ = g⁻¹(zᵢ).

    Sites are independent given the latent vector 𝐳; site i depends on zᵢ only, through the
    mean μᵢ = g⁻¹(zᵢ) of the link g.

    Subclasses set ``_name``, implement :meth:`_check_support` (raise on outcomes outside the
    support) and :meth:`_sample` (draw 𝐲 given a checked 𝐳), and may fix the number of sites
    through :meth:`_fixed_size`.

    Parameters
    ----------
    link
        The link function g.
    """

    _name: str = ""

    def __init__(self, link: Link) -> None:
        if not isinstance(link, Link):
            raise TypeError(
                f"link must be a glimix.link.Link such as LogitLink(); got {type(link).__name__}."
            )
        self._link = link
        self._outcome: Array | None = None

    # -- description -----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """Name of the distribution of each site."""
        return self._name

    @property
    def link(self) -> Link:
        """Link function g, with μᵢ = g⁻¹(zᵢ)."""
        return self._link

    # -- outcome ---------------------------------------------------------------------------------
    @property
    def outcome(self) -> Array | None:
        """Observed outcome 𝐲, one entry per site (read-only array); ``None`` until set.

        Setting it checks every entry against the support of the distribution and raises a
        ``ValueError`` naming ``outcome``, the problem and how many entries have it.
        """
        return self._outcome

    @outcome.setter
    def outcome(self, outcome: ArrayLike) -> None:
        y = finite_vector(outcome, "outcome", size=self._fixed_size()).copy()
        self._check_support(y)
        y.flags.writeable = False
        self._outcome = y

    @property
    def sample_size(self) -> int | None:
        """Number of sites n: the size of the outcome, or ``None`` while no outcome is set."""
        size = self._fixed_size()
        if size is not None:
            return size
        return None if self._outcome is None else int(self._outcome.shape[0])

    # -- distribution ----------------------------------------------------------------------------
    def mean(self, z: ArrayLike) -> Array:
        """Mean of each site, μᵢ = g⁻¹(zᵢ).

        Parameters
        ----------
        z
            Finite latent vector 𝐳.
        """
        return self._link.inv(self._check_z(z))

    def sample(self, z: ArrayLike, random_state: RandomStateLike = None) -> Array:
        """Draw 𝐲 with yᵢ ∼ p(· | zᵢ) independently for every site.

        Parameters
        ----------
        z
            Finite latent vector 𝐳.
        random_state
            ``None``, an integer seed, a :class:`numpy.random.RandomState` or a
            :class:`numpy.random.Generator` (see :func:`glimix.random.as_random_state`).

        Returns
        -------
        y
            A float vector shaped like 𝐳.
        """
        z = self._check_z(z)
        return self._sample(z, as_random_state(random_state))

    # -- for subclasses --------------------------------------------------------------------------
    def _fixed_size(self) -> int | None:
        """Number of sites fixed by the likelihood itself, if any."""
        return None

    def _check_support(self, y: Array) -> None:
        """Raise a ``ValueError`` naming ``outcome`` if y leaves the support.

        y is already a finite vector of the right size; the default accepts it as it is.
        """

    def _sample(self, z: Array, random: np.random.RandomState | np.random.Generator) -> Array:
        raise TypeError(f"{type(self).__name__} must define _sample()")  # pragma: no cover

    def _check_z(self, z: ArrayLike) -> Array:
        return finite_vector(z, "z", size=self._fixed_size())

    def _outcome_and_z(self, z: ArrayLike) -> tuple[Array, Array]:
        """The outcome and a checked 𝐳 of the same size, for ``logpdf``."""
        if self._outcome is None:
            raise ValueError(f"outcome has not been set; assign {type(self).__name__}.outcome.")
        return self._outcome, finite_vector(z, "z", size=self._outcome.shape[0])

    def _repr_args(self) -> str:
        return f"link={self._link!r}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._repr_args()})"
