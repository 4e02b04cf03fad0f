"""Minor allele frequencies."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._adapt import columnwise, observed_per_column, unwrap

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["compute_maf"]


def _maf_columns(A: NDArray[np.floating]) -> NDArray[np.float64]:
    finite = ~np.isnan(A)
    if np.isinf(A).any() or np.any((A[finite] < 0) | (A[finite] > 2)):
        raise ValueError("X must hold allele counts (dosages) in [0, 2] or NaN.")
    observed = observed_per_column(
        finite, "X", "variant", "their allele frequency is undefined", "genotype", "column"
    )
    freq = np.where(finite, A, 0.0).sum(axis=0) / (2 * observed)
    return np.minimum(freq, 1 - freq)


def compute_maf(X: ArrayLike) -> Labelled:
    """Compute minor allele frequencies.

    It assumes that X encodes 0, 1, and 2 representing the number of alleles (or dosage), or
    NaN to represent missing values. For variant j, with Oⱼ its nⱼ observed samples,

        fⱼ = ∑_{i∈Oⱼ} Xᵢⱼ / (2nⱼ),     MAFⱼ = min(fⱼ, 1 − fⱼ).

    Parameters
    ----------
    X : array_like
        Genotype matrix, samples by variants (numpy, pandas, xarray or dask; the result of a
        dask input is lazy).

    Returns
    -------
    array_like
        Minor allele frequencies, one per variant (labelled like the columns of ``X``).

    Raises
    ------
    ValueError
        If a value lies outside [0, 2] or a variant has no observed genotype.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from limix.qc import compute_maf
    >>>
    >>> random = RandomState(0)
    >>> X = random.randint(0, 3, size=(100, 10))
    >>>
    >>> print(compute_maf(X))
    [0.49  0.49  0.445 0.495 0.5   0.45  0.48  0.48  0.47  0.435]
    """
    data, labels = unwrap(X, "X", ndims=(2,))
    return labels.along(columnwise(_maf_columns, data, 1, reduces=True), 1)
