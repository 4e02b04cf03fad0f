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
Im t = π), so each is interpolated, from its values at the Chebyshev points of an interval
around the null model's λₖ⁰, to about 1e-12 relative accuracy: one BLAS-3 product per block
of candidates gives every node, and each likelihood evaluation afterwards costs O(m⋅p³(c⋅q +
q₁)³), independent of n.

Each candidate's likelihood is maximised over θ = (L₀, L₁) (lower-triangular factors of
C₀ = L₀L₀ᵀ and C₁ = L₁L₁ᵀ, unconstrained) by Newton's method from the null's θ, vectorised over
candidates: gradient and Hessian by central finite differences of the interpolated
likelihood, the Hessian's eigenvalues λ replaced by −|λ| (saddle-free Newton), a halving line
search, stopping when the Newton decrement (the predicted gain) is below 1e-9. The likelihood
reported is then evaluated directly (exact sums over the samples) at the θ found; a candidate
whose direct and interpolated values differ by more than 1e-7, or whose λ left its
interpolation interval, is optimised again on the direct sums (the same code, slower).

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

#: Chebyshev interpolation: degree and half-width of the interval in t = log(λ + 1/max σ²).
_DEGREE = 20
_HALF_WIDTH = 1.5
#: Newton's method: iterations, stopping decrement (lml units), line-search halvings.
_MAX_NEWTON = 30
_DECREMENT_TOL = 1e-9
_HALVINGS = 30
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

    def fixed_gram(self, W: Array) -> Array:
        """∑ᵢ wᵢⱼ𝐟ᵢ𝐟ᵢᵀ for each column j of W: len × (p + c) × (p + c)."""
        F = self.F
        f = F.shape[1]
        pairs = (F[:, :, None] * F[:, None, :]).reshape(-1, f * f)
        return (W.T @ pairs).reshape(-1, f, f) + self.fixed_perp

    def assemble(self, FF: Array, FG: Array, GG: Array) -> Array:
        """Ψ (m×e×e) from its fixed block, candidate column and candidate diagonal."""
        m = FG.shape[0]
        f = self.e - 1
        Psi = np.empty((m, self.e, self.e))
        Psi[:, :f, :f] = FF
        Psi[:, :f, f] = FG
        Psi[:, f, :f] = FG
        Psi[:, f, f] = GG
        return Psi

    def direct(self, k: int, lam: Array, idx: NDArray[np.intp]) -> tuple[Array, Array]:
        """Ψ(λ) and ℓ(λ) by the sums over the samples, each candidate at its own λ."""
        W = self.weights(lam)
        Gq = self.Gq[:, idx]
        FG = (self.F.T @ (W * Gq)).T + self.FG_perp[:, idx].T
        GG = np.einsum("im,im->m", W * Gq, Gq) + self.GG_perp[idx]
        return self.assemble(self.fixed_gram(W), FG, GG), self.ell(lam)


