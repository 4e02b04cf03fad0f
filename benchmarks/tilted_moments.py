"""Benchmark: tilted moments (log Ẑ, mean, variance) of 10⁶ EP sites at once.

Run ``python benchmarks/tilted_moments.py [nsites] [repeats]``; prints, for Bernoulli (logit),
probit, binomial (logit, 100 trials) and Poisson (log) sites, the best and the median time of
``repeats`` (default 3) calls of the vectorised tilted-moment routine. Cavities are those EP
meets in a GLMM: means 𝓝(0, 2²) and variances log-uniform on [0.01, 10].
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import time

import numpy as np

from glimix._ep._tilted import tilted_moments
from glimix.lik import BernoulliProdLik, BinomialProdLik, PoissonProdLik
from glimix.link import LogitLink, LogLink, ProbitLink


def likelihoods(n: int, rng: np.random.Generator):
    bernoulli = BernoulliProdLik(LogitLink())
    bernoulli.outcome = rng.integers(0, 2, n).astype(float)
    probit = BernoulliProdLik(ProbitLink())
    probit.outcome = bernoulli.outcome
    binomial = BinomialProdLik(np.full(n, 100.0), LogitLink())
    binomial.outcome = rng.binomial(100, 0.3, n).astype(float)
    poisson = PoissonProdLik(LogLink())
    poisson.outcome = rng.poisson(3.0, n).astype(float)
    return {"bernoulli": bernoulli, "probit": probit, "binomial": binomial, "poisson": poisson}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10**6
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rng = np.random.default_rng(0)
    mean = rng.normal(0.0, 2.0, n)
    variance = np.exp(rng.uniform(np.log(0.01), np.log(10.0), n))
    print(f"Tilted moments of {n:,} sites per likelihood (one vectorised call each)")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"  numpy {np.__version__}, python {platform.python_version()}")
    for name, lik in likelihoods(n, rng).items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            moments = tilted_moments(lik, mean, variance)
            times.append(time.perf_counter() - start)
        finite = np.all(np.isfinite(moments.log_z)) and np.all(moments.variance > 0)
        print(
            f"  {name:<10} best {min(times):5.2f} s, median {np.median(times):5.2f} s"
            f"   all finite and positive: {finite}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
