"""Gower's variance rescaling of a covariance matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from .._adapt import check_out_array, to_numpy, unwrap

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["normalise_covariance"]


def normalise_covariance(K: ArrayLike, out: np.ndarray | None = None) -> Labelled:
    """Variance rescaling of covariance matrix 𝙺.

    Let n be the number of rows (or columns) of 𝙺 and let mᵢ be the average of the values in the
    i-th column. Gower rescaling is defined as

        𝙺(n − 1)/(𝚝𝚛𝚊𝚌𝚎(𝙺) − ∑mᵢ).

    Parameters
    ----------
    K : array_like
        Covariance matrix to be normalised: square, finite and symmetric (numpy, pandas, xarray
        or dask).
    out : array_like, optional
        Result destination: a writable float64 numpy array of the shape of ``K`` (it may be ``K``
        itself, to rescale in place). Defaults to None, a new array of ``K``'s type and labels.

    Returns
    -------
    array_like
        The rescaled matrix (``out`` when given).

    Raises
    ------
    ValueError
        If ``K`` is not square, finite and symmetric, if 𝚝𝚛𝚊𝚌𝚎(𝙲𝙺𝙲) ≤ 0 (for instance a
        constant matrix, whose centred version is zero), or ``out`` is unsuitable.

    Notes
    -----
    The reasoning of the scaling is as follows. Let 𝐠 be a vector of n independent samples and
    let 𝙲 = 𝙸 − 𝟏𝟏ᵀ/n be the Gower's centering matrix. The unbiased variance estimator is

        v = ∑ (gᵢ−ḡ)²/(n−1) = 𝚝𝚛𝚊𝚌𝚎((𝐠−ḡ𝟏)ᵀ(𝐠−ḡ𝟏))/(n−1) = 𝚝𝚛𝚊𝚌𝚎(𝙲𝐠𝐠ᵀ𝙲)/(n−1).

    Let 𝙺 be the covariance matrix of 𝐠. The expectation of the unbiased variance estimator is

        𝐄[v] = 𝚝𝚛𝚊𝚌𝚎(𝙲𝐄[𝐠𝐠ᵀ]𝙲)/(n−1) = 𝚝𝚛𝚊𝚌𝚎(𝙲𝙺𝙲)/(n−1),

    assuming that 𝐄[gᵢ]=0. We thus divide 𝙺 by 𝐄[v] to achieve an unbiased normalisation on the
    random variable gᵢ. Since 𝚝𝚛𝚊𝚌𝚎(𝙲𝙺𝙲) = 𝚝𝚛𝚊𝚌𝚎(𝙺) − 𝟏ᵀ𝙺𝟏/n = 𝚝𝚛𝚊𝚌𝚎(𝙺) − ∑mᵢ, this is
    the formula above.

    Examples
    --------
    >>> from numpy import dot, mean, zeros
    >>> from numpy.random import RandomState
    >>> from limix.qc import normalise_covariance
    >>>
    >>> random = RandomState(0)
    >>> X = random.randn(10, 10)
    >>> K = dot(X, X.T)
    >>> Z = random.multivariate_normal(zeros(10), K, 500)
    >>> print("%.3f" % mean(Z.var(1, ddof=1)))
    9.824
    >>> Kn = normalise_covariance(K)
    >>> Zn = random.multivariate_normal(zeros(10), Kn, 500)
    >>> print("%.3f" % mean(Zn.var(1, ddof=1)))
    1.008
    """
    data, labels = unwrap(K, "K", ndims=(2,))
    data = to_numpy(data)
    n = data.shape[0]
    if data.shape != (n, n) or n == 0:
        raise ValueError(f"K must be a non-empty square matrix; got shape {data.shape}.")
    if not np.isfinite(data).all():
        raise ValueError("K has non-finite values (NaN or infinity).")
    scale = max(1.0, float(np.abs(data).max()))
    if float(np.abs(data - data.T).max()) > 1e-8 * scale:
        raise ValueError("K must be symmetric.")
    denominator = float(np.trace(data) - data.mean(axis=0).sum())
    if not denominator > 0:
        raise ValueError(
            f"K has trace(CKC) = {denominator:.3g} ≤ 0 (C the centering matrix): its centred "
            "variance is zero and cannot be normalised."
        )
    factor = (n - 1) / denominator
    if out is None:
        return labels.like(data * factor)
    check_out_array(out, (n, n))
    np.multiply(data, factor, out=out)
    return out
