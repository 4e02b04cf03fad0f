"""Gradient pieces of the multi-trait log marginal likelihood over C₀ and C₁.

With 𝛃 profiled out (its own derivative vanishes at 𝛃 = H⁻¹𝐛), for a parameter θ of C₀ or C₁,

    ∂lml/∂θ = ½𝐰ᵀ(∂K)𝐰 − ½tr(K⁻¹∂K) [+ ½tr(H⁻¹MᵀK⁻¹(∂K)K⁻¹M) for REML],

where 𝐰 = K⁻¹(𝐲 − M𝛃) = vec(W) and the REML term is −½∂log|H| with ∂H = −MᵀK⁻¹(∂K)K⁻¹M.
Because ∂K = ∂C₀⊗GGᵀ or ∂C₁⊗I, every quadratic form reduces to tr(∂C⋅P) for a p×p matrix P:

- 𝐰ᵀ(∂C₀⊗GGᵀ)𝐰 = tr(∂C₀⋅WᵀGGᵀW), 𝐰ᵀ(∂C₁⊗I)𝐰 = tr(∂C₁⋅WᵀW) (:func:`residual_terms`);
- the REML traces likewise with W replaced by the columns of K⁻¹M, weighted by H⁻¹
  (:func:`reml_terms`).

tr(K⁻¹∂K) is :meth:`glimix.cov.Kron2SumCov.logdet_gradient`.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
from numpy.typing import NDArray

from ._kron2sum_algebra import GLS, RotatedData, Whitening

__all__ = ["reml_terms", "residual_terms", "trace_with"]

Array = NDArray[np.float64]


def trace_with(dC: Array, P: Array) -> Array:
    """tr(∂Cₖ⋅P) for every slice k of a p×p×nparams derivative ∂C and a symmetric P."""
    return np.einsum("abk,ab->k", dC, P)


def residual_terms(data: RotatedData, white: Whitening, gls: GLS) -> tuple[Array, Array]:
    """P₀ = WᵀGGᵀW and P₁ = WᵀW for vec(W) = K⁻¹(𝐲 − M𝛃); O(r⋅p²).

    From K⁻¹vec(R) = vec(Q₀(E∘R̃)Lₕ + R⊥C₁⁻¹): Q₀ᵀW = (E∘R̃)Lₕ and W⊥ = R⊥C₁⁻¹, so
    P₀ = (Q₀ᵀW)ᵀΣ₀²(Q₀ᵀW) and P₁ = (Q₀ᵀW)ᵀ(Q₀ᵀW) + C₁⁻¹R⊥ᵀR⊥C₁⁻¹.
    """
    Wq = (white.E * gls.Rt) @ white.Lh
    P0 = Wq.T @ (data.sx[:, None] * Wq)
    P1 = Wq.T @ Wq + white.C1inv @ gls.RR @ white.C1inv
    return (P0 + P0.T) / 2, (P1 + P1.T) / 2


def reml_terms(data: RotatedData, white: Whitening, gls: GLS, A: Array) -> tuple[Array, Array]:
    """S₀, S₁ such that tr(H⁻¹MᵀK⁻¹(∂K)K⁻¹M) = tr(∂C₀S₀) or tr(∂C₁S₁); O(r⋅p²⋅c⋅q + (cq)³).

    Column (a, b) of K⁻¹M is K⁻¹vec(𝐱ₐ𝐚ᵦᵀ), with Q₀ᵀ part Zₐᵦ = (E∘(X̃₍:,ₐ₎ãᵦᵀ))Lₕ and
    complement 𝐱⊥ₐ(C₁⁻¹𝐚ᵦ)ᵀ. Then, summing over pairs of columns with weights H⁻¹,

    - S₀ = ∑ H⁻¹₍ₐᵦ,ₐ'ᵦ'₎ Zₐᵦᵀ Σ₀² Zₐ'ᵦ',
    - S₁ = ∑ H⁻¹₍ₐᵦ,ₐ'ᵦ'₎ (Zₐᵦᵀ Zₐ'ᵦ' + (X⊥ᵀX⊥)ₐₐ' C₁⁻¹𝐚ᵦ𝐚ᵦ'ᵀC₁⁻¹).
    """
    E, Lh, Xq = white.E, white.Lh, data.Xq
    r, p = E.shape
    c, q = Xq.shape[1], A.shape[1]
    F = (gls.At[:, :, None] * Lh[:, None, :]).reshape(p, q * p)  # F[j, (b, k)] = Ãⱼᵦ Lₕⱼₖ
    EF = (E @ F).reshape(r, q, p)  # ∑ⱼ Eᵢⱼ Ãⱼᵦ Lₕⱼₖ, as [i, b, k]
    # Z[i, k, (b, a)] = X̃ᵢₐ ⋅ EF[i, b, k]; (b, a) flattened as b⋅c + a, the order of vec(B)
    Z = (EF.transpose(0, 2, 1)[:, :, :, None] * Xq[:, None, None, :]).reshape(r, p, q * c)
    Hinv = scipy.linalg.cho_solve(gls.Hchol, np.eye(q * c), check_finite=False)
    ZH = Z @ Hinv
    S0 = np.einsum("i,ikm,ilm->kl", data.sx, Z, ZH)
    S1 = np.einsum("ikm,ilm->kl", Z, ZH)
    Gamma = np.einsum("badc,ac->bd", Hinv.reshape(q, c, q, c), data.XX)
    S1 = S1 + gls.C1invA @ Gamma @ gls.C1invA.T
    return (S0 + S0.T) / 2, (S1 + S1.T) / 2
