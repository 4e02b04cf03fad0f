"""Quantile–quantile plot of p-values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._adapt import real_number
from ._common import get_axes, keywords, pvalues

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["qqplot"]

# Thinning resolution: points above the cutoff closer than this fraction of the plotted range
# (in both coordinates) to the previous point kept are dropped; they would share its pixels.
_THIN_RESOLUTION = 1 / 1000
# The band is smooth in −log10 scale: evaluating it at this many ranks is enough.
_BAND_RANKS = 1000


def qqplot(
    a: ArrayLike,
    label: str | None = None,
    alpha: float | None = 0.05,
    cutoff: float | None = 0.1,
    line: bool = True,
    pts_kws: Mapping[str, Any] | None = None,
    band_kws: Mapping[str, Any] | None = None,
    ax: Axes | None = None,
) -> None:
    """Quantile-Quantile plot of observed p-values versus theoretical ones.

    The i-th smallest of n p-values is plotted at −log10 of its expected value under the
    null hypothesis, i/(n + 1), against −log10 of its observed value: a calibrated test follows
    the diagonal, inflation bends the points above it. Under the null the i-th smallest
    p-value follows a Beta(i, n − i + 1) distribution; the confidence band joins the
    α/2 and 1 − α/2 quantiles of those distributions. Call ``qqplot`` again on the same axes
    to add series (with ``line=False, alpha=None`` to draw the diagonal and the band once).

    Parameters
    ----------
    a : array_like
        P-values in (0, 1].
    label : str, optional
        Legend label of the points.
    alpha : float or None
        Significance level of the confidence band, in (0, 1); None draws no band.
    cutoff : float or None
        The bulk of large p-values holds most of the points but shows little: points whose
        p-value exceeds ``cutoff`` are thinned, keeping one point per 1/1000 of the plotted
        range in each coordinate, which draws the same picture faster and in smaller files.
        None (or 1) plots every point.
    line : bool
        Draw the diagonal y = x.
    pts_kws : dict, optional
        Keyword arguments of ``Axes.scatter`` for the points.
    band_kws : dict, optional
        Keyword arguments of ``Axes.fill_between`` for the band.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; pyplot's current axes by default.

    Examples
    --------
    >>> import limix
    >>> from numpy.random import RandomState
    >>>
    >>> random = RandomState(1)
    >>>
    >>> pv0 = random.rand(10000)
    >>> pv0[0] = 1e-6
    >>>
    >>> pv1 = random.rand(10000)
    >>> pv2 = random.rand(10000)
    >>>
    >>> limix.plot.qqplot(pv0)

    Two series, the diagonal and the band drawn once, in a square box:

    >>> plt = limix.plot.get_pyplot()
    >>> _ = plt.figure()
    >>> limix.plot.qqplot(pv1)
    >>> limix.plot.qqplot(pv2, line=False, alpha=None)
    >>> limix.plot.box_aspect()

    Labelled series and a legend:

    >>> _ = plt.figure()
    >>> limix.plot.qqplot(pv0, label='label0', band_kws=dict(color='#EE0000',
    ...                   alpha=0.2));
    >>> limix.plot.qqplot(pv1, label='label1', line=False, alpha=None);
    >>> limix.plot.qqplot(pv2, label='label2', line=False,
    ...                   alpha=None, pts_kws=dict(marker='*'));
    >>> _ = limix.plot.get_pyplot().legend()
    """
    from matplotlib.collections import PathCollection, PolyCollection

    pv = np.sort(pvalues(a, "a"))
    if alpha is not None:
        alpha = real_number(alpha, "alpha", low=0.0, high=1.0)
        if alpha in (0.0, 1.0):
            raise ValueError(f"alpha must be in (0, 1), or None for no band; got {alpha}.")
    if cutoff is not None:
        cutoff = real_number(cutoff, "cutoff", low=0.0, high=1.0)
    ax = get_axes(ax)

    n = pv.size
    expected = -np.log10(np.arange(1, n + 1) / (n + 1))
    observed = -np.log10(pv)
    keep = _thin(expected, observed, pv > cutoff) if cutoff is not None else slice(None)

    if alpha is not None:
        x, bottom, top = _band(n, alpha)
        band = {"color": "0.55", "alpha": 0.25, "linewidth": 0}
        poly = ax.fill_between(
            x, bottom, top, **keywords(band_kws, "band_kws", band, PolyCollection)
        )
        poly.sticky_edges.x.append(0)
        poly.sticky_edges.y.append(0)
    pts = {"s": 10, "linewidth": 0, "label": label, "zorder": 2}
    points = ax.scatter(
        expected[keep], observed[keep], **keywords(pts_kws, "pts_kws", pts, PathCollection)
    )
    # The axes start at 0 rather than a margin below: −log10 p-values are never negative.
    points.sticky_edges.x.append(0)
    points.sticky_edges.y.append(0)
    if line:
        ax.axline((0, 0), slope=1, color="0.25", linestyle="--", linewidth=1.0, zorder=1)
    ax.set_xlabel(r"expected $-\log_{10}$(p-value)")
    ax.set_ylabel(r"observed $-\log_{10}$(p-value)")


def _thin(
    x: NDArray[np.float64], y: NDArray[np.float64], dense: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Points to keep: all outside ``dense``; inside, one per grid cell along the curve."""
    # x and y decrease together along the sorted p-values, so grid cells are visited in turn.
    qx = np.floor(x / (x.max() * _THIN_RESOLUTION))
    qy = np.floor(y / (max(y.max(), 1e-300) * _THIN_RESOLUTION))
    new_cell = np.ones(x.size, dtype=bool)
    new_cell[1:] = (qx[1:] != qx[:-1]) | (qy[1:] != qy[:-1])
    new_cell[-1] = True  # the largest p-value marks where the curve ends
    return ~dense | new_cell


def _band(
    n: int, alpha: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Expected −log10 p and the band's bottom and top, at ranks spread along the axis.

    The k-th smallest of n uniform p-values is Beta(k, n − k + 1): the band is its quantiles,
    the inverse regularised incomplete beta function (``scipy.special``, which — unlike
    ``scipy.stats``, 0.8 s — costs nothing to import)."""
    from scipy.special import betaincinv

    if n <= _BAND_RANKS:
        ranks = np.arange(1, n + 1, dtype=float)
    else:
        ranks = np.unique(np.round(np.geomspace(1, n, _BAND_RANKS)))
    upper = betaincinv(ranks, n - ranks + 1, 1 - alpha / 2)
    lower = betaincinv(ranks, n - ranks + 1, alpha / 2)
    return -np.log10(ranks / (n + 1)), -np.log10(upper), -np.log10(lower)
