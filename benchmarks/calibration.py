"""Benchmark: calibration of limix.qtl.scan under the null, with population structure.

Run ``python benchmarks/calibration.py`` (``--quick`` for smaller sizes, ``--reps R`` for R
independent simulations of each setting, ``--seed S`` for the first seed). Each setting simulates

* three subpopulations of equal size, allele frequencies drawn by the Balding–Nichols model
  (ancestral frequency p ~ U(0.05, 0.5), subpopulation frequency ~ Beta(p(1−F)/F, (1−p)(1−F)/F),
  F = Fst = 0.05);
* a kinship K = ``limix.stats.linear_kinship`` of separate variants (neither tested nor causal);
* a structured liability: a polygenic background of 500 other variants of the same
  subpopulations (40% of its variance), a sex covariate, noise, and — when ``pop sd`` > 0 — a
  mean per subpopulation that is not genetic (an "environmental" stratification); the trait is
  the liability (normal), a Bernoulli draw through the logistic function of it, or a Poisson
  draw of exp(0.5 + 0.5·liability);
* null candidates: independent variants of the same subpopulations, none in the trait.

Every candidate is null, so the p-values should be uniform. Three scans of each study are run:
with K (LMM, or GLMM for the non-normal traits), with K and the top two eigenvectors of K as
extra covariates, and without K (a linear or generalised linear model, which the structure
inflates: it shows the structure is there). Printed: sizes, the genomic-control factor
λ_GC = median(χ²₁ quantiles of the p-values) / 0.4549 and the time of each scan. λ_GC's
sampling standard error under uniform p-values is about 2.33/√m for m candidates (0.033 for
5,000, 0.074 for 1,000), so a single simulation is a coarse check: use ``--reps``.

Default sizes (the issue's): normal, n = 1,000, 5,000 candidates, K from 5,000 variants;
bernoulli and poisson, n = 500, 1,000 candidates, K from 2,500 variants.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2

from limix.qtl import scan
from limix.stats import linear_kinship

__all__ = ["Setting", "lambda_gc", "simulate"]

#: Median of the χ²₁ distribution.
CHI2_MEDIAN = float(chi2.ppf(0.5, 1))


@dataclass(frozen=True)
class Setting:
    """One simulated study: likelihood and sizes."""

    lik: str
    nsamples: int
    ncandidates: int
    nkinship: int  # variants K is estimated from
    ncausal: int = 500  # variants of the polygenic background
    fst: float = 0.05
    npops: int = 3
    h2: float = 0.4  # share of the liability's variance from the polygenic background
    pop_sd: float = 0.5  # standard deviation of the subpopulation means of the liability


@dataclass(frozen=True)
class Study:
    y: np.ndarray
    G: np.ndarray
    K: np.ndarray
    M: np.ndarray


def lambda_gc(pv: np.ndarray) -> float:
    """Genomic-control factor: median of the χ²₁ quantiles of ``pv`` over the χ²₁ median."""
    return float(np.median(chi2.isf(np.asarray(pv, float), 1)) / CHI2_MEDIAN)


def _structured_genotypes(
    rng: np.random.Generator, pops: np.ndarray, m: int, npops: int, fst: float
) -> np.ndarray:
    """n×m genotypes (0, 1, 2) of the subpopulations ``pops`` under Balding–Nichols."""
    p = rng.uniform(0.05, 0.5, m)
    a, b = p * (1 - fst) / fst, (1 - p) * (1 - fst) / fst
    freqs = rng.beta(a, b, size=(npops, m))
    G = rng.binomial(2, freqs[pops]).astype(float)
    # a variant monomorphic in the sample tests nothing: redraw it from the ancestral frequency
    flat = G.std(0) == 0
    while flat.any():
        G[:, flat] = rng.binomial(2, p[flat], size=(len(pops), int(flat.sum()))).astype(float)
        flat = G.std(0) == 0
    return G


def simulate(setting: Setting, seed: int) -> Study:
    """A null study of ``setting``: trait, candidates, kinship and covariates (offset, sex)."""
    rng = np.random.default_rng(seed)
    n = setting.nsamples
    pops = np.arange(n) % setting.npops
    rng.shuffle(pops)

    def genotypes(m: int) -> np.ndarray:
        return _structured_genotypes(rng, pops, m, setting.npops, setting.fst)

    K = linear_kinship(genotypes(setting.nkinship), verbose=False)
    causal = genotypes(setting.ncausal)
    causal = (causal - causal.mean(0)) / causal.std(0)
    background = causal @ rng.normal(0, 1, setting.ncausal)
    background *= np.sqrt(setting.h2) / background.std()
    pop_means = rng.normal(0, setting.pop_sd, setting.npops)
    sex = rng.integers(0, 2, n).astype(float)
    liability = pop_means[pops] + background + 0.2 * sex + rng.normal(0, np.sqrt(1 - setting.h2), n)
    if setting.lik == "normal":
        y = liability
    elif setting.lik == "bernoulli":
        y = (rng.random(n) < 1 / (1 + np.exp(-liability))).astype(float)
    elif setting.lik == "poisson":
        y = rng.poisson(np.exp(0.5 + 0.5 * liability)).astype(float)
    else:
        raise ValueError(f"unknown likelihood {setting.lik!r}")
    M = np.column_stack([np.ones(n), sex])
    return Study(y, genotypes(setting.ncandidates), K, M)


ANALYSES = ("K", "K+PCs", "no K")


def run(setting: Setting, seed: int, npcs: int = 2) -> dict[str, dict[str, float]]:
    """Simulate; scan with K, with K and the top ``npcs`` eigenvectors of K as covariates, and
    without K; λ_GC, smallest p-value and time of each."""
    start = time.perf_counter()
    study = simulate(setting, seed)
    out: dict[str, dict[str, float]] = {"simulate": {"time": time.perf_counter() - start}}
    pcs = np.linalg.eigh(study.K)[1][:, -npcs:]
    designs = {
        "K": (study.K, study.M),
        "K+PCs": (study.K, np.column_stack([study.M, pcs])),
        "no K": (None, study.M),
    }
    for label, (K, M) in designs.items():
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = scan(study.G, study.y, setting.lik, K=K, M=M, verbose=False)
        elapsed = time.perf_counter() - start
        pv = result.stats["pv20"].to_numpy()
        if not np.all(np.isfinite(pv)):
            raise RuntimeError(f"{setting.lik}, {label}: non-finite p-values")
        out[label] = {"lambda": lambda_gc(pv), "min_p": float(pv.min()), "time": elapsed}
    return out


def _settings(quick: bool) -> list[Setting]:
    if quick:
        sizes = {"normal": (400, 3000, 2000), "bernoulli": (300, 1000, 1500)}
        sizes["poisson"] = sizes["bernoulli"]
    else:
        sizes = {"normal": (1000, 5000, 5000), "bernoulli": (500, 1000, 2500)}
        sizes["poisson"] = sizes["bernoulli"]
    return [
        Setting(lik, *sizes[lik], pop_sd=pop_sd)
        for lik in ("normal", "bernoulli", "poisson")
        for pop_sd in (0.0, 0.5)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--reps", type=int, default=1, help="simulations per setting")
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    args = parser.parse_args()

    print("limix.qtl.scan calibration under the null (3 subpopulations, Fst 0.05)")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"  numpy {np.__version__}, python {platform.python_version()}")
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(f"  OPENBLAS_NUM_THREADS={threads} (GLMM times vary with it on a busy machine)")
    print(
        "  pop sd: s.d. of the subpopulation means added to the liability (0: the structure of "
        "the trait is its polygenic background's only)"
    )
    print(
        f"  {'lik':<10}{'n':>6}{'cands':>7}{'K vars':>8}{'pop sd':>8}{'seed':>6}"
        + "".join(f"{'λ ' + a:>10}{'s':>7}" for a in ANALYSES)
        + f"{'sim s':>7}"
    )
    for setting in _settings(args.quick):
        lambdas: dict[str, list[float]] = {a: [] for a in ANALYSES}
        for rep in range(args.reps):
            seed = args.seed + rep
            r = run(setting, seed)
            for a in ANALYSES:
                lambdas[a].append(r[a]["lambda"])
            print(
                f"  {setting.lik:<10}{setting.nsamples:>6}{setting.ncandidates:>7}"
                f"{setting.nkinship:>8}{setting.pop_sd:>8.2f}{seed:>6}"
                + "".join(f"{r[a]['lambda']:>10.3f}{r[a]['time']:>7.1f}" for a in ANALYSES)
                + f"{r['simulate']['time']:>7.1f}",
                flush=True,
            )
        if args.reps > 1:
            se = 2.33 / np.sqrt(setting.ncandidates) / np.sqrt(args.reps)
            means = ", ".join(f"{a} {np.mean(lambdas[a]):.3f}" for a in ANALYSES)
            print(
                f"  {setting.lik:<10} pop sd {setting.pop_sd:.2f}: mean λ_GC over {args.reps} "
                f"simulations: {means} (s.e. of a mean under calibration ≈ {se:.3f})",
                flush=True,
            )


if __name__ == "__main__":
    main()
