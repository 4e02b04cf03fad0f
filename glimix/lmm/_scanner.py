"""Association scan: every candidate added in turn to a fitted null linear mixed model."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._check import single_precision
from .._optimize._delta_search import logistic, maximize_over_logit
from ..linalg import KinshipOperator
from ._blocks import align_to_chunks, block_width, column_blocks, column_source
from ._inputs import check_covariates, check_outcome, check_variance
from ._joint import RotatedSet, joint_tests
from ._null import NullFit
from ._rotated import RotatedNull
from ._scan_exact import bytes_per_column, scan_block_exact, stacked_rotation
from ._scan_fixed import Rotation, scan_block
from ._scan_result import ScanResult
from ._scan_sets import scan_block_sets

__all__ = ["FastScanner"]

Array = NDArray[np.float64]


class FastScanner:
    """Fast association scan of candidates against the null 𝐲 ∼ 𝓝(𝚇𝜶, s(𝙺 + v𝙸)).

    With 𝙺 = 𝚀₀𝚂₀𝚀₀ᵀ given by its economic eigendecomposition, each candidate 𝐠 (a column of
    𝙶) is tested with the alternative

        𝐲 ∼ 𝓝(𝚇𝜶 + 𝐠β, s(𝙺 + v𝙸)),

    where 𝜶, β and the scale s are refitted for each candidate in closed form while the
    variance ratio stays at the null's — the "s(…)" of the manual's printed scan results. With
    ``exact=True`` the ratio is re-estimated too, 𝐲 ∼ 𝓝(𝚇𝜶 + 𝐠β, s((1−𝛿)𝙺 + 𝛿𝙸)), as in
    GEMMA's and FaST-LMM's exact tests. All log-likelihoods are maximum-likelihood ones, so
    2(lml − null_lml) is the likelihood-ratio statistic.

    With 𝙱 = (𝙺 + v𝙸)⁻¹ and 𝙴 = [𝚇 𝐠], the effect sizes solve 𝙴ᵀ𝙱𝙴[𝜶; β] = 𝙴ᵀ𝙱𝐲, the scale is
    s = n⁻¹(𝐲 − 𝙴[𝜶; β])ᵀ𝙱(𝐲 − 𝙴[𝜶; β]), the standard errors are sqrt(diag(s·(𝙴ᵀ𝙱𝙴)⁻¹)) and

        log p(𝐲) = −½(n⋅log(2π) + log|𝙺 + v𝙸| + n⋅log s + n).

    How it is fast: candidates are read in column blocks sized by a memory budget; each block is
    rotated once, 𝚀₀ᵀ𝙶 (one matrix product, O(n⋅r) per candidate — a low-rank 𝙺 costs
    proportionally less); the per-candidate normal equations are reduced by the Schur complement
    against the covariate block shared by all candidates, so the whole block is handled with
    matrix operations, for any number of covariates. 𝚀₁ is never formed (𝚀₁𝚀₁ᵀ = 𝙸 − 𝚀₀𝚀₀ᵀ).

    Parameters
    ----------
    y
        Outcome, a finite vector of n values.
    X
        Covariates, a finite n×c matrix (a vector is one covariate); may be rank-deficient
        (minimum-norm effect sizes).
    QS
        Economic eigendecomposition ``((Q0, Q1), S0)`` of 𝙺 (Q1 is not used); ``None`` for no 𝙺
        (the null is then 𝓝(𝚇𝜶, s·v𝙸), a linear regression).
    v
        Variance of the identity term, v ≥ 0; it must be positive when 𝙺 is singular (fewer
        than n eigenvectors in Q0, or a zero eigenvalue).

    Raises
    ------
    ValueError
        If an input is not finite or has the wrong shape, ``v`` is negative (or zero with a
        singular 𝙺), or 𝐲 is a linear combination of the columns of 𝚇.

    Examples
    --------
    >>> from numpy import ones
    >>> from numpy.random import RandomState
    >>> from glimix.linalg import economic_qs_linear
    >>> from glimix.lmm import LMM
    >>>
    >>> random = RandomState(0)
    >>> n = 50
    >>> W = random.randn(n, 10)
    >>> G = random.randn(n, 3)
    >>> y = W @ random.randn(10) / 3 + G[:, 0] + random.randn(n)
    >>> lmm = LMM(y, ones((n, 1)), economic_qs_linear(W))
    >>> lmm.fit(verbose=False)
    >>> scanner = lmm.get_fast_scanner()
    >>> print('%.4f' % scanner.null_lml())
    -93.3405
    >>> r = scanner.fast_scan(G, verbose=False)
    >>> print(r["lml"].round(4))
    [-86.1307 -91.1507 -92.8346]
    >>> print(r["effsizes1"].round(4))
    [ 0.9164  0.4725 -0.195 ]
    >>> print(r["effsizes1_se"].round(4))
    [0.2242 0.2208 0.1929]
    >>> print('%.4f' % scanner.scan(G[:, :2])["lml"])
    -84.6347
    """

    def __init__(self, y: ArrayLike, X: ArrayLike, QS: Any, v: float) -> None:
        y = check_outcome(y)
        n = y.shape[0]
        X = check_covariates(X, n)
        kinship = KinshipOperator.of(QS, n)
        v = check_variance(v, "v")
        self._setup(RotatedNull.of(y, X, kinship), v)

    @classmethod
    def _from_rotated(cls, data: RotatedNull, v: float) -> FastScanner:
        """A scanner over already validated and rotated data (used by ``LMM``)."""
        scanner = cls.__new__(cls)
        scanner._setup(data, v)
        return scanner

    def _setup(self, data: RotatedNull, v: float) -> None:
        if v == 0 and (data.rank_k < data.n or np.any(data.S0 == 0)):
            raise ValueError(
                f"v must be positive when K is singular (rank {int(np.count_nonzero(data.S0))} "
                f"< n = {data.n}); the covariance K + v·I would not be invertible."
            )
        self._data = data
        self._null = NullFit.at(data, 1.0, v)

    # -- null model ------------------------------------------------------------------------------
    def null_lml(self) -> float:
        """Log of the marginal likelihood of the null model, with optimal 𝜶 and s."""
        return self._null.lml()

    @property
    def null_beta(self) -> Array:
        """Covariate effect sizes 𝜶 of the null model, solution of 𝚇ᵀ𝙱𝚇𝜶 = 𝚇ᵀ𝙱𝐲."""
        return self._null.beta

    @property
    def null_beta_covariance(self) -> Array:
        """Covariance of the null's effect sizes, s(𝚇ᵀ𝙱𝚇)⁻¹."""
        return self._null.beta_covariance

    @property
    def null_beta_se(self) -> Array:
        """Standard errors of the null's effect sizes, sqrt(diag(s(𝚇ᵀ𝙱𝚇)⁻¹))."""
        return np.sqrt(np.clip(np.diag(self.null_beta_covariance), 0.0, None))

    @property
    def null_scale(self) -> float:
        """Optimal scale of the null model, s = n⁻¹(𝐲 − 𝚇𝜶)ᵀ𝙱(𝐲 − 𝚇𝜶)."""
        return self._null.scale

    @cached_property
    def _rotation(self) -> Rotation:
        """The fixed-𝛿 rotation of the null, computed once for all blocks and calls."""
        return Rotation.of(self._null)

    @cached_property
    def _stacked_rotation(self) -> Array:
        """The exact scan's stacked rotation, computed once for all blocks and calls."""
        return stacked_rotation(self._data)

    @cached_property
    def _stacked_rotation_single(self) -> NDArray[np.float32]:
        """The exact scan's stacked rotation in float32 (``dtype="float32"``)."""
        return self._stacked_rotation.astype(np.float32)

    # -- scans -----------------------------------------------------------------------------------
    def fast_scan(
        self,
        G: Any,
        verbose: bool = True,
        exact: bool = False,
        memory_budget: int | None = None,
        dtype: Any = "float64",
    ) -> dict[str, Array]:
        """Test each column of 𝙶 on its own (or each set of columns, for a 3-D 𝙶).

        Parameters
        ----------
        G
            n×m candidates: a NumPy array or anything with a ``shape`` whose column slices
            ``numpy.asarray`` converts (a dask array is computed one block at a time). Must be
            finite. An n×m×k array holds m candidate *sets*: set j, the n×k matrix
            ``G[:, j, :]``, is tested jointly as :meth:`scan` would, but for all sets at once
            (an interaction test, say); ``effsizes1`` and ``effsizes1_se`` are then m×k.
        verbose
            Print the progress of the blocks.
        exact
            Re-estimate the variance ratio for each candidate (see the class notes); the
            result then also holds ``delta``, ``v0`` and ``v1``. For a 2-D 𝙶 only.
        memory_budget
            Bytes of working memory for a block of candidates (default 256 MiB); the block
            width is this budget over what one candidate needs (its column, its rotation and,
            for the exact test, its grid of likelihoods). The exact test also keeps a few
            fixed-size temporaries of about 8 MiB each.
        dtype
            ``"float64"`` (default) or ``"float32"``: the precision of the rotation of each
            block (𝚀₀ᵀ𝙶, the O(n⋅r) per candidate that dominates a scan), which single
            precision runs about twice as fast. Every statistic is then still accumulated in
            double precision; −log₁₀ p agrees with double precision to about 10⁻⁵ (documented
            in :doc:`/qtl`, tested). For single columns (a 2-D 𝙶) only.

        Returns
        -------
        dict
            ``lml`` (m,) — log marginal likelihoods; ``effsizes0`` (m×c) and ``effsizes0_se``
            — covariate effect sizes and standard errors; ``effsizes1`` (m,) and
            ``effsizes1_se`` — candidate effect sizes and standard errors; ``scale`` (m,) — the
            refitted s of s(𝙺 + v𝙸). With ``exact=True``, the candidate covariance is
            ``scale``·((1 − ``delta``)𝙺 + ``delta``·𝙸) = ``v0``·𝙺 + ``v1``·𝙸 instead.

            A candidate in the span of the covariates (a constant one, say) has no estimable
            effect: ``effsizes1`` is 0, ``effsizes1_se`` is ∞, and the rest are the null's.

        Raises
        ------
        ValueError
            If 𝙶 does not have n rows, has non-finite values, or is 3-D with ``exact=True``.
        """
        data = self._data
        n, r, p = data.n, data.rank_k, data.p
        single = single_precision(dtype)
        G, m = column_source(G, n, sets=True)
        sets = len(G.shape) == 3
        if sets and single:
            raise ValueError(
                "dtype='float32' applies to single columns: G must be two-dimensional "
                f"(samples × candidates); got shape {tuple(G.shape)}."
            )
        if sets and exact:
            raise ValueError(
                "exact=True tests single columns: G must be two-dimensional (samples × "
                f"candidates); got shape {tuple(G.shape)}. Test sets one at a time with "
                "scan(M, exact=True)."
            )
        k = int(G.shape[2]) if sets else 1
        c = data.basis.T.shape[0]
        effect_shape = (m, k) if sets else (m,)
        out = {
            "lml": np.empty(m),
            "effsizes0": np.empty((m, c)),
            "effsizes0_se": np.empty((m, c)),
            "effsizes1": np.empty(effect_shape),
            "effsizes1_se": np.empty(effect_shape),
            "scale": np.empty(m),
        }
        if exact:
            out.update(delta=np.empty(m), v0=np.empty(m), v1=np.empty(m))
            per_column = bytes_per_column(n, r, p)
        else:
            per_column = 8 * (max(k, 1) * (n + r + p + 1 + k) + 16)
        width = align_to_chunks(G, block_width(per_column, memory_budget))
        nblocks = math.ceil(m / width) if m else 0
        if verbose:
            kind = "exact (𝛿 refitted)" if exact else "fixed 𝛿"
            what = f"sets of {k} columns" if sets else "candidates"
            print(f"Scanning {m} {what}, {kind}, in {nblocks} block(s) of ≤ {width}.")
        if exact:
            Z = self._stacked_rotation
            Z_single = self._stacked_rotation_single if single else None
        else:
            rotation = self._rotation
            workspace = np.empty(rotation.block_rows(sets) * min(width, m) * k)
        for i, (start, stop, block) in enumerate(column_blocks(G, m, width), 1):
            if exact:
                result = scan_block_exact(data, Z, block, start, Z_single)
            elif sets:
                result = scan_block_sets(self._null, rotation, block, start, workspace)
            else:
                result = scan_block(self._null, rotation, block, start, workspace, single)
            for key, values in result.items():
                out[key][start:stop] = values
            if verbose:
                print(f"  block {i}/{nblocks}: candidates {start}–{stop - 1} done")
        return out

    def test(
        self,
        block: ArrayLike,
        design: ArrayLike | None = None,
        exact: bool = False,
        dtype: Any = "float64",
    ) -> ScanResult:
        """The scanner protocol: test each candidate of an n×b block against the null.

        Parameters
        ----------
        block
            n×b finite candidates.
        design
            ``None``: each candidate is one column (1 degree of freedom). An n×e matrix 𝙴: each
            candidate 𝐠 enters as the e columns 𝐠⊙𝐞₁, …, 𝐠⊙𝐞ₑ, tested jointly (e degrees of
            freedom; an interaction test).
        exact
            Re-estimate the variance ratio for each candidate (``design=None`` only).
        dtype
            Precision of the rotation of the block (``design=None`` only): see
            :meth:`fast_scan`.

        Returns
        -------
        ScanResult
            As :meth:`fast_scan`'s arrays; ``effsizes1`` is b×e with a design.
        """
        block = np.asarray(block, dtype=float)
        b = block.shape[1]
        if design is None:
            r = self.fast_scan(block, verbose=False, exact=exact, dtype=dtype)
            k = 1
        else:
            if single_precision(dtype):
                raise ValueError("dtype='float32' applies to tests without a design.")
            E = check_covariates(design, block.shape[0], "design")
            k = E.shape[1]
            sets = block[:, :, None] * E[:, None, :]
            r = self.fast_scan(sets[:, :, 0] if k == 1 else sets, verbose=False, exact=exact)
        shape = (b,) if design is None else (b, k)
        return ScanResult(
            lml=np.asarray(r["lml"], float),
            effsizes0=np.asarray(r["effsizes0"], float),
            effsizes0_se=np.asarray(r["effsizes0_se"], float),
            effsizes1=np.asarray(r["effsizes1"], float).reshape(shape),
            effsizes1_se=np.asarray(r["effsizes1_se"], float).reshape(shape),
            scale=np.asarray(r["scale"], float),
            dof=np.full(b, k, dtype=np.int64),
        )

    def scan(self, M: ArrayLike, exact: bool = False) -> dict[str, float | Array]:
        """Test the columns of 𝙼 jointly: 𝐲 ∼ 𝓝(𝚇𝜶 + 𝙼𝜷, s(𝙺 + v𝙸)).

        Parameters
        ----------
        M
            n×k finite matrix of candidates (a vector is one candidate). With k = 0 the
            result is the null model's.
        exact
            Re-estimate the variance ratio as well (grid over logit(𝛿) and Brent, as
            :meth:`glimix.lmm.LMM.fit`); the result then also holds ``delta``, ``v0``, ``v1``.
            With an empty 𝙼 this is the null model maximised over 𝛿.

        Returns
        -------
        dict
            ``lml``, ``scale`` (floats), ``effsizes0``, ``effsizes0_se`` (c,), ``effsizes1``,
            ``effsizes1_se`` (k,). Effects that collinear candidates make inseparable get an
            infinite standard error (and minimum-norm estimates).
        """
        data = self._data
        M = check_covariates(M, data.n, "M")
        cols = RotatedSet.of(data, M)

        def test(fit: NullFit) -> dict[str, Any]:
            result = joint_tests(fit, *cols.products(fit))
            return {
                key: float(value[0]) if key in ("lml", "scale") else value[0]
                for key, value in result.items()
            }

        if not exact:
            return test(self._null)

        def objective(theta: float) -> float:
            delta = float(logistic(theta))
            try:
                return test(NullFit.at(data, 1 - delta, delta))["lml"]
            except ValueError:
                return -math.inf

        theta, _ = maximize_over_logit(objective)
        delta = float(logistic(theta))
        result = test(NullFit.at(data, 1 - delta, delta))
        scale = result["scale"]
        result.update(delta=delta, v0=scale * (1 - delta), v1=scale * delta)
        return result
