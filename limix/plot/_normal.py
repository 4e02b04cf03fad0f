"""Histogram with the fitted normal density."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from .._adapt import real_number
from ._common import get_axes, vector

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["normal"]


def normal(
    x: ArrayLike,
    bins: int | Sequence[float] = 20,
    nstd: float = 2,
    ax: Axes | None = None,
) -> None:
    """Plot a fit of a normal distribution to the data in x.

    Draws the histogram of ``x`` as a density, the normal density with the sample mean μ̂ and
    standard deviation σ̂ of ``x``, and dashed lines at μ̂ ± ``nstd``·σ̂, a quick look at how
    normal a trait is and at which values lie far in its tails.

    Parameters
    ----------
    x : array_like
        Finite values, at least two distinct.
    bins : int or sequence of float
        Number of histogram bins, or their edges.
    nstd : float
        Distance from the mean of the dashed lines, in standard deviations; 0 draws none.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; pyplot's current axes by default.

    Examples
    --------
    >>> import limix
    >>> from numpy.random import RandomState
    >>>
    >>> x = RandomState(0).randn(500) * 2 + 1
    >>> limix.plot.normal(x, nstd=2)
    """
    from scipy.stats import norm

    x = vector(x, "x")
    if x.size < 2 or x.min() == x.max():
        raise ValueError("x must have at least two distinct values to fit a normal density.")
    if isinstance(bins, numbers.Integral) and not isinstance(bins, bool):
        if bins < 1:
            raise ValueError(f"bins must be at least 1; got {bins}.")
    else:
        edges = vector(bins, "bins")
        if edges.size < 2 or np.any(np.diff(edges) <= 0):
            raise ValueError("bins must be a number of bins or at least two increasing edges.")
        bins = edges
    nstd = real_number(nstd, "nstd", low=0.0)
    ax = get_axes(ax)

    mean, std = float(x.mean()), float(x.std(ddof=1))
    heights, _, _ = ax.hist(
        x, bins=bins, density=True, color="#A6BDD7", edgecolor="white", label="data"
    )
    low = min(x.min(), mean - max(nstd, 3) * std)
    high = max(x.max(), mean + max(nstd, 3) * std)
    grid = np.linspace(low, high, 400)
    density = norm.pdf(grid, mean, std)
    fit = rf"normal fit ($\hat{{\mu}}$ = {mean:.3g}, $\hat{{\sigma}}$ = {std:.3g})"
    ax.plot(grid, density, color="#21334F", linewidth=1.5, label=fit)
    if nstd > 0:
        for side in (-1, 1):
            ax.axvline(
                mean + side * nstd * std,
                color="#D62728",
                linestyle="--",
                linewidth=1.0,
                label=rf"$\hat{{\mu}} \pm {nstd:g}\hat{{\sigma}}$" if side < 0 else None,
            )
    # Headroom above the curves for the legend.
    ax.set_ylim(0, 1.4 * max(float(np.max(heights)), float(density.max())))
    ax.set_ylabel("density")
    ax.legend(loc="upper left", frameon=False, fontsize="small")
