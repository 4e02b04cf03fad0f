"""Multiple-testing correction of p-values (statsmodels)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._adapt import real_number, to_numpy, unwrap

__all__ = ["multipletests"]


def multipletests(
    pvals: ArrayLike, alpha: float = 0.05, method: str = "hs", is_sorted: bool = False
) -> tuple[Any, Any, float, float]:
    """Test results and p-value correction for multiple tests.

    Parameters
    ----------
    pvals : array_like
        Uncorrected p-values: a vector of numbers in [0, 1].
    alpha : float
        FWER, family-wise error rate, e.g. 0.1.
    method : string
        Method used for testing and adjustment of pvalues. Can be either the full name or
        initial letters. Available methods are

        - ``bonferroni`` : one-step correction
        - ``sidak`` : one-step correction
        - ``holm-sidak`` : step down method using Sidak adjustments
        - ``holm`` : step-down method using Bonferroni adjustments
        - ``simes-hochberg`` : step-up method (independent)
        - ``hommel`` : closed method based on Simes tests (non-negative)
        - ``fdr_bh`` : Benjamini/Hochberg (non-negative)
        - ``fdr_by`` : Benjamini/Yekutieli (negative)
        - ``fdr_tsbh`` : two stage fdr correction (non-negative)
        - ``fdr_tsbky`` : two stage fdr correction (non-negative)

        The default ``"hs"`` is ``holm-sidak``.
    is_sorted : bool
        If False (default), the p_values will be sorted, but the corrected pvalues are in the
        original order. If True, then it assumed that the pvalues are already sorted in
        ascending order.

    Returns
    -------
    reject : ndarray, boolean
        True for hypothesis that can be rejected for given alpha.
    pvals_corrected : ndarray
        P-values corrected for multiple tests.
    alphacSidak : float
        Corrected alpha for Sidak method.
    alphacBonf : float
        Corrected alpha for Bonferroni method.

    (``reject`` and ``pvals_corrected`` are Series or DataArrays labelled like ``pvals`` when it
    is one.)

    Notes
    -----
    This is a wrapper around a function from the statsmodels package,
    ``statsmodels.stats.multitest.multipletests``, adding input checks.

    Examples
    --------
    >>> from limix.stats import multipletests
    >>>
    >>> reject, corrected, _, bonf = multipletests([0.01, 0.02, 0.04, 0.5], method="fdr_bh")
    >>> print(reject, corrected, bonf)
    [ True  True False False] [0.04       0.04       0.05333333 0.5       ] 0.0125
    """
    from .._optional import optional_module

    statsmodels = optional_module("statsmodels.stats.multitest", "multitest", "multipletests")
    _statsmodels_multipletests = statsmodels.multipletests

    alpha = real_number(alpha, "alpha", low=0.0, high=1.0)
    if not isinstance(method, str):
        raise ValueError(f"method must be a string; got {method!r}.")
    data, labels = unwrap(pvals, "pvals", ndims=(1,))
    p = to_numpy(data)
    if p.size == 0:
        raise ValueError("pvals must hold at least one p-value.")
    if not np.isfinite(p).all() or np.any((p < 0) | (p > 1)):
        raise ValueError("pvals must hold p-values in [0, 1] (no NaN).")
    if is_sorted and np.any(np.diff(p) < 0):
        raise ValueError("pvals is not sorted in ascending order although is_sorted=True.")
    try:
        reject, corrected, sidak, bonf = _statsmodels_multipletests(
            p, alpha=alpha, method=method, is_sorted=bool(is_sorted)
        )
    except ValueError as err:
        raise ValueError(f"method {method!r}: {err}") from None
    return labels.like(reject), labels.like(corrected), float(sidak), float(bonf)
