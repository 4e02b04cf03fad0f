"""Exact multi-trait test: C₀ and C₁ re-estimated under every alternative, batched over candidates.

The model of candidate 𝐠 is vec(Y) ∼ 𝓝((A⊗X)vec(B) + (A₁⊗𝐠)𝛃, C₀⊗GGᵀ + C₁⊗I), maximised over
B, 𝛃, C₀ and C₁ for each candidate, as the established exact multi-trait LMMs do.

The algebra that makes this cheap
---------------------------------
Rotate by the left singular vectors Q₀ of G (σᵢ² the eigenvalues of GGᵀ, i ≤ r; the complement
has σ = 0). Write C₁ = L₁L₁ᵀ and L₁⁻¹C₀L₁⁻ᵀ = VΛVᵀ; with T = VᵀL₁⁻¹ every sample's covariance
σᵢ²C₀ + C₁ = T⁻¹(σᵢ²Λ + I)T⁻ᵀ, so

    log|K| = n⋅log|C₁| + ∑ₖ ℓ(λₖ),  ℓ(λ) = ∑ᵢ log(σᵢ²λ + 1),

and, with 𝐚ᵢ = [Q₀ᵀY, Q₀ᵀX, Q₀ᵀ𝐠]ᵢ (a row of p + c + 1 numbers), the residual quadratic form
is ∑ₖ 𝐡ₖᵀΨₖ𝐡ₖ for the Gram matrices

    Ψₖ = Ψ(λₖ) = ∑ᵢ 𝐚ᵢ𝐚ᵢᵀ/(σᵢ²λₖ + 1) + [the complement's Gram matrix],

where 𝐡ₖ = [Tₖ, −B(TA)ₖᵀ, −(TA₁)ₖ𝛃] is linear in the mean parameters. So B and 𝛃 are the
solution of a (c⋅q + q₁)-dimensional least-squares problem built from p small Gram matrices,
and the likelihood depends on the n samples only through Ψ(λ) and ℓ(λ) at p scalar
arguments λₖ. These are smooth functions of t = log(λ + 1/max σ²) (their poles lie at
Im t = π), so each is interpolated from its values at the Chebyshev points of panels of width 3
in t (the first centred on the null model's λₖ⁰, the others built when a candidate's λ reaches
them) to about 1e-12 relative accuracy. Beyond t = log(1/min σ²) — C₁ nearly singular in
direction k, λₖ → ∞ — a last panel interpolates, in z = 1/(λ + 1/max σ²) ∈ [0, z₀], the
functions zΨ and ℓ + r⋅log z, which stay analytic up to and including z = 0 (their poles lie
at z ≈ −σᵢ², at least z₀ away). One BLAS-3 product per block of candidates gives every node
of a panel, and each likelihood evaluation afterwards costs O(m⋅p³(c⋅q + q₁)³), independent
of n.

Each candidate's likelihood is maximised over θ = (L₀, L₁), the log-Cholesky factors of
C₀ = L₀L₀ᵀ and C₁ = L₁L₁ᵀ (lower triangles, the diagonals stored as logarithms: every θ is a
positive definite pair, and a covariance at the boundary of the cone is approached
geometrically rather than through the saddle that a zero diagonal entry of a plain Cholesky
factor is). Newton's method runs from the null's θ, vectorised over candidates: gradient and
Hessian by central finite differences of the interpolated likelihood, the Hessian's
eigenvalues λ replaced by −|λ| (saddle-free Newton), a line search that halves the step until
it gains and doubles it while it gains (towards a boundary each doubling halves the remaining
gap), stopping when the Newton decrement (the predicted gain) is below 1e-9. The likelihood
reported is then evaluated directly (exact sums over the samples) at the θ found; a candidate
whose direct and interpolated values differ by more than 1e-7 is optimised again on the direct
sums (the same code, slower).

When the covariates fit Y exactly on the directions GGᵀ leaves out (a centred kinship and an
offset), the maximum likelihood is unbounded along C₁ → singular; those directions are then left
out of the likelihood of the null and of every alternative (see ``_complement_is_fitted``).

Hand-written rather than scipy.optimize per candidate, because a Python-level optimiser call
per candidate would dominate the cost (10⁴ candidates × tens of evaluations).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._kron2sum_algebra import CandidateRotation, RotatedData

__all__ = ["ExactKronResult", "ExactKronTest"]

Array = NDArray[np.float64]

_LOG_2PI = math.log(2 * math.pi)

#: Chebyshev interpolation: degree and width of the panels in t = log(λ + 1/max σ²).
_DEGREE = 20
_PANEL_WIDTH = 3.0
#: Newton's method: iterations, stopping decrement (lml units), line-search halvings/doublings.
_MAX_NEWTON = 40
_DECREMENT_TOL = 1e-9
_HALVINGS = 30
_DOUBLINGS = 6
#: Key of the last panel, in z = 1/(λ + 1/max σ²), beyond every panel in t.
_Z_PANEL = 1 << 30
#: Starts: a singular C₀ (or C₁) of the null is lifted by this fraction of its mean variance.
_LIFT = 1e-3
#: Candidates whose Hessians at the null's θ give every candidate's first curvature.
_SHARED_HESSIANS = 8
#: Direct and interpolated likelihoods must agree to this (absolute, lml units).
_AGREEMENT = 1e-7
#: Eigenvalues of the mean-parameter Gram matrix at most this fraction of its largest are zero.
_RANK_RTOL = 1e-10

#: Ψ provider: (trait-direction k, λ (m,), candidate indices (m,)) → (Ψ (m×e×e), ℓ (m)).
PsiProvider = Callable[[int, Array, NDArray[np.intp]], tuple[Array, Array]]


@dataclass(frozen=True)
class ExactKronResult:
    """Per-candidate maxima of the exact multi-trait test (m candidates).

    Attributes
    ----------
    lml
        Maximum log-likelihood over B, 𝛃, C₀ and C₁ (m).
    effsizes0, effsizes0_se
        Covariate effect sizes B and their standard errors at that maximum (m×c×q).
    effsizes1, effsizes1_se
        Candidate effect sizes 𝛃 and standard errors (m×q₁), from (MᵢᵀK̂ᵢ⁻¹Mᵢ)⁻¹.
    C0, C1
        The re-estimated trait covariances (m×p×p).
    """

    lml: Array
    effsizes0: Array
    effsizes0_se: Array
    effsizes1: Array
    effsizes1_se: Array
    C0: Array
    C1: Array


def _complement_is_fitted(data: RotatedData) -> bool:
    """Whether the covariates fit Y exactly on the directions that GGᵀ leaves out.

    A centred kinship has GGᵀ𝟏 = 𝟎 and the offset spans that direction: there the residual is
    zero whatever C₁, and the likelihood grows without bound as C₁ becomes singular (the
    multi-trait form of the degenerate maximum likelihood that single-trait scans avoid by
    REML). Those directions carry no information about C₀ and C₁ once the mean fits them, so
    the exact test leaves them out of the likelihood — the null and every alternative alike.
    """
    if data.Yperp is None or data.XX.size == 0:
        return False
    total = float(np.trace(data.YY))
    if total == 0.0:
        return True
    fitted = np.linalg.lstsq(data.XX, data.XY, rcond=None)[0]
    residual = float(np.trace(data.YY - data.XY.T @ fitted))
    return residual <= 1e-10 * total


def _barycentric(x: Array, nodes: Array) -> Array:
    """Barycentric weights (m × nodes) of the Chebyshev-points interpolant at x (m,)."""
    k = nodes.size - 1
    w = np.where(np.arange(k + 1) % 2 == 0, 1.0, -1.0)
    w[0] *= 0.5
    w[-1] *= 0.5
    diff = x[:, None] - nodes[None, :]
    exact = diff == 0.0
    diff[exact] = 1.0
    terms = w / diff
    hit = exact.any(axis=1)
    terms[hit] = exact[hit].astype(float)
    return terms / terms.sum(axis=1, keepdims=True)


def _solve_gram(H: Array, b: Array, covariance: bool) -> tuple[Array, Array]:
    """𝛄 = H⁺𝐛 for each m×d×d Gram matrix H, and H⁺ when ``covariance`` (else zeros).

    H⁺ is the pseudo-inverse with eigenvalues below ``_RANK_RTOL`` of the largest taken as zero
    (a candidate collinear with the covariates). The well-conditioned H of almost every
    candidate is solved by Cholesky, which is several times faster than the eigendecomposition
    of a batch of small matrices; the others go through the eigendecomposition.
    """
    m, d = b.shape
    gamma = np.zeros((m, d))
    cov = np.zeros((m, d, d))
    eig = np.ones(m, dtype=bool)
    if d and not covariance:
        scale = np.sqrt(np.maximum(np.einsum("maa->ma", H), 1e-300))
        Hs = H / scale[:, :, None] / scale[:, None, :]  # unit diagonal: scale-free pivots
        try:  # the jitter keeps a singular H from failing the whole batch
            L = np.linalg.cholesky(Hs + 1e-8 * np.eye(d))
        except np.linalg.LinAlgError:
            L = None
        if L is not None:
            pivots = np.einsum("maa->ma", L) ** 2
            eig = ~np.all(pivots > 1e-5, axis=1)  # condition number below about 1e5
            good = ~eig
            bs = b[good] / scale[good]
            gamma[good] = np.linalg.solve(Hs[good], bs[:, :, None])[:, :, 0] / scale[good]
    if eig.any() and d:
        w, U = np.linalg.eigh(H[eig])
        top = np.max(np.abs(w), axis=1, keepdims=True, initial=0.0)
        keep = w > _RANK_RTOL * top
        inv = np.where(keep, 1.0 / np.where(keep, w, 1.0), 0.0)
        cov_e = np.einsum("mak,mk,mbk->mab", U, inv, U)
        cov[eig] = cov_e
        gamma[eig] = np.einsum("mab,mb->ma", cov_e, b[eig])
    return gamma, cov


def _saddle_free(hess: Array) -> Array:
    """−H with H's eigenvalues λ replaced by −|λ| (floored at 1e-8 of the largest): positive
    definite, so that directions where the likelihood is convex are climbed, not skipped."""
    w, U = np.linalg.eigh(hess)
    top = np.max(np.abs(w), axis=1, keepdims=True)
    w = np.maximum(np.abs(w), 1e-8 * top + 1e-300)
    return np.einsum("mpk,mk,mqk->mpq", U, w, U)


def _bfgs(B: Array, s: Array, y: Array) -> Array:
    """BFGS update of positive definite B (m×P×P) by steps s and gradient changes y (m×P).

    Here y = 𝐠ₖ − 𝐠ₖ₊₁ (ascent: B models the negated Hessian); pairs with sᵀy ≤ 0 — a
    curvature B cannot represent — leave B unchanged.
    """
    sy = np.einsum("mp,mp->m", s, y)
    Bs = np.einsum("mpq,mq->mp", B, s)
    sBs = np.einsum("mp,mp->m", s, Bs)
    ok = (sy > 1e-12 * np.sqrt(np.einsum("mp,mp->m", s, s) * np.einsum("mp,mp->m", y, y))) & (
        sBs > 0
    )
    new = B.copy()
    new[ok] += (
        y[ok, :, None] * y[ok, None, :] / sy[ok, None, None]
        - Bs[ok, :, None] * Bs[ok, None, :] / sBs[ok, None, None]
    )
    return new


class _Samples:
    """The rotated data of one block: the p + c fixed columns and the candidates (or none)."""

    def __init__(self, data: RotatedData, rot: CandidateRotation | None, drop_perp: bool) -> None:
        self.sx = data.sx
        self.F = np.hstack([data.Yq, data.Xq])  # r × (p + c)
        p, c = data.Yq.shape[1], data.Xq.shape[1]
        fixed = np.zeros((p + c, p + c))
        fixed[:p, :p] = data.YY
        fixed[p:, :p] = data.XY
        fixed[:p, p:] = data.XY.T
        fixed[p:, p:] = data.XX
        self.fixed_perp = fixed
        if rot is None:  # the null model: one candidate that is zero
            r = data.sx.size
            rot = CandidateRotation(
                np.zeros((r, 1)), np.zeros((c, 1)), np.zeros((p, 1)), np.zeros(1)
            )
        self.Gq = rot.Gq
        self.FG_perp = np.vstack([rot.YG, rot.XG])  # (p + c) × m
        self.GG_perp = rot.GG
        if drop_perp:
            self.fixed_perp = np.zeros_like(self.fixed_perp)
            self.FG_perp = np.zeros_like(self.FG_perp)
            self.GG_perp = np.zeros_like(self.GG_perp)
        self.m = rot.Gq.shape[1]
        self.e = p + c + 1

    def weights(self, lam: Array) -> Array:
        """1/(σᵢ²λ + 1), r × len(λ)."""
        return 1.0 / (self.sx[:, None] * lam[None, :] + 1.0)

    def ell(self, lam: Array) -> Array:
        return np.log1p(self.sx[:, None] * lam[None, :]).sum(axis=0)

    def gram(self, W: Array, idx: NDArray[np.intp] | None) -> tuple[Array, Array, Array]:
        """The sample sums ∑ᵢ wᵢⱼ𝐚ᵢ𝐚ᵢᵀ for each column j of W, as (FF, FG, GG).

        With ``idx`` (one column of W per candidate ``idx[j]``): FF (m×f×f), FG (m×f), GG (m).
        Without (every column of W for every candidate): FF (k×f×f), FG (k×f×m), GG (k×m).
        """
        F = self.F
        f = F.shape[1]
        pairs = (F[:, :, None] * F[:, None, :]).reshape(-1, f * f)
        FF = (W.T @ pairs).reshape(-1, f, f)
        if idx is not None:
            Gq = self.Gq[:, idx]
            return FF, (F.T @ (W * Gq)).T, np.einsum("im,im->m", W * Gq, Gq)
        weighted = (F[:, :, None] * W[:, None, :]).reshape(F.shape[0], -1)  # r × (f⋅k)
        FG = (weighted.T @ self.Gq).reshape(f, W.shape[1], -1).transpose(1, 0, 2)
        return FF, FG, W.T @ (self.Gq * self.Gq)

    def assemble(self, FF: Array, FG: Array, GG: Array, idx: NDArray[np.intp]) -> Array:
        """Ψ (m×e×e) from the sample sums, plus the complement's (weight one) contribution."""
        m = FG.shape[0]
        f = self.e - 1
        Psi = np.empty((m, self.e, self.e))
        Psi[:, :f, :f] = FF + self.fixed_perp
        Psi[:, :f, f] = FG + self.FG_perp[:, idx].T
        Psi[:, f, :f] = Psi[:, :f, f]
        Psi[:, f, f] = GG + self.GG_perp[idx]
        return Psi

    def direct(self, k: int, lam: Array, idx: NDArray[np.intp]) -> tuple[Array, Array]:
        """Ψ(λ) and ℓ(λ) by the sums over the samples, each candidate at its own λ."""
        FF, FG, GG = self.gram(self.weights(lam), idx)
        return self.assemble(FF, FG, GG, idx), self.ell(lam)


