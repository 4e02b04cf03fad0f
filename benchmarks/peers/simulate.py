"""Synthetic cohorts in PLINK 1 binary format, written in variant chunks (bounded memory).

Used by ``benchmarks/peers/run.py`` and ``benchmarks/scan_plink_stream.py``.

Model (all of it seeded, so a cohort is identical wherever it is rebuilt):

* n samples in sibships of ``family`` (samples i with the same i // family are siblings), the
  families in ``npop`` subpopulations (family k in population k mod npop); each variant has an
  ancestral frequency p ~ U(0.05, 0.5) and, in each population, a frequency drawn from the
  Balding–Nichols model, Beta(p(1−F)/F, (1−p)(1−F)/F) with F = ``fst``, clipped to
  [0.02, 0.98]. Each family's two (unobserved) parents have Binomial(2, frequency) genotypes and
  each child gets one allele of each parent, independently per variant (no linkage, no LD).
  Genotypes have no missing value. Relatedness (siblings share half their genome) spreads the
  spectrum of K, so that the variance components are identifiable: with unrelated samples and
  independent variants, K ≈ I plus the population structure.
* covariates: an intercept column of ones and ``covariates`` more (sex 0/1, age ~ 𝓝(50, 10²),
  then standard normals), written GEMMA-style (intercept first) to ``covariates.txt``.
* trait: y = M𝜶 + u + q + e with Var(u) = ``h2`` (infinitesimal: every variant of the
  ``polygenic`` file has an effect ~ 𝓝(0, 1) on its standardised genotype), q the sum of
  ``nqtl`` variants of the ``qtl`` file explaining ``qtl_var`` together, and e Gaussian noise
  with the remaining variance. y is written as the sixth column of every ``.fam`` file (where
  GEMMA and FaST-LMM read it); its sample order is the files'.

Chunks of ``chunk`` variants are drawn and written one at a time with bed-reader's streaming
writer ``create_bed`` (``to_bed`` needs the whole matrix in memory), so memory is a few
n×chunk arrays whatever the number of variants. Genotypes count the ``.bim``'s sixth-column
allele (``count_A1=False``), as ``limix.io.plink.read`` does.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from bed_reader import create_bed

__all__ = ["Cohort", "write_cohort"]


@dataclass(frozen=True)
class Cohort:
    """Paths of a written cohort; ``prefix(name)`` is the PLINK prefix of file set ``name``."""

    directory: Path
    meta: dict

    def prefix(self, name: str) -> str:
        return str(self.directory / name)

    @property
    def covariates(self) -> Path:
        return self.directory / "covariates.txt"

    def read_covariates(self) -> np.ndarray:
        """n×(1 + c) covariates, the intercept first."""
        return np.loadtxt(self.covariates, ndmin=2)

    def read_trait(self, name: str) -> np.ndarray:
        """The trait from the sixth column of ``name.fam``."""
        return np.loadtxt(f"{self.prefix(name)}.fam", usecols=5, dtype=float)


def _population_frequencies(rng: np.random.Generator, width: int, npop: int, fst: float):
    p = rng.uniform(0.05, 0.5, width)
    a, b = p * (1 - fst) / fst, (1 - p) * (1 - fst) / fst
    return np.clip(rng.beta(a, b, size=(npop, width)), 0.02, 0.98).astype(np.float32)


def _children(rng: np.random.Generator, freq: np.ndarray, family: np.ndarray) -> np.ndarray:
    """Genotypes (int8) of children of families ``family`` whose parents' allele frequencies
    are ``freq`` (one row per family)."""
    nfam, width = freq.shape
    parents = np.empty((2, nfam, width), dtype=np.float32)
    for k in range(2):
        g = (rng.random((nfam, width), dtype=np.float32) < freq).astype(np.float32)
        g += rng.random((nfam, width), dtype=np.float32) < freq
        parents[k] = g / 2  # probability of transmitting the counted allele
    n = family.size
    child = (rng.random((n, width), dtype=np.float32) < parents[0][family]).astype(np.int8)
    child += rng.random((n, width), dtype=np.float32) < parents[1][family]
    return child


def _write_genotypes(
    prefix: str,
    n: int,
    m: int,
    seed: int,
    npop: int,
    fst: float,
    family: int,
    chunk: int,
    effects: np.ndarray,
    trait_effects: dict[int, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Write ``prefix.bed/.bim/.fam``; return (Z·effects, Z[:, sorted(trait_effects)]).

    Z is the genotype matrix standardised per variant (over the n samples).
    """
    families = np.arange(n) // family
    population = np.arange(families[-1] + 1) % npop
    polygenic = np.zeros(n)
    qtl_index = np.array(sorted(trait_effects), dtype=np.int64)
    qtl = np.zeros((n, qtl_index.size))
    properties = {
        "fid": [f"f{i}" for i in range(n)],
        "iid": [f"s{i}" for i in range(n)],
        "chromosome": ["1"] * m,
        "sid": [f"v{j}" for j in range(m)],
        "bp_position": np.arange(1, m + 1, dtype=np.int64) * 100,
        "allele_1": ["A"] * m,
        "allele_2": ["G"] * m,
    }
    with create_bed(f"{prefix}.bed", n, m, properties, count_A1=False) as writer:
        for start in range(0, m, chunk):
            stop = min(m, start + chunk)
            width = stop - start
            rng = np.random.default_rng([seed, start])
            freq = _population_frequencies(rng, width, npop, fst)[population]
            G = _children(rng, freq, families)
            Z = G.astype(np.float64)
            Z -= Z.mean(axis=0)
            sd = Z.std(axis=0)
            Z /= np.where(sd > 0, sd, 1.0)
            polygenic += Z @ effects[start:stop]
            inside = (qtl_index >= start) & (qtl_index < stop)
            qtl[:, inside] = Z[:, qtl_index[inside] - start]
            for j in range(width):
                writer.write(G[:, j])
    return polygenic, qtl


