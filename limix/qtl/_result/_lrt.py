"""Likelihood-ratio test p-values for many tests at once."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import chdtrc

__all__ = ["lrt_pvalue"]

_SMALLEST = 2.2e-308
_LARGEST = 1 - np.finfo(float).eps


def lrt_pvalue(lml_null: ArrayLike, lml_alt: ArrayLike, dof: ArrayLike) -> NDArray[np.float64]:
    """P(χ²_dof > 2(ℓ_alt − ℓ_null)), elementwise, clipped to [2.2e-308, 1 − ε].

    A negative statistic — the alternative fitting slightly worse than the null it contains,
    which is round-off — counts as zero. A test with no degree of freedom (a candidate that adds
    nothing to the null's design) gets p = 1 − ε.

    Examples
    --------
    >>> print(lrt_pvalue(-100.0, [-100.0, -98.0776, -90.0], 1))
    [1.00000000e+00 4.99004726e-02 7.74421643e-06]
    """
    stat = np.maximum(2 * (np.asarray(lml_alt, float) - np.asarray(lml_null, float)), 0.0)
    dof = np.broadcast_to(np.asarray(dof, float), stat.shape)
    with np.errstate(invalid="ignore"):
        pv = np.where(dof > 0, chdtrc(np.maximum(dof, 1), stat), 1.0)
    return np.clip(pv, _SMALLEST, _LARGEST)
