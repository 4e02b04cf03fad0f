"""One block of candidates tested with the variance ratio re-estimated for each (exact test).

For candidate 𝐠ⱼ the alternative is 𝐲 ∼ 𝓝(𝚄𝜸 + 𝐠ⱼβ, s((1−𝛿)𝙺 + 𝛿𝙸)) with 𝜸, β, s and 𝛿 all
fitted, as GEMMA and FaST-LMM do; 𝙺 = 𝚀₀𝚂₀𝚀₀ᵀ is the scanner's. For a given 𝛿 the profiled
log-likelihood follows from the Schur complement exactly as in ``_scan_fixed``, with
𝙱(𝛿) = 𝚀₀ diag(𝐰₀(𝛿)) 𝚀₀ᵀ + w₁(𝛿)𝙸. Every 𝛿-dependent product is a weighted sum over the
eigenvalues, ∑ᵢ 𝐰₀ᵢ(𝛿)·(𝚀₀ᵀ𝐮)ᵢ(𝚀₀ᵀ𝐯)ᵢ, so for the block 𝚁 = 𝚀₀ᵀ𝙶:

1. a shared grid of L values of θ = logit(𝛿) over [−20, 20] (spacing 1) is evaluated for all
   candidates at once by matrix products (𝚁∘𝚁)ᵀ𝚆₀, (𝚁∘𝚀₀ᵀ𝐲)ᵀ𝚆₀, (𝚁∘𝚀₀ᵀ𝐮ₖ)ᵀ𝚆₀ with the r×L
   weight matrix 𝚆₀ — BLAS-3, about (c + 2)·L multiply-adds per entry of 𝚁;
2. each candidate's best grid point and its two neighbours seed Brent's method, run for all
   candidates in lock-step (``_brent``): each step evaluates every unfinished candidate at its own
   𝛿ⱼ with column-wise reductions over 𝚁 and batched c×c solves.

Accuracy: θ is refined until Brent's bracket is below about 10⁻⁶, so the reported 𝛿ⱼ is a local
maximiser to that precision and the log-likelihood is within O(10⁻¹⁰) of that local maximum. The
maximum is global unless another mode lies within one grid step (Δθ = 1) of a higher one — the
same caveat as any grid-seeded search, and the reason the grid spans the whole range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._brent import maximize_brackets
from ._delta_search import logistic, logit_grid
from ._eigen import inverse_weights, logdet
from ._null import LOG_2PI
from ._rotated import RotatedNull
from ._scan_fixed import COLLINEAR_RTOL, check_finite_columns

__all__ = [
    "NGRID_EXACT",
    "XATOL_EXACT",
    "bytes_per_column",
    "scan_block_exact",
    "stacked_rotation",
]

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Grid points over logit(𝛿) ∈ [−20, 20] shared by all candidates (spacing 1).
NGRID_EXACT = 41

#: Brent's absolute tolerance on logit(𝛿).
XATOL_EXACT = 1e-6


def stacked_rotation(data: RotatedNull) -> Array:
    """[𝚀₀ 𝚄 𝐲] when r < n (its products with 𝙶 are all that is needed), else 𝚀₀."""
    if data.rank_k == data.n:
        return data.Q0
    return np.column_stack([data.Q0, data.basis.U, data.y])


def bytes_per_column(n: int, r: int, p: int) -> int:
    """Working memory one candidate needs in the exact scan."""
    return 8 * (n + 8 * r + NGRID_EXACT * (2 * p + 8) + 2 * p * p + 16)


#: Candidates are evaluated in chunks of about this many r-vectors' entries, so that the
#: r×chunk temporaries stay in cache instead of streaming r×b arrays through memory.
_CHUNK_ENTRIES = 2**20


@dataclass(frozen=True)
class _Block:
    """A block of candidates rotated once: 𝚁 = 𝚀₀ᵀ𝙶 and, when r < n, 𝚄ᵀ𝙶, 𝐲ᵀ𝙶, ‖𝐠ⱼ‖²."""

    data: RotatedNull
    R: Array
    raw: Array | None
    gg: Array | None

    def _chunks(self, size: int) -> list[slice]:
        step = max(1, _CHUNK_ENTRIES // max(1, self.data.rank_k))
        return [slice(i, min(i + step, size)) for i in range(0, size, step)]

    def grid_lml(self, delta: Array, start: int) -> Array:
        """log p(𝐲) of every candidate at every 𝛿 of the grid, shape (b, L).

        Raises ``ValueError`` if a candidate has a non-finite value (``start`` is the index of
        the block's first column).
        """
        data = self.data
        n = data.n
        W0, w1 = inverse_weights(data.S0, n, 1 - delta, delta)
        ld = logdet(data.S0, n, 1 - delta, delta)
        yBy, UBy, UBU = data.products(W0, w1)
        Ainv = np.linalg.inv(UBU) if data.p else np.zeros(UBU.shape)
        g0 = np.einsum("lkq,lq->lk", Ainv, UBy)
        Qn = yBy - np.einsum("lk,lk->l", UBy, g0)
        b = self.R.shape[1]
        d = np.empty((b, delta.size))
        # A non-finite candidate makes inf·0 here; it is reported by the check.
        with np.errstate(invalid="ignore", over="ignore"):
            for part in self._chunks(b):
                d[part] = self._grid_d(part, W0, w1)
        check_finite_columns(d, start)
        lml = np.empty((b, delta.size))
        for part in self._chunks(b):
            lml[part] = self._grid_rest(part, W0, w1, d[part], Ainv, g0, Qn, ld)
        return lml

    def _grid_d(self, part: slice, W0: Array, w1: Array) -> Array:
        R = self.R[:, part]
        d = (R * R).T @ W0
        if self.gg is not None:
            d += self.gg[part, None] * w1
        return d

    def _grid_rest(
        self,
        part: slice,
        W0: Array,
        w1: Array,
        d: Array,
        Ainv: Array,
        g0: Array,
        Qn: Array,
        ld: Array,
    ) -> Array:
        data = self.data
        p = data.p
        R = self.R[:, part]
        e = (R * data.Qy[:, None]).T @ W0
        a = np.empty((p, R.shape[1], W0.shape[1]))
        for k in range(p):
            a[k] = (R * data.QU[:, k : k + 1]).T @ W0
        if self.raw is not None:
            e += self.raw[p, part, None] * w1
            a += self.raw[:p, part, None] * w1
        h = np.einsum("lkq,qbl->kbl", Ainv, a)
        sigma = d - np.einsum("kbl,kbl->bl", a, h)
        eta = e - np.einsum("lk,kbl->bl", g0, a)
        return _lml(data.n, ld, Qn, sigma, eta, d)[0]

    def at(self, delta: Array, idx: IntArray, full: bool = False) -> dict[str, Array]:
        """Candidates ``idx``, each at its own 𝛿; ``full`` adds effect sizes and errors."""
        parts = [self._at(delta[c], idx[c], full) for c in self._chunks(idx.size)]
        return {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}

    def _at(self, delta: Array, idx: IntArray, full: bool) -> dict[str, Array]:
        data = self.data
        n, r, p = data.n, data.rank_k, data.p
        # D₀ = (1−𝛿)𝚂₀ + 𝛿 once, for both the log-determinant and the weights (in place).
        W0 = np.multiply.outer(data.S0, 1 - delta)
        W0 += delta
        ld = np.sum(np.log(W0), axis=0)
        np.reciprocal(W0, out=W0)
        if r < n:
            ld += (n - r) * np.log(delta)
            w1 = 1 / delta
            W0 -= w1
        else:
            w1 = np.zeros_like(delta)
        yBy, UBy, UBU = data.products(W0, w1)
        R = self.R[:, idx]
        RW = np.multiply(R, W0, out=W0)
        d = np.einsum("ij,ij->j", R, RW)
        ae = np.einsum("ik,ij->kj", np.column_stack([data.QU, data.Qy]), RW)
        if self.raw is not None:
            assert self.gg is not None
            d += self.gg[idx] * w1
            ae += self.raw[:, idx] * w1
        a, e = ae[:p].T, ae[p]
        rhs = [a[:, :, None], UBy[:, :, None]]
        if full:
            rhs.append(np.broadcast_to(np.eye(p), (idx.size, p, p)))
        sol = _solve(UBU, np.concatenate(rhs, axis=2))
        h, g0 = sol[:, :, 0], sol[:, :, 1]
        sigma = d - np.einsum("mk,mk->m", a, h)
        eta = e - np.einsum("mk,mk->m", a, g0)
        Qn = yBy - np.einsum("mk,mk->m", UBy, g0)
        lml, beta, ok, safe_sigma, scale = _lml(n, ld, Qn, sigma, eta, d)
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


def _solve(A: Array, B: Array) -> Array:
    if A.shape[-1] == 0:
        return np.zeros(B.shape)
    return np.linalg.solve(A, B)


def _lml(
    n: int, ld: Array, Qn: Array, sigma: Array, eta: Array, d: Array
) -> tuple[Array, Array, Array, Array, Array]:
    ok = sigma > COLLINEAR_RTOL * d
    safe_sigma = np.where(ok, sigma, 1.0)
    beta = np.where(ok, eta / safe_sigma, 0.0)
    scale = np.maximum(Qn - beta * eta, 0.0) / n
    with np.errstate(divide="ignore"):
        lml = -0.5 * (n * (LOG_2PI + 1) + ld + n * np.log(scale))
    return lml, beta, ok, safe_sigma, scale


def scan_block_exact(
    data: RotatedNull, Z: Array, G: Array, start: int = 0
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
        ZG = Z.T @ G
        gg = np.einsum("ij,ij->j", G, G) if r < n else None
    raw = ZG[r:] if r < n else None
    block = _Block(data, ZG[:r], raw, gg)
    grid = logit_grid(NGRID_EXACT)
    values = block.grid_lml(logistic(grid), start)
    b = G.shape[1]
    rows = np.arange(b)
    k = np.argmax(values, axis=1)
    lo, hi = np.maximum(k - 1, 0), np.minimum(k + 1, NGRID_EXACT - 1)
    theta, _ = maximize_brackets(
        lambda t, idx: block.at(logistic(t), idx)["lml"],
        grid[lo],
        grid[k],
        grid[hi],
        values[rows, lo],
        values[rows, k],
        values[rows, hi],
        xatol=XATOL_EXACT,
    )
    return block.at(logistic(theta), rows, full=True)
