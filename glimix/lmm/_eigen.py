"""The covariance a·𝙺 + b·𝙸 through the economic eigendecomposition 𝙺 = 𝚀₀𝚂₀𝚀₀ᵀ.

Its eigenvalues are 𝙳₀ = a𝚂₀ + b on span(𝚀₀) and b on span(𝚀₁), so, with 𝚀₁𝚀₁ᵀ = 𝙸 − 𝚀₀𝚀₀ᵀ,

    (a𝙺 + b𝙸)⁻¹ = 𝙱 = 𝚀₀𝙳₀⁻¹𝚀₀ᵀ + w₁(𝙸 − 𝚀₀𝚀₀ᵀ) = 𝚀₀ diag(𝐰₀) 𝚀₀ᵀ + w₁𝙸,

with w₁ = 1/b and 𝐰₀ = 𝙳₀⁻¹ − w₁ (w₁ = 0 when 𝚀₀ spans everything, r = n, and Q₁ is empty).
For two vectors 𝐚, 𝐛 this gives 𝐚ᵀ𝙱𝐛 = (𝚀₀ᵀ𝐚)ᵀ diag(𝐰₀) (𝚀₀ᵀ𝐛) + w₁𝐚ᵀ𝐛 — Q₁ is never formed.
The log-determinant is log|a𝙺 + b𝙸| = ∑ log 𝙳₀ + (n − r) log b.

The LMM uses a = 1 − 𝛿, b = 𝛿; the scanner's null a = 1, b = v. Both functions broadcast over
arrays of a and b (the eigenvalue axis is the first one), which is how many values of 𝛿 are
handled at once.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["inverse_weights", "logdet"]

Array = NDArray[np.float64]


def _eigenvalues(S0: Array, a: ArrayLike, b: ArrayLike) -> Array:
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    return S0.reshape((-1,) + (1,) * max(a.ndim, b.ndim)) * a + b


def inverse_weights(S0: Array, n: int, a: ArrayLike, b: ArrayLike) -> tuple[Array, Array]:
    """(𝐰₀, w₁) such that (a𝙺 + b𝙸)⁻¹ = 𝚀₀ diag(𝐰₀) 𝚀₀ᵀ + w₁𝙸.

    Returns
    -------
    w0
        Shape (r,) + broadcast shape of a and b.
    w1
        Broadcast shape of a and b; zero when r = n.
    """
    D0 = _eigenvalues(S0, a, b)
    b = np.asarray(b, float)
    if S0.shape[0] < n:
        w1 = 1.0 / np.broadcast_to(b, D0.shape[1:])
    else:
        w1 = np.zeros(D0.shape[1:])
    return 1.0 / D0 - w1, np.asarray(w1, float)


def logdet(S0: Array, n: int, a: ArrayLike, b: ArrayLike) -> Array:
    """log|a𝙺 + b𝙸| = ∑ log(a𝚂₀ + b) + (n − r) log b, over the broadcast shape of a and b."""
    D0 = _eigenvalues(S0, a, b)
    value = np.sum(np.log(D0), axis=0)
    extra = n - S0.shape[0]
    if extra:
        value = value + extra * np.log(np.broadcast_to(np.asarray(b, float), value.shape))
    return np.asarray(value, float)
