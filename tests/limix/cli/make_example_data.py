"""Write the example data set shipped in ``limix/_example_data`` (what ``limix qtl scan --example``
analyses).

Run ``python -m tests.limix.cli.make_example_data`` from the repository root to regenerate it;
``test_example_data.py`` checks that the shipped files are what this script writes. Everything is
simulated from one fixed seed (``numpy.random.RandomState``, whose streams never change):

* 480 samples from three populations (Balding–Nichols allele frequencies, F_ST = 0.1) and
  3,000 biallelic variants on six chromosomes, in linkage disequilibrium along each chromosome
  (haplotypes copy their left neighbour's allele with probability 0.85). About 0.5% of the
  genotypes are missing, 20 variants miss 10–25% of theirs, and 30 variants are rare
  (MAF < 1%): the quality-control filters have something to remove.
* Two traits: ``quantitative`` (normal) and ``disease`` (0/1, the top 35% of a liability), from
  covariates (``sex``, ``age``), a population mean shift (stratification), a polygenic
  background of 300 variants, and three causal variants (``causal.csv``).
* The phenotype table lists the samples in another order than the genotype files, misses 12
  genotyped samples and has 5 samples that were not genotyped, so samples must be matched by
  their IDs.

Files: ``example.bed/.bim/.fam`` (PLINK 1, written by bed_reader), ``example.bgen`` (the same
genotypes as hard-call probabilities, BGEN v1.2 layout 2, zlib; written by the tests' BGEN
writer), ``phenotype.csv``, ``covariates.csv`` and ``causal.csv``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from bed_reader import to_bed

from limix._example_data import FILES
from tests.limix.io.bgen_writer import Variant, write_bgen

__all__ = ["EXAMPLE_DATA", "simulate", "write_example_data"]

EXAMPLE_DATA = Path(__file__).resolve().parents[3] / "limix" / "_example_data"

SEED = 20240917
POPULATION_SIZES = (200, 160, 120)
POPULATION_SHIFT = (0.0, 0.7, -0.6)  # trait mean of each population (stratification)
F_ST = 0.1
VARIANTS_PER_CHROM = (700, 600, 550, 450, 400, 300)
SPACING = 15_000  # mean distance between neighbouring variants, base pairs
LD = 0.9  # correlation of neighbouring variants' latent haplotype values
MISSING_RATE = 0.005
NOISY_VARIANTS = 20
RARE_VARIANTS = 30
POLYGENIC_VARIANTS = 300
POLYGENIC_VARIANCE = 0.3
# (chromosome, index on the chromosome from which a causal variant is chosen, effect per copy of
# the .bim's a1 allele)
CAUSAL = ((1, 350, 0.55), (3, 120, -0.5), (5, 260, 0.45))
NOT_PHENOTYPED = 12
NOT_GENOTYPED = 5
CASE_FRACTION = 0.35


def _genotypes(random: np.random.RandomState, population: np.ndarray) -> tuple:
    """Allele counts (samples × variants), chromosome and position of each variant.

    Each haplotype thresholds a latent AR(1) Gaussian process along the chromosome at the
    allele frequency of the sample's population: the frequencies are exact, and neighbouring
    variants are in linkage disequilibrium.
    """
    from scipy.signal import lfilter
    from scipy.stats import norm

    npops = len(POPULATION_SIZES)
    n = population.size
    columns, chrom, pos = [], [], []
    for c, m in enumerate(VARIANTS_PER_CHROM, start=1):
        ancestral = random.uniform(0.05, 0.95, m)
        a = ancestral * (1 - F_ST) / F_ST
        b = (1 - ancestral) * (1 - F_ST) / F_ST
        freq = random.beta(a[None, :], b[None, :], size=(npops, m))  # population × variant
        threshold = norm.ppf(np.clip(freq, 0.01, 0.99))[population]  # sample × variant
        counts = np.zeros((n, m))
        for _ in range(2):  # two haplotypes per sample
            noise = random.normal(size=(n, m))
            noise[:, 1:] *= np.sqrt(1 - LD**2)
            latent = lfilter([1.0], [1.0, -LD], noise, axis=1)  # unit variance throughout
            counts += latent < threshold
        columns.append(counts)
        chrom += [str(c)] * m
        pos.append(np.cumsum(random.randint(SPACING // 3, 5 * SPACING // 3, m)) + 10_000)
    return np.hstack(columns), np.array(chrom), np.concatenate(pos)


def simulate() -> dict[str, object]:
    """The simulated data set: genotypes, variants, samples, traits and covariates.

    Returns
    -------
    dict
        ``genotype`` (samples × variants allele counts of ``a1``, NaN missing), ``variants``
        (DataFrame: chrom, snp, cm, pos, a0, a1), ``samples`` (IDs), ``phenotype``,
        ``covariates`` and ``causal`` (DataFrames as written to the CSV files).
    """
    random = np.random.RandomState(SEED)
    population = np.repeat(np.arange(len(POPULATION_SIZES)), POPULATION_SIZES)
    n = population.size
    G, chrom, pos = _genotypes(random, population)
    m = G.shape[1]

    # Causal variants: from the given position on, the first common variant whose frequency
    # differs little between populations (a stratified one would be confounded with them).
    freq = np.stack([G[population == k].mean(0) / 2 for k in range(len(POPULATION_SIZES))])
    common = (np.minimum(freq.mean(0), 1 - freq.mean(0)) >= 0.25) & (np.ptp(freq, axis=0) < 0.1)
    starts = np.cumsum((0, *VARIANTS_PER_CHROM))
    causal_columns = []
    for c, j, _ in CAUSAL:
        start = int(starts[c - 1] + j)
        causal_columns.append(start + int(np.argmax(common[start : starts[c]])))
    # Rare variants: overwrite with few carriers (at least one, so none is monomorphic).
    candidates = np.setdiff1d(np.arange(m), causal_columns)
    rare = random.choice(candidates, RARE_VARIANTS, replace=False)
    for j in rare:
        carriers = random.choice(n, random.randint(1, 8), replace=False)
        G[:, j] = 0.0
        G[carriers, j] = 1.0
    # Missing genotypes: a few everywhere, many on some variants (never the causal ones).
    missing = random.uniform(size=G.shape) < MISSING_RATE
    noisy = random.choice(np.setdiff1d(candidates, rare), NOISY_VARIANTS, replace=False)
    missing[:, noisy] |= random.uniform(size=(n, NOISY_VARIANTS)) < random.uniform(0.1, 0.25)
    missing[:, causal_columns] = False
    observed = np.where(missing, np.nan, G)

    sex = random.randint(0, 2, n).astype(float)
    age = random.randint(20, 71, n).astype(float)
    background = random.choice(candidates, POLYGENIC_VARIANTS, replace=False)
    Z = G[:, background] - G[:, background].mean(0)
    Z /= np.maximum(Z.std(0), 1e-12)
    polygenic = Z @ random.normal(size=POLYGENIC_VARIANTS)
    polygenic *= np.sqrt(POLYGENIC_VARIANCE) / polygenic.std()
    effects = np.array([e for _, _, e in CAUSAL])
    causal = G[:, causal_columns] @ effects
    base = (
        0.35 * sex
        + 0.02 * (age - 45)
        + np.asarray(POPULATION_SHIFT)[population]
        + polygenic
        + causal
    )
    quantitative = base + random.normal(size=n)
    liability = base + random.normal(size=n)
    disease = (liability > np.quantile(liability, 1 - CASE_FRACTION)).astype(int)

    ids = np.array([f"S{i + 1:04d}" for i in range(n)])
    alleles = np.array(["A", "C", "G", "T"])
    pairs = np.array([random.choice(4, 2, replace=False) for _ in range(m)])
    variants = pd.DataFrame(
        {
            "chrom": chrom,
            "snp": [f"rs{1000 + 17 * j}" for j in range(m)],
            "cm": np.zeros(m),
            "pos": pos,
            "a0": alleles[pairs[:, 0]],
            "a1": alleles[pairs[:, 1]],
        }
    )

    order = random.permutation(n)[: n - NOT_PHENOTYPED]
    phenotype = pd.DataFrame(
        {
            "sample": ids[order],
            "quantitative": quantitative[order].round(4),
            "disease": disease[order],
        }
    )
    extra = pd.DataFrame(
        {
            "sample": [f"S{n + i + 1:04d}" for i in range(NOT_GENOTYPED)],
            "quantitative": random.normal(size=NOT_GENOTYPED).round(4),
            "disease": random.randint(0, 2, NOT_GENOTYPED),
        }
    )
    phenotype = pd.concat([phenotype, extra], ignore_index=True)
    phenotype.loc[random.choice(len(phenotype), 6, replace=False), "quantitative"] = np.nan
    cov_order = random.permutation(n)
    covariates = pd.DataFrame(
        {"sample": ids[cov_order], "sex": sex[cov_order].astype(int), "age": age[cov_order]}
    ).astype({"age": int})
    causal_table = variants.iloc[causal_columns][["snp", "chrom", "pos", "a0", "a1"]].copy()
    causal_table["effect"] = effects
    causal_table = causal_table.rename(columns={"snp": "variant"}).reset_index(drop=True)
    return {
        "genotype": observed,
        "variants": variants,
        "samples": ids,
        "population": population,
        "phenotype": phenotype,
        "covariates": covariates,
        "causal": causal_table,
    }


def _write_plink(folder: Path, data: dict) -> None:
    variants: pd.DataFrame = data["variants"]
    ids = list(data["samples"])
    n = len(ids)
    properties = {
        "fid": ids,
        "iid": ids,
        "father": ["0"] * n,
        "mother": ["0"] * n,
        "sex": [0] * n,
        "pheno": ["-9"] * n,
        "chromosome": list(variants["chrom"]),
        "sid": list(variants["snp"]),
        "cm_position": list(variants["cm"]),
        "bp_position": list(variants["pos"]),
        "allele_1": list(variants["a0"]),
        "allele_2": list(variants["a1"]),
    }
    # count_A1=False: the values count allele_2, the .bim's sixth column (limix's a1)
    to_bed(folder / "example.bed", data["genotype"], properties, count_A1=False, num_threads=1)


def _write_bgen(folder: Path, data: dict) -> None:
    G: np.ndarray = data["genotype"]
    variants: pd.DataFrame = data["variants"]
    n = G.shape[0]
    records = []
    for j, row in enumerate(variants.itertuples(index=False)):
        g = G[:, j]
        missing = np.isnan(g)
        probs = np.zeros((n, 3))
        calls = np.where(missing, 0, g).astype(int)
        probs[np.arange(n), calls] = 1.0  # colex order: a0a0, a0a1, a1a1
        records.append(
            Variant(
                row.snp, row.snp, row.chrom, int(row.pos), [row.a0, row.a1], probs, missing=missing
            )
        )
    write_bgen(folder / "example.bgen", records, n, list(data["samples"]), bits=8, level=9)


def write_example_data(folder: Path = EXAMPLE_DATA, *, bgen: bool = True) -> list[Path]:
    """Write the example data set into ``folder`` and return the paths written.

    Parameters
    ----------
    folder
        Destination (created if needed).
    bgen
        ``False`` to skip the BGEN file (its pure-Python writer takes several seconds).
    """
    folder.mkdir(parents=True, exist_ok=True)
    data = simulate()
    _write_plink(folder, data)
    if bgen:
        _write_bgen(folder, data)
    for name in ("phenotype", "covariates", "causal"):
        data[name].to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return [folder / name for name in FILES if (folder / name).exists()]


if __name__ == "__main__":
    for path in write_example_data():
        print(f"{path} ({path.stat().st_size} bytes)")
