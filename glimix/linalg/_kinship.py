"""A kinship given by its economic eigendecomposition, and the covariances a·𝙺 + b·𝙸 built on it.

𝙺 = 𝚀₀ diag(𝐬₀) 𝚀₀ᵀ with 𝚀₀ (n×r) orthonormal and 𝐬₀ ≥ 0. The eigenvalues of a𝙺 + b𝙸 are
𝐝₀ = a𝐬₀ + b on span(𝚀₀) and b on its complement, so, with 𝚀₁𝚀₁ᵀ = 𝙸 − 𝚀₀𝚀₀ᵀ,

    (a𝙺 + b𝙸)⁻¹ = 𝚀₀ diag(𝐰₀) 𝚀₀ᵀ + w₁𝙸,   w₁ = 1/b (0 when r = n),  𝐰₀ = 1/𝐝₀ − w₁,

    log|a𝙺 + b𝙸| = ∑ log 𝐝₀ + (n − r) log b,

and 𝐚ᵀ(a𝙺 + b𝙸)⁻¹𝐛 = (𝚀₀ᵀ𝐚)ᵀ diag(𝐰₀)(𝚀₀ᵀ𝐛) + w₁𝐚ᵀ𝐛: every operation costs O(n⋅r) per
vector and 𝚀₁ is never formed. The weights and the log-determinant broadcast over arrays of a
and b (the eigenvalue axis first), which is how the LMMs evaluate many values of 𝛿 at once.

Every model that works on an eigendecomposed kinship (``LMM``, ``FastScanner``,
``TraitsScanner``, the GLMMs) takes one of these; the ``((Q0, Q1), S0)`` tuples of
:func:`economic_qs` are converted by :meth:`KinshipOperator.of`. The dense matrix and the
diagonal are formed on first use and kept on the object.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import finite_matrix, finite_vector
from ._economic import economic_qs, economic_qs_linear

__all__ = ["KinshipOperator"]

Array = NDArray[np.float64]

#: Tolerance on ‖𝐪ᵢ‖² − 1 and on 𝐪ᵢᵀ𝐪ⱼ for the columns of Q0.
_ORTHONORMAL_TOL = 1e-6
#: Columns of Q0 whose inner products with all of Q0 are checked (a full Q0ᵀQ0 costs n·r²).
_PROBE_COLUMNS = 8


class KinshipOperator:
    """𝙺 = 𝚀₀ diag(𝐬₀) 𝚀₀ᵀ, and the covariances a𝙺 + b𝙸 (module notes).

    Parameters
    ----------
    Q0
        n×r matrix with orthonormal columns (r = 0 for no kinship).
    S0
        The r eigenvalues, non-negative.

    Examples
    --------
    >>> from numpy import array, eye
    >>> from glimix.linalg import KinshipOperator
    >>> K = array([[2.0, 1.0], [1.0, 2.0]])
    >>> kinship = KinshipOperator.from_matrix(K)
    >>> print(round(float(kinship.logdet(1.0, 0.5)), 6))  # log|K + 0.5 I| = log(3.5 ⋅ 1.5)
    1.658228
    >>> print(kinship.solve(array([1.0, 0.0]), 1.0, 0.5).round(6))  # (K + 0.5 I)⁻¹ e₁
    [ 0.47619  -0.190476]
    """

    def __init__(self, Q0: ArrayLike, S0: ArrayLike) -> None:
        self.Q0: Array = np.asarray(Q0, dtype=float)
        self.S0: Array = np.asarray(S0, dtype=float)

    # -- construction ----------------------------------------------------------------------------
    @classmethod
    def of(cls, QS: Any, n: int) -> KinshipOperator:
        """The operator of ``QS``: a KinshipOperator, a ``((Q0, Q1), S0)`` / ``((Q0,), S0)``
        tuple, or None (no kinship: r = 0), checked against n samples.

        Raises
        ------
        ValueError
            Naming the problem: not a pair, Q0 without n rows or with more than n columns or
            columns that are not orthonormal, S0 not finite, of the wrong size or negative.
        """
        if QS is None:
            return cls(np.zeros((n, 0)), np.zeros(0))
        if isinstance(QS, KinshipOperator):
            if QS.n != n:
                raise ValueError(
                    f"the kinship has {QS.n} samples, but y has {n}: they must be the same."
                )
            return QS
        if not isinstance(QS, (tuple, list)) or len(QS) != 2:
            raise ValueError(
                "QS must be the pair ((Q0, Q1), S0) returned by glimix.linalg.economic_qs (or a "
                f"glimix.linalg.KinshipOperator); got {type(QS).__name__}."
            )
        Q, S0 = QS
        if isinstance(Q, (tuple, list)):
            if len(Q) == 0:
                raise ValueError("QS[0] must hold Q0 (and optionally Q1); got an empty sequence.")
            Q0 = Q[0]
        else:
            Q0 = Q
        Q0 = finite_matrix(Q0, "QS Q0")
        if Q0.shape[0] != n:
            raise ValueError(
                f"QS Q0 must have one row per sample: y has {n} sample(s) but Q0 has shape "
                f"{Q0.shape}."
            )
        r = Q0.shape[1]
        if r > n:
            raise ValueError(f"QS Q0 must have at most n = {n} columns; got {r}.")
        S0 = finite_vector(S0, "QS S0", size=r)
        if np.any(S0 < 0):
            raise ValueError(
                "QS S0 must be non-negative (eigenvalues of a PSD K); its minimum is "
                f"{S0.min():.3g}."
            )
        _check_orthonormal(Q0)
        return cls(Q0, S0)

    @classmethod
    def from_matrix(cls, K: ArrayLike) -> KinshipOperator:
        """From a symmetric positive semi-definite n×n 𝙺 (:func:`economic_qs`)."""
        (Q0, _), S0 = economic_qs(K)
        return cls(Q0, S0)

    @classmethod
    def from_factor(cls, G: ArrayLike) -> KinshipOperator:
        """From a factor 𝙶 of 𝙺 = 𝙶𝙶ᵀ (n×m), by its economic SVD, never forming 𝙺."""
        (Q0,), S0 = economic_qs_linear(G, return_q1=False)
        return cls(Q0, S0)

    # -- shape -----------------------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of samples."""
        return int(self.Q0.shape[0])

    @property
    def rank(self) -> int:
        """r, the number of eigenvectors."""
        return int(self.Q0.shape[1])

    @property
    def qs(self) -> tuple[tuple[Array], Array]:
        """``((Q0,), S0)``, the tuple form."""
        return (self.Q0,), self.S0

    @cached_property
    def diag(self) -> Array:
        """diag(𝙺) (computed once)."""
        return np.einsum("ij,j,ij->i", self.Q0, self.S0, self.Q0)

    @cached_property
    def matrix(self) -> Array:
        """The dense n×n 𝙺 (formed on first use, then kept)."""
        K = (self.Q0 * self.S0) @ self.Q0.T
        return 0.5 * (K + K.T)

    def positive(self) -> KinshipOperator:
        """The same 𝙺 without its zero eigenvalues (and their eigenvectors)."""
        keep = self.S0 > 0
        if keep.all():
            return self
        return KinshipOperator(np.ascontiguousarray(self.Q0[:, keep]), self.S0[keep].copy())

    def scaled(self, c: float) -> KinshipOperator:
        """c⋅𝙺 (c ≥ 0), sharing 𝚀₀."""
        return KinshipOperator(self.Q0, c * self.S0)

    # -- products --------------------------------------------------------------------------------
    def rotate(self, X: ArrayLike) -> Array:
        """𝚀₀ᵀ𝚇."""
        return self.Q0.T @ np.asarray(X, dtype=float)

    def dot(self, x: ArrayLike, a: float = 1.0, b: float = 0.0) -> Array:
        """(a𝙺 + b𝙸)𝐱 for 𝐱 of shape (n,) or (n, c)."""
        x = np.asarray(x, dtype=float)
        s = self.S0 if x.ndim == 1 else self.S0[:, None]
        return a * (self.Q0 @ (s * (self.Q0.T @ x))) + b * x

    def quad(self, x: ArrayLike) -> float:
        """𝐱ᵀ𝙺𝐱 = ‖diag(𝐬₀)^½𝚀₀ᵀ𝐱‖²."""
        q = self.Q0.T @ np.asarray(x, dtype=float)
        return float(q @ (self.S0 * q))

    def eigenvalues(self, a: ArrayLike, b: ArrayLike) -> Array:
        """𝐝₀ = a𝐬₀ + b, shape (r,) + the broadcast shape of a and b."""
        a = np.asarray(a, float)
        b = np.asarray(b, float)
        return self.S0.reshape((-1,) + (1,) * max(a.ndim, b.ndim)) * a + b

    def inverse_weights(self, a: ArrayLike, b: ArrayLike) -> tuple[Array, Array]:
        """(𝐰₀, w₁) with (a𝙺 + b𝙸)⁻¹ = 𝚀₀ diag(𝐰₀) 𝚀₀ᵀ + w₁𝙸 (w₁ = 0 when r = n)."""
        D0 = self.eigenvalues(a, b)
        if self.rank < self.n:
            w1 = 1.0 / np.broadcast_to(np.asarray(b, float), D0.shape[1:])
        else:
            w1 = np.zeros(D0.shape[1:])
        return 1.0 / D0 - w1, np.asarray(w1, float)

    def logdet(self, a: ArrayLike, b: ArrayLike) -> Array:
        """log|a𝙺 + b𝙸| = ∑ log(a𝐬₀ + b) + (n − r) log b, over the broadcast shape of a and b."""
        value = np.sum(np.log(self.eigenvalues(a, b)), axis=0)
        extra = self.n - self.rank
        if extra:
            value = value + extra * np.log(np.broadcast_to(np.asarray(b, float), value.shape))
        return np.asarray(value, float)

    def solve(self, x: ArrayLike, a: float, b: float) -> Array:
        """(a𝙺 + b𝙸)⁻¹𝐱 for 𝐱 of shape (n,) or (n, c)."""
        x = np.asarray(x, dtype=float)
        w0, w1 = self.inverse_weights(a, b)
        w = w0 if x.ndim == 1 else w0[:, None]
        return self.Q0 @ (w * (self.Q0.T @ x)) + float(w1) * x

    def quad_form(self, A: ArrayLike, B: ArrayLike, a: float, b: float) -> Array:
        """𝙰ᵀ(a𝙺 + b𝙸)⁻¹𝙱 for n×p 𝙰 and n×q 𝙱."""
        A = np.asarray(A, dtype=float)
        B = np.asarray(B, dtype=float)
        w0, w1 = self.inverse_weights(a, b)
        QA, QB = self.Q0.T @ A, self.Q0.T @ B
        return QA.T @ (w0[:, None] * QB) + float(w1) * (A.T @ B)


def _check_orthonormal(Q0: Array) -> None:
    r = Q0.shape[1]
    if r == 0:
        return
    norms = np.einsum("ij,ij->j", Q0, Q0)
    worst = float(np.max(np.abs(norms - 1)))
    if worst > _ORTHONORMAL_TOL:
        raise ValueError(
            "QS Q0 must have orthonormal columns (eigenvectors of K); a column has squared "
            f"norm off 1 by {worst:.3g}."
        )
    probe = np.unique(np.linspace(0, r - 1, min(r, _PROBE_COLUMNS)).astype(int))
    gram = Q0.T @ Q0[:, probe]
    gram[probe, np.arange(probe.size)] -= 1
    worst = float(np.max(np.abs(gram)))
    if worst > _ORTHONORMAL_TOL:
        raise ValueError(
            "QS Q0 must have orthonormal columns (eigenvectors of K); two columns have inner "
            f"product {worst:.3g}."
        )
