"""Number of hits across significance levels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ._common import get_axes, keywords, pvalues, vector

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["power"]


def power(
    pv: ArrayLike,
    label: str | None = None,
    alphas: ArrayLike | None = None,
    normalize: bool = False,
    null: bool = False,
    line_kws: Mapping[str, Any] | None = None,
    ax: Axes | None = None,
) -> None:
    """Plot number of hits across significance levels.

    A hit at significance level α is a test with p-value ≤ α. Given the p-values of tests of
    true associations (for example causal variants of a simulation) the curve is the
    power of the method at each level; given p-values of null tests, its false positive rate.
    Several calls on the same axes compare methods; see :class:`ConsensusCurve` to summarise
    replicated simulations.

    Parameters
    ----------
    pv : array_like
        P-values in (0, 1].
    label : str, optional
        Legend label of the curve.
    alphas : array_like, optional
        Significance levels in (0, 1] at which to count the hits. By default 200 levels
        evenly spaced in log scale from the power of ten at or below the smallest p-value
        (at most 10⁻⁸) to 1.
    normalize : bool
        Plot the fraction of hits (the power) instead of their number.
    null : bool
        Also draw the expected number (or fraction) of hits under the null hypothesis, α times
        the number of tests, as a dashed line.
    line_kws : dict, optional
        Keyword arguments of ``Axes.plot`` for the curve.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; pyplot's current axes by default.

    Examples
    --------
    >>> import limix
    >>> from numpy.random import RandomState
    >>> from scipy.stats import chi2
    >>>
    >>> random = RandomState(0)
    >>> # p-values of 200 tests of an association of effect size 5 (non-central χ²).
    >>> pv = chi2(1).sf(random.noncentral_chisquare(1, 25, size=200))
    >>> limix.plot.power(pv, label="alternative", normalize=True)
    >>> limix.plot.power(random.rand(200), label="null", normalize=True, null=True)
    >>> _ = limix.plot.get_pyplot().legend()
    """
    from matplotlib.lines import Line2D

    pv = pvalues(pv, "pv")
    if alphas is None:
        lowest = np.floor(np.log10(min(pv.min(), 1e-8)))
        alphas = np.logspace(lowest, 0, 200)
    else:
        alphas = np.sort(vector(alphas, "alphas"))
        if alphas[0] <= 0 or alphas[-1] > 1:
            raise ValueError("alphas must be significance levels in (0, 1].")
    ax = get_axes(ax)

    hits = np.searchsorted(np.sort(pv), alphas, side="right").astype(float)
    expected = alphas * pv.size
    if normalize:
        hits /= pv.size
        expected /= pv.size
    (line,) = ax.plot(alphas, hits, **keywords(line_kws, "line_kws", {"label": label}, Line2D))
    if null:
        ax.plot(alphas, expected, color=line.get_color(), linestyle="--", linewidth=1.0)
    ax.set_xscale("log")
    ax.set_xlabel("significance level α")
    ax.set_ylabel("fraction of hits (power)" if normalize else "number of hits")
