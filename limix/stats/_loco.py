"""Leave-one-chromosome-out kinships, computed on demand from one pass over the genotypes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg.blas import dsyrk

from .._adapt import BLOCK_BYTES, column_blocks, unwrap
from ._kinship import _mirror_upper, _standardized_block

if TYPE_CHECKING:
    from .._typing import Matrix

__all__ = ["LOCOKinships", "loco_kinships"]

Array = NDArray[np.float64]


def _accumulate(data: Any, columns: NDArray[np.intp] | None) -> tuple[Array, int]:
    """𝚇𝚇ᵀ (upper triangle) and the number of polymorphic columns, over ``columns`` of data."""
    n = data.shape[0]
    S = np.zeros((n, n), order="F")
    used = 0
    source = data if columns is None else data[:, columns]
    for _, _, block in column_blocks(source, BLOCK_BYTES):
        Z, count = _standardized_block(block)
        if count:
            S = dsyrk(1.0, Z.T, beta=1.0, c=S, trans=1, lower=0, overwrite_c=1)
            used += count
    return S, used


class LOCOKinships(Mapping[str, Array]):
    """K₋c = 𝚇₋c𝚇₋cᵀ/d₋c for each chromosome c: the linear kinship of every variant not on c.

    A mapping from chromosome to its leave-one-out kinship, for
    ``limix.qtl.scan(G, y, K=loco_kinships(G, chrom))``. The sum over all variants, 𝚇𝚇ᵀ, is
    accumulated once (one streamed pass, as :func:`linear_kinship`); each K₋c is then
    (𝚇𝚇ᵀ − 𝚇c𝚇cᵀ)/(d − dc), with a pass over chromosome c's variants only, when it is asked for
    — so memory stays at a few n×n matrices however many chromosomes there are.
    """

    def __init__(self, data: Matrix, chrom: ArrayLike) -> None:
        self._data = data
        self._chrom = chrom
        self._names = list(dict.fromkeys(chrom.tolist()))
        self._total: tuple[Array, int] | None = None

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, chrom: str) -> Array:
        if chrom not in self._names:
            raise KeyError(chrom)
        if self._total is None:
            self._total = _accumulate(self._data, None)
        S, d = self._total
        Sc, dc = _accumulate(self._data, np.flatnonzero(self._chrom == chrom))
        if d - dc == 0:
            raise ValueError(
                f"no polymorphic variant outside chromosome {chrom}: its leave-one-out kinship "
                "is undefined."
            )
        K = (S - Sc) / (d - dc)
        _mirror_upper(K)
        return K


def loco_kinships(G: ArrayLike, chrom: ArrayLike) -> LOCOKinships:
    """Leave-one-chromosome-out linear kinships of the samples × variants matrix G.

    Parameters
    ----------
    G
        Samples × variants genotypes (numpy, pandas, xarray with a ``sample`` dimension, or
        dask: read in blocks, never whole). Missing values and monomorphic variants are handled
        as by :func:`linear_kinship`.
    chrom
        The chromosome of each variant (length: G's number of columns).

    Returns
    -------
    LOCOKinships
        A mapping chromosome → K₋c (an n×n array), computed when accessed.

    Examples
    --------
    >>> from numpy import allclose, repeat
    >>> from numpy.random import RandomState
    >>> from limix.stats import linear_kinship, loco_kinships
    >>> G = RandomState(0).randn(6, 30)
    >>> chrom = repeat(["1", "2", "3"], 10)
    >>> K = loco_kinships(G, chrom)
    >>> list(K)
    ['1', '2', '3']
    >>> allclose(K["2"], linear_kinship(G[:, chrom != "2"], verbose=False))
    True
    """
    data, labels = unwrap(G, "G", ndims=(2,))
    if labels.kind == "xarray" and "sample" in labels.original.dims:
        if labels.original.dims.index("sample") == 1:
            data = data.T
    chrom = np.asarray(chrom).astype(str)
    if chrom.ndim != 1 or chrom.shape[0] != data.shape[1]:
        raise ValueError(
            f"chrom must give one chromosome per variant: G has {data.shape[1]} variant(s), "
            f"chrom has shape {chrom.shape}."
        )
    return LOCOKinships(data, chrom)
