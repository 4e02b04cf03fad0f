"""Time and memory of a multi-trait association scan: Kron2Sum fit plus KronFastScanner.

Run from the project root::

    python benchmarks/kron2sum_scan.py [--n 1000] [--traits 3] [--candidates 10000]

Simulates n samples with a full-rank kinship K = XXᵀ/d from d = 2n standardised variants (so
G, with K = GGᵀ, is n×n and r = rank(G) = n), p traits with correlated genetic and residual
covariances, an offset and one covariate. It then times

1. the model's construction (economic SVD of G, rotation of Y and X),
2. the null fit of C₀ (full rank, rank = p) and C₁ by L-BFGS-B,
3. the scan of m candidates with one effect per trait (A₁ = I, the 𝓗₂ test of limix.qtl.scan),
4. the scan with one effect shared by all traits (A₁ = 𝟏, the 𝓗₁ test),

and reports the peak memory traced by tracemalloc in each step and the process's peak resident
set size. Reference sizes: a dense (n⋅p)×(n⋅p) K would take (n⋅p)²⋅8 bytes; the candidates
themselves n⋅m⋅8 bytes.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
from _report import human, print_environment

from glimix.lmm import Kron2Sum


def measured(func: Callable[[], Any]) -> tuple[Any, float, int]:
    """Result, wall time in seconds and tracemalloc peak in bytes of ``func()``."""
    tracemalloc.start()
    try:
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, seconds, peak


def simulate(n: int, p: int, m: int, seed: int) -> dict[str, np.ndarray]:
    random = np.random.RandomState(seed)
    d = 2 * n
    V = random.binomial(2, 0.3, size=(n, d)).astype(float)
    V = (V - V.mean(axis=0)) / V.std(axis=0)
    K = V @ V.T / d
    G = np.linalg.cholesky(K + 1e-9 * np.eye(n))
    Lg = np.tril(random.randn(p, p)) * 0.6
    Le = np.tril(random.randn(p, p)) * 0.6 + np.eye(p)
    Y = G @ random.randn(n, p) @ Lg.T + random.randn(n, p) @ Le.T
    X = np.stack([np.ones(n), random.randn(n)], axis=1)
    Y += X @ random.randn(2, p)
    candidates = random.binomial(2, 0.4, size=(n, m)).astype(float)
    return {"Y": Y, "X": X, "G": G, "candidates": candidates}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of samples")
    parser.add_argument("--traits", type=int, default=3, help="number of traits p")
    parser.add_argument("--candidates", type=int, default=10_000, help="candidates to test")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    n, p, m = args.n, args.traits, args.candidates

    start = time.perf_counter()
    data = simulate(n, p, m, args.seed)
    t_simulate = time.perf_counter() - start

    model, t_build, m_build = measured(
        lambda: Kron2Sum(data["Y"], np.eye(p), data["X"], data["G"], rank=p)
    )
    _, t_fit, m_fit = measured(lambda: model.fit(verbose=False))
    scanner, t_prep, m_prep = measured(model.get_fast_scanner)
    per_trait, t_scan2, m_scan2 = measured(lambda: scanner.scan(data["candidates"], np.eye(p)))
    shared, t_scan1, m_scan1 = measured(lambda: scanner.scan(data["candidates"], np.ones((p, 1))))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB

    r = model.cov.Ge.shape[1]
    print("Kron2Sum multi-trait scan benchmark")
    print_environment()
    print(
        f"  sizes      n={n}, p={p} traits, c=2 covariates, K full rank (r=rank(G)={r}), "
        f"rank(C₀)={p}, m={m} candidates"
    )
    print(
        f"  reference  dense K (n⋅p)²⋅8 = {human((n * p) ** 2 * 8)}, "
        f"candidates n⋅m⋅8 = {human(n * m * 8)}"
    )
    print(f"  null fit   lml = {model.lml():.6f}")
    print(f"             diag(C₀) = {np.array2string(np.diag(model.C0), precision=4)}")
    print(f"             diag(C₁) = {np.array2string(np.diag(model.C1), precision=4)}")
    lrt = 2 * (per_trait.lml - scanner.null_lml())
    print(f"  scan       max LRT (A₁=I) = {lrt.max():.3f}, min LRT = {lrt.min():.2e}")
    print()
    rows = [
        ("simulate data (not timed below)", t_simulate, None),
        ("construct Kron2Sum (SVD of G)", t_build, m_build),
        ("fit C₀, C₁ (L-BFGS-B)", t_fit, m_fit),
        ("get_fast_scanner", t_prep, m_prep),
        (f"scan {m} candidates, A₁ = I", t_scan2, m_scan2),
        (f"scan {m} candidates, A₁ = 𝟏", t_scan1, m_scan1),
    ]
    print(f"  {'step':<40}{'seconds':>10}{'peak (tracemalloc)':>22}")
    print(f"  {'-' * 40}{'-' * 10}{'-' * 22}")
    for name, seconds, peak in rows:
        print(f"  {name:<40}{seconds:10.3f}{'' if peak is None else human(peak):>22}")
    total = t_build + t_fit + t_prep + t_scan2
    print(f"  {'construct + fit + scan (A₁ = I)':<40}{total:10.3f}")
    print()
    print(f"  process peak RSS (whole run, incl. simulation): {human(rss)}")
    print(
        f"  effect sizes shape (A₁ = I): {per_trait.effsizes1.shape}; shared: "
        f"{shared.effsizes1.shape}"
    )


if __name__ == "__main__":
    main()
