"""Linkage-disequilibrium pruning: pair-wise independent variants in sliding windows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._adapt import (
    BLOCK_BYTES,
    positive_int,
    real_number,
    reject_infinite_values,
    to_numpy,
    unwrap,
)

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["indep_pairwise", "squared_correlations"]

Array = NDArray[np.float64]


def squared_correlations(W: Array) -> Array:
    """Squared Pearson correlations r²ᵢⱼ between the columns of W over pairwise-complete rows.

    For columns i and j, only the rows where both are observed (not NaN) enter:

        r²ᵢⱼ = (∑ₖ (xₖᵢ − x̄ᵢ)(xₖⱼ − x̄ⱼ))² / (∑ₖ (xₖᵢ − x̄ᵢ)² · ∑ₖ (xₖⱼ − x̄ⱼ)²),

    with the sums and means over those rows. All pairs come from five matrix products. A pair
    with fewer than two common rows, or where either column is constant over them, carries no
    evidence of dependence and gets r² = 0.
    """
    observed = ~np.isnan(W)
    count = observed.sum(axis=0)
    # centring by each column's own mean first keeps the sums below free of cancellation
    mean = np.where(observed, W, 0.0).sum(axis=0) / np.maximum(count, 1)
    Z = np.where(observed, W - mean, 0.0)
    M = observed.astype(float)
    n = M.T @ M  # common rows of each pair
    s = Z.T @ M  # sᵢⱼ = ∑ xᵢ over rows where j is observed
    ss = (Z * Z).T @ M
    sxy = Z.T @ Z
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = sxy - s * s.T / n
        var = ss - s * s / n  # varᵢⱼ: spread of column i over rows shared with j
        denominator = var * var.T
        r2 = cov * cov / denominator
    # a variance that is round-off of zero relative to the column's scale means "constant"
    tiny = 1e-12 * np.maximum(ss, ss.T)
    degenerate = (n < 2) | (var <= tiny) | (var.T <= tiny.T) | ~np.isfinite(r2)
    r2[degenerate] = 0.0
    return np.minimum(r2, 1.0)


class _Columns:
    """Sliding access to columns of a (possibly lazy) matrix, loading big blocks at a time."""

    def __init__(self, data: Any, width: int) -> None:
        self._data = data
        self._width = width
        self._start = 0
        self._block = np.zeros((data.shape[0], 0))

    def get(self, start: int, stop: int) -> Array:
        end = self._start + self._block.shape[1]
        if start < self._start or stop > end:
            load_stop = min(self._data.shape[1], max(stop, start + self._width))
            self._block = np.asarray(to_numpy(self._data[:, start:load_stop]), dtype=float)
            self._start = start
        return self._block[:, start - self._start : stop - self._start]


def indep_pairwise(
    X: ArrayLike,
    window_size: int,
    step_size: int,
    threshold: float,
    verbose: bool = True,
) -> Labelled:
    """Determine pair-wise independent variants.

    Independent variants are defined via squared Pearson correlations between pairs of variants
    inside a sliding window. Windows of ``window_size`` consecutive variants start at variants
    0, s, 2s, … (s = ``step_size``). Within a window, variants are visited in order; each one
    still retained removes every later retained variant of the window whose squared correlation
    with it exceeds ``threshold`` (so of a correlated pair the earlier variant stays). Removed
    variants stay removed in later windows. Missing values (NaN) are handled by computing each
    correlation over the samples both variants observe; a constant variant is correlated with
    nothing.

    A lazy (dask) matrix is read in column blocks, never whole.

    Parameters
    ----------
    X : array_like
        Sample by variants matrix.
    window_size : int
        Number of variants inside each window.
    step_size : int
        Number of variants the sliding window skips.
    threshold : float
        Squared Pearson correlation threshold for independence, in [0, 1].
    verbose : bool
        True for progress information; False otherwise.

    Returns
    -------
    ok : ndarray
        Boolean array defining independent variants (a Series or DataArray labelled by the
        variants when ``X`` is a DataFrame or DataArray).

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from limix.qc import indep_pairwise
    >>>
    >>> random = RandomState(0)
    >>> X = random.randn(10, 20)
    >>>
    >>> indep_pairwise(X, 4, 2, 0.5, verbose=False)
    array([ True,  True, False,  True,  True,  True,  True,  True,  True,
            True,  True,  True,  True,  True,  True,  True,  True,  True,
            True,  True])
    """
    from tqdm.auto import tqdm

    window_size = positive_int(window_size, "window_size")
    step_size = positive_int(step_size, "step_size")
    threshold = real_number(threshold, "threshold", low=0.0, high=1.0)
    data, labels = unwrap(X, "X", ndims=(2,))
    n, p = data.shape
    width = max(window_size, BLOCK_BYTES // max(1, 8 * n))
    columns = _Columns(data, width)
    ok = np.ones(p, dtype=bool)
    for start in tqdm(range(0, p, step_size), desc="LD pruning", disable=not verbose):
        stop = min(p, start + window_size)
        window = columns.get(start, stop)
        reject_infinite_values(window, "X")
        r2 = squared_correlations(window)
        keep = ok[start:stop]  # a view: updates land in ok
        for i in range(stop - start - 1):
            if keep[i]:
                keep[i + 1 :] &= r2[i, i + 1 :] <= threshold
    return labels.along(ok, 1)
