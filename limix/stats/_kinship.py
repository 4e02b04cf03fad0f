"""Linear (genetic relationship) kinship, streamed over variant blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg.blas import dsyrk

from .._adapt import BLOCK_BYTES, check_out_array, column_blocks, reject_infinite_values, unwrap

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["linear_kinship"]

Array = NDArray[np.float64]


def _standardized_block(block: Array) -> tuple[Array, int]:
    """Columns of ``block`` standardised over observed values, missing → 0; monomorphic dropped.

    Works in place on ``block`` (a private copy: the caller's matrix is never written) and
    returns the standardised polymorphic columns and how many there are.
    """
    reject_infinite_values(block, "G")
    # constant over its observed entries (or never observed) ⇔ not min < max; fmin/fmax skip NaN
    low = np.fmin.reduce(block, axis=0)
    high = np.fmax.reduce(block, axis=0)
    missing = np.isnan(block)
    block[missing] = 0.0
    count = block.shape[0] - missing.sum(axis=0)
    polymorphic = low < high
    if not polymorphic.all():
        block, missing, count = block[:, polymorphic], missing[:, polymorphic], count[polymorphic]
    block -= block.sum(axis=0) / count
    block[missing] = 0.0  # a missing genotype sits at the mean: it contributes nothing
    block /= np.sqrt(np.einsum("ij,ij->j", block, block) / count)
    return block, int(polymorphic.sum())


def _mirror_upper(K: Array, rows: int = 512) -> None:
    """Copy the upper triangle of K onto its lower one, in row bands (no n×n temporary)."""
    n = K.shape[0]
    for i in range(0, n, rows):
        j = min(n, i + rows)
        K[i:j, :i] = K[:i, i:j].T
        D = K[i:j, i:j]
        D[...] = np.triu(D) + np.triu(D, 1).T


def linear_kinship(G: ArrayLike, out: np.ndarray | None = None, verbose: bool = True) -> Labelled:
    """Estimate Kinship matrix via linear kernel.

    Let 𝑑 be the number of polymorphic columns of G. The resulting matrix is given by:

        𝙺 = 𝚇𝚇ᵀ/𝑑

    where

        𝚇ᵢⱼ = (𝙶ᵢⱼ − 𝑚ⱼ)/𝑠ⱼ

    is the matrix G column-wise normalized by means 𝑚ⱼ and standard deviations 𝑠ⱼ (the
    population deviation, divisor n). NaNs are ignored so as to produce matrix K having only
    real numbers: 𝑚ⱼ and 𝑠ⱼ are computed over the observed entries of column j and a missing
    𝙶ᵢⱼ gives 𝚇ᵢⱼ = 0. A monomorphic column (constant over its observed entries, or entirely
    missing) has no deviation to scale: it contributes nothing and is not counted in 𝑑.

    This functions is specially designed to also handle large matrices G that would otherwise
    require a large amount of memory if it were to be loaded in memory first. For those cases,
    libraries like Dask come in handy: G is read in column blocks of about 64 MiB and 𝙺 is
    accumulated block by block, 𝙺 = ∑_b 𝚇_b𝚇_bᵀ/𝑑, so memory is 𝙺 plus a couple of blocks.

    Parameters
    ----------
    G : array_like
        Samples-by-variants matrix: numpy, pandas, xarray (the ``sample`` dimension, if named,
        indexes the samples) or dask.
    out : ndarray
        A location into which the result is stored: a writable float64 numpy array of shape
        n×n.
    verbose : bool, optional
        True for showing progress; False otherwise. Defauts to True.

    Returns
    -------
    ndarray
        The n×n kinship matrix (``out`` when given); a DataFrame indexed by the samples for a
        DataFrame ``G``, a DataArray with dimensions ``sample_0``, ``sample_1`` for a DataArray.

    Raises
    ------
    ValueError
        If G has infinite values, no polymorphic column, or ``out`` is unsuitable.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from limix.stats import linear_kinship
    >>>
    >>> random = RandomState(1)
    >>> X = random.randn(4, 100)
    >>> K = linear_kinship(X, verbose=False)
    >>> print(K)
    [[ 0.91314823 -0.19283362 -0.34133897 -0.37897564]
     [-0.19283362  0.89885153 -0.2356003  -0.47041761]
     [-0.34133897 -0.2356003   0.95777313 -0.38083386]
     [-0.37897564 -0.47041761 -0.38083386  1.23022711]]
    """
    from tqdm.auto import tqdm

    data, labels = unwrap(G, "G", ndims=(2,))
    sample_axis = 0
    if labels.kind == "xarray" and "sample" in labels.original.dims:
        sample_axis = labels.original.dims.index("sample")
        if sample_axis == 1:
            data = data.T
    n, p = data.shape
    if out is not None:
        check_out_array(out, (n, n))
    K = np.zeros((n, n), order="F")
    used = 0
    with tqdm(total=p, desc="Kinship", unit="variant", disable=not verbose) as bar:
        for start, stop, block in column_blocks(data, BLOCK_BYTES):
            Z, count = _standardized_block(block)
            if count:
                # 𝙺 += 𝚇_b𝚇_bᵀ on the upper triangle only (BLAS syrk): half the flops of a
                # product and no n×n temporary. Zᵀ is Fortran-ordered, so it is not copied.
                K = dsyrk(1.0, Z.T, beta=1.0, c=K, trans=1, lower=0, overwrite_c=1)
                used += count
            bar.update(stop - start)
    if used == 0:
        raise ValueError("G has no polymorphic column: the kinship is undefined.")
    _mirror_upper(K)
    K /= used
    if out is not None:
        out[...] = K
        return out
    return labels.square(K.T, sample_axis)  # K is symmetric; K.T is its C-ordered view