class _Interpolated:
    """Ψ(λ) and ℓ(λ) from Chebyshev interpolants on panels, built when first reached.

    Panel j of direction k covers t ∈ [t₀ₖ − w/2 + j⋅w, t₀ₖ + w/2 + j⋅w] (w the panel width,
    t₀ₖ the null's), up to t_top = the first panel edge ≥ log(1/min σ² + 1/max σ²); beyond it
    the last panel interpolates zΨ and ℓ + r⋅log z on z ∈ [0, e^(−t_top)]. Inside the panels the
    weights 1/(σᵢ²λ + 1) are evaluated at λ = eᵗ − 1/max σ², which may be negative below
    t = log(1/max σ²) (no candidate goes there; the functions stay analytic there).
    """

    def __init__(self, samples: _Samples, lam0: Array) -> None:
        self.samples = samples
        sx = samples.sx
        self.shift = 1.0 / float(sx.max())
        self.nodes = np.cos(np.pi * np.arange(_DEGREE, -1, -1) / _DEGREE)
        t_cap = math.log(1.0 / float(sx.min()) + self.shift)
        self.origin = [
            math.log(max(float(lam), 0.0) + self.shift) - _PANEL_WIDTH / 2 for lam in lam0
        ]
        self.top = [
            o + _PANEL_WIDTH * max(math.ceil((t_cap - o) / _PANEL_WIDTH), 1) for o in self.origin
        ]
        self.panels: dict[tuple[int, int], tuple[Array, Array, Array, Array]] = {}

    def _panel(self, k: int, j: int) -> tuple[Array, Array, Array, Array]:
        """Values at the nodes of panel j (``_Z_PANEL``: the z panel) of direction k."""
        key = (k, j)
        if key not in self.panels:
            samples = self.samples
            sx = samples.sx
            if (
                j == _Z_PANEL
            ):  # z ∈ [0, z₀]: zΨ = ∑ 𝐚𝐚ᵀ/(σ² + z(1 − σ²⋅shift)), likewise ℓ + r⋅log z
                z = math.exp(-self.top[k]) * (self.nodes + 1) / 2
                denom = sx[:, None] + z[None, :] * (1.0 - sx[:, None] * self.shift)
                W = 1.0 / denom
                ell = np.log(denom).sum(axis=0)
            else:
                lo = self.origin[k] + j * _PANEL_WIDTH
                t = lo + (self.nodes + 1) * _PANEL_WIDTH / 2
                lam = np.exp(t) - self.shift
                W = samples.weights(lam)
                ell = np.log(sx[:, None] * lam[None, :] + 1.0).sum(axis=0)
            FF, FG, GG = samples.gram(W, None)
            self.panels[key] = (FF, FG, GG, ell)
        return self.panels[key]

    def __call__(self, k: int, lam: Array, idx: NDArray[np.intp]) -> tuple[Array, Array]:
        samples = self.samples
        m = lam.size
        f = samples.e - 1
        t = np.log(np.maximum(lam, 0.0) + self.shift)
        far = t >= self.top[k]
        j = np.floor((np.where(far, 0.0, t) - self.origin[k]) / _PANEL_WIDTH).astype(int)
        j = np.where(far, _Z_PANEL, j)
        z = np.exp(-t)
        FF = np.empty((m, f, f))
        FG = np.empty((m, f))
        GG = np.empty(m)
        ell = np.empty(m)
        for panel in np.unique(j):
            sel = np.flatnonzero(j == panel)
            tab_FF, tab_FG, tab_GG, tab_ell = self._panel(k, int(panel))
            if panel == _Z_PANEL:
                x = 2 * z[sel] / math.exp(-self.top[k]) - 1
                scale = z[sel]
            else:
                lo = self.origin[k] + panel * _PANEL_WIDTH
                x = 2 * (t[sel] - lo) / _PANEL_WIDTH - 1
                scale = np.ones(sel.size)
            bw = _barycentric(np.clip(x, -1.0, 1.0), self.nodes)
            FF[sel] = scale[:, None, None] * np.einsum("mj,jab->mab", bw, tab_FF)
            FG[sel] = scale[:, None] * np.einsum("mj,jam->ma", bw, tab_FG[:, :, idx[sel]])
            GG[sel] = scale * np.einsum("mj,jm->m", bw, tab_GG[:, idx[sel]])
            ell[sel] = bw @ tab_ell
            if panel == _Z_PANEL:  # ℓ = (ℓ + r⋅log z) − r⋅log z (+∞ at λ = ∞)
                with np.errstate(divide="ignore"):
                    ell[sel] -= samples.sx.size * np.log(z[sel])
        return samples.assemble(FF, FG, GG, idx), ell


