"""Benchmark: many traits sharing one kinship (expression QTL) with limix.qtl.scan_traits.

Run ``python benchmarks/scan_traits.py [ntraits ncandidates nsamples]`` (default 1000 traits ×
10,000 candidates × n = 1000, full-rank K, an offset and one covariate); prints the sizes, the
time of the whole call (the eigendecomposition of K, 1000 null fits, the scan of every candidate
against every trait), and peak RSS.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
import warnings

import numpy as np

from limix.qtl import scan_traits


def main() -> None:
    T, m, n = (int(a) for a in sys.argv[1:4]) if len(sys.argv) >= 4 else (1000, 10_000, 1000)
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(0)
    X = rng.binomial(2, 0.3, size=(n, 2 * n)).astype(float)
    X = (X - X.mean(0)) / X.std(0)
    K = X @ X.T / X.shape[1] + 1e-4 * np.eye(n)
    G = rng.binomial(2, rng.uniform(0.05, 0.5, m), size=(n, m)).astype(float)
    M = np.column_stack([np.ones(n), rng.normal(size=n)])
    Y = rng.normal(size=(n, T)) + X[:, :T] * 0.3
    print("limix.qtl.scan_traits benchmark")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"  {T} traits × {m:,} candidates × n = {n}, full-rank K, 2 covariates")
    start = time.perf_counter()
    result = scan_traits(G, Y, K, M, verbose=False)
    elapsed = time.perf_counter() - start
    print(f"  whole call {elapsed:8.2f} s   ({len(result.stats):,} tests)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
