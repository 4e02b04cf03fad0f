"""The error raised when tilted moments cannot be computed, and the message naming the sites."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["TiltedMomentsError", "failure_message"]

#: How many failing sites a message lists before summarising the rest.
_SHOWN = 5


class TiltedMomentsError(ValueError):
    """Tilted moments of some sites could not be computed to the required accuracy.

    Raised instead of returning NaN or infinity: when a mode search or a quadrature does not
    converge, or when a result is not finite (a cavity so extreme that log Ẑᵢ or a moment
    overflows). The message names the first few sites and their outcome yᵢ, number of trials,
    cavity mean μᵢ and cavity variance σᵢ²; ``sites`` holds the indices of all of them.

    Parameters
    ----------
    message
        The description, as built by :func:`failure_message`.
    sites
        Indices of the failing sites.
    """

    def __init__(self, message: str, sites: ArrayLike = ()) -> None:
        ValueError.__init__(self, message)
        self.sites = np.asarray(sites, dtype=np.intp).ravel()


def failure_message(
    reason: str,
    sites: NDArray[np.intp],
    outcome: NDArray[np.float64],
    ntrials: NDArray[np.float64] | None,
    mean: NDArray[np.float64],
    variance: NDArray[np.float64],
) -> str:
    """Describe failing sites: why, how many, and (y, trials, μ, σ²) of the first few.

    Parameters
    ----------
    reason
        What went wrong, e.g. "the mode search did not converge".
    sites
        Indices of the failing sites (at least one).
    outcome, ntrials, mean, variance
        Per-site outcome, trials (``None`` for a likelihood without trials), cavity mean and
        cavity variance of all sites.

    Examples
    --------
    >>> import numpy as np
    >>> print(failure_message("the quadrature did not converge", np.array([1]),
    ...                       np.array([0.0, 3.0]), None, np.array([0.0, -2.5]),
    ...                       np.array([1.0, 1e4])))
    tilted moments failed at 1 site (the quadrature did not converge): site 1 (y=3, μ=-2.5,
    σ²=10000).
    """
    sites = np.asarray(sites, dtype=np.intp).ravel()
    described = []
    for i in sites[:_SHOWN].tolist():
        trials = "" if ntrials is None else f", trials={ntrials[i]:.10g}"
        described.append(
            f"site {i} (y={outcome[i]:.10g}{trials}, μ={mean[i]:.10g}, σ²={variance[i]:.10g})"
        )
    more = len(sites) - len(described)
    tail = f"; and {more} more" if more > 0 else ""
    plural = "" if len(sites) == 1 else "s"
    return (
        f"tilted moments failed at {len(sites)} site{plural} ({reason}): "
        f"{'; '.join(described)}{tail}."
    )
