"""One block of candidates tested with the variance ratio re-estimated for each (exact test).

For candidate 𝐠ⱼ the alternative is 𝐲 ∼ 𝓝(𝚄𝜸 + 𝐠ⱼβ, s((1−𝛿)𝙺 + 𝛿𝙸)) with 𝜸, β, s and 𝛿 all
fitted, as GEMMA and FaST-LMM do; 𝙺 = 𝚀₀𝚂₀𝚀₀ᵀ is the scanner's. For a given 𝛿 the profiled
log-likelihood follows from the Schur complement exactly as in ``_scan_fixed``, with
𝙱(𝛿) = 𝚀₀ diag(𝐰₀(𝛿)) 𝚀₀ᵀ + w₁(𝛿)𝙸. Every 𝛿-dependent product is a weighted sum over the
eigenvalues, ∑ᵢ 𝐰₀ᵢ(𝛿)·(𝚀₀ᵀ𝐮)ᵢ(𝚀₀ᵀ𝐯)ᵢ, so for the block 𝚁 = 𝚀₀ᵀ𝙶 (rotated once):

1. a grid of L = 81 values of θ = logit(𝛿) over [−20, 20] (spacing 0.5, as ``LMM.fit``) is
   evaluated for all candidates at once by two matrix products with r×L(c + 1) weight matrices
   (see ``_Block.grid_lml``) — BLAS-3, about (c + 2)·L multiply-adds per entry of 𝚁;
2. each candidate's best grid point and its two neighbours bracket its maximum; the
   log-likelihood is evaluated at the 17 Chebyshev points of the bracket — candidates sharing a
   bracket share these 𝛿s, so this is the grid's BLAS-3 computation again — and the maximiser
   of the degree-16 interpolant (``_chebyshev_max``) is taken. As functions of θ the
   weights and the log-determinant are analytic in the strip |Im θ| < π (their singularities
   are where (1 − 𝛿)sᵢ + 𝛿 = 0, i.e. θ = log sᵢ ± iπ), which in the coordinates of a bracket
   of half-width ≤ ½ lies outside the Bernstein ellipse of ρ ≈ 12.6, where interpolation
   converges like ρ⁻¹⁶ ≈ 10⁻¹⁸; the complex zeros of the profiled scale can come closer, and
   step 3 catches a candidate whose interpolant is not accurate;
3. every candidate is evaluated once at its own 𝛿ⱼ (all outputs), in chunks of candidates,
   with matrix products, row-wise reductions and batched c×c solves. Where that value and the
   interpolant's maximum differ by more than 10⁻⁸ (or a bracket's values were not finite),
   Brent's method refines the candidate within its bracket instead, all such candidates in
   lock-step (``_brent``).

Evaluating each candidate at its own 𝛿 costs about (c + 6) passes over its r rotated values,
the shared-𝛿 products a few multiply-adds: the interpolation replaced Brent's five such
evaluations per candidate by one (n = 2000, 50,000 candidates: 14.6 s → 8.0 s for the whole
benchmark, ``benchmarks/peers``).

Accuracy: the log-likelihood reported is evaluated exactly at the 𝛿ⱼ found; that 𝛿ⱼ is the
interpolant's maximiser (within about 10⁻⁸ of the log-likelihood's maximum by the check above)
or Brent's, whose refinement stops when its bracket on θ is below about 10⁻⁶, or when a
parabolic step of at most 10⁻³ gains at most 10⁻⁹ in log-likelihood. The maximum is the global
one unless another mode lies within one grid step (Δθ = 0.5) of a higher one — the caveat of
any grid-seeded search, and why the grid spans the whole range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .._optimize._brent import maximize_brackets
from .._optimize._chebyshev_max import chebyshev_points, maximize_interpolants
from .._optimize._delta_search import logistic, logit_grid
from ._fixed_ratio import schur_test
from ._rotated import RotatedNull
from ._scan_fixed import check_finite_columns

__all__ = [
    "NGRID_EXACT",
    "XATOL_EXACT",
    "bytes_per_column",
    "scan_block_exact",
    "stacked_rotation",
]

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Grid points over logit(𝛿) ∈ [−20, 20] shared by all candidates (spacing 0.5).
NGRID_EXACT = 81
#: Smallest θ = logit(𝛿) searched when 𝙺 leaves directions out (r < n); see ``scan_block_exact``.
SINGULAR_MIN_THETA = -12.0

#: Brent's absolute tolerance on logit(𝛿).
XATOL_EXACT = 1e-6
#: Degree of the interpolant of each candidate's log-likelihood over its grid bracket.
INTERPOLATION_DEGREE = 16
#: Largest difference between the interpolant's maximum and the log-likelihood evaluated at its
#: maximiser for the interpolated answer to stand; other candidates are refined by Brent.
INTERPOLATION_TOLERANCE = 1e-8


def stacked_rotation(data: RotatedNull) -> Array:
    """[𝚀₀ 𝚄 𝐲] when r < n (its products with 𝙶 are all that is needed), else 𝚀₀."""
    if data.rank_k == data.n:
        return data.Q0
    return np.column_stack([data.Q0, data.basis.U, data.y])


def bytes_per_column(n: int, r: int, p: int) -> int:
    """Working memory one candidate needs in the exact scan.

    The block (n), its rotation (r + p + 1), the grid's products and log-likelihoods
    (about (p + 6)·L) and Brent's state; the chunk temporaries (a few r×chunk arrays, about
    40 MiB) do not grow with the block.
    """
    return 8 * (n + r + p + 1 + NGRID_EXACT * (p + 6) + 2 * p * p + 32)


#: Candidates are evaluated in chunks of about this many entries of r-vectors (8 MiB), so that
#: the r×chunk temporaries stay in cache instead of streaming r×b arrays through memory.
_CHUNK_ENTRIES = 2**20


@dataclass(frozen=True)
class _Block:
    """A block of candidates rotated once, one row per candidate (so that any subset of
    candidates is a gather of contiguous rows): 𝚁ᵀ = (𝚀₀ᵀ𝙶)ᵀ and, when r < n, [𝚄 𝐲]ᵀ𝙶 as
    rows (``raw``, b×(p + 1)) and ‖𝐠ⱼ‖²."""

    data: RotatedNull
    RT: Array
    raw: Array | None
    gg: Array | None
    #: [𝚀₀ᵀ𝚄 𝚀₀ᵀ𝐲], r×(p + 1).
    QUy: Array

    def _chunks(self, size: int) -> list[slice]:
        step = max(1, _CHUNK_ENTRIES // max(1, self.data.rank_k))
        return [slice(i, min(i + step, size)) for i in range(0, size, step)]

    def grid_lml(self, delta: Array, start: int, rows: IntArray | None = None) -> Array:
        """log p(𝐲) of every candidate (or of ``rows``) at every 𝛿 of the grid, shape (b, L).

        With 𝙰ₗ = 𝚄ᵀ𝙱ₗ𝚄 = 𝙻ₗ𝙻ₗᵀ and 𝙲ₗ = 𝙻ₗ⁻ᵀ (so 𝙰ₗ⁻¹ = 𝙲ₗ𝙲ₗᵀ), the Schur complement and
        the candidate's score are

            σ = 𝐠ᵀ𝙱ₗ𝐠 − ‖𝙲ₗᵀ𝚄ᵀ𝙱ₗ𝐠‖²,   η = 𝐠ᵀ𝙱ₗ(𝐲 − 𝚄𝜸ₗ),

        and every term is linear in the rotated candidate 𝐫 = 𝚀₀ᵀ𝐠 with weights that depend on
        ℓ only: two products (𝚁∘𝚁)ᵀ𝚆₀ and 𝚁ᵀ[𝚃 𝙴] give all of them for the whole grid, with
        𝚃ᵢ,ₗₘ = 𝚆₀ᵢₗ(𝚀₀ᵀ𝚄𝙲ₗ)ᵢₘ and 𝙴ᵢₗ = 𝚆₀ᵢₗ(𝚀₀ᵀ𝐲 − 𝚀₀ᵀ𝚄𝜸ₗ)ᵢ.

        Raises ``ValueError`` if a candidate has a non-finite value (``start`` is the index of
        the block's first column).
        """
        data = self.data
        n, p, L = data.n, data.p, delta.size
        W0, w1 = data.kinship.inverse_weights(1 - delta, delta)
        ld = data.kinship.logdet(1 - delta, delta)
        yBy, UBy, UBU = data.products(W0, w1)
        C, usable = _inverse_factors(UBU)
        gamma = np.einsum("lkm,ljm,lj->lk", C, C, UBy)
        Qn = yBy - np.einsum("lk,lk->l", UBy, gamma)
        T = W0[:, :, None] * np.einsum("ik,lkm->ilm", data.QU, C)
        E = W0 * (data.Qy[:, None] - data.QU @ gamma.T)
        TE = np.concatenate([T.reshape(T.shape[0], L * p), E], axis=1)
        RT, raw, gg = self.RT, self.raw, self.gg
        if rows is not None:
            RT = RT[rows]
            raw = None if raw is None else raw[rows]
            gg = None if gg is None else gg[rows]
        b = RT.shape[0]
        d = np.empty((b, L))
        uv = np.empty((b, L * (p + 1)))
        # A non-finite candidate makes inf·0 here; it is reported by the check.
        with np.errstate(invalid="ignore", over="ignore"):
            for part in self._chunks(b):
                R = RT[part]
                d[part] = (R * R) @ W0
                uv[part] = R @ TE
            if raw is not None:
                assert gg is not None
                d += gg[:, None] * w1
                raw_u = np.einsum("bk,lkm->blm", raw[:, :p], C) * w1[None, :, None]
                uv[:, : L * p] += raw_u.reshape(b, L * p)
                uv[:, L * p :] += (raw[:, p][:, None] - raw[:, :p] @ gamma.T) * w1
        check_finite_columns(d, start)
        u = uv[:, : L * p].reshape(b, L, p)
        sigma = d - np.einsum("blm,blm->bl", u, u)
        lml = schur_test(d, sigma, uv[:, L * p :], Qn, ld, n)[0]
        lml[:, ~usable] = -np.inf
        return lml

    def at(self, delta: Array, idx: IntArray, full: bool = False) -> dict[str, Array]:
        """Candidates ``idx``, each at its own 𝛿; ``full`` adds effect sizes and errors."""
        parts = [self._at(delta[c], idx[c], full) for c in self._chunks(idx.size)]
        return {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}

    def _at(self, delta: Array, idx: IntArray, full: bool) -> dict[str, Array]:
        data = self.data
        n, r, p = data.n, data.rank_k, data.p
        # One row per candidate: 𝙳 = 1/((1−𝛿)𝚂₀ + 𝛿) = 𝐰₀ + w₁, computed in place.
        D = np.multiply.outer(1 - delta, data.S0)
        D += delta[:, None]
        ld = np.sum(np.log(D), axis=1)
        np.reciprocal(D, out=D)
        if r < n:
            ld += (n - r) * np.log(delta)
            w1 = 1 / delta
        else:
            w1 = np.zeros_like(delta)
        yBy, UBy, UBU = data.products_of_inverse(D, w1)
        if r < n:
            D -= w1[:, None]  # now 𝐰₀
        R = self.RT[idx]
        RW = np.multiply(R, D, out=D)
        d = np.einsum("ji,ji->j", R, RW)
        ae = RW @ self.QUy
        if self.raw is not None:
            assert self.gg is not None
            d += self.gg[idx] * w1
            ae += self.raw[idx] * w1[:, None]
        a, e = ae[:, :p], ae[:, p]
        rhs = [a[:, :, None], UBy[:, :, None]]
        if full:
            rhs.append(np.broadcast_to(np.eye(p), (idx.size, p, p)))
        sol = _solve(UBU, np.concatenate(rhs, axis=2))
        h, g0 = sol[:, :, 0], sol[:, :, 1]
        sigma = d - np.einsum("mk,mk->m", a, h)
        eta = e - np.einsum("mk,mk->m", a, g0)
        Qn = yBy - np.einsum("mk,mk->m", UBy, g0)
        lml, beta, ok, safe_sigma, scale = schur_test(d, sigma, eta, Qn, ld, n)
        out = {"lml": lml}
        if full:
            basis = data.basis
            Ainv = sol[:, :, 2:]
            gamma = g0 - h * beta[:, None]
            base = np.einsum("ck,mkq,cq->mc", basis.T, Ainv, basis.T)
            Th = h @ basis.T.T
            ratio = np.where(ok, 1.0 / safe_sigma, 0.0)
            out.update(
                effsizes0=gamma @ basis.T.T,
                effsizes0_se=np.sqrt(scale[:, None] * (base + Th**2 * ratio[:, None])),
                effsizes1=beta,
                effsizes1_se=np.where(ok, np.sqrt(scale / safe_sigma), np.inf),
                scale=scale,
                delta=delta,
                v0=scale * (1 - delta),
                v1=scale * delta,
            )
        return out


def _inverse_factors(A: Array) -> tuple[Array, NDArray[np.bool_]]:
    """𝙲ₗ = 𝙻ₗ⁻ᵀ for each 𝙰ₗ = 𝙻ₗ𝙻ₗᵀ (so 𝙰ₗ⁻¹ = 𝙲ₗ𝙲ₗᵀ), and which 𝙰ₗ are positive definite.

    A grid point where 𝚄ᵀ𝙱𝚄 is numerically singular (only conceivable at the extreme ends of the
    grid) gets zero factors and is excluded from the search rather than failing the scan.
    """
    L, p, _ = A.shape
    C = np.zeros(A.shape)
    usable = np.ones(L, dtype=bool)
    if p == 0:
        return C, usable
    try:
        return np.swapaxes(np.linalg.inv(np.linalg.cholesky(A)), 1, 2), usable
    except np.linalg.LinAlgError:
        pass
    for i in range(L):
        try:
            C[i] = np.linalg.inv(np.linalg.cholesky(A[i])).T
        except np.linalg.LinAlgError:
            usable[i] = False
    return C, usable


def _solve(A: Array, B: Array) -> Array:
    """Batched solve of the candidates' covariate systems (pseudo-inverse if one is singular)."""
    if A.shape[-1] == 0:
        return np.zeros(B.shape)
    try:
        return np.linalg.solve(A, B)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(A, hermitian=True) @ B


def scan_block_exact(
    data: RotatedNull,
    Z: Array,
    G: Array,
    start: int = 0,
    Z_single: NDArray[np.float32] | None = None,
) -> dict[str, Array]:
    """Test each column of ``G`` with 𝛿 re-estimated per candidate.

    Parameters
    ----------
    data
        The rotated null data (𝙺 = 𝚀₀𝚂₀𝚀₀ᵀ is the scanner's).
    Z
        :func:`stacked_rotation` of ``data``.
    G
        An n×b block of candidates.
    start
        Index of the block's first column in the whole candidate matrix (for error messages).
    Z_single
        ``Z`` in float32: the products 𝙶ᵀ𝚉 in single precision, returned in float64 (the grid,
        the optimisation and the statistics stay in double); ``None`` for double precision.

    Returns
    -------
    dict
        ``lml``, ``effsizes1``, ``effsizes1_se``, ``scale``, ``delta``, ``v0``, ``v1`` (b,),
        ``effsizes0``, ``effsizes0_se`` (b×c).

    Raises
    ------
    ValueError
        If a column of ``G`` has a non-finite value.
    """
    n, r = data.n, data.rank_k
    with np.errstate(invalid="ignore", over="ignore"):
        if Z_single is None:
            GZ = G.T @ Z  # one row per candidate
        else:
            GZ = (np.asarray(G, dtype=np.float32).T @ Z_single).astype(np.float64)
        gg = np.einsum("ij,ij->j", G, G) if r < n else None
    raw = GZ[:, r:] if r < n else None
    block = _Block(data, GZ[:, :r], raw, gg, np.column_stack([data.QU, data.Qy]))
    grid = logit_grid(NGRID_EXACT)
    if r < n:
        # With directions outside span(𝚀₀), products carry a weight 1/𝛿 and this path's
        # normal-equation formulas lose about log₁₀(1/𝛿) digits: below θ = −12 (𝛿 ≈ 6⋅10⁻⁶)
        # the grid values were garbage for centred kinships. GEMMA bounds λ ≤ 10⁵ likewise.
        grid = grid[grid >= SINGULAR_MIN_THETA]
    values = block.grid_lml(logistic(grid), start)
    b = G.shape[1]
    rows = np.arange(b)
    k = np.argmax(values, axis=1)
    lo, hi = np.maximum(k - 1, 0), np.minimum(k + 1, grid.size - 1)
    theta, predicted = _interpolated_maxima(block, grid, lo, hi, start)
    result = block.at(logistic(theta), rows, full=True)
    # The interpolant's maximum is the likelihood's where both agree; elsewhere Brent decides.
    agree = np.abs(result["lml"] - predicted) <= INTERPOLATION_TOLERANCE
    agree &= result["lml"] >= values[rows, k] - INTERPOLATION_TOLERANCE
    doubtful = np.flatnonzero(~agree)
    if doubtful.size:
        refined = _brent_refine(block, grid, values, k, lo, hi, doubtful)
        for key, value in refined.items():
            result[key][doubtful] = value
    return result


def _interpolated_maxima(
    block: _Block, grid: Array, lo: IntArray, hi: IntArray, start: int
) -> tuple[Array, Array]:
    """Each candidate's maximiser over [θ_lo, θ_hi] of the interpolant of its log-likelihood.

    The log-likelihood at the Chebyshev points of each bracket comes from the shared-𝛿 grid
    products (candidates with the same bracket share their 𝛿s); see the module docstring.
    """
    nodes = chebyshev_points(INTERPOLATION_DEGREE)
    theta = np.empty(lo.size)
    predicted = np.empty(lo.size)
    brackets, owner = np.unique(np.stack([lo, hi], axis=1), axis=0, return_inverse=True)
    for which, (left, right) in enumerate(brackets):
        rows = np.flatnonzero(owner.ravel() == which)
        centre, half = 0.5 * (grid[left] + grid[right]), 0.5 * (grid[right] - grid[left])
        samples = block.grid_lml(logistic(centre + half * nodes), start, rows)
        x, px = maximize_interpolants(samples)
        theta[rows] = centre + half * x
        predicted[rows] = px
    # A bracket whose interpolant failed (NaN) is left to Brent: evaluate at its centre.
    failed = ~np.isfinite(theta)
    theta[failed] = 0.5 * (grid[lo[failed]] + grid[hi[failed]])
    predicted[failed] = np.nan
    return theta, predicted


def _brent_refine(
    block: _Block,
    grid: Array,
    values: Array,
    k: IntArray,
    lo: IntArray,
    hi: IntArray,
    which: IntArray,
) -> dict[str, Array]:
    """Brent's method, in lock-step, for the candidates ``which`` within their grid brackets."""
    best = _BestSoFar(values[which, k[which]])

    def objective(t: Array, idx: IntArray) -> Array:
        return best.offer(idx, block.at(logistic(t), which[idx], full=True))

    theta, lml = maximize_brackets(
        objective,
        grid[lo[which]],
        grid[k[which]],
        grid[hi[which]],
        values[which, lo[which]],
        values[which, k[which]],
        values[which, hi[which]],
        xatol=XATOL_EXACT,
    )
    # Brent's best point was evaluated (with every output) unless no step beat the grid point.
    missing = np.flatnonzero(~best.held | (best.lml != lml))
    if missing.size:
        out = block.at(logistic(theta[missing]), which[missing], full=True)
        best.offer(missing, out, force=True)
    return best.results


class _BestSoFar:
    """Every output at each candidate's best evaluated 𝛿, kept while Brent's method runs.

    Brent's best point is always one it evaluated, so keeping the full outputs of each
    improving evaluation spares a last evaluation of every candidate at its maximiser.
    """

    def __init__(self, start_lml: Array) -> None:
        self.lml = np.array(start_lml, dtype=float)
        self.held = np.zeros(self.lml.shape, dtype=bool)
        self.results: dict[str, Array] = {}

    def offer(self, idx: IntArray, out: dict[str, Array], force: bool = False) -> Array:
        """Keep the outputs of candidates ``idx`` that are at least as good; return their lml."""
        lml = out["lml"]
        # Brent moves to a point whose value ties the best one, so ties are kept too.
        keep = np.ones(idx.size, dtype=bool) if force else lml >= self.lml[idx]
        chosen = idx[keep]
        for key, value in out.items():
            if key not in self.results:
                self.results[key] = np.empty((self.lml.size, *value.shape[1:]))
            self.results[key][chosen] = value[keep]
        self.lml[chosen] = lml[keep]
        self.held[chosen] = True
        return lml
