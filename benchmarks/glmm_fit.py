"""Benchmark: fitting GLMMExpFam (EP) to Poisson and Bernoulli traits.

Run ``python benchmarks/glmm_fit.py [n ...] [--threads N]``; the default sizes are 500 and 2000.
For each n it prints the time of the eigendecomposition of a full-rank kinship 𝙺 (done once, as
an analysis sharing 𝙺 would), then for Poisson and Bernoulli traits the fit time, EP runs and
sweeps, the fitted lml and variances, and the peak memory allocated during the fit; then the same
fits with a low-rank 𝙺 = 𝙶𝙶ᵀ of rank 50 (the O(n⋅k²) path). ``--threads N`` sets the BLAS thread
count (OPENBLAS/OMP/MKL_NUM_THREADS) before NumPy loads; on a machine whose cores are busy with
other work a single thread avoids the BLAS threads waiting for each other.

Model: 𝐳 ∼ 𝓝(𝚇𝜷, v₀𝙺 + v₁𝙸), 𝚇 = [𝟏, 𝐱], 𝙺 = 𝙶𝙶ᵀ/p from standardised genotypes 𝙶 (n×p,
p = n + 100 for a full-rank 𝙺), true v₀ = 0.4 and v₁ = 0.1.
"""

from __future__ import annotations

import os
import sys

if "--threads" in sys.argv:
    _threads = sys.argv[sys.argv.index("--threads") + 1]
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = _threads

import platform
import resource
import time
import tracemalloc
import warnings

import numpy as np
from _ep_counts import count_ep_runs

from glimix.glmm import GLMMExpFam
from glimix.linalg import economic_qs, economic_qs_linear


def genotypes(n: int, p: int, rng: np.random.Generator) -> np.ndarray:
    G = rng.binomial(2, 0.3, size=(n, p)).astype(float)
    G -= G.mean(0)
    G /= G.std(0) * np.sqrt(p)
    return G


def traits(G: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    n, p = G.shape
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    z = (
        X @ [0.3, 0.2]
        + np.sqrt(0.4) * (G @ rng.standard_normal(p))
        + np.sqrt(0.1) * (rng.standard_normal(n))
    )
    y = {
        "poisson": rng.poisson(np.exp(z)).astype(float),
        "bernoulli": rng.binomial(1, 1 / (1 + np.exp(-z))).astype(float),
    }
    return X, y


def fit(y: np.ndarray, lik: str, X: np.ndarray, QS, label: str, n: int) -> None:
    glmm = GLMMExpFam(y, lik, X, QS)
    counts = count_ep_runs(glmm)
    tracemalloc.start()
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        glmm.fit(verbose=False)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    note = f"  [{len(caught)} warning(s): {caught[0].message}]" if caught else ""
    print(
        f"  {label:<9} {lik:<9} n={n:<5} fit {elapsed:7.2f} s  {counts['runs']:3d} EP runs "
        f"{counts['sweeps']:4d} sweeps  lml {glmm.lml():11.3f}  v0 {glmm.v0:.3f} "
        f"v1 {glmm.v1:.3f}  peak {peak:7.1f} MiB{note}"
    )


def main() -> None:
    args = sys.argv[1:]
    if "--threads" in args:
        i = args.index("--threads")
        del args[i : i + 2]
    sizes = [int(a) for a in args] or [500, 2000]
    print("GLMMExpFam fit benchmark: 𝐳 ∼ 𝓝(𝚇𝜷, v₀𝙺 + v₁𝙸), 𝚇 = [𝟏, 𝐱]")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"  numpy {np.__version__}, python {platform.python_version()}")
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"  BLAS threads: {threads}; load average {os.getloadavg()[0]:.2f}")
    for n in sizes:
        rng = np.random.default_rng(n)
        G = genotypes(n, n + 100, rng)
        X, ys = traits(G, rng)
        start = time.perf_counter()
        QS = economic_qs(G @ G.T)
        print(
            f"  full-rank 𝙺 (rank {QS[1].size}): eigendecomposition "
            f"{time.perf_counter() - start:.2f} s"
        )
        for lik, y in ys.items():
            fit(y, lik, X, QS, "full-rank", n)
        QS_low = economic_qs_linear(G[:, :50] * np.sqrt((n + 100) / 50), return_q1=False)
        for lik, y in ys.items():
            fit(y, lik, X, QS_low, "rank 50", n)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of the process {peak_rss:.0f} MiB")


if __name__ == "__main__":
    main()
