"""The kinship in the forms glimix's models take: its economic eigendecomposition, or a factor.

One ``eigh`` of an n×n K costs O(n³). It is done once per analysis, on the aligned K. Analyses
that share K — a loop over traits, a scan after a heritability estimate — share it by passing a
:class:`DecomposedKinship`: the decomposition is computed on first use and kept *on that object*
(no process-wide cache, so no stale entry can be served for a K changed in place and no memory
is held after the user drops the object). When the samples analysed are the kinship's own
samples in another order, its decomposition is reused by permuting the rows of Q₀, which is
exact: for a permutation P, PKPᵀ = (PQ₀)S₀(PQ₀)ᵀ and PQ₀ is orthonormal. Any other subset is
decomposed anew.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from glimix.linalg import economic_qs, economic_qs_linear

from ._kinship import as_kinship, is_factor
from ._labelled import readonly

if TYPE_CHECKING:
    from .._typing import Kinship

__all__ = ["DecomposedKinship", "kinship_factor", "kinship_qs", "permuted_qs"]

Array = NDArray[np.float64]
QS = tuple[tuple[Array], Array]


def kinship_qs(K: xr.DataArray) -> QS:
    """Economic eigendecomposition ``((Q0,), S0)`` of a converted kinship.

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
        If the matrix is not positive semi-definite (within the rounding of its precision: a
        matrix of float32 values, as GCTA stores it, is judged at float32's).

    Examples
    --------
    >>> from numpy import array
    >>> from limix._data import as_kinship, kinship_qs
    >>> (Q0,), S0 = kinship_qs(as_kinship(array([[2.0, 1.0], [1.0, 2.0]])))
    >>> print(S0)
    [1. 3.]
    """
    values = np.asarray(K.values, dtype=float)
    if is_factor(K):
        (Q0,), S0 = economic_qs_linear(values, return_q1=False)
    else:
        # Q1 (the null space) is dropped: glimix's models do not use it and it can be n×n.
        (Q0, _), S0 = economic_qs(values, tol=_single_precision_tol(values))
    return (readonly(Q0),), readonly(S0)


def _single_precision_tol(values: Array) -> float | None:
    """The eigenvalue tolerance of a K stored in single precision (GCTA's .grm.bin), else None.

    Every entry exactly a float32 means K was rounded to float32 (≈6e-8 relative) before it
    reached us. Rounding each entry by at most ε₃₂/2·|Kᵢⱼ| moves every eigenvalue by at most
    ‖E‖₂ ≤ ‖E‖_F ≤ ε₃₂/2·‖K‖_F (Weyl), so eigenvalues within ε₃₂·‖K‖_F of zero are zero in
    truth, not a failure to be positive semi-definite. A float64 K keeps the default tolerance.
    """
    if not np.array_equal(values, values.astype(np.float32)):
        return None
    return float(np.finfo(np.float32).eps * np.linalg.norm(values))


def permuted_qs(qs: QS, rows: NDArray[np.intp]) -> QS:
    """The decomposition of K[rows][:, rows] when ``rows`` is a permutation of K's rows.

    Examples
    --------
    >>> from numpy import allclose, array
    >>> from limix._data import as_kinship, kinship_qs, permuted_qs
    >>> K = array([[2.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])
    >>> rows = array([2, 0, 1])
    >>> (Q0,), S0 = permuted_qs(kinship_qs(as_kinship(K)), rows)
    >>> allclose(Q0 * S0 @ Q0.T, K[rows][:, rows])
    True
    """
    (Q0,), S0 = qs
    if not (rows.size == Q0.shape[0] and np.array_equal(np.sort(rows), np.arange(rows.size))):
        raise ValueError("rows must be a permutation of the kinship's rows.")
    if np.array_equal(rows, np.arange(rows.size)):
        return qs
    return (readonly(Q0[rows]),), S0


class DecomposedKinship:
    """A kinship whose decomposition is computed once and kept on this object.

    Pass it wherever an analysis takes ``K`` (``limix.qtl.scan``, ``limix.her.estimate``, …)
    to share one ``eigh`` between analyses: the first one decomposes K, the others reuse the
    decomposition as long as they analyse the same samples (in any order). An analysis of a
    subset of the samples decomposes that subset anew, as it would for a plain matrix. It holds
    its own copy of K, so changing the matrix given afterwards does not change it.

    Parameters
    ----------
    K
        An n×n kinship or a :class:`~limix._data.KinshipFactor`, of any type
        :func:`~limix._data.as_kinship` accepts (labelled or not).
    name
        The argument's name, for error messages.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from limix._data import DecomposedKinship
    >>> K = DecomposedKinship(pd.DataFrame(np.eye(3) + 1, index=list("abc"), columns=list("abc")))
    >>> K.qs() is K.qs()
    True
    >>> list(K.samples)
    ['a', 'b', 'c']
    """

    def __init__(self, K: Kinship, name: str = "K") -> None:
        if isinstance(K, DecomposedKinship):
            self._matrix, self._qs = K._matrix, K._qs
        else:
            matrix = as_kinship(K, name)
            # its own copy: the user's array may change after the decomposition is made
            self._matrix = matrix.copy(data=readonly(np.array(matrix.values, dtype=float)))
            self._qs = None
        self._lock = threading.Lock()

    @property
    def matrix(self) -> xr.DataArray:
        """The converted kinship, as :func:`~limix._data.as_kinship` returns it."""
        return self._matrix

    @property
    def samples(self) -> pd.Index | None:
        """Its sample labels (None when unlabelled)."""
        dim = self._matrix.dims[0]
        return pd.Index(self._matrix[dim].values) if dim in self._matrix.coords else None

    def qs(self) -> QS:
        """The economic decomposition of K (:func:`kinship_qs`), computed on first call."""
        with self._lock:
            if self._qs is None:
                self._qs = kinship_qs(self._matrix)
            return self._qs

    def qs_of(self, rows: NDArray[np.intp]) -> QS | None:
        """The decomposition of K at ``rows`` when they are a permutation of all its rows."""
        n = self._matrix.shape[0]
        if rows.size != n or not np.array_equal(np.sort(rows), np.arange(n)):
            return None
        return permuted_qs(self.qs(), rows)

    def __repr__(self) -> str:
        state = "decomposed" if self._qs is not None else "not decomposed yet"
        return f"DecomposedKinship({self._matrix.shape[0]} samples, {state})"


def kinship_factor(K: xr.DataArray, qs: QS | None = None) -> Array:
    """A matrix L with K = LLᵀ, as ``glimix.lmm.Kron2Sum`` takes K (its ``G`` argument).

    For a factor, the factor itself; for an n×n K, Q0·diag(√S0) from ``qs`` (K's
    decomposition, when known) or from :func:`kinship_qs`.

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
    (Q0,), S0 = kinship_qs(K) if qs is None else qs
    return readonly(Q0 * np.sqrt(S0))
