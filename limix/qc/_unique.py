"""Removal of variants with the same genetic profile."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from .._adapt import column_blocks, unwrap

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["unique_variants"]


def unique_variants(X: ArrayLike) -> Labelled:
    """Filters out variants with the same genetic profile.

    Two variants (columns) have the same profile when their values are equal in every sample,
    NaN counting as equal to NaN (missing in the same samples). The first variant of each
    profile is kept and the kept variants stay in their original (genomic) order. A lazy (dask)
    matrix is read in column blocks and the result is the lazy selection of its unique columns.

    Parameters
    ----------
    X : array_like
        Samples-by-variants matrix of genotype values.

    Returns
    -------
    genotype : ndarray
        Genotype array with unique variants, of the type (and with the labels) of ``X``.

    Notes
    -----
    Profiles are compared through a 128-bit BLAKE2 digest of each column, so memory grows with
    the number of variants, not with the matrix; two different columns would be confused only on
    a digest collision (probability about 2⁻¹²⁸ per pair).

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from numpy import kron, ones, sort
    >>> from limix.qc import unique_variants
    >>> random = RandomState(1)
    >>>
    >>> N = 4
    >>> X = kron(random.randn(N, 3) < 0, ones((1, 2)))
    >>>
    >>> print(X)
    [[0. 0. 1. 1. 1. 1.]
     [1. 1. 0. 0. 1. 1.]
     [0. 0. 1. 1. 0. 0.]
     [1. 1. 0. 0. 1. 1.]]
    >>>
    >>> print(unique_variants(X))
    [[0. 1. 1.]
     [1. 0. 1.]
     [0. 1. 0.]
     [1. 0. 1.]]
    """
    data, labels = unwrap(X, "X", ndims=(2,))
    seen: set[bytes] = set()
    keep: list[int] = []
    for start, _, block in column_blocks(data):
        # one canonical byte pattern per value: −0.0 becomes 0.0, every NaN the same NaN
        block = np.where(np.isnan(block), np.nan, block + 0.0)
        columns = np.ascontiguousarray(block.T)
        for offset, column in enumerate(columns):
            digest = hashlib.blake2b(column.tobytes(), digest_size=16).digest()
            if digest not in seen:
                seen.add(digest)
                keep.append(start + offset)
    return labels.subset(np.asarray(keep, dtype=np.intp), 1)
