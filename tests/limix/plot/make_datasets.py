"""Write the example datasets of ``limix.plot.load_dataset`` into ``limix/plot/_datasets``.

Run ``python -m tests.limix.plot.make_datasets`` from the repository root to regenerate them;
``test_datasets.py`` checks that the shipped files hold exactly what this script writes. Both
datasets are simulated from fixed seeds:

* ``kinship.npz`` — the kinship of 200 samples from three populations (Balding–Nichols allele
  frequencies, F_ST = 0.1) with a few sibling pairs, samples in random order. Six samples (the
  first three and the last three) carry the values the reference manual prints.
* ``gwas.csv.gz`` — the variants with p-value below 0.01 of a simulated genome-wide scan of the
  22 human autosomes (one variant per 5 kb, LD as an AR(1) process along the chromosome, eight
  associated loci), indexed by the variant's position in the scan. The scan concatenated
  per-chromosome result files in the order a shell glob lists ``chr{c}_scan.tsv`` (10, 11, …, 19,
  1, 20, …), so the file starts with chromosome 10, as the manual's; its first rows are the
  manual's printed head.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.signal import lfilter
from scipy.stats import norm

__all__ = ["DATASETS", "gwas", "kinship", "write_datasets"]

DATASETS = Path(__file__).resolve().parents[3] / "limix" / "plot" / "_datasets"

# The manual's printed corner of the kinship: samples 0, 1, 2, n-3, n-2, n-1.
KINSHIP_CORNER = np.array(
    [
        [0.67003303, 0.09512837, 0.09346511, 0.08672590, 0.08412999, 0.08805045],
        [0.09512837, 0.66972454, 0.09344451, 0.08304282, 0.08735654, 0.07970102],
        [0.09346511, 0.09344451, 0.67305621, 0.08992310, 0.08756828, 0.08362728],
        [0.08672590, 0.08304282, 0.08992310, 0.69345128, 0.08846725, 0.09457396],
        [0.08412999, 0.08735654, 0.08756828, 0.08846725, 0.69414844, 0.10091500],
        [0.08805045, 0.07970102, 0.08362728, 0.09457396, 0.10091500, 0.68948159],
    ]
)

POPULATION_SIZES = (90, 65, 45)
N_SNPS = 5000
F_ST = 0.1
N_SIBLING_PAIRS = 6

# Autosome lengths (GRCh37, base pairs).
CHROM_LENGTHS = {
    1: 249_250_621, 2: 243_199_373, 3: 198_022_430, 4: 191_154_276, 5: 180_915_260,
    6: 171_115_067, 7: 159_138_663, 8: 146_364_022, 9: 141_213_431, 10: 135_534_747,
    11: 135_006_516, 12: 133_851_895, 13: 115_169_878, 14: 107_349_540, 15: 102_531_392,
    16: 90_354_753, 17: 81_195_210, 18: 78_077_248, 19: 59_128_983, 20: 63_025_520,
    21: 48_129_895, 22: 51_304_566,
}  # fmt: skip
VARIANT_SPACING = 5_000
LD_CORRELATION = 0.6  # between neighbouring variants
LD_DECAY = 40_000  # base pairs over which a causal signal decays by e
# (chromosome, position, expected z-score of the causal variant)
LOCI = [
    (2, 60_700_000, 7.0),
    (3, 12_400_000, 6.2),
    (6, 32_600_000, 11.0),
    (8, 128_400_000, 8.5),
    (10, 114_800_000, 7.8),
    (12, 56_400_000, 5.8),
    (16, 53_800_000, 6.8),
    (19, 45_400_000, 9.5),
]
# The manual's printed head: (index, chromosome 10 position, p-value).
GWAS_HEAD = [
    (234, 224_239, 0.00887),
    (239, 229_681, 0.00848),
    (253, 240_788, 0.00721),
    (258, 246_933, 0.00568),
    (266, 255_222, 0.00593),
]
FIRST_POSITION = 60_000  # chromosome ends are unsequenced


def kinship(seed: int = 0) -> np.ndarray:
    """Kinship matrix of the ``kinship`` dataset, rounded to 8 decimals."""
    rng = np.random.default_rng(seed)
    n = sum(POPULATION_SIZES)
    ancestral = rng.uniform(0.05, 0.95, N_SNPS)
    a, b = ancestral * (1 - F_ST) / F_ST, (1 - ancestral) * (1 - F_ST) / F_ST
    population = np.repeat(np.arange(len(POPULATION_SIZES)), POPULATION_SIZES)
    frequencies = rng.beta(a, b, size=(len(POPULATION_SIZES), N_SNPS))[population]
    G = rng.binomial(2, frequencies).astype(float)

    # Siblings share about half their genome: copy half of one sample's genotypes into another.
    siblings = rng.choice(POPULATION_SIZES[0], size=(N_SIBLING_PAIRS, 2), replace=False)
    for i, j in siblings:
        shared = rng.random(N_SNPS) < 0.5
        G[j, shared] = G[i, shared]

    # Standardised by the ancestral frequencies, so relatedness within a population is positive.
    X = (G - 2 * ancestral) / np.sqrt(2 * ancestral * (1 - ancestral))
    K = X @ X.T / N_SNPS

    # Affine rescaling to the manual's diagonal and within-population levels (the corner samples
    # are from population 0). K stays positive definite: test_datasets checks it.
    offdiag = ~np.eye(POPULATION_SIZES[0], dtype=bool)
    within = K[: POPULATION_SIZES[0], : POPULATION_SIZES[0]][offdiag].mean()
    target_diag = np.diag(KINSHIP_CORNER).mean()
    target_within = KINSHIP_CORNER[~np.eye(6, dtype=bool)].mean()
    scale = (target_diag - target_within) / (np.diag(K).mean() - within)
    K = scale * K + (target_diag - scale * np.diag(K).mean())

    # Sample order: the six corner samples are unrelated members of population 0, the others
    # shuffled in between, so that only clustering reveals the structure.
    unrelated = np.setdiff1d(np.arange(POPULATION_SIZES[0]), siblings.ravel())
    corner = rng.choice(unrelated, size=6, replace=False)
    middle = rng.permutation(np.setdiff1d(np.arange(n), corner))
    order = np.concatenate([corner[:3], middle, corner[3:]])
    K = K[np.ix_(order, order)]

    # Put the manual's values in the corner block S. Keeping the cross block B and the Schur
    # complement K_RR − B K_SS⁻¹ Bᵀ unchanged keeps K positive semi-definite.
    S = np.r_[0:3, n - 3 : n]
    R = np.r_[3 : n - 3]
    B = K[np.ix_(R, S)]
    schur = K[np.ix_(R, R)] - B @ np.linalg.solve(K[np.ix_(S, S)], B.T)
    K[np.ix_(R, R)] = schur + B @ np.linalg.solve(KINSHIP_CORNER, B.T)
    K[np.ix_(S, S)] = KINSHIP_CORNER
    K = (K + K.T) / 2
    return np.round(K, 8)


def gwas(seed: int = 0) -> pd.DataFrame:
    """Frame of the ``gwas`` dataset: columns ``chr``, ``pos``, ``pv``, indexed by variant."""
    rng = np.random.default_rng(seed)
    chroms = sorted(CHROM_LENGTHS, key=lambda c: f"chr{c}_scan.tsv")
    frames = []
    start = 0
    for chrom in chroms:
        length = CHROM_LENGTHS[chrom]
        m = (length - 2 * FIRST_POSITION) // VARIANT_SPACING
        pos = FIRST_POSITION + np.sort(rng.choice(length - 2 * FIRST_POSITION, m, replace=False))
        if chrom == 10:
            pos = _pin_head_positions(pos, rng)
        c = np.sqrt(1 - LD_CORRELATION**2)
        # zi makes the first variant's z standard normal too (stationary start).
        zi = [LD_CORRELATION * rng.normal()]
        z = lfilter([c], [1, -LD_CORRELATION], rng.normal(size=m), zi=zi)[0]
        for locus_chrom, locus_pos, effect in LOCI:
            if locus_chrom == chrom:
                z += effect * np.exp(-np.abs(pos - locus_pos) / LD_DECAY)
        pv = 2 * norm.sf(np.abs(z))
        index = np.arange(start, start + m)
        keep = pv < 0.01
        if chrom == 10:
            head = np.array([i for i, _, _ in GWAS_HEAD])
            keep[: head[-1] + 1] = False
            keep[head] = True
            pv[head] = [p for _, _, p in GWAS_HEAD]
        frames.append(pd.DataFrame({"chr": chrom, "pos": pos[keep], "pv": pv[keep]}, index[keep]))
        start += m
    return pd.concat(frames)


def _pin_head_positions(pos: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    # The manual's head pins where the first variants of chromosome 10 lie; the others follow.
    index = np.array([i for i, _, _ in GWAS_HEAD])
    where = np.array([p for _, p, _ in GWAS_HEAD])
    first = np.interp(np.arange(index[-1] + 1), np.r_[0, index], np.r_[FIRST_POSITION, where])
    rest = where[-1] + 1 + np.sort(rng.choice(pos[-1] - where[-1], pos.size - first.size, False))
    return np.r_[np.round(first).astype(int), rest]


def write_datasets(folder: Path = DATASETS) -> list[Path]:
    """Write every dataset into ``folder`` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    K = kinship()
    upper = np.round(K[np.triu_indices(K.shape[0])] * 1e8).astype(np.int32)
    np.savez_compressed(folder / "kinship.npz", upper_times_1e8=upper)
    gwas().to_csv(
        folder / "gwas.csv.gz",
        float_format="%.3g",
        compression={"method": "gzip", "mtime": 0},
    )
    return sorted(p for p in folder.iterdir() if p.is_file())


if __name__ == "__main__":
    for p in write_datasets():
        print(p, p.stat().st_size)
