"""Box-Cox power transformation with the exponent fitted by maximum likelihood."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import boxcox as _boxcox_transform
from scipy.stats import boxcox_normmax

from .._adapt import columnwise, reject_infinite_values, unwrap

if TYPE_CHECKING:
    from .._typing import Labelled

__all__ = ["boxcox"]


def _boxcox_columns(A: NDArray[np.floating]) -> NDArray[np.floating]:
    """Transform, in place, each column of A with its own maximum-likelihood λ."""
    reject_infinite_values(A, "x")
    for j in range(A.shape[1]):
        observed = ~np.isnan(A[:, j])
        values = A[observed, j]
        if values.size and values.min() <= 0:
            raise ValueError(
                f"x must be positive for the Box-Cox transformation; column {j} has minimum "
                f"{values.min():g}."
            )
        if values.size < 2 or values.min() == values.max():
            raise ValueError(
                f"x needs at least two distinct observed values per column to fit λ; column {j} "
                "has fewer."
            )
        lmb = boxcox_normmax(values, method="mle")
        A[observed, j] = _boxcox_transform(values, lmb)
    return A


def boxcox(x: ArrayLike) -> Labelled:
    """Box-Cox transformation for normality conformance.

    It applies the power transformation

        f(x) = (x^λ − 1)/λ  if λ ≠ 0,     f(x) = log(x)  if λ = 0,

    to the provided data, hopefully making it more normal distribution-like. The λ parameter is
    fit by maximum likelihood estimation: it maximises the profile log-likelihood of a normal
    model for f(x),

        ℓ(λ) = −(n/2)·log σ̂²(λ) + (λ − 1)·∑ᵢ log xᵢ,

    with σ̂²(λ) the (biased) sample variance of f(x₁), …, f(xₙ); the second term is the log
    Jacobian of the transformation.

    Parameters
    ----------
    x : array_like
        Data to be transformed, strictly positive. A 2-D array is transformed column by column,
        each column with its own λ. NaN values are ignored in the fit and stay NaN.

    Returns
    -------
    boxcox : ndarray
        Box-Cox transformed data, of the type (and with the labels) of ``x``.

    Raises
    ------
    ValueError
        If a value is zero, negative or infinite, or a column has fewer than two distinct
        observed values.

    Examples
    --------
    >>> from numpy import array, array_str
    >>> from limix.qc import boxcox
    >>>
    >>> x = array([1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0])  # right-skewed; fitted λ ≈ 0.056
    >>> print(array_str(boxcox(x), precision=4))
    [0.     0.7067 1.133  1.6838 2.2048 2.7574 3.3181]
    """
    data, labels = unwrap(x, "x")
    if not labels.lazy:
        data = np.array(data, dtype=float)
    return labels.like(columnwise(_boxcox_columns, data, 1))