class _Interpolated:
    """Ψ(λ) and ℓ(λ) from Chebyshev interpolants on one interval per trait direction k."""

    def __init__(self, samples: _Samples, lam0: Array) -> None:
        self.samples = samples
        smax = float(samples.sx.max())
        self.shift = 1.0 / smax
        t_min = math.log(self.shift)
        nodes = np.cos(np.pi * np.arange(_DEGREE, -1, -1) / _DEGREE)
        self.nodes = nodes
        self.bounds: list[tuple[float, float]] = []
        self.tables: list[tuple[Array, Array, Array, Array]] = []
        F, Gq = samples.F, samples.Gq
        f = F.shape[1]
        for lam in lam0:
            t0 = math.log(max(lam, 0.0) + self.shift)
            lo = max(t_min, t0 - _HALF_WIDTH)
            hi = lo + 2 * _HALF_WIDTH
            self.bounds.append((lo, hi))
            t = lo + (nodes + 1) * (hi - lo) / 2
            lam_nodes = np.maximum(np.exp(t) - self.shift, 0.0)
            W = samples.weights(lam_nodes)  # r × nodes
            FF = samples.fixed_gram(W)  # nodes × f × f
            weighted = (F[:, :, None] * W[:, None, :]).reshape(F.shape[0], -1)  # r × (f⋅nodes)
            FG = (weighted.T @ Gq).reshape(f, nodes.size, -1).transpose(1, 0, 2)
            FG = FG + samples.FG_perp[None, :, :]
            GG = W.T @ (Gq * Gq) + samples.GG_perp[None, :]
            self.tables.append((FF, FG, GG, samples.ell(lam_nodes)))

    def inside(self, k: int, lam: Array) -> NDArray[np.bool_]:
        lo, hi = self.bounds[k]
        t = np.log(np.maximum(lam, 0.0) + self.shift)
        return (t >= lo - 1e-12) & (t <= hi + 1e-12)

    def __call__(self, k: int, lam: Array, idx: NDArray[np.intp]) -> tuple[Array, Array]:
        lo, hi = self.bounds[k]
        t = np.log(np.maximum(lam, 0.0) + self.shift)
        x = np.clip(2 * (t - lo) / (hi - lo) - 1, -1.0, 1.0)
        bw = _barycentric(x, self.nodes)
        FF, FG, GG, ell = self.tables[k]
        Psi = self.samples.assemble(
            np.einsum("mj,jab->mab", bw, FF),
            np.einsum("mj,jam->ma", bw, FG[:, :, idx]),
            np.einsum("mj,jm->m", bw, GG[:, idx]),
        )
        return Psi, bw @ ell


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

    # -- parameters ------------------------------------------------------------------------------
    def pack(self, C0: Array, C1: Array, lift: float = 1e-10) -> Array:
        """θ from C₀ (PSD) and C₁ (PD): their lower Cholesky factors, C₀ + lift⋅tr(C₀)/p⋅I.

        A singular C₀ has a zero on the diagonal of L₀, where the likelihood is even in that
        entry: a saddle that Newton's method cannot leave. Starts are lifted off it.
        """
        p = self.p
        il = np.tril_indices(p)
        jitter = lift * max(float(np.trace(C0)) / p, 1e-300)
        L0 = np.linalg.cholesky(C0 + jitter * np.eye(p))
        L1 = np.linalg.cholesky(C1)
        return np.concatenate([L0[il], L1[il]])

    def _unpack(self, theta: Array) -> tuple[Array, Array]:
        p = self.p
        il = np.tril_indices(p)
        k = il[0].size
        m = theta.shape[0]
        L0 = np.zeros((m, p, p))
        L1 = np.zeros((m, p, p))
        L0[:, il[0], il[1]] = theta[:, :k]
        L1[:, il[0], il[1]] = theta[:, k:]
        return L0, L1

    def covariances(self, theta: Array) -> tuple[Array, Array]:
        L0, L1 = self._unpack(theta)
        return L0 @ L0.transpose(0, 2, 1), L1 @ L1.transpose(0, 2, 1)

    # -- likelihood ------------------------------------------------------------------------------
    def evaluate(self, theta: Array, idx: NDArray[np.intp], psi: PsiProvider) -> _Fit:
        """Profile log-likelihood at θ (m×P) for candidates ``idx``: B and 𝛃 at their optimum."""
        p, c, n = self.p, self.c, self.n
        A, A1 = self.A, self.A1
        q, q1 = A.shape[1], A1.shape[1]
        cq = c * q
        d = cq + q1
        m = theta.shape[0]
        with np.errstate(all="ignore"):
            L0, L1 = self._unpack(theta)
            diag1 = np.abs(np.einsum("mkk->mk", L1))
            ok = np.all(diag1 > 0, axis=1) & np.all(np.isfinite(theta), axis=1)
            safe = np.where(ok[:, None, None], L1, np.eye(p)[None])
            L1inv = np.linalg.inv(safe)
            C0 = L0 @ L0.transpose(0, 2, 1)
            Mw = L1inv @ C0 @ L1inv.transpose(0, 2, 1)
            lam, V = np.linalg.eigh((Mw + Mw.transpose(0, 2, 1)) / 2)
            lam = np.maximum(lam, 0.0)
            T = V.transpose(0, 2, 1) @ L1inv
            TA = T @ A
            TA1 = T @ A1
            H = np.zeros((m, d, d))
            b = np.zeros((m, d))
            quad = np.zeros(m)
            ell = np.zeros(m)
            eye_c = np.eye(c)
            for k in range(p):
                Psi, ell_k = psi(k, lam[:, k], idx)
                ell += ell_k
                # J: rows (x̃ columns, g̃), columns (vec B, 𝛃); Jx[a, a + c⋅b] = (TA)ₖᵦ
                J = np.zeros((m, c + 1, d))
                J[:, :c, :cq] = np.einsum("mb,ac->mabc", TA[:, k, :], eye_c).reshape(m, c, cq)
                J[:, c, cq:] = TA1[:, k, :]
                Pxg = Psi[:, p:, p:]
                Pyxg = Psi[:, p:, :p]
                Tk = T[:, k, :]
                H += np.einsum("mra,mrs,msb->mab", J, Pxg, J)
                b += np.einsum("mra,mrs,ms->ma", J, Pyxg, Tk)
                quad += np.einsum("ma,mab,mb->m", Tk, Psi[:, :p, :p], Tk)
            H = (H + H.transpose(0, 2, 1)) / 2
            w, U = np.linalg.eigh(np.where(np.isfinite(H), H, 0.0))
            top = np.max(np.abs(w), axis=1, keepdims=True, initial=0.0)
            keep = w > _RANK_RTOL * top
            inv = np.where(keep, 1.0 / np.where(keep, w, 1.0), 0.0)
            cov = np.einsum("mak,mk,mbk->mab", U, inv, U)
            gamma = np.einsum("mab,mb->ma", cov, b)
            Q = quad - np.einsum("ma,ma->m", b, gamma)
            logdetC1 = 2 * np.log(diag1).sum(axis=1)
            N = n * p
            lml = -0.5 * (N * _LOG_2PI + n * logdetC1 + ell + Q)
            lml = np.where(ok & np.isfinite(lml), lml, -np.inf)
        return _Fit(lml, gamma, cov, lam)

    # -- maximisation ----------------------------------------------------------------------------
    def maximize(
        self, theta: Array, idx: NDArray[np.intp], psi: PsiProvider
    ) -> tuple[Array, Array]:
        """Newton's method from θ (m×P), vectorised over candidates; returns θ and converged."""
        theta = theta.copy()
        m = theta.shape[0]
        converged = np.zeros(m, dtype=bool)
        active = np.arange(m)
        scale = np.sqrt(np.mean(theta**2, axis=1)) + 1e-300
        for _ in range(_MAX_NEWTON):
            if active.size == 0:
                break
            th, ix, sc = theta[active], idx[active], scale[active]
            f0 = self.evaluate(th, ix, psi).lml
            grad, hess = self._derivatives(th, ix, psi, f0, sc)
            w, U = np.linalg.eigh(hess)
            top = np.max(np.abs(w), axis=1, keepdims=True)
            # saddle-free Newton: curvature taken as −|λ|, so that directions where the
            # likelihood is convex (near a singular C₀) are climbed rather than skipped
            w = -np.maximum(np.abs(w), 1e-8 * top + 1e-300)
            gU = np.einsum("mpk,mp->mk", U, grad)
            step = -np.einsum("mpk,mk->mp", U, gU / w)
            decrement = -0.5 * np.einsum("mk,mk->m", gU, gU / w)
            done = decrement < _DECREMENT_TOL
            converged[active[done]] = True
            move = ~done
            alpha = np.ones(int(move.sum()))
            pending = np.flatnonzero(move)
            for _h in range(_HALVINGS):
                if pending.size == 0:
                    break
                trial = th[pending] + alpha[:, None] * step[pending]
                f1 = self.evaluate(trial, ix[pending], psi).lml
                better = f1 >= f0[pending]
                th[pending[better]] = trial[better]
                pending = pending[~better]
                alpha = alpha[~better] / 2
            theta[active] = th
            stuck = np.zeros(active.size, dtype=bool)
            stuck[pending] = True  # no ascent along the Newton direction: at the optimum
            converged[active[stuck]] = True
            active = active[move & ~stuck]
        return theta, converged

    def _derivatives(
        self, theta: Array, idx: NDArray[np.intp], psi: PsiProvider, f0: Array, scale: Array
    ) -> tuple[Array, Array]:
        """Central-difference gradient (step 1e-5⋅scale) and Hessian (step 1e-3⋅scale)."""
        m, P = theta.shape
        hg = 1e-5 * scale
        hh = 1e-3 * scale

        def f(delta: Array) -> Array:
            return self.evaluate(theta + delta, idx, psi).lml

        grad = np.empty((m, P))
        hess = np.empty((m, P, P))
        E = np.eye(P)
        for i in range(P):
            ei = E[i][None, :]
            grad[:, i] = (f(hg[:, None] * ei) - f(-hg[:, None] * ei)) / (2 * hg)
            fp, fm = f(hh[:, None] * ei), f(-hh[:, None] * ei)
            hess[:, i, i] = (fp - 2 * f0 + fm) / hh**2
            for j in range(i):
                ej = E[j][None, :]
                s = hh[:, None]
                fpp = f(s * (ei + ej))
                fpm = f(s * (ei - ej))
                fmp = f(s * (ej - ei))
                fmm = f(-s * (ei + ej))
                hess[:, i, j] = hess[:, j, i] = (fpp - fpm - fmp + fmm) / (4 * hh**2)
        bad = ~np.isfinite(hess)
        hess[bad] = 0.0
        grad[~np.isfinite(grad)] = 0.0
        return grad, hess

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
        theta0 = np.tile(self.pack(C0, C1, lift=1e-3), (m, 1))
        null_theta = np.tile(self.pack(C0, C1), (m, 1))
        idx = np.arange(m)
        lam0 = self.evaluate(theta0[:1], idx[:1], samples.direct).lam[0]
        if samples.sx.size:
            interp = _Interpolated(samples, lam0)
            theta, _ = self.maximize(theta0, idx, interp)
            fit_i = self.evaluate(theta, idx, interp)
            fit = self.evaluate(theta, idx, samples.direct)
            outside = np.zeros(m, dtype=bool)
            for k in range(self.p):
                outside |= ~interp.inside(k, fit.lam[:, k])
            redo = outside | ~(np.abs(fit.lml - fit_i.lml) <= _AGREEMENT)
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
        if worse.any():
            theta[worse] = null_theta[worse]
            fit = self.evaluate(theta, idx, samples.direct)
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
