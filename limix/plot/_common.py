"""Argument checks shared by the plot functions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .._adapt import to_numpy, unwrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["get_axes", "keywords", "pvalues", "vector"]


def get_axes(ax: Axes | None) -> Axes:
    """``ax`` itself, or pyplot's current axes (created if needed) when ``ax`` is None."""
    from matplotlib.axes import Axes

    if ax is None:
        from ._pyplot import get_pyplot

        return get_pyplot().gca()
    if not isinstance(ax, Axes):
        raise ValueError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}.")
    return ax


def keywords(
    kws: Mapping[str, Any] | None, name: str, defaults: Mapping[str, Any], artist: type
) -> dict[str, Any]:
    """The caller's keyword arguments for ``artist`` over our defaults, aliases resolved.

    An alias the caller uses (``lw``, ``c``, ``fc``…) replaces the default it stands for.
    """
    from matplotlib.cbook import normalize_kwargs

    if kws is None:
        kws = {}
    if not isinstance(kws, Mapping):
        raise ValueError(f"{name} must be a dict of keyword arguments or None; got {kws!r}.")
    user = normalize_kwargs(dict(kws), artist)
    merged = {**normalize_kwargs(dict(defaults), artist), **user}
    # For scatter, ``c`` and ``color``/``facecolor`` are exclusive: the caller's choice wins.
    colour_keys = {"c", "color", "facecolor", "facecolors"}
    if colour_keys & user.keys():
        for key in colour_keys - user.keys():
            merged.pop(key, None)
    return merged


def vector(x: Any, name: str) -> NDArray[np.float64]:
    """``x`` as a finite, non-empty 1-D float numpy array."""
    data, _ = unwrap(x, name, ndims=(1,))
    data = to_numpy(data)
    if data.size == 0:
        raise ValueError(f"{name} is empty.")
    bad = int(np.count_nonzero(~np.isfinite(data)))
    if bad:
        raise ValueError(f"{name} has {bad} non-finite values (NaN or infinity); drop them first.")
    return data


def pvalues(x: Any, name: str) -> NDArray[np.float64]:
    """``x`` as a 1-D array of p-values in (0, 1]."""
    pv = vector(x, name)
    if pv.min() <= 0 or pv.max() > 1:
        raise ValueError(
            f"{name} must hold p-values in (0, 1] (−log10 of 0 is infinite); "
            f"got values from {pv.min():g} to {pv.max():g}."
        )
    return pv
