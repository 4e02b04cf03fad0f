"""The kinship in the forms glimix's models take: its economic eigendecomposition, or a factor.

One ``eigh`` of an n×n K costs O(n³); scans over many traits, and analyses that share K, must
not repeat it. Decompositions are cached by the *content* of the aligned matrix (a hash, O(n²),
negligible next to the O(n³) decomposition), not by the identity of the Python object: a K
changed in place, or a different subset of samples, can never be served a stale decomposition,
and the same K rebuilt or passed as another type still hits the cache.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from glimix.linalg import economic_qs, economic_qs_linear

from ._kinship import is_factor
from ._labelled import readonly

__all__ = ["clear_kinship_cache", "kinship_factor", "kinship_qs"]

Array = NDArray[np.float64]
QS = tuple[tuple[Array], Array]

#: Decompositions kept: each holds about as much memory as K itself.
CACHE_SIZE = 2

_cache: OrderedDict[tuple[str, bytes], QS] = OrderedDict()
_lock = threading.Lock()


def _fingerprint(values: Array) -> bytes:
    digest = hashlib.blake2b(digest_size=32)
    digest.update(repr(values.shape).encode())
    digest.update(np.ascontiguousarray(values, dtype=float).data)
    return digest.digest()


def _decompose(values: Array, factor: bool) -> QS:
    if factor:
        (Q0,), S0 = economic_qs_linear(values, return_q1=False)
    else:
        # Q1 (the null space) is dropped: glimix's models do not use it and it can be n×n.
        (Q0, _), S0 = economic_qs(values)
    return (readonly(Q0),), readonly(S0)


def kinship_qs(K: xr.DataArray) -> QS:
    """Economic eigendecomposition ``((Q0,), S0)`` of an aligned kinship, computed once.

    Parameters
    ----------
    K
        A kinship as :func:`~limix._data.as_kinship` or :func:`~limix._data.prepare_inputs`
        return it: an n×n matrix (decomposed by ``glimix.linalg.economic_qs``, one ``eigh``) or
        a factor X with K = XXᵀ (by ``glimix.linalg.economic_qs_linear``, an SVD of X in O(n·r)
        memory).

    Returns
    -------
    QS
        ``((Q0,), S0)``: Q0 (n×r) the eigenvectors of the r non-zero eigenvalues S0 (ascending),
        read-only. This is the ``QS`` that ``glimix.lmm.LMM`` and ``FastScanner`` take (they do
        not use Q1). tr(K) = S0.sum(), e.g. to normalise K to a unit mean diagonal.

    Raises
    ------
    ValueError
        If the matrix is not positive semi-definite.

    Examples
    --------
    >>> from numpy import array
    >>> from limix._data import as_kinship, kinship_qs
    >>> (Q0,), S0 = kinship_qs(as_kinship(array([[2.0, 1.0], [1.0, 2.0]])))
    >>> print(S0)
    [1. 3.]
    """
    factor = is_factor(K)
    values = np.asarray(K.values, dtype=float)
    key = ("factor" if factor else "matrix", _fingerprint(values))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    qs = _decompose(values, factor)
    with _lock:
        _cache[key] = qs
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return qs


def kinship_factor(K: xr.DataArray) -> Array:
    """A matrix L with K = LLᵀ, as ``glimix.lmm.Kron2Sum`` takes K (its ``G`` argument).

    For a factor, the factor itself; for an n×n K, Q0·diag(√S0) from :func:`kinship_qs` (so
    its ``eigh`` is shared with the other analyses).

    Examples
    --------
    >>> from numpy import array, allclose
    >>> from limix._data import as_kinship, kinship_factor
    >>> K = array([[2.0, 1.0], [1.0, 2.0]])
    >>> L = kinship_factor(as_kinship(K))
    >>> allclose(L @ L.T, K)
    True
    """
    if is_factor(K):
        return readonly(np.asarray(K.values, dtype=float))
    (Q0,), S0 = kinship_qs(K)
    return readonly(Q0 * np.sqrt(S0))


def clear_kinship_cache() -> None:
    """Forget every cached decomposition (frees their memory)."""
    with _lock:
        _cache.clear()
