"""Random test problems shared by the LMM and scanner tests: a kinship and covariates of a kind."""

from __future__ import annotations

import numpy as np

from glimix.linalg import economic_qs, economic_qs_linear


def kinship(rng, n, kind, rank, return_q1=True):
    """A kinship K (n×n) and its ``QS`` for ``economic_qs``-taking models, drawn from ``rng``.

    Parameters
    ----------
    rng
        A :class:`numpy.random.Generator`.
    n
        Number of samples.
    kind
        ``"full"``: K = WWᵀ/(2n) from 2n variants; ``"low…"`` (``"low"``, ``"low-noq1"``):
        K = WWᵀ/rank from ``rank`` variants, decomposed by ``economic_qs_linear``; anything else:
        K = 0 and ``QS`` is ``None``.
    rank
        Number of variants of a low-rank K.
    return_q1
        Whether a low-rank ``QS`` carries Q₁.
    """
    if kind == "full":
        W = rng.normal(size=(n, 2 * n))
        K = W @ W.T / (2 * n)
        return K, economic_qs(K)
    if kind.startswith("low"):
        W = rng.normal(size=(n, rank))
        return W @ W.T / rank, economic_qs_linear(W / np.sqrt(rank), return_q1=return_q1)
    return np.zeros((n, n)), None


def covariates(rng, n, kind):
    """Covariates X (n×c) of a kind, drawn from ``rng``.

    ``"one"``: an offset; ``"three"``: an offset and two random columns; ``"none"``: no column;
    anything else: rank-deficient, the third column being 2x + 1 for the second one x.
    """
    x = rng.normal(size=n)
    if kind == "one":
        return np.ones((n, 1))
    if kind == "three":
        return np.column_stack([np.ones(n), x, rng.normal(size=n)])
    if kind == "none":
        return np.zeros((n, 0))
    return np.column_stack([np.ones(n), x, 2 * x + 1])
