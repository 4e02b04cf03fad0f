"""Time and memory of the structured Kron2SumCov operations, K = C₀ ⊗ GGᵀ + C₁ ⊗ I.

Run from the project root::

    python benchmarks/kron2sum_cov.py [--n 2000] [--m 50] [--dim 3] [--repeats 200]

With n samples, G of n×m (rank r = min(n, m) for a random G), p = dim traits and rank(C₀) = p,
the structured methods cost O(n⋅r⋅p + p³) and never form an n×n or (n⋅p)×(n⋅p) matrix. The table
reports median wall times over many repeats and tracemalloc peaks, compared with n⋅r⋅8 bytes (one
n×r float array, the size of the SVD factor kept by the class) and with (n⋅p)²⋅8 bytes (a dense
K).
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
from _report import human, print_environment

from glimix.cov import Kron2SumCov


def median_ms(func: Callable[[], object], repeats: int, setup: Callable[[], object] | None = None):
    """Median and minimum wall time of ``func()`` in milliseconds (``setup()`` untimed)."""
    times = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), min(times)


def peak_bytes(func: Callable[[], object]) -> int:
    """Peak memory allocated (tracemalloc) while running ``func()``."""
    tracemalloc.start()
    try:
        func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="number of samples (rows of G)")
    parser.add_argument("--m", type=int, default=50, help="number of columns of G")
    parser.add_argument("--dim", type=int, default=3, help="number of traits p (rank = dim)")
    parser.add_argument("--repeats", type=int, default=200, help="repeats of the fast calls")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    n, m, p, repeats = args.n, args.m, args.dim, args.repeats
    random = np.random.RandomState(args.seed)
    G = random.randn(n, m)
    v = random.randn(n * p)
    V = random.randn(n * p, 10)

    def build() -> Kron2SumCov:
        return Kron2SumCov(G, p, p)

    t_build = median_ms(build, max(5, repeats // 10))
    cov = build()
    cov.C0.L = random.randn(p, p)
    cov.C1.L = np.tril(random.randn(p, p)) + 2 * np.eye(p)
    r = cov.Ge.shape[1]
    Lu = cov.C0.Lu

    def invalidate() -> None:
        cov.C0.Lu = Lu  # same value, but the listener drops the cached factorisation

    rows = [
        ("construction (SVD of G)", *t_build),
        ("solve, first (factorise + solve)", *median_ms(lambda: cov.solve(v), repeats, invalidate)),
        ("logdet, first (factorise)", *median_ms(cov.logdet, repeats, invalidate)),
    ]
    cov.solve(v)
    rows += [
        ("solve(v), cached", *median_ms(lambda: cov.solve(v), repeats)),
        ("solve(V), cached, V of (n⋅p)×10", *median_ms(lambda: cov.solve(V), repeats)),
        ("logdet, cached", *median_ms(cov.logdet, repeats)),
        ("logdet_gradient", *median_ms(cov.logdet_gradient, repeats)),
        ("gradient_dot(v)", *median_ms(lambda: cov.gradient_dot(v), repeats)),
        ("LdKL_dot(v)", *median_ms(lambda: cov.LdKL_dot(v), repeats)),
    ]

    # Correctness spot check without dense K: K⋅vec(X) = vec(G(GᵀX)C₀ + XC₁).
    x = cov.solve(v).reshape(p, n).T
    Kx = G @ (G.T @ x) @ cov.C0.value() + x @ cov.C1.value()
    residual = float(np.max(np.abs(Kx.T.ravel() - v)))

    nr_bytes = n * r * 8
    dense_bytes = (n * p) ** 2 * 8
    invalidate()
    memory = [
        ("solve(v), first", peak_bytes(lambda: cov.solve(v))),
        ("solve(v), cached", peak_bytes(lambda: cov.solve(v))),
        ("logdet, cached", peak_bytes(cov.logdet)),
        ("logdet_gradient", peak_bytes(cov.logdet_gradient)),
        ("gradient_dot(v)", peak_bytes(lambda: cov.gradient_dot(v))),
    ]

    print("Kron2SumCov benchmark: K = C₀ ⊗ GGᵀ + C₁ ⊗ I")
    print_environment()
    print(
        f"  sizes      n={n}, m={m}, r=rank(G)={r}, p=dim={p}, rank(C₀)={p}, "
        f"K is {n * p}×{n * p}, nparams={cov.nparams}"
    )
    print(f"  reference  n⋅r⋅8 = {human(nr_bytes)}, dense K (n⋅p)²⋅8 = {human(dense_bytes)}")
    print(f"  check      max|K⋅solve(v) − v| = {residual:.2e}")
    print()
    print(f"  {'operation':<36}{'median ms':>12}{'min ms':>12}")
    print(f"  {'-' * 36}{'-' * 12}{'-' * 12}")
    for name, med, best in rows:
        print(f"  {name:<36}{med:12.4f}{best:12.4f}")
    print()
    print(f"  {'peak memory (tracemalloc)':<36}{'peak':>12}{'/ n⋅r⋅8':>10}{'/ (n⋅p)²⋅8':>14}")
    print(f"  {'-' * 36}{'-' * 12}{'-' * 10}{'-' * 14}")
    for name, peak in memory:
        print(f"  {name:<36}{human(peak):>12}{peak / nr_bytes:10.3f}{peak / dense_bytes:14.2e}")


if __name__ == "__main__":
    main()
