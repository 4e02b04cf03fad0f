"""Benchmark of LMM fit + FastScanner.fast_scan against the BLAS floor, full-rank and low-rank K.

Run from the project root:

    python benchmarks/lmm_scan.py                 # n = 2000, m = 50,000, c = 3 (a few minutes)
    python benchmarks/lmm_scan.py --n 500 --m 5000  # quick check

For a full-rank K (from 2n random variants) it times

* the floor: ``numpy.linalg.eigh(K)`` plus one float64 product (n×n)·(n×m) — what any exact scan
  with a full-rank K has to do at least;
* the scan: ``economic_qs(K)``, ``LMM(y, X, QS).fit()``, ``get_fast_scanner()`` and
  ``fast_scan(G)``;

and prints their ratio and the peak memory the scan allocated (traced by ``tracemalloc``, which
sees NumPy's allocations; the inputs K and G, allocated before, are not counted). Then it times the
same pipeline with K = WWᵀ from ``--snps`` variants (``economic_qs_linear(W)``, rank ``--snps``) and
prints the speed-up over the full-rank case. ``--exact`` also times the exact test (𝛿 refitted per
candidate) on the full-rank K.

Each timing is the best of ``--repeat`` runs (3 by default): timings depend on the machine's BLAS
and on what else runs on it, and the best run is the least disturbed one.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from glimix.linalg import economic_qs, economic_qs_linear
from glimix.lmm import LMM

MiB = 2**20


def _data(n: int, m: int, c: int, snps: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    W_full = rng.standard_normal((n, 2 * n))
    K = W_full @ W_full.T / (2 * n)
    del W_full
    W_low = rng.standard_normal((n, snps)) / np.sqrt(snps)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, c - 1))])
    G = rng.standard_normal((n, m))
    y = X @ rng.standard_normal(c) + W_low @ rng.standard_normal(snps) * 0.7
    y += G[:, :10] @ rng.standard_normal(10) * 0.1 + rng.standard_normal(n)
    return y, X, K, W_low, G


def _floor(K: np.ndarray, G: np.ndarray, repeat: int) -> float:
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        _, Q = np.linalg.eigh(K)
        Q.T @ G
        best = min(best, time.perf_counter() - start)
    return best


def _pipeline(y, X, G, decompose, repeat: int, exact: bool = False) -> tuple[float, float, dict]:
    """Best time of ``repeat`` runs; peak traced memory of the first run."""
    best, peak = np.inf, 0
    for i in range(repeat):
        if i == 0:
            tracemalloc.start()
        start = time.perf_counter()
        QS = decompose()
        lmm = LMM(y, X, QS)
        lmm.fit(verbose=False)
        result = lmm.get_fast_scanner().fast_scan(G, verbose=False, exact=exact)
        best = min(best, time.perf_counter() - start)
        if i == 0:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return best, peak, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="samples")
    parser.add_argument("--m", type=int, default=50_000, help="candidates")
    parser.add_argument("--covariates", type=int, default=3, help="covariates (with an offset)")
    parser.add_argument("--snps", type=int, default=500, help="variants of the low-rank K")
    parser.add_argument("--exact", action="store_true", help="also time the exact test")
    parser.add_argument("--repeat", type=int, default=3, help="report the best of this many runs")
    args = parser.parse_args()
    n, m, c = args.n, args.m, args.covariates

    repeat = max(1, args.repeat)
    print(f"n = {n} samples, m = {m} candidates, c = {c} covariates; best of {repeat} run(s)")
    y, X, K, W_low, G = _data(n, m, c, args.snps)
    print(f"G: {G.nbytes / MiB:.0f} MiB; K and its eigenvectors: {K.nbytes / MiB:.0f} MiB each")
    np.ones((256, 256)) @ np.ones((256, 256))  # warm up the BLAS threads

    floor = _floor(K, G, repeat)
    print(f"\nfull-rank K\n  eigh(K) + one GEMM (n×n)·(n×m):     {floor:8.2f} s")
    full, peak, result = _pipeline(y, X, G, lambda: economic_qs(K), repeat)
    print(f"  economic_qs + LMM fit + fast_scan:  {full:8.2f} s")
    print(f"  ratio (target ≤ 1.3):               {full / floor:8.2f}")
    rotated = n * m * 8 / MiB
    print(
        f"  peak memory allocated by the scan:  {peak / MiB:8.0f} MiB "
        f"(whole rotated matrix would be {rotated:.0f} MiB)"
    )
    best = int(np.argmax(result["lml"]))
    print(f"  best candidate: {best}, lml {result['lml'][best]:.3f}")

    low, low_peak, _ = _pipeline(
        y, X, G, lambda: economic_qs_linear(W_low, return_q1=False), repeat
    )
    print(f"\nlow-rank K = WWᵀ, W n×{args.snps}")
    print(f"  economic_qs_linear + LMM fit + fast_scan: {low:8.2f} s")
    print(f"  peak memory allocated by the scan:        {low_peak / MiB:8.0f} MiB")
    print(f"  speed-up over full rank (target ≥ 5):     {full / low:8.2f}")

    if args.exact:
        exact, exact_peak, _ = _pipeline(y, X, G, lambda: economic_qs(K), 1, exact=True)
        print("\nexact test (𝛿 refitted per candidate), full-rank K, one run")
        print(f"  economic_qs + LMM fit + fast_scan(exact=True): {exact:8.2f} s")
        print(f"  peak memory allocated by the scan:             {exact_peak / MiB:8.0f} MiB")


if __name__ == "__main__":
    main()