def _write_fam(prefix: str, y: np.ndarray) -> None:
    lines = [f"f{i} s{i} 0 0 0 {value:.10g}\n" for i, value in enumerate(y)]
    Path(f"{prefix}.fam").write_text("".join(lines))


def write_cohort(
    directory: str | os.PathLike[str],
    n: int,
    files: dict[str, int],
    *,
    seed: int = 0,
    covariates: int = 3,
    polygenic: str | None = None,
    qtl: str | None = None,
    h2: float = 0.4,
    nqtl: int = 10,
    qtl_var: float = 0.05,
    npop: int = 3,
    fst: float = 0.05,
    family: int = 2,
    chunk: int = 4096,
    verbose: bool = True,
) -> Cohort:
    """Write the cohort into ``directory`` unless it is already there (a cache).

    Parameters
    ----------
    files
        PLINK file sets to write, by name, with their numbers of variants (e.g.
        ``{"test": 50_000, "kin": 10_000}``); each set has its own variants.
    polygenic, qtl
        The file sets whose variants carry the polygenic background and the QTLs (by default
        the first one).
    """
    directory = Path(directory)
    first = next(iter(files))
    polygenic = polygenic or first
    qtl = qtl or first
    meta = {
        "n": n,
        "files": files,
        "seed": seed,
        "covariates": covariates,
        "polygenic": polygenic,
        "qtl": qtl,
        "h2": h2,
        "nqtl": nqtl,
        "qtl_var": qtl_var,
        "npop": npop,
        "fst": fst,
        "family": family,
        "chunk": chunk,
    }
    done = directory / "cohort.json"
    if done.exists() and json.loads(done.read_text()).get("parameters") == meta:
        return Cohort(directory, json.loads(done.read_text()))
    partial = directory.with_name(directory.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    rng = np.random.default_rng([seed, 2**31])
    qtl_index = rng.choice(files[qtl], size=nqtl, replace=False)
    qtl_effects = rng.choice([-1.0, 1.0], nqtl) * rng.uniform(0.5, 1.5, nqtl)
    u = np.zeros(n)
    Q = np.zeros((n, nqtl))
    for name, m in files.items():
        begin = time.perf_counter()
        effects = rng.normal(size=m) if name == polygenic else np.zeros(m)
        wanted = dict(zip(qtl_index.tolist(), qtl_effects, strict=True)) if name == qtl else {}
        file_seed = seed * 1_000_003 + sum(map(ord, name))
        g, q = _write_genotypes(
            str(partial / name), n, m, file_seed, npop, fst, family, chunk, effects, wanted
        )
        if name == polygenic:
            u = g
        if name == qtl:
            Q = q[:, np.argsort(np.argsort(qtl_index))]  # back to qtl_index's order
        if verbose:
            size = (partial / f"{name}.bed").stat().st_size / 2**20
            print(
                f"  wrote {name}.bed: {n} samples × {m} variants ({size:,.0f} MiB) in "
                f"{time.perf_counter() - begin:.1f} s"
            )
    M = np.ones((n, 1 + covariates))
    if covariates >= 1:
        M[:, 1] = rng.integers(0, 2, n)
    if covariates >= 2:
        M[:, 2] = rng.normal(50, 10, n)
    if covariates >= 3:
        M[:, 3:] = rng.normal(size=(n, covariates - 2))
    alpha = rng.normal(0, 0.3, 1 + covariates) / np.r_[1.0, M[:, 1:].std(axis=0)]
    q = Q @ qtl_effects
    u = u / u.std() * np.sqrt(h2)
    q = q / q.std() * np.sqrt(qtl_var) if nqtl else q
    e = rng.normal(0, np.sqrt(1 - h2 - qtl_var), n)
    y = M @ alpha + u + q + e
    np.savetxt(partial / "covariates.txt", M, fmt="%.10g")
    for name in files:
        _write_fam(str(partial / name), y)
    record = {
        "parameters": meta,
        "qtl_variants": [f"v{j}" for j in qtl_index],
        "qtl_effects": qtl_effects.tolist(),
    }
    (partial / "cohort.json").write_text(json.dumps(record, indent=1))
    shutil.rmtree(directory, ignore_errors=True)
    partial.rename(directory)
    return Cohort(directory, record)
