"""Summary tables of scan results: the manual's ``describe()`` layout."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["describe_table"]

#: Row labels and the statistic each row shows.
_ROWS = ("mean", "std", "min", "25%", "50%", "75%", "max")
_INDEX_WIDTH = 4
_GAP = 3


def _statistics(values: ArrayLike) -> list[float]:
    x = np.asarray(values, dtype=float).ravel()
    x = x[np.isfinite(x)]
    if x.size == 0:
        return [float("nan")] * len(_ROWS)
    std = float(np.std(x, ddof=1)) if x.size > 1 else float("nan")
    q25, q50, q75 = np.percentile(x, [25, 50, 75])
    return [
        float(x.mean()),
        std,
        float(x.min()),
        float(q25),
        float(q50),
        float(q75),
        float(x.max()),
    ]


def describe_table(columns: Mapping[str, ArrayLike]) -> str:
    """Mean, standard deviation, minimum, quartiles and maximum of each column, as text.

    The standard deviation is the sample one (n − 1 in the denominator); non-finite entries are
    left out of every statistic. Values are written as ``%.3e`` and right-aligned under their
    column names, with a rule under the header, as the reference manual prints scan results.

    Parameters
    ----------
    columns
        Column name → values (any shape; flattened).

    Examples
    --------
    >>> print(describe_table({"lml": [-3.0, -1.0, -2.0]}))
                  lml
    -----------------
    mean   -2.000e+00
    std     1.000e+00
    min    -3.000e+00
    25%    -2.500e+00
    50%    -2.000e+00
    75%    -1.500e+00
    max    -1.000e+00
    """
    stats = {name: _statistics(values) for name, values in columns.items()}
    cells = {name: [f"{v:.3e}" for v in column] for name, column in stats.items()}
    widths = {
        name: _GAP + max(len(name), *(len(c) for c in column)) for name, column in cells.items()
    }
    header = " " * _INDEX_WIDTH + "".join(name.rjust(widths[name]) for name in cells)
    lines = [header, "-" * len(header)]
    for i, label in enumerate(_ROWS):
        body = "".join(column[i].rjust(widths[name]) for name, column in cells.items())
        lines.append(label.ljust(_INDEX_WIDTH) + body)
    return "\n".join(lines)
