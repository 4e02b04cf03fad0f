"""Time and peak memory of limix.stats.linear_kinship on a lazy (dask) genotype matrix.

Run from the project root::

    python benchmarks/linear_kinship.py [--samples 5000] [--variants 100000] [--chunk 1000]

The genotype matrix G (samples × variants, float64, 1% missing, 1% monomorphic variants) is a
dask array whose chunks are drawn on demand from per-chunk seeds, so it never exists in memory
as a whole: its dense size is printed for comparison. linear_kinship streams it in column blocks
of about 64 MiB, so peak memory should be the n×n kinship plus a few blocks. The peak resident set
size of the process (ru_maxrss, which includes the interpreter and libraries) is measured before
and after the call. A check on 500 samples × 2,000 variants then compares the streamed result
with the dense formula 𝚇𝚇ᵀ/d.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time

import dask
import dask.array as da
import numpy as np

from limix.stats import linear_kinship


def human(nbytes: float) -> str:
    for unit in ["B", "KiB", "MiB", "GiB"]:
        if nbytes < 1024 or unit == "GiB":
            return f"{nbytes:.1f} {unit}"
        nbytes /= 1024
    raise AssertionError("unreachable")


def peak_rss() -> int:
    """Peak resident set size of this process so far, in bytes (Linux reports KiB)."""
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def _chunk(n: int, width: int, seed: int) -> np.ndarray:
    random = np.random.default_rng(seed)
    freq = random.uniform(0.01, 0.5, size=width)
    freq[random.random(width) < 0.01] = 0.0  # monomorphic variants
    G = random.binomial(2, freq, size=(n, width)).astype(float)
    G[random.random((n, width)) < 0.01] = np.nan
    return G


def lazy_genotype(n: int, p: int, chunk: int, seed: int = 0) -> da.Array:
    widths = [chunk] * (p // chunk) + ([p % chunk] if p % chunk else [])
    blocks = [
        da.from_delayed(dask.delayed(_chunk)(n, w, seed + k), shape=(n, w), dtype=float)
        for k, w in enumerate(widths)
    ]
    return da.concatenate(blocks, axis=1)


def dense_kinship(G: np.ndarray) -> np.ndarray:
    observed = ~np.isnan(G)
    keep = np.array([np.ptp(G[observed[:, j], j]) > 0 for j in range(G.shape[1])])
    G, observed = G[:, keep], observed[:, keep]
    mean = np.nanmean(G, axis=0)
    std = np.nanstd(G, axis=0)
    X = np.where(observed, (G - mean) / std, 0.0)
    return X @ X.T / X.shape[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--variants", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=1000, help="variants per dask chunk")
    args = parser.parse_args()
    n, p = args.samples, args.variants

    print(f"python {platform.python_version()}, numpy {np.__version__}, dask {dask.__version__}")
    print(f"cpus: {os.cpu_count()}")
    G = lazy_genotype(n, p, args.chunk)
    print(f"G: {n} samples × {p} variants, dask chunks of {n}×{args.chunk}")
    print(f"dense float64 G would take {human(8 * n * p)}; K (n×n) takes {human(8 * n * n)}")

    before = peak_rss()
    start = time.perf_counter()
    K = linear_kinship(G, verbose=True)
    elapsed = time.perf_counter() - start
    after = peak_rss()
    assert np.isfinite(K).all()
    print(f"linear_kinship: {elapsed:.1f} s")
    print(f"peak RSS before the call: {human(before)}; after: {human(after)}")
    print(f"peak RSS / dense G size: {after / (8 * n * p):.3f}")

    # after the timed call, so that its peak memory is not this check's
    m = min(n, 500)
    check = G[:m, :2000].compute()
    np.testing.assert_allclose(
        linear_kinship(check, verbose=False), dense_kinship(check), rtol=1e-10, atol=1e-12
    )
    print(f"check on {m} samples × 2000 variants against the dense formula: ok")
    print(f"mean diagonal of K: {np.mean(np.diag(K)):.4f} (1 without missing values)")


if __name__ == "__main__":
    main()
