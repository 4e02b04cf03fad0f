"""Manhattan plot of genome-wide association results."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .._adapt import real_number
from ._common import get_axes, keywords, pvalues, vector

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from .._typing import Colour

__all__ = ["manhattan"]

_SEX_AND_MITO = ("X", "Y", "XY", "MT", "M")
# Width of a digit in DejaVu Sans (matplotlib's default font), in ems: used to estimate the
# width of chromosome labels, so that those that would overlap are left out.
_DIGIT_WIDTH = 0.64


def manhattan(
    data: pd.DataFrame,
    colora: Colour = "#5689AC",
    colorb: Colour = "#21334F",
    threshold: float | None = None,
    pts_kws: Mapping[str, Any] | None = None,
    line_kws: Mapping[str, Any] | None = None,
    ax: Axes | None = None,
) -> None:
    """Produce a manhattan plot.

    One point per variant at its genome position (chromosomes side by side, in natural order
    1, 2, …, 22, X, Y, MT whatever the row order, a leading ``chr`` ignored) and height
    −log10 of its p-value; chromosomes alternate between two colours and are labelled at their
    centre, leaving out labels of small chromosomes that would overlap their neighbour's at
    the axes' current size. With a single chromosome the x axis shows the position in megabases.

    Parameters
    ----------
    data : pandas.DataFrame or mapping
        Columns ``chrom`` (chromosome names or numbers), ``pos`` (base-pair position) and
        ``pv`` (p-values in (0, 1]), one row per variant. Other columns are ignored.
    colora, colorb : color
        Colours of odd and even chromosomes (in plotting order).
    threshold : float, optional
        Significance level: a horizontal line is drawn at −log10(threshold).
    pts_kws : dict, optional
        Keyword arguments of ``Axes.scatter`` for the points.
    line_kws : dict, optional
        Keyword arguments of ``Axes.axhline`` for the significance line.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; pyplot's current axes by default.

    Examples
    --------
    >>> import limix
    >>> from numpy import log10
    >>>
    >>> df = limix.plot.load_dataset('gwas')
    >>> df = df.rename(columns={"chr": "chrom"})
    >>> print(df.head())
         chrom     pos       pv
    234     10  224239  0.00887
    239     10  229681  0.00848
    253     10  240788  0.00721
    258     10  246933  0.00568
    266     10  255222  0.00593
    >>> limix.plot.manhattan(df)
    >>> plt = limix.plot.get_pyplot()
    >>> _ = plt.axhline(-log10(1e-7), color='red')
    >>> _ = plt.ylim(2, plt.ylim()[1])

    The significance line can be drawn by ``manhattan`` itself:

    >>> fig, ax = plt.subplots(figsize=(9, 3))
    >>> limix.plot.manhattan(df, threshold=5e-8, ax=ax)
    """
    import pandas as pd
    from matplotlib.collections import PathCollection
    from matplotlib.lines import Line2D

    if not isinstance(data, (pd.DataFrame, Mapping)):
        raise ValueError(
            f"data must be a pandas DataFrame (or a mapping of columns); got {type(data).__name__}."
        )
    missing = [c for c in ("chrom", "pos", "pv") if c not in data]
    if missing:
        found = list(data.columns if isinstance(data, pd.DataFrame) else data.keys())
        raise ValueError(
            f"data must have columns 'chrom', 'pos' and 'pv'; missing {missing} (found {found})."
        )
    names, which = _chromosomes(data["chrom"])
    pos = vector(data["pos"], "data['pos']")
    pv = pvalues(data["pv"], "data['pv']")
    if not which.size == pos.size == pv.size:
        raise ValueError("data's chrom, pos and pv columns must have the same length.")
    if threshold is not None:
        threshold = real_number(threshold, "threshold", low=0.0, high=1.0)
        if threshold == 0:
            raise ValueError("threshold must be in (0, 1]; −log10(0) is infinite.")
    ax = get_axes(ax)

    palette = (_rgba(colora, "colora"), _rgba(colorb, "colorb"))
    defaults = {"s": 6, "linewidth": 0, "rasterized": pv.size > 20_000}
    pts = keywords(pts_kws, "pts_kws", defaults, PathCollection)

    if len(names) == 1:
        x = pos
        ax.set_xlabel(f"chromosome {_core(names[0])} position (Mb)")
        ax.xaxis.set_major_formatter(lambda value, _: f"{value / 1e6:g}")
    else:
        x, centres, spans = _genome_positions(which, pos, len(names))
        ax.set_xticks(centres, _thinned_labels(names, centres, spans, ax))
        ax.tick_params(axis="x", length=0)
        ax.set_xlabel("chromosome")
        ax.set_xlim(spans[0][0], spans[-1][1])
    y = -np.log10(pv)
    if {"c", "color", "facecolor"} & pts.keys():
        ax.scatter(x, y, **pts)
    else:
        # One collection per colour: single-colour scatters render much faster than per-point
        # colours (seconds for a million variants).
        odd = which % 2 == 1
        ax.scatter(x[~odd], y[~odd], color=palette[0], **pts)
        pts.pop("label", None)
        ax.scatter(x[odd], y[odd], color=palette[1], **pts)
    ax.set_ylabel(r"$-\log_{10}$(p-value)")
    ax.spines[["top", "right"]].set_visible(False)

    if threshold is not None:
        line = {"color": "#D62728", "linestyle": "--", "linewidth": 1.0}
        ax.axhline(-np.log10(threshold), **keywords(line_kws, "line_kws", line, Line2D))


def _chromosomes(column: Any) -> tuple[list[str], NDArray[np.intp]]:
    """Chromosome names in plotting order, and the index of each variant's among them."""
    import pandas as pd

    values = np.asarray(column)
    if values.ndim != 1:
        raise ValueError(f"data['chrom'] must be one-dimensional; got shape {values.shape}.")
    if values.dtype.kind in "fc":
        if not (np.isfinite(values).all() and (values == np.round(values)).all()):
            raise ValueError("data['chrom'] must hold chromosome names or whole numbers.")
        values = values.astype(np.int64)
    elif values.dtype.kind not in "iuUSO":
        raise ValueError(f"data['chrom'] must hold chromosome names; got dtype {values.dtype}.")
    codes, unique = pd.factorize(values)
    if (codes < 0).any():
        raise ValueError("data['chrom'] has missing values.")
    labels = [str(u) for u in unique]
    ranks = sorted(range(len(labels)), key=lambda i: _chromosome_key(labels[i]))
    position = np.empty(len(labels), dtype=np.intp)
    position[ranks] = np.arange(len(labels))
    return [labels[i] for i in ranks], position[codes]


