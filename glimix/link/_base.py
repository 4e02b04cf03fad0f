"""The interface every link function shares: g(μ) through ``value``, g⁻¹(z) through ``inv``."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import float_array

__all__ = ["Link"]


def _real_array(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return ``x`` as a float array with no NaN (infinities are allowed)."""
    arr = float_array(x, name)
    if np.any(np.isnan(arr)):
        raise ValueError(f"{name} has {int(np.count_nonzero(np.isnan(arr)))} NaN value(s).")
    return arr


class Link:
    """Base class of link functions.

    A link g maps the mean μ of an outcome to the latent (linear-predictor) scale, z = g(μ); its
    inverse gives the mean back, μ = g⁻¹(z). Both are vectorised: they take an array (or a
    number) and return a float array of the same shape.

    Subclasses set the closed interval ``[_lower, _upper]`` that μ may take and implement
    :meth:`_value` and :meth:`_inv`. Links carry no parameters: two links are equal when they are
    of the same class.
    """

    #: Smallest value μ may take.
    _lower: float = -np.inf
    #: Largest value μ may take.
    _upper: float = np.inf

    def value(self, mu: ArrayLike) -> NDArray[np.float64]:
        """Link function, z = g(μ).

        Parameters
        ----------
        mu
            Means, an array (or a number) inside the domain of the link; NaN is rejected.

        Returns
        -------
        z
            g(μ), shaped like ``mu``.

        Raises
        ------
        ValueError
            If ``mu`` has NaN or a value outside the domain of the link.
        """
        mu = _real_array(mu, "mu")
        outside = np.count_nonzero((mu < self._lower) | (mu > self._upper))
        if outside:
            raise ValueError(
                f"mu must lie in {self._domain()} for {self!r}; {outside} value(s) do not."
            )
        return np.asarray(self._value(mu), dtype=float)

    def inv(self, z: ArrayLike) -> NDArray[np.float64]:
        """Inverse link function, μ = g⁻¹(z).

        Parameters
        ----------
        z
            Latent values, an array (or a number); ±∞ are allowed, NaN is rejected.

        Returns
        -------
        mu
            g⁻¹(z), shaped like ``z``.

        Raises
        ------
        ValueError
            If ``z`` has NaN.
        """
        z = _real_array(z, "z")
        return np.asarray(self._inv(z), dtype=float)

    def _value(self, mu: NDArray[np.float64]) -> NDArray[np.float64]:
        raise TypeError(f"{type(self).__name__} must define _value()")  # pragma: no cover

    def _inv(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        raise TypeError(f"{type(self).__name__} must define _inv()")  # pragma: no cover

    def _domain(self) -> str:
        lower = "(−∞" if self._lower == -np.inf else f"[{self._lower:g}"
        upper = "∞)" if self._upper == np.inf else f"{self._upper:g}]"
        return f"{lower}, {upper}"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
