"""Benchmark: fitting ExpFamGP (EP) to binary and count traits.

Run ``python benchmarks/expfam_gp.py [n ...]``; prints the sizes, the fit time, the number of
lml/gradient evaluations and EP sweeps, and the fitted lml. Model: offset mean, K = s₀GGᵀ + s₁I
with G of n×50 standardised genotypes.
"""

from __future__ import annotations

import os
import platform
import sys
import time

import numpy as np
from _ep_counts import count_ep_runs

from glimix.cov import EyeCov, LinearCov, SumCov
from glimix.ggp import ExpFamGP
from glimix.mean import OffsetMean


def problem(n: int, kind: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    G = rng.binomial(2, 0.3, size=(n, 50)).astype(float)
    G = (G - G.mean(0)) / G.std(0) / np.sqrt(G.shape[1])
    z = 0.2 + G @ rng.standard_normal(50) * 0.8 + rng.standard_normal(n) * 0.5
    y = rng.binomial(1, 1 / (1 + np.exp(-z))) if kind == "bernoulli" else rng.poisson(np.exp(z))
    cov = SumCov([LinearCov(G), EyeCov(n)])
    return y, OffsetMean(n), cov


def run(n: int, kind: str) -> None:
    y, mean, cov = problem(n, kind)
    gp = ExpFamGP(y, kind, mean, cov)
    calls = count_ep_runs(gp)
    start = time.perf_counter()
    before = gp.lml()
    gp.fit(verbose=False)
    elapsed = time.perf_counter() - start
    print(
        f"  {kind:<10} n={n:<5} fit {elapsed:7.2f} s   {calls['runs']:3d} EP runs, "
        f"{calls['sweeps']:4d} sweeps   lml {before:10.3f} → {gp.lml():10.3f}"
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [300, 1000]
    print("ExpFamGP fit benchmark (offset mean, K = s₀GGᵀ + s₁I, G n×50)")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"  numpy {np.__version__}, python {platform.python_version()}")
    for n in sizes:
        for kind in ("bernoulli", "poisson"):
            run(n, kind)


if __name__ == "__main__":
    main()
