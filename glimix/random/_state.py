"""One way to turn whatever the user passes as ``random_state`` into a random number generator."""

from __future__ import annotations

import numbers
from typing import TypeAlias

import numpy as np

__all__ = ["RandomStateLike", "as_random_state"]

#: What every ``random_state`` argument of glimix accepts.
RandomStateLike: TypeAlias = int | np.random.RandomState | np.random.Generator | None


def as_random_state(
    random_state: RandomStateLike,
) -> np.random.RandomState | np.random.Generator:
    """Return a random number generator for a ``random_state`` argument.

    Parameters
    ----------
    random_state
        * ``None``: a new :class:`numpy.random.Generator` seeded from fresh operating-system
          entropy, so every call draws differently;
        * an integer seed in [0, 2³² − 1]: ``numpy.random.RandomState(seed)``, so passing the
          seed draws exactly what passing ``RandomState(seed)`` draws;
        * a :class:`numpy.random.RandomState` or :class:`numpy.random.Generator`: returned as
          is (drawing from it advances its state).

    Returns
    -------
    random
        A generator. Both kinds provide what glimix draws with: ``standard_normal``,
        ``uniform``, ``binomial`` and ``poisson``.

    Raises
    ------
    ValueError
        If ``random_state`` is of another type (booleans included) or a seed out of range.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from glimix.random import as_random_state
    >>>
    >>> random = RandomState(0)
    >>> as_random_state(random) is random
    True
    >>> print(as_random_state(0).standard_normal(2).round(4))
    [1.7641 0.4002]
    >>> print(RandomState(0).standard_normal(2).round(4))
    [1.7641 0.4002]
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.RandomState | np.random.Generator):
        return random_state
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool | np.bool_):
        seed = int(random_state)
        if not 0 <= seed < 2**32:
            raise ValueError(f"random_state as a seed must lie in [0, 2³² − 1]; got {seed}.")
        return np.random.RandomState(seed)
    raise ValueError(
        "random_state must be None, an integer seed, a numpy.random.RandomState or a "
        f"numpy.random.Generator; got {type(random_state).__name__}."
    )
