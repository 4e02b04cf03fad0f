"""Principal component analysis by singular value decomposition."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._adapt import positive_int, to_numpy, unwrap

__all__ = ["pca"]


def pca(X: ArrayLike, ncomp: int) -> dict[str, NDArray[np.float64]]:
    """Principal component analysis.

    With 𝚇 the n×p data centred column-wise and 𝚇 = 𝚄𝚂𝚅ᵀ its thin singular value
    decomposition (singular values s₁ ≥ s₂ ≥ …), the k-th component is the k-th row of 𝚅ᵀ, its
    explained variance sₖ²/(n − 1) (the variance of the data projected on it) and its explained
    variance ratio sₖ²/∑ⱼsⱼ². The sign of each component is fixed so that the largest-magnitude
    entry of the corresponding column of 𝚄 (the sample scores) is positive.

    Parameters
    ----------
    X : array_like
        Samples-by-dimensions array (finite), n ≥ 2.
    ncomp : int
        Number of components, at most min(n, p).

    Returns
    -------
    dict
        ``components`` (ndarray) – First components ordered by explained variance, ncomp×p.
        ``explained_variance`` (ndarray) – Explained variance.
        ``explained_variance_ratio`` (ndarray) – Percentage of variance explained.

    Examples
    --------
    >>> from numpy import round
    >>> from numpy.random import RandomState
    >>> from limix.stats import pca
    >>>
    >>> X = RandomState(1).randn(4, 5)
    >>> r = pca(X, ncomp=2)
    >>> r['components']
    array([[-0.75015369,  0.58346541, -0.07973564,  0.19565682, -0.22846925],
           [ 0.48842769,  0.72267548,  0.01968344, -0.46161623, -0.16031708]])
    >>> r['explained_variance']
    array([6.44655993, 0.51454938])
    >>> r['explained_variance_ratio']
    array([0.92049553, 0.07347181])
    """
    data, _ = unwrap(X, "X", ndims=(2,))
    data = to_numpy(data)
    n, p = data.shape
    ncomp = positive_int(ncomp, "ncomp")
    if n < 2:
        raise ValueError(f"X must have at least two samples (rows); got {n}.")
    if ncomp > min(n, p):
        raise ValueError(f"ncomp must be at most min(n, p) = {min(n, p)}; got {ncomp}.")
    if not np.isfinite(data).all():
        raise ValueError("X has non-finite values (NaN or infinity); impute them first.")
    centred = data - data.mean(axis=0)
    U, S, VT = np.linalg.svd(centred, full_matrices=False)
    U, S, VT = U[:, :ncomp], S, VT[:ncomp]
    signs = np.sign(U[np.argmax(np.abs(U), axis=0), np.arange(ncomp)])
    signs[signs == 0] = 1.0
    total = float((S * S).sum())
    if total == 0:
        raise ValueError("X has zero variance: every sample is the same.")
    variance = S[:ncomp] ** 2
    return {
        "components": VT * signs[:, None],
        "explained_variance": variance / (n - 1),
        "explained_variance_ratio": variance / total,
    }
