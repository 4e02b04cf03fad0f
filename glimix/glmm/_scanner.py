"""Association scan of heteroscedastic pseudo-observations: a FastScanner after whitening.

:class:`glimix.lmm.FastScanner` tests candidates against 𝐲 ∼ 𝓝(𝚇𝜶, s(𝙺 + v𝙸)), one variance v
shared by every sample. The EP pseudo-observations of a GLMM have their own variances instead,

    𝛍̃ ∼ 𝓝(𝚇𝜶, s(v₀𝙺 + 𝙳)),    𝙳 = diag(v₁ + 1/τ̃ᵢ).

Whitening by 𝙳^(−½) turns this into the scanner's model with v = 1:

    𝙳^(−½)𝛍̃ ∼ 𝓝(𝙳^(−½)𝚇𝜶, s(𝙺̃ + 𝙸)),    𝙺̃ = 𝙳^(−½)v₀𝙺𝙳^(−½) = 𝙶̃𝙶̃ᵀ,  𝙶̃ = 𝙳^(−½)𝚀₀(v₀𝚂₀)^½,

with 𝙺̃ decomposed by an economic SVD of the n×k matrix 𝙶̃ (O(n⋅k²); no n×n matrix). The
effect sizes, their standard errors and s are those of the original model; a log-likelihood
differs from the whitened one by log|𝙳^(−½)| = −½∑ log dᵢ, which :class:`PseudoDataScanner`
adds back. Candidates are whitened block by block as the scanner reads them, so a dask genotype
matrix stays lazy.

Fixed scale. The reference manual's scan refits s for every candidate, as for a normal trait.
For pseudo-observations that inflates the test: their covariance v₀𝙺 + 𝙳 is already fitted
(by EP, on the GLMM), and the residual quadratic form of the null is not an estimate of a
dispersion — it came out at 0.90–0.94 of n for Poisson traits with a latent variance, and
every likelihood-ratio statistic, about n⋅log(s₀/s), was inflated by 1/s₀ (λ_GC 1.12 over 12
simulated null studies, 1.03 with s fixed; ``benchmarks/calibration.py``). With
``fixed_scale=True`` the scanner reports the model with s = 1: for a profiled scale sⱼ,

    log p(𝛍̃) at s = 1 = (profiled log p(𝛍̃)) − ½n(sⱼ − 1 − log sⱼ),

the effect sizes are unchanged (the GLS estimate does not depend on s) and their standard
errors are divided by √sⱼ.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import column_matrix, finite_matrix, finite_vector
from ..linalg import economic_qs_linear
from ..lmm import FastScanner
from ..lmm._blocks import with_shape
from ..lmm._inputs import check_variance

__all__ = ["PseudoDataScanner"]

Array = NDArray[np.float64]


class PseudoDataScanner(FastScanner):
    """FastScanner for 𝐲 ∼ 𝓝(𝚇𝜶 + 𝙶𝜷, s(v₀𝙺 + 𝙳)) with a diagonal, heteroscedastic 𝙳.

    A :class:`glimix.lmm.FastScanner` of the whitened data (module notes): ``fast_scan`` and
    ``scan`` take candidates of the original samples and return the effect sizes, standard
    errors, scale and log-likelihoods of the model above. With ``exact=True`` the refitted ratio
    is between 𝙳^(−½)v₀𝙺𝙳^(−½) and 𝙸, and the returned ``delta``, ``v0`` and ``v1`` refer to
    them.

    Parameters
    ----------
    y
        Outcome of the samples used, a finite vector.
    X
        Their covariates (n×c).
    Q0, S0
        Eigenvectors (rows of the samples used) and eigenvalues of 𝙺.
    v0
        Variance of 𝙺, v₀ ≥ 0.
    noise
        Diagonal of 𝙳, positive.
    rows
        Which of the ``nsamples`` rows of a candidate matrix the samples used are (default:
        all, in order).

    Raises
    ------
    ValueError
        For non-finite inputs, a non-positive ``noise`` or negative ``v0``, or sizes that do
        not match.
    nsamples
        Rows of the candidate matrices (default: the size of ``y``).
    fixed_scale
        Keep s = 1 instead of refitting it for each candidate (module notes); ``exact=True``
        is then not available.
    """

    def __init__(
        self,
        y: Array,
        X: Array,
        Q0: Array,
        S0: Array,
        v0: float,
        noise: Array,
        rows: NDArray[np.intp] | None = None,
        nsamples: int | None = None,
        *,
        fixed_scale: bool = False,
    ) -> None:
        y = finite_vector(y, "y")
        n = y.shape[0]
        noise = finite_vector(noise, "noise", size=n)
        if np.any(noise <= 0):
            raise ValueError("noise must be positive (the diagonal of 𝙳).")
        v0 = check_variance(v0, "v0")
        Q0 = finite_matrix(Q0, "Q0", shape=(n, None))
        S0 = finite_vector(S0, "S0", size=Q0.shape[1])
        if rows is not None and (rows.shape != (n,) or nsamples is None):
            raise ValueError("rows must give the candidate row of each of the n samples used.")
        w = 1 / np.sqrt(noise)
        QS = None
        if v0 > 0 and Q0.shape[1]:
            QS = economic_qs_linear(w[:, None] * Q0 * np.sqrt(v0 * S0), return_q1=False)
        FastScanner.__init__(self, w * y, w[:, None] * X, QS, 1.0)
        self._w = w
        self._rows = rows
        self._nsamples = int(y.shape[0] if nsamples is None else nsamples)
        self._log_jacobian = -0.5 * float(np.sum(np.log(noise)))  # log|𝙳^(−½)|
        self._fixed_scale = bool(fixed_scale)

    @property
    def fixed_scale(self) -> bool:
        """Whether s is kept at 1 (module notes) rather than refitted for each candidate."""
        return self._fixed_scale

    def _unit_scale_penalty(self, scale: Any) -> Any:
        """½n(s − 1 − log s) ≥ 0: the profiled log-likelihood minus the one at s = 1."""
        if not self._fixed_scale:
            return 0.0 * np.asarray(scale)
        n = self._data.n
        with np.errstate(divide="ignore"):
            return 0.5 * n * (scale - 1.0 - np.log(scale))

    def _at_unit_scale(self, result: dict[str, Any]) -> dict[str, Any]:
        """A scan result of the profiled scale turned into the model's at s = 1."""
        if not self._fixed_scale:
            return result
        scale = result["scale"]
        result["lml"] = result["lml"] - self._unit_scale_penalty(scale)
        for key in ("effsizes0_se", "effsizes1_se"):
            se = np.asarray(result[key])
            root = np.sqrt(np.asarray(scale, dtype=float))
            # one scale per candidate (fast_scan) or one for the joint test (scan)
            result[key] = se / root.reshape(root.shape + (1,) * (se.ndim - root.ndim))
        result["scale"] = np.ones_like(scale) if np.ndim(scale) else 1.0
        return result

    def null_lml(self) -> float:
        """Log of the marginal likelihood of the null model, with optimal 𝜶 (and s)."""
        lml = FastScanner.null_lml(self) + self._log_jacobian
        return lml - float(self._unit_scale_penalty(FastScanner.null_scale.fget(self)))

    @property
    def null_beta_covariance(self) -> Array:
        """Covariance of the null's effect sizes, s(𝚇ᵀ𝙱𝚇)⁻¹ (s = 1 with a fixed scale)."""
        covariance = FastScanner.null_beta_covariance.fget(self)
        if self._fixed_scale:
            covariance = covariance / FastScanner.null_scale.fget(self)
        return covariance

    @property
    def null_scale(self) -> float:
        """Scale of the null model: the optimal s, or 1 with a fixed scale."""
        return 1.0 if self._fixed_scale else FastScanner.null_scale.fget(self)

    def fast_scan(
        self,
        G: Any,
        verbose: bool = True,
        exact: bool = False,
        memory_budget: int | None = None,
        dtype: Any = "float64",
    ) -> dict[str, Array]:
        """Test each column of 𝙶 on its own (see :meth:`glimix.lmm.FastScanner.fast_scan`).

        Parameters
        ----------
        G
            n × m candidates, n = ``nsamples`` (NumPy, dask or anything sliceable by columns).
        verbose, exact, memory_budget, dtype
            As for :meth:`glimix.lmm.FastScanner.fast_scan`.
        """
        self._check_exact(exact)
        result = FastScanner.fast_scan(
            self,
            _WhitenedColumns(G, self._w, self._rows, self._nsamples),
            verbose,
            exact,
            memory_budget,
            dtype,
        )
        result["lml"] = result["lml"] + self._log_jacobian
        return self._at_unit_scale(result)

    def _check_exact(self, exact: bool) -> None:
        if exact and self._fixed_scale:
            raise ValueError(
                "exact=True refits the variances and the scale; this scanner keeps the scale "
                "fixed (fixed_scale=True). Use a scanner with fixed_scale=False."
            )

    def scan(self, M: ArrayLike, exact: bool = False) -> dict[str, Any]:
        """Test the columns of 𝙼 jointly (see :meth:`glimix.lmm.FastScanner.scan`).

        Parameters
        ----------
        M
            n × k finite candidates, n = ``nsamples`` (a vector is one candidate).
        exact
            As for :meth:`glimix.lmm.FastScanner.scan`.
        """
        arr = column_matrix(M, "M")
        if arr.ndim != 2 or arr.shape[0] != self._nsamples:
            raise ValueError(
                f"M must have one row per sample ({self._nsamples}); got shape {arr.shape}."
            )
        if self._rows is not None:
            arr = arr[self._rows]
        self._check_exact(exact)
        result = FastScanner.scan(self, self._w[:, None] * arr, exact)
        result["lml"] = float(result["lml"]) + self._log_jacobian
        return self._at_unit_scale(result)


class _WhitenedColumns:
    """Column blocks of 𝙶, restricted to the samples used and multiplied by 𝙳^(−½)."""

    def __init__(self, G: Any, w: Array, rows: NDArray[np.intp] | None, nsamples: int) -> None:
        G = with_shape(G)
        shape = tuple(G.shape)
        if len(shape) != 2 or shape[0] != nsamples:
            raise ValueError(
                f"G must be two-dimensional with one row per sample ({nsamples}); got shape "
                f"{shape}."
            )
        self._G, self._w, self._rows = G, w, rows
        self.shape = (w.shape[0], int(shape[1]))

    def __getitem__(self, key: tuple[slice, slice]) -> Array:
        block = np.asarray(self._G[:, key[1]], dtype=float)
        if self._rows is not None:
            block = block[self._rows]
        return self._w[:, None] * block