def _core(name: str) -> str:
    """Chromosome name without a leading "chr"."""
    return re.sub(r"^chr", "", name.strip(), flags=re.IGNORECASE)


def _chromosome_key(name: str) -> tuple[int, int, str]:
    core = _core(name)
    if core.isdigit():
        return (0, int(core), "")
    if core.upper() in _SEX_AND_MITO:
        return (1, _SEX_AND_MITO.index(core.upper()), "")
    return (2, 0, core)


def _genome_positions(
    which: NDArray[np.intp], pos: NDArray[np.float64], nchrom: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], list[tuple[float, float]]]:
    """Variants' x coordinates, chromosome centres and spans on the concatenated genome."""
    low = np.full(nchrom, np.inf)
    high = np.full(nchrom, -np.inf)
    np.minimum.at(low, which, pos)
    np.maximum.at(high, which, pos)
    widths = np.maximum(high - low, 1.0)
    gap = 0.004 * widths.sum()
    starts = np.concatenate([[0.0], np.cumsum(widths + gap)[:-1]])
    x = starts[which] + pos - low[which]
    spans = [(s - gap / 2, s + w + gap / 2) for s, w in zip(starts, widths, strict=True)]
    return x, starts + widths / 2, spans


def _thinned_labels(
    names: list[str], centres: NDArray[np.float64], spans: list[tuple[float, float]], ax: Axes
) -> list[str]:
    """Chromosome labels, blank where a label would overlap the previous one."""
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties

    size = FontProperties(size=rcParams["xtick.labelsize"]).get_size_in_points()
    width = ax.get_window_extent().width * 72 / ax.get_figure(root=True).dpi  # points
    points_per_unit = width / (spans[-1][1] - spans[0][0])
    labels = []
    last, last_centre = "", -np.inf
    for name, centre in zip(names, centres, strict=True):
        core = _core(name)
        needed = _DIGIT_WIDTH * size * (len(last) + len(core)) / 2 + 0.6 * size
        if (centre - last_centre) * points_per_unit >= needed:
            labels.append(core)
            last, last_centre = core, centre
        else:
            labels.append("")
    return labels


def _rgba(colour: Any, name: str) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    try:
        return to_rgba(colour)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a matplotlib colour; got {colour!r}.") from None
