"""Random genotypes written as a PLINK 1 file set, for the benchmarks that need one on disk.

The scripts run as ``python benchmarks/<name>.py``, which puts this folder first on ``sys.path``;
they import this module as ``_genotypes``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["write_random_bed"]


def write_random_bed(
    path: Path, n: int, m: int, missing: float, random: np.random.Generator
) -> list[str]:
    """Write ``n`` samples × ``m`` variants of random genotypes to ``path`` (a ``.bed``).

    Allele frequencies uniform in [0.05, 0.5], Hardy–Weinberg genotypes, a fraction ``missing``
    of them missing; samples ``s0, s1, …``, variants ``v0, v1, …`` on chromosomes 1 and 2 (half
    each), alleles A and G. Draws from ``random`` in a fixed order (frequencies, genotypes,
    missingness), so a seeded generator gives the same file. Returns the sample IDs.
    """
    from bed_reader import to_bed

    freq = random.uniform(0.05, 0.5, m)
    G = random.binomial(2, freq, size=(n, m)).astype(np.float32)
    G[random.random((n, m)) < missing] = np.nan
    ids = [f"s{i}" for i in range(n)]
    properties = {
        "iid": ids,
        "sid": [f"v{j}" for j in range(m)],
        "chromosome": np.repeat(["1", "2"], [m // 2, m - m // 2]),
        "bp_position": np.r_[np.arange(m // 2), np.arange(m - m // 2)] * 100 + 1,
        "allele_1": ["A"] * m,
        "allele_2": ["G"] * m,
    }
    to_bed(path, G, properties=properties)
    return ids
