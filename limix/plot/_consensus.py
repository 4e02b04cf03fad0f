"""Mean of several curves with a band of their spread."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._adapt import real_number
from ._common import get_axes, keywords, vector

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["ConsensusCurve"]


class ConsensusCurve:
    """Consolidate multiple curves in a single one.

    Curves y = f(x), each given by its points (for example the power curves of replicated
    simulations, or ROC curves of cross-validation folds), are linearly interpolated on the
    union of their x values within the range they all cover. At each of those x the consensus
    is the mean of the curves, with a band of ``nstd`` standard deviations (sample standard
    deviation, zero for a single curve) around it.

    Examples
    --------
    >>> import limix
    >>> from numpy import linspace
    >>>
    >>> curves = limix.plot.ConsensusCurve()
    >>> x = linspace(0, 1, 5)
    >>> curves.add(x, x**2)
    >>> curves.add(x, x**2 + 0.1)
    >>> len(curves)
    2
    >>> x, bottom, mean, top = curves.consensus(nstd=1.0)
    >>> mean
    array([0.05  , 0.1125, 0.3   , 0.6125, 1.05  ])
    >>> (top - mean).round(4)
    array([0.0707, 0.0707, 0.0707, 0.0707, 0.0707])
    >>> curves.plot(label="power")
    """

    def __init__(self) -> None:
        self._curves: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []

    def __len__(self) -> int:
        return len(self._curves)

    def add(self, x: ArrayLike, y: ArrayLike) -> None:
        """Add a curve.

        Parameters
        ----------
        x : array_like
            Abscissae of the curve's points, finite, in any order, at least two distinct.
        y : array_like
            Ordinates, finite, one per abscissa.
        """
        x = vector(x, "x")
        y = vector(y, "y")
        if x.shape != y.shape:
            raise ValueError(f"x and y must have the same length; got {x.size} and {y.size}.")
        order = np.argsort(x, kind="stable")
        x, y = x[order], y[order]
        if x[0] == x[-1]:
            raise ValueError("x must have at least two distinct values.")
        self._curves.append((x, y))

    def consensus(
        self, nstd: float = 1.0
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Consensus curve and its band.

        Parameters
        ----------
        nstd : float
            Half-width of the band in standard deviations of the curves.

        Returns
        -------
        x : ndarray
            Sorted abscissae: every curve's x within the range all curves cover.
        bottom : ndarray
            Mean minus ``nstd`` standard deviations.
        mean : ndarray
            Mean of the interpolated curves.
        top : ndarray
            Mean plus ``nstd`` standard deviations.
        """
        nstd = real_number(nstd, "nstd", low=0.0)
        if not self._curves:
            raise ValueError("no curve to consolidate: add curves first.")
        low = max(x[0] for x, _ in self._curves)
        high = min(x[-1] for x, _ in self._curves)
        if low > high:
            raise ValueError(
                "the curves have no common x range: each covers x values the others do not."
            )
        grid = np.unique(np.concatenate([x for x, _ in self._curves]))
        grid = grid[(grid >= low) & (grid <= high)]
        ys = np.array([np.interp(grid, x, y) for x, y in self._curves])
        mean = ys.mean(axis=0)
        std = ys.std(axis=0, ddof=1) if len(ys) > 1 else np.zeros_like(mean)
        return grid, mean - nstd * std, mean, mean + nstd * std

    def plot(
        self,
        nstd: float = 1.0,
        label: str | None = None,
        line_kws: Mapping[str, Any] | None = None,
        band_kws: Mapping[str, Any] | None = None,
        ax: Axes | None = None,
    ) -> None:
        """Draw the consensus curve and its band.

        Parameters
        ----------
        nstd : float
            Half-width of the band in standard deviations of the curves.
        label : str, optional
            Legend label of the curve.
        line_kws : dict, optional
            Keyword arguments of ``Axes.plot`` for the mean curve.
        band_kws : dict, optional
            Keyword arguments of ``Axes.fill_between`` for the band (its colour defaults to
            the curve's).
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; pyplot's current axes by default.
        """
        from matplotlib.collections import PolyCollection
        from matplotlib.lines import Line2D

        x, bottom, mean, top = self.consensus(nstd)
        ax = get_axes(ax)
        line_opts = keywords(line_kws, "line_kws", {"label": label}, Line2D)
        (line,) = ax.plot(x, mean, **line_opts)
        band_defaults = {"color": line.get_color(), "alpha": 0.25, "linewidth": 0}
        ax.fill_between(
            x, bottom, top, **keywords(band_kws, "band_kws", band_defaults, PolyCollection)
        )