@dataclass
class _Fit:
    """Mean parameters at one θ per candidate: 𝛄 = (vec B, 𝛃), its covariance, the λs."""

    lml: Array
    gamma: Array
    cov: Array
    lam: Array


class ExactKronTest:
    """The exact test of one block of candidates: build once, then :meth:`run`.

    Parameters
    ----------
    data
        The model's rotated data (``Kron2Sum``'s ``RotatedData``).
    A, A1
        Trait designs of the covariates (p×q) and of the candidate (p×q₁; q₁ = 0 for the null).
    nsamples
        n.
    """

    def __init__(self, data: RotatedData, A: Array, A1: Array, nsamples: int) -> None:
        self.data = data
        self.A = A
        self.A1 = A1
        self.p = data.Yq.shape[1]
        self.drop_perp = _complement_is_fitted(data)
        self.n = data.sx.size if self.drop_perp else nsamples
        # Covariate directions: all of them, or, when the complement is left out, those that
        # reach the span of G (the others only fitted the complement); B is reported as the
        # minimum-norm solution, basis @ B'.
        self.basis = np.eye(data.Xq.shape[1])
        if self.drop_perp:
            norms = np.einsum("ia,ia->a", data.Xq, data.Xq) + np.diag(data.XX)
            _, sv, Vt = np.linalg.svd(data.Xq, full_matrices=False)
            keep = sv > 1e-8 * math.sqrt(float(norms.max()))
            self.basis = Vt[keep].T
            data = RotatedData(
                data.Q0, data.sx, data.Yq, data.Xq @ self.basis, data.YY,
                self.basis.T @ data.XY, self.basis.T @ data.XX @ self.basis, data.Yperp,
                None if data.Xperp is None else data.Xperp @ self.basis,
            )  # fmt: skip
            self.data = data
        self.c = data.Xq.shape[1]
        il = np.tril_indices(self.p)
        self._diagonal = il[0] == il[1]

    # -- parameters ------------------------------------------------------------------------------
    def pack(self, C0: Array, C1: Array, lift: float = 0.0) -> Array:
        """θ from C₀ and C₁ (PSD): their log-Cholesky factors, each C + lift⋅tr(C)/p⋅I.

        A singular C has no log-Cholesky factor (a diagonal entry is log 0); starts are lifted
        off the boundary, where the gradient along it vanishes.
        """
        p = self.p
        il = np.tril_indices(p)
        diag = il[0] == il[1]
        parts = []
        for C in (C0, C1):
            scale = max(float(np.trace(C)) / p, 1e-300)
            w = np.linalg.eigvalsh(C)
            floor = max(lift * scale, 1e-12 * scale) if w[0] <= 1e-12 * scale else 0.0
            L = np.linalg.cholesky(C + floor * np.eye(p))
            v = L[il]
            v[diag] = np.log(v[diag])
            parts.append(v)
        return np.concatenate(parts)

    def _unpack(self, theta: Array) -> tuple[Array, Array]:
        p = self.p
        il = np.tril_indices(p)
        k = il[0].size
        diag = il[0] == il[1]
        m = theta.shape[0]
        out = []
        for part in (theta[:, :k], theta[:, k:]):
            L = np.zeros((m, p, p))
            L[:, il[0], il[1]] = np.where(diag, np.exp(np.where(diag, part, 0.0)), part)
            out.append(L)
        return out[0], out[1]

    def covariances(self, theta: Array) -> tuple[Array, Array]:
        L0, L1 = self._unpack(theta)
        return L0 @ L0.transpose(0, 2, 1), L1 @ L1.transpose(0, 2, 1)

    # -- likelihood ------------------------------------------------------------------------------
    def evaluate(
        self, theta: Array, idx: NDArray[np.intp], psi: PsiProvider, covariance: bool = False
    ) -> _Fit:
        """Profile log-likelihood at θ (m×P) for candidates ``idx``: B and 𝛃 at their optimum.

        The mean parameters' covariance (``cov``) is formed only when ``covariance`` is true.
        """
        p, c, n = self.p, self.c, self.n
        A, A1 = self.A, self.A1
        q, q1 = A.shape[1], A1.shape[1]
        cq = c * q
        d = cq + q1
        m = theta.shape[0]
        with np.errstate(all="ignore"):
            L0, L1 = self._unpack(theta)
            ok = np.all(np.isfinite(theta), axis=1)
            L1 = np.where(ok[:, None, None], L1, np.eye(p)[None])
            L1inv = np.linalg.inv(L1)
            W0 = L1inv @ L0
            lam, V = np.linalg.eigh(W0 @ W0.transpose(0, 2, 1))  # L₁⁻¹C₀L₁⁻ᵀ = VΛVᵀ
            lam = np.maximum(lam, 0.0)
            T = V.transpose(0, 2, 1) @ L1inv
            TA = T @ A
            TA1 = T @ A1
            H = np.zeros((m, d, d))
            b = np.zeros((m, d))
            quad = np.zeros(m)
            ell = np.zeros(m)
            J = np.zeros((m, c + 1, d))
            diag_c = np.arange(c)
            for k in range(p):
                Psi, ell_k = psi(k, lam[:, k], idx)
                ell += ell_k
                # J: rows (x̃ columns, g̃), columns (vec B, 𝛃); J[a, a + c⋅b] = (TA)ₖᵦ
                for beta in range(q):
                    J[:, diag_c, diag_c + c * beta] = TA[:, k, beta, None]
                J[:, c, cq:] = TA1[:, k, :]
                Jt = J.transpose(0, 2, 1)
                Tk = T[:, k, :, None]
                H += Jt @ Psi[:, p:, p:] @ J
                b += (Jt @ (Psi[:, p:, :p] @ Tk))[:, :, 0]
                quad += (Tk.transpose(0, 2, 1) @ Psi[:, :p, :p] @ Tk)[:, 0, 0]
            H = (H + H.transpose(0, 2, 1)) / 2
            H = np.where(np.isfinite(H), H, 0.0)
            gamma, cov = _solve_gram(H, b, covariance)
            Q = quad - np.einsum("ma,ma->m", b, gamma)
            k1 = theta.shape[1] // 2
            logdetC1 = 2 * theta[:, k1:][:, self._diagonal].sum(axis=1)
            N = n * p
            lml = -0.5 * (N * _LOG_2PI + n * logdetC1 + ell + Q)
            lml = np.where(ok & np.isfinite(lml), lml, -np.inf)
        return _Fit(lml, gamma, cov, lam)

    # -- maximisation ----------------------------------------------------------------------------
    def maximize(
        self, theta: Array, idx: NDArray[np.intp], psi: PsiProvider, shared: bool = False
    ) -> tuple[Array, Array]:
        """Quasi-Newton ascent from θ (m×P), vectorised over candidates; returns θ, converged.

        The curvature −B (B positive definite) starts as the finite-difference Hessian with its
        eigenvalues λ replaced by −|λ| (saddle-free), and is then updated by BFGS from the
        finite-difference gradients; a candidate whose line search fails on an updated B gets
        a fresh finite-difference Hessian, and is converged only when it fails on a fresh one.

        With ``shared`` (candidates that all start from the null's θ), the first B is the mean
        of the Hessians of a few of them, for all: a candidate's effect changes the curvature
        at the null's θ little, and BFGS corrects the rest; this saves most of the likelihood
        evaluations, which are the cost of the test.
        """
        theta = theta.copy()
        m, P = theta.shape
        converged = np.zeros(m, dtype=bool)
        B = np.zeros((m, P, P))
        fresh = np.ones(m, dtype=bool)  # B is to be (re)computed by finite differences
        if shared and m > _SHARED_HESSIANS:
            few = np.linspace(0, m - 1, _SHARED_HESSIANS).astype(int)
            f_few = self.evaluate(theta[few], idx[few], psi).lml
            hess = self._hessian(theta[few], idx[few], psi, f_few)
            good = np.all(np.isfinite(hess), axis=(1, 2))
            if good.any():
                B[:] = _saddle_free(hess[good].mean(axis=0)[None])[0]
                fresh[:] = False
        grad_prev = np.zeros((m, P))
        step_prev = np.zeros((m, P))
        active = np.arange(m)
        for _ in range(_MAX_NEWTON):
            if active.size == 0:
                break
            th, ix = theta[active], idx[active]
            f0 = self.evaluate(th, ix, psi).lml
            need = fresh[active]
            grad = self._gradient(th, ix, psi)
            Ba = B[active]
            if need.any():
                Ba[need] = _saddle_free(self._hessian(th[need], ix[need], psi, f0[need]))
            update = ~need & (step_prev[active] != 0).any(axis=1)
            if update.any():
                Ba[update] = _bfgs(
                    Ba[update], step_prev[active[update]],
                    grad_prev[active[update]] - grad[update],
                )  # fmt: skip
            step = np.linalg.solve(Ba, grad[:, :, None])[:, :, 0]
            decrement = 0.5 * np.einsum("mp,mp->m", grad, step)
            done = decrement < _DECREMENT_TOL
            converged[active[done]] = True
            moved, gained = self._line_search(th, ix, psi, f0, step, ~done)
            step_prev[active] = moved - th
            grad_prev[active] = grad
            B[active] = Ba
            theta[active] = moved
            failed = ~done & ~gained
            # no ascent along the step: at the optimum if B was fresh, else refresh B
            converged[active[failed & need]] = True
            fresh[active] = failed & ~need
            active = active[~done & (gained | ~need)]
        return theta, converged

    def _line_search(
        self,
        th: Array,
        ix: NDArray[np.intp],
        psi: PsiProvider,
        f0: Array,
        step: Array,
        move: NDArray[np.bool_],
    ) -> tuple[Array, NDArray[np.bool_]]:
        """Halve the step until it gains, then double it while it gains; returns θ, gained."""
        th = th.copy()
        f_best = f0.copy()
        gained = np.zeros(th.shape[0], dtype=bool)
        alpha = np.ones(th.shape[0])
        pending = np.flatnonzero(move)
        for _h in range(_HALVINGS):
            if pending.size == 0:
                break
            trial = th[pending] + alpha[pending, None] * step[pending]
            f1 = self.evaluate(trial, ix[pending], psi).lml
            better = f1 >= f0[pending]
            th[pending[better]] = trial[better]
            f_best[pending[better]] = f1[better]
            gained[pending[better]] = True
            pending = pending[~better]
            alpha[pending] /= 2
        growing = np.flatnonzero(gained & (alpha == 1.0))
        for _d in range(_DOUBLINGS):
            if growing.size == 0:
                break
            alpha[growing] *= 2
            trial = th[growing] + (alpha[growing] / 2)[:, None] * step[growing]
            f1 = self.evaluate(trial, ix[growing], psi).lml
            better = f1 > f_best[growing]
            th[growing[better]] = trial[better]
            f_best[growing[better]] = f1[better]
            growing = growing[better]
        return th, gained

    def _steps(self, theta: Array) -> Array:
        """Unit of each coordinate: 1 on a log-diagonal entry, √Cᵢᵢ on an off-diagonal Lᵢⱼ."""
        m, P = theta.shape
        il = np.tril_indices(self.p)
        diag = il[0] == il[1]
        unit = np.empty((m, P))
        for part, L in enumerate(self._unpack(theta)):
            rows = np.sqrt(np.einsum("mij,mij->mi", L, L))
            unit[:, part * il[0].size : (part + 1) * il[0].size] = np.where(
                diag, 1.0, rows[:, il[0]]
            )
        return unit

    def _gradient(self, theta: Array, idx: NDArray[np.intp], psi: PsiProvider) -> Array:
        """Central-difference gradient, step 1e-5 units (see :meth:`_steps`)."""
        h = 1e-5 * self._steps(theta)
        grad = np.empty_like(theta)
        for i in range(theta.shape[1]):
            d = np.zeros_like(theta)
            d[:, i] = h[:, i]
            fp = self.evaluate(theta + d, idx, psi).lml
            fm = self.evaluate(theta - d, idx, psi).lml
            grad[:, i] = (fp - fm) / (2 * h[:, i])
        grad[~np.isfinite(grad)] = 0.0
        return grad

    def _hessian(self, theta: Array, idx: NDArray[np.intp], psi: PsiProvider, f0: Array) -> Array:
        """Central-difference Hessian, step 1e-3 units (see :meth:`_steps`)."""
        m, P = theta.shape
        h = 1e-3 * self._steps(theta)

        def f(delta: Array) -> Array:
            return self.evaluate(theta + delta, idx, psi).lml

        hess = np.empty((m, P, P))
        E = np.eye(P)
        for i in range(P):
            si = h[:, [i]] * E[i]
            hess[:, i, i] = (f(si) - 2 * f0 + f(-si)) / h[:, i] ** 2
            for j in range(i):
                sj = h[:, [j]] * E[j]
                num = f(si + sj) - f(si - sj) - f(sj - si) + f(-si - sj)
                hess[:, i, j] = hess[:, j, i] = num / (4 * h[:, i] * h[:, j])
        hess[~np.isfinite(hess)] = 0.0
        return hess

    # -- the test --------------------------------------------------------------------------------
    def run(
        self, rot: CandidateRotation | None, C0: Array, C1: Array
    ) -> tuple[ExactKronResult, Array]:
        """Maximise every candidate's likelihood from the null's C₀, C₁.

        Returns the result and θ (m×P) at the maxima.
        """
        if rot is not None:  # covariates in this test's basis
            rot = CandidateRotation(rot.Gq, self.basis.T @ rot.XG, rot.YG, rot.GG)
        samples = _Samples(self.data, rot, self.drop_perp)
        m = samples.m
        theta0 = np.tile(self.pack(C0, C1, lift=_LIFT), (m, 1))
        null_theta = np.tile(self.pack(C0, C1), (m, 1))
        idx = np.arange(m)
        lam0 = self.evaluate(theta0[:1], idx[:1], samples.direct).lam[0]
        if samples.sx.size:
            interp = _Interpolated(samples, lam0)
            theta, _ = self.maximize(theta0, idx, interp, shared=True)
            fit_i = self.evaluate(theta, idx, interp)
            fit = self.evaluate(theta, idx, samples.direct)
            redo = ~(np.abs(fit.lml - fit_i.lml) <= _AGREEMENT)
        else:
            theta, fit, redo = theta0, None, np.ones(m, dtype=bool)
        if redo.any():
            sub = np.flatnonzero(redo)
            start = (
                np.where(np.isfinite(fit.lml[sub])[:, None], theta[sub], theta0[sub])
                if fit
                else theta0[sub]
            )
            theta_sub, _ = self.maximize(start, sub, samples.direct)
            theta[sub] = theta_sub
            fit = self.evaluate(theta, idx, samples.direct)
        assert fit is not None
        # never below the alternative at the null's own C₀, C₁ (the start was lifted)
        at_null = self.evaluate(null_theta, idx, samples.direct)
        worse = ~(fit.lml >= at_null.lml)
        theta[worse] = null_theta[worse]
        fit = self.evaluate(theta, idx, samples.direct, covariance=True)
        return self._result(fit, theta), theta

    def _result(self, fit: _Fit, theta: Array) -> ExactKronResult:
        c, q = self.c, self.A.shape[1]
        cq = c * q
        m = theta.shape[0]
        se = np.sqrt(np.maximum(np.einsum("maa->ma", fit.cov), 0.0))
        # back to the original covariates: vec(B) = (I_q ⊗ basis) vec(B')
        T = np.kron(np.eye(q), self.basis)
        B = (fit.gamma[:, :cq] @ T.T).reshape(m, q, -1).transpose(0, 2, 1)
        covB = np.einsum("ia,mab,jb->mij", T, fit.cov[:, :cq, :cq], T)
        seB = np.sqrt(np.maximum(np.einsum("mii->mi", covB), 0.0))
        Bse = seB.reshape(m, q, -1).transpose(0, 2, 1)
        C0, C1 = self.covariances(theta)
        return ExactKronResult(fit.lml, B, Bse, fit.gamma[:, cq:], se[:, cq:], C0, C1)
