"""Scatter of the first two principal components."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from numpy.typing import ArrayLike

from .._adapt import to_numpy, unwrap
from ._common import get_axes, keywords

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["pca"]


def pca(X: ArrayLike, pts_kws: Mapping[str, Any] | None = None, ax: Axes | None = None) -> None:
    """Plot the first two principal components of a design matrix.

    Each sample (row of ``X``) is drawn at its scores on the first two principal components of
    the column-centred ``X`` (computed by :func:`limix.stats.pca`); the axis labels give the
    share of the variance each component explains. Pass ``c`` in ``pts_kws`` to colour the
    samples by group.

    Parameters
    ----------
    X : array_like
        Samples-by-features matrix (for example standardised genotypes), finite, with at least
        two samples and two features.
    pts_kws : dict, optional
        Keyword arguments of ``Axes.scatter`` for the points.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; pyplot's current axes by default.

    Examples
    --------
    >>> import limix
    >>> from numpy.random import RandomState
    >>>
    >>> random = RandomState(0)
    >>> X = random.randn(100, 10)
    >>> X[:50] += 1.5  # two groups of samples
    >>> limix.plot.pca(X)
    """
    from matplotlib.collections import PathCollection

    from ..stats import pca as principal_components

    data, _ = unwrap(X, "X", ndims=(2,))
    data = to_numpy(data)
    if data.shape[0] < 2 or data.shape[1] < 2:
        raise ValueError(
            f"X must have at least two samples (rows) and two features (columns); "
            f"got shape {data.shape}."
        )
    result = principal_components(data, ncomp=2)
    scores = (data - data.mean(axis=0)) @ result["components"].T
    ratio = result["explained_variance_ratio"]
    ax = get_axes(ax)
    defaults = {"s": 16, "alpha": 0.8, "linewidth": 0}
    ax.scatter(scores[:, 0], scores[:, 1], **keywords(pts_kws, "pts_kws", defaults, PathCollection))
    ax.set_xlabel(f"PC1 ({100 * ratio[0]:.1f}% of variance)")
    ax.set_ylabel(f"PC2 ({100 * ratio[1]:.1f}% of variance)")
    ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.8", linewidth=0.8, zorder=0)
