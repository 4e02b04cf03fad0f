"""Empirical p-values against a null sample of test statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from .._adapt import to_numpy, unwrap

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["empirical_pvalues"]


def empirical_pvalues(xt: ArrayLike, x0: ArrayLike) -> Labelled:
    """Function to compute empirical p-values.

    Compute empirical p-values from the test statistics observed on the data and the null test
    statistics (from permutations, parametric bootstraps, etc). A larger statistic is more
    extreme; with m null statistics and rᵢ = #{k : x0ₖ ≥ xtᵢ} of them at least as extreme as
    xtᵢ (ties count),

        pᵢ = min((rᵢ + 1)/m, 1),

    the manual's estimator. Its smallest value is 1/m, so no p-value is zero, and it is valid
    (conservative) under the null: when xtᵢ is exchangeable with the null statistics, rᵢ is
    uniform on {0, …, m} and P(pᵢ ≤ α) = ⌊αm⌋/(m + 1) ≤ α. (Counting only the null statistics at
    least as large, without the added one, would give P(pᵢ ≤ α) ≈ α + 1/m: anti-conservative
    for few null statistics, about 0.10 at α = 0.05 with m = 20.)

    Parameters
    ----------
    xt : array_like
        Test statistcs observed on data (finite).
    x0 : array_like
        Null test statistcs (finite). The minimum p-value that can be estimated is 1./len(x0).

    Returns
    -------
    pvalues : ndarray
        Estimated empirical p-values, of the type (and with the labels) of ``xt``.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from limix.stats import empirical_pvalues
    >>>
    >>> random = RandomState(1)
    >>> x0 = random.chisquare(1, 5)
    >>> x1 = random.chisquare(1, 10000)
    >>>
    >>> empirical_pvalues(x0, x1)
    array([0.563 , 1.    , 0.839 , 0.7982, 0.5803])
    """
    data, labels = unwrap(xt, "xt", ndims=(0, 1, 2))
    data = to_numpy(data)
    null, _ = unwrap(x0, "x0", ndims=(1,))
    null = np.sort(to_numpy(null))
    if null.size == 0:
        raise ValueError("x0 must hold at least one null statistic.")
    if not np.isfinite(null).all():
        raise ValueError("x0 has non-finite values (NaN or infinity).")
    if np.isnan(data).any():
        raise ValueError("xt has NaN values.")
    at_least = null.size - np.searchsorted(null, data, side="left")
    pv = np.minimum((at_least + 1) / null.size, 1.0)
    return labels.like(pv) if data.ndim else float(pv)
