"""Ground-truth evaluation of an association scan: confusion counts by p-value threshold."""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["confusion_matrix"]

_COLUMNS = ("chrom", "pos", "pv", "causal")


def _true_signal(chrom: np.ndarray, pos: np.ndarray, causal: np.ndarray, wsize: int) -> np.ndarray:
    """Whether each marker lies within ``wsize`` base pairs of a causal marker of its chromosome."""
    signal = np.zeros(pos.size, dtype=bool)
    for name in np.unique(chrom[causal]):
        here = chrom == name
        centres = np.sort(pos[here & causal])
        where = pos[here]
        right = np.searchsorted(centres, where, side="left")
        left = np.maximum(right - 1, 0)
        right = np.minimum(right, centres.size - 1)
        distance = np.minimum(np.abs(where - centres[left]), np.abs(centres[right] - where))
        signal[here] = distance <= wsize
    return signal


def confusion_matrix(df: pd.DataFrame, wsize: int = 50000) -> pd.DataFrame:
    """Provide a couple of scores based on the idea of windows around genetic markers.

    A marker carries a true signal when it lies within ``wsize`` base pairs of a causal marker
    on the same chromosome (the causal markers included). Declaring significant every marker
    with p-value ≤ t, for each distinct p-value t, gives the confusion counts

        TP = #{signal, pv ≤ t},  FP = #{no signal, pv ≤ t},
        FN = #{signal, pv > t},  TN = #{no signal, pv > t},

    and the scores TPR = TP/(TP+FN) (sensitivity, recall), FPR = FP/(FP+TN) and precision
    TP/(TP+FP). Plotting ``tpr`` against ``fpr`` gives the ROC curve.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per candidate marker with columns ``chrom`` (chromosome), ``pos``
        (within-chromosome base-pair position, non-negative integers), ``pv`` (p-value of the
        marker, in [0, 1]) and ``causal`` (boolean: whether the marker is causal).
    wsize : int
        Window half-size, in base pairs, around each causal marker. Defaults to 50000.

    Returns
    -------
    pandas.DataFrame
        One row per distinct p-value, ascending, with columns ``threshold``, ``tp``, ``fp``,
        ``tn``, ``fn``, ``tpr``, ``fpr`` and ``precision``.

    Raises
    ------
    ValueError
        If a column is missing or malformed, if no marker is causal, or if every marker lies in
        a causal window (then there are no negatives to score).

    Examples
    --------
    >>> from pandas import DataFrame
    >>> from limix.stats import confusion_matrix
    >>>
    >>> df = DataFrame({
    ...     "chrom": ["1", "1", "1", "1", "2", "2"],
    ...     "pos": [1000, 30000, 200000, 900000, 5000, 80000],
    ...     "pv": [0.01, 0.0001, 0.2, 0.03, 0.5, 0.002],
    ...     "causal": [False, True, False, False, False, False],
    ... })
    >>> print(confusion_matrix(df))
       threshold  tp  fp  tn  fn  tpr   fpr  precision
    0     0.0001   1   0   4   1  0.5  0.00   1.000000
    1     0.0020   1   1   3   1  0.5  0.25   0.500000
    2     0.0100   2   1   3   0  1.0  0.25   0.666667
    3     0.0300   2   2   2   0  1.0  0.50   0.500000
    4     0.2000   2   3   1   0  1.0  0.75   0.400000
    5     0.5000   2   4   0   0  1.0  1.00   0.333333
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame; got {type(df).__name__}.")
    missing = [c for c in _COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"df lacks column(s) {missing}; it needs {list(_COLUMNS)}.")
    if isinstance(wsize, bool) or not isinstance(wsize, numbers.Integral) or wsize < 0:
        raise ValueError(f"wsize must be a non-negative integer; got {wsize!r}.")
    if len(df) == 0:
        raise ValueError("df has no rows.")

    chrom = df["chrom"].astype(str).to_numpy()
    try:
        pv = df["pv"].to_numpy(dtype=float)
        pos_float = df["pos"].to_numpy(dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"df columns pos and pv must be numeric: {err}") from None
    if not np.all(np.isfinite(pv)) or np.any((pv < 0) | (pv > 1)):
        raise ValueError("df['pv'] must hold p-values in [0, 1] (no NaN).")
    if (
        not np.all(np.isfinite(pos_float))
        or np.any(pos_float < 0)
        or np.any(pos_float != np.round(pos_float))
    ):
        raise ValueError("df['pos'] must hold non-negative integer base-pair positions.")
    causal_col = df["causal"]
    if causal_col.dtype != bool:
        values = set(pd.unique(causal_col))
        if not values <= {0, 1}:
            raise ValueError("df['causal'] must be boolean (True for causal markers).")
    causal = causal_col.to_numpy(dtype=bool)
    if not causal.any():
        raise ValueError("df['causal'] marks no causal marker; there is nothing to find.")

    signal = _true_signal(chrom, pos_float.astype(np.int64), causal, int(wsize))
    positives = int(signal.sum())
    negatives = signal.size - positives
    if negatives == 0:
        raise ValueError(
            f"every marker lies within wsize={wsize} of a causal marker; there are no negatives "
            "to score."
        )

    order = np.argsort(pv, kind="stable")
    sorted_pv = pv[order]
    tp_all = np.cumsum(signal[order])
    fp_all = np.cumsum(~signal[order])
    # the last marker of each run of equal p-values closes that threshold
    last = np.flatnonzero(np.append(sorted_pv[1:] != sorted_pv[:-1], True))
    tp = tp_all[last]
    fp = fp_all[last]
    return pd.DataFrame(
        {
            "threshold": sorted_pv[last],
            "tp": tp,
            "fp": fp,
            "tn": negatives - fp,
            "fn": positives - tp,
            "tpr": tp / positives,
            "fpr": fp / negatives,
            "precision": tp / (tp + fp),
        }
    )
