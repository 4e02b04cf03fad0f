"""Benchmark: limix.qtl.scan end to end (input alignment, null fit, candidate scan, results).

Run ``python benchmarks/qtl_scan.py``; prints sizes, times and peak RSS of

* a normal trait, n = 1000 samples, 10,000 candidates, full-rank K, 2 covariates;
* a Poisson trait, n = 500 samples, 1,000 candidates, full-rank K, 2 covariates.

K is passed as a ``limix.stats.DecomposedKinship``, which keeps its eigendecomposition for the
analyses that share it: the first scan pays for it, so both the first (cold) and a second
(warm) scan are timed.
"""

from __future__ import annotations

import os
import platform
import resource
import time
import warnings

import numpy as np

from limix.qtl import scan
from limix.stats import DecomposedKinship


def data(n: int, m: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.binomial(2, 0.3, size=(n, 2 * n)).astype(float)
    X = (X - X.mean(0)) / X.std(0)
    K = DecomposedKinship(X @ X.T / X.shape[1])
    G = rng.binomial(2, rng.uniform(0.05, 0.5, m), size=(n, m)).astype(float)
    M = np.column_stack([np.ones(n), rng.normal(size=n)])
    z = M @ [0.2, 0.3] + X @ rng.normal(0, 0.5 / np.sqrt(X.shape[1]), X.shape[1])
    return G, z, K, M, rng


def timed(label: str, *args, **kwargs) -> None:
    start = time.perf_counter()
    result = scan(*args, **kwargs, verbose=False)
    elapsed = time.perf_counter() - start
    print(f"  {label:<48} {elapsed:7.2f} s   min p {result.stats['pv20'].min():.2e}")


def main() -> None:
    warnings.simplefilter("ignore")
    print("limix.qtl.scan benchmark")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"  numpy {np.__version__}, python {platform.python_version()}")
    G, z, K, M, rng = data(1000, 10_000)
    y = z + rng.normal(size=z.shape[0])
    timed("normal, n=1000, 10,000 candidates (cold: eigh)", G, y, "normal", K, M)
    timed("normal, n=1000, 10,000 candidates (warm)", G, y, "normal", K, M)
    G, z, K, M, rng = data(500, 1_000, seed=1)
    y = rng.poisson(np.exp(z))
    timed("poisson, n=500, 1,000 candidates (cold: eigh)", G, y, "poisson", K, M)
    timed("poisson, n=500, 1,000 candidates (warm)", G, y, "poisson", K, M)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
