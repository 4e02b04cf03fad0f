"""Input validation shared by every glimix class.

Each function converts its input to a float array and raises a ``ValueError`` whose message names
the argument and the problem (shape, non-finite values, asymmetry), never returning NaN silently.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "as_float",
    "check_covariates",
    "column_matrix",
    "finite_matrix",
    "finite_vector",
    "float_array",
    "positive_int",
    "readonly",
    "symmetric_matrix",
]


def float_array(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return ``x`` as a float array of any shape; raise a ``ValueError`` if it is not numeric.

    Parameters
    ----------
    x
        Anything ``numpy.asarray`` converts to floats.
    name
        Name of the argument, for the error message.

    Examples
    --------
    >>> float_array([1, 2], "x")
    array([1., 2.])
    >>> float_array(["a"], "x")
    Traceback (most recent call last):
    ValueError: x must be numeric: could not convert string to float: 'a'
    """
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be numeric: {err}") from None
    return arr


def column_matrix(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return ``x`` as a float array, a vector becoming a one-column matrix (see
    :func:`float_array`); other shapes are left for the caller to check."""
    arr = float_array(x, name)
    return arr.reshape(-1, 1) if arr.ndim == 1 else arr


def check_covariates(X: ArrayLike, n: int, name: str = "X") -> NDArray[np.float64]:
    """A finite n×c matrix (covariates, or candidates); a vector of size n is one column.

    Raises
    ------
    ValueError
        Naming ``name``, if it is not numeric, not two-dimensional, not finite, or has not one
        row per sample of the outcome 𝐲 (n rows).
    """
    X = finite_matrix(column_matrix(X, name), name)
    if X.shape[0] != n:
        raise ValueError(
            f"{name} must have one row per sample: y has {n} sample(s) but {name} has shape "
            f"{X.shape}."
        )
    return X


def _require_finite(arr: NDArray[np.float64], name: str) -> None:
    if not np.all(np.isfinite(arr)):
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        raise ValueError(f"{name} has {bad} non-finite value(s) (NaN or infinity).")


def finite_vector(x: ArrayLike, name: str, size: int | None = None) -> NDArray[np.float64]:
    """Return ``x`` as a finite 1-D float array, optionally of a given ``size``."""
    arr = float_array(x, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}.")
    if size is not None and arr.shape[0] != size:
        raise ValueError(f"{name} must have {size} element(s); got {arr.shape[0]}.")
    _require_finite(arr, name)
    return arr


def finite_matrix(
    x: ArrayLike,
    name: str,
    shape: tuple[int | None, int | None] = (None, None),
) -> NDArray[np.float64]:
    """Return ``x`` as a finite 2-D float array; ``None`` in ``shape`` leaves that axis free."""
    arr = float_array(x, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be two-dimensional; got shape {arr.shape}.")
    for axis, want in enumerate(shape):
        if want is not None and arr.shape[axis] != want:
            raise ValueError(
                f"{name} must have {want} {'rows' if axis == 0 else 'columns'}; "
                f"got shape {arr.shape}."
            )
    _require_finite(arr, name)
    return arr


def symmetric_matrix(x: ArrayLike, name: str, rtol: float = 1e-8) -> NDArray[np.float64]:
    """Return ``x`` as a finite, square, symmetric float matrix.

    Symmetry is checked as max|A − Aᵀ| ≤ rtol·max(1, max|A|), so round-off from computing
    GGᵀ in floating point is accepted while a genuinely asymmetric matrix is not.
    """
    arr = finite_matrix(x, name)
    if arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} must be square; got shape {arr.shape}.")
    if arr.size:
        scale = max(1.0, float(np.max(np.abs(arr))))
        asym = asymmetry(arr)
        if asym > rtol * scale:
            raise ValueError(f"{name} must be symmetric; max|{name} − {name}ᵀ| = {asym:.3g}.")
    return arr


#: Side of the square tiles :func:`asymmetry` compares (2 × 512² doubles stay in cache).
_TILE = 512


def asymmetry(A: NDArray[np.float64]) -> float:
    """max|A − Aᵀ| of a square matrix, tile by tile.

    Each tile above the diagonal is compared with the transpose of its mirror: both are small
    enough for the cache, where ``A - A.T`` streams A once in order and once by columns, and the
    memory used is two tiles, not another n×n matrix.

    Examples
    --------
    >>> A = np.arange(9.0).reshape(3, 3)
    >>> print(asymmetry(A + A.T), asymmetry(A))
    0.0 4.0
    """
    n = A.shape[0]
    worst = 0.0
    for i in range(0, n, _TILE):
        rows = slice(i, min(n, i + _TILE))
        for j in range(i, n, _TILE):
            cols = slice(j, min(n, j + _TILE))
            worst = max(worst, float(np.max(np.abs(A[rows, cols] - A[cols, rows].T))))
    return worst


def positive_int(x: object, name: str) -> int:
    """Return ``x`` as an ``int`` ≥ 1; booleans and non-integers are rejected."""
    if isinstance(x, bool) or not isinstance(x, numbers.Integral):
        raise ValueError(f"{name} must be a positive integer; got {x!r}.")
    if x < 1:
        raise ValueError(f"{name} must be at least 1; got {x}.")
    return int(x)


def readonly(arr: NDArray[np.float64]) -> NDArray[np.float64]:
    """A read-only view of ``arr``: what a function stores from its caller and hands back.

    Nobody can then change a stored design matrix through a returned ``X`` or gradient; the
    caller's own array is not copied (it may be large) and stays the caller's.
    """
    view = arr.view()
    view.flags.writeable = False
    return view


def as_float(x: object, name: str) -> float:
    """Return ``x`` as a Python float, or raise ``ValueError`` naming ``name``."""
    try:
        return float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number; got {x!r}.") from None


#: The floating-point precisions of the scans' rotation products.
PRECISIONS = ("float64", "float32")


def single_precision(dtype: object) -> bool:
    """Whether ``dtype`` asks for single-precision products (``"float32"``) or double.

    Raises
    ------
    ValueError
        If ``dtype`` is neither float64 nor float32 (a name or a numpy type).

    Examples
    --------
    >>> single_precision("float32"), single_precision(np.float64)
    (True, False)
    """
    try:
        name = np.dtype(dtype).name  # type: ignore[call-overload]
    except TypeError:
        name = None
    if name not in PRECISIONS or isinstance(dtype, bool):
        raise ValueError(f"dtype must be 'float64' or 'float32'; got {dtype!r}.")
    return name == "float32"
