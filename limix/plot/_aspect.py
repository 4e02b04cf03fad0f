"""Square plot box."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import get_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["box_aspect"]


def box_aspect(ax: Axes | None = None) -> None:
    """Change to box aspect considering the plotted points.

    Makes the axes box square: the x and y ranges of the plotted points take the same length
    on the page, whatever their units. The axis limits are left as they are (they keep
    following the data), which suits QQ-plots and other plots of two comparable quantities.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to change; pyplot's current axes by default.

    Examples
    --------
    >>> import limix
    >>> from numpy.random import RandomState
    >>>
    >>> random = RandomState(1)
    >>> limix.plot.qqplot(random.rand(1000))
    >>> limix.plot.box_aspect()
    >>> limix.plot.get_pyplot().gca().get_box_aspect()
    1.0
    """
    get_axes(ax).set_box_aspect(1)
