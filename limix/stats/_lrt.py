"""Likelihood-ratio test p-values."""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtrc

from .._adapt import real_number, to_numpy, unwrap

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["lrt_pvalues"]

#: P-values are clipped to [PV_MIN, PV_MAX]: a p-value of exactly 0 (or 1) is an artefact of
#: floating point, and 0 breaks −log₁₀ p (see the results schema of limix.qtl).
PV_MIN = float(np.finfo(float).tiny)
PV_MAX = 1.0 - float(np.finfo(float).eps)


def lrt_pvalues(null_lml: float | ArrayLike, alt_lmls: ArrayLike, dof: int = 1) -> Labelled:
    """Compute p-values from likelihood ratios.

    These are likelihood ratio test p-values: the statistic 2(ℓ₁ − ℓ₀) of an alternative with
    log marginal likelihood ℓ₁ against the null ℓ₀ is asymptotically χ² with ``dof`` degrees
    of freedom, so

        p = P(χ²_dof > 2(ℓ₁ − ℓ₀)),

    computed by the χ² survival function (accurate far into the tail). A statistic below zero
    (an alternative that fits slightly worse than its nested null, which is numerical noise)
    is taken as zero. P-values are clipped to [2.2e-308, 1 − 2.2e-16], so that no p-value is
    exactly zero.

    Parameters
    ----------
    null_lml : float or array_like
        Log of the marginal likelihood under the null hypothesis: one for every alternative,
        or one per alternative (an array of ``alt_lmls``' shape, as the ``lml0`` column of a
        scan's ``stats`` with a null per chromosome, per trait or per test).
    alt_lmls : array_like
        Log of the marginal likelihoods under the alternative hypotheses (finite).
    dof : int
        Degrees of freedom (positive).

    Returns
    -------
    pvalues : ndarray
        P-values, of the type (and with the labels) of ``alt_lmls``.

    Examples
    --------
    >>> from limix.stats import lrt_pvalues
    >>>
    >>> print(lrt_pvalues(-100.0, [-100.0, -98.0776, -90.0, -40.0]))
    [1.00000000e+00 4.99004726e-02 7.74421643e-06 6.32606826e-28]
    >>> print(lrt_pvalues([-100.0, -95.0], [-98.0776, -93.0776]))
    [0.04990047 0.04990047]
    """
    dof_value = real_number(dof, "dof", low=0.0)
    if dof_value <= 0:
        raise ValueError(f"dof must be positive; got {dof!r}.")
    data, labels = unwrap(alt_lmls, "alt_lmls", ndims=(0, 1, 2))
    alt = to_numpy(data)
    if not np.isfinite(alt).all():
        raise ValueError("alt_lmls has non-finite values (NaN or infinity).")
    if isinstance(null_lml, numbers.Real) and not isinstance(null_lml, bool):
        null: Any = real_number(null_lml, "null_lml")
    else:
        null_data, _ = unwrap(null_lml, "null_lml", ndims=(0, 1, 2))
        null = to_numpy(null_data).astype(float)
        if null.shape != alt.shape:
            raise ValueError(
                f"null_lml must be a number or have alt_lmls' shape {alt.shape}; got "
                f"shape {null.shape}."
            )
        if not np.isfinite(null).all():
            raise ValueError("null_lml has non-finite values (NaN or infinity).")
    statistic = np.maximum(2.0 * (alt - null), 0.0)
    pv = np.clip(chdtrc(dof_value, statistic), PV_MIN, PV_MAX)
    return labels.like(pv) if alt.ndim else float(pv)
