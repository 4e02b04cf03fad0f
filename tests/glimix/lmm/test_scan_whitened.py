"""Fixed-ratio scan with a centred (singular) kinship and a tiny noise variance, against exact
rational arithmetic.

K = XXᵀ/p of centred genotypes has K𝟏 = 𝟎, so with the covariance K + v𝙸 and v → 0 the offset
direction carries the weight 1/v in 𝙱 — the case where forming 𝐠ᵀ𝙱𝐠 − 𝐚ᵀ𝙰⁻¹𝐚 lost every digit
(``glimix/lmm/_scan_whitened.py``). The reference solves the generalised least squares of each
model in ``fractions.Fraction`` (exact), on the rank-(n − 1) kinship the scanner uses,
𝚀₀𝚂₀𝚀₀ᵀ.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from glimix.linalg import economic_qs
from glimix.lmm import FastScanner


def _solve(A, B):
    """Exact Gauss–Jordan elimination: A⁻¹B for lists of Fractions."""
    n = len(A)
    M = [list(A[i]) + list(B[i]) for i in range(n)]
    for col in range(n):
        pivot = next(i for i in range(col, n) if M[i][col] != 0)
        M[col], M[pivot] = M[pivot], M[col]
        inv = 1 / M[col][col]
        M[col] = [x * inv for x in M[col]]
        for i in range(n):
            if i != col and M[i][col] != 0:
                f = M[i][col]
                M[i] = [a - f * b for a, b in zip(M[i], M[col], strict=True)]
    return [row[n:] for row in M]


def _residual_form(C, y, E):
    """min over 𝐛 of (𝐲 − 𝙴𝐛)ᵀ𝙲⁻¹(𝐲 − 𝙴𝐛) and the minimiser, exactly."""
    n, k = len(y), len(E[0])
    cols = [[E[i][j] for i in range(n)] for j in range(k)] + [list(y)]
    Ci = _solve(C, [[cols[j][i] for j in range(k + 1)] for i in range(n)])  # 𝙲⁻¹[𝙴 𝐲]
    gram = [
        [sum(cols[a][i] * Ci[i][b] for i in range(n)) for b in range(k + 1)] for a in range(k + 1)
    ]
    A = [row[:k] for row in gram[:k]]
    rhs = [[gram[a][k]] for a in range(k)]
    b = [row[0] for row in _solve(A, rhs)]
    return gram[k][k] - sum(rhs[a][0] * b[a] for a in range(k)), b


@pytest.mark.parametrize(("v", "rtol"), [(1e-9, 2e-5), (1e-6, 2e-8), (1e-3, 1e-10)])
def test_centred_kinship_with_tiny_noise_matches_exact_arithmetic(v, rtol):
    """Agreement to about ε·κ, κ ≈ max(S₀)/v the condition number of K + v𝙸 (float64 can do
    no better); the products of ``_scan_fixed`` gave a statistic of 0 instead of 1.86 at
    v = 10⁻⁹ (the candidate declared collinear)."""
    rng = np.random.default_rng(5)
    n = 12
    Xg = rng.binomial(2, 0.4, (n, 30)).astype(float)
    Xg = (Xg - Xg.mean(0)) / np.where(Xg.std(0) > 0, Xg.std(0), 1.0)
    QS = economic_qs(Xg @ Xg.T / 30)
    (Q0, _), S0 = QS
    assert S0.size == n - 1  # the offset is K's null space
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    y = 3.0 + Xg[:, :3].sum(1) + 0.5 * rng.standard_normal(n)
    G = rng.binomial(2, 0.3, (n, 3)).astype(float)
    result = FastScanner(y, X, QS, v).fast_scan(G, verbose=False)

    # the kinship the scanner sees, 𝚀₀𝚂₀𝚀₀ᵀ, formed exactly
    Qf = [[Fraction(x) for x in row] for row in Q0]
    Sf = [Fraction(s) for s in S0]
    C = [
        [sum(Qf[i][k] * Sf[k] * Qf[j][k] for k in range(n - 1)) for j in range(n)] for i in range(n)
    ]
    for i in range(n):
        C[i][i] += Fraction(v)
    Xf = [[Fraction(x) for x in row] for row in X]
    yf = [Fraction(x) for x in y]
    Q0_exact, _ = _residual_form(C, yf, Xf)
    for j in range(G.shape[1]):
        E = [[*row, Fraction(G[i, j])] for i, row in enumerate(Xf)]
        Q1, b = _residual_form(C, yf, E)
        statistic = n * math.log(Q0_exact / Q1)
        got = 2 * (result["lml"][j] - FastScanner(y, X, QS, v).null_lml())
        assert got == pytest.approx(statistic, rel=rtol)
        assert result["effsizes1"][j] == pytest.approx(float(b[-1]), rel=rtol)
        assert result["scale"][j] == pytest.approx(float(Q1) / n, rel=rtol)
