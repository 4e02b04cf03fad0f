"""Multi-trait scans: vec(𝚈) ∼ 𝓝((𝙰⊗𝙼)vec(𝐀) + (𝙰₀⊗𝐠)𝛃₀ + (𝙰₁⊗𝐠)𝛃₁, C₀⊗𝙺 + C₁⊗𝙸)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from glimix.lmm import Kron2Sum, fit_kron2sum

from .._data import ScanInputs
from ._driver import run_tests
from ._result import NullModel, QTLResult, long_effsizes, scan_statistics

__all__ = ["multi_trait_scan"]


def _design(value: Any, p: int, name: str) -> np.ndarray:
    A = np.asarray(value, dtype=float)
    if A.ndim == 1:
        A = A[:, None]
    if A.ndim != 2 or A.shape[0] != p or A.shape[1] < 1:
        raise ValueError(
            f"{name} must be a p×q matrix with p = {p} rows (one per trait); got {A.shape}."
        )
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{name} has non-finite values.")
    return A


def _column_labels(A: np.ndarray, traits: list[str], prefix: str) -> list[str]:
    """Trait names when A is the identity, else ``prefix0``, ``prefix1``, …"""
    if A.shape[0] == A.shape[1] and np.array_equal(A, np.eye(A.shape[0])):
        return list(traits)
    return [f"{prefix}{j}" for j in range(A.shape[1])]


def _null_model(
    model: Kron2Sum,
    scanner: Any,
    inputs: ScanInputs,
    labels: list[str],
    formula: str,
    exact: bool,
):
    """The null as reported; with ``exact``, its lml and C₀, C₁ are the exact test's polished
    optimum, so that every likelihood-ratio statistic compares maxima computed the same way."""
    C0, C1 = model.C0, model.C1
    lml = float(scanner.null_lml())
    if exact:
        lml, C0, C1 = scanner.exact_null()
    traits = [str(t) for t in inputs.y["trait"].values]
    covariates = [str(c) for c in inputs.M["covariate"].values]
    c, q = len(covariates), len(labels)
    effsizes = pd.DataFrame(
        {
            "trait": np.repeat(labels, c),
            "covariate": np.tile(covariates, q),
            "effsize": np.asarray(scanner.null_beta, float).ravel(order="F"),
            "effsize_se": np.asarray(scanner.null_beta_se, float).ravel(order="F"),
        }
    )
    p = len(traits)
    variances = pd.DataFrame(
        {
            "trait0": np.repeat(traits, p),
            "trait1": np.tile(traits, p),
            "fore_covariance": np.asarray(C0, float).ravel(),
            "back_covariance": np.asarray(C1, float).ravel(),
        }
    )
    return NullModel("normal", lml, effsizes, variances, formula)


def multi_trait_scan(
    inputs: ScanInputs,
    A: Any,
    A0: Any,
    A1: Any,
    idx: Any,
    verbose: bool,
    rank: int | None = None,
    exact: bool = False,
) -> QTLResult:
    """Fit the multi-trait null (Kron2Sum, C₀ of rank ``rank``, full by default) and test each
    candidate under 𝓗₁ (with A0) and 𝓗₂; ``exact`` re-estimates C₀ and C₁ per alternative."""
    if inputs.lik.name != "normal":
        raise ValueError(
            f"multi-trait scans need lik='normal'; got {inputs.lik.name!r} (test the traits one "
            "at a time with a generalised linear mixed model instead)."
        )
    if idx is not None:
        raise ValueError(
            "idx (candidate sets) applies to single-trait scans; a multi-trait scan tests each "
            "candidate on its own."
        )
    Y = inputs.y.values
    p = Y.shape[1]
    traits = [str(t) for t in inputs.y["trait"].values]
    A = np.eye(p) if A is None else _design(A, p, "A")
    A1 = np.eye(p) if A1 is None else _design(A1, p, "A1")
    A0 = None if A0 is None else _design(A0, p, "A0")
    factor = inputs.kinship_factor() if inputs.K is not None else None
    if rank is not None and (isinstance(rank, bool) or not isinstance(rank, (int, np.integer))):
        raise ValueError(f"rank must be an integer between 1 and {p} (the traits); got {rank!r}.")
    if rank is not None and not 1 <= rank <= p:
        raise ValueError(f"rank (of C₀) must be between 1 and p = {p} traits; got {rank}.")
    if verbose:
        k = p if rank is None else rank
        print(
            f"Fitting the multi-trait null model on {inputs.nsamples} samples × {p} traits "
            f"(C₀ of rank ≤ {k})."
        )
    model = fit_kron2sum(Y, A, inputs.M.values, factor, rank=rank)
    scanner = model.get_fast_scanner()
    background = "C₀⊗𝙺 + C₁⊗𝙸" if factor is not None else "C₁⊗𝙸"
    labels = _column_labels(A, traits, "A_")
    null = _null_model(model, scanner, inputs, labels, f"𝐲 ~ 𝓝((A⊗𝙼)𝛂, {background})", exact)

    designs = {2: A1 if A0 is None else np.hstack([A0, A1])}
    terms = {2: "(A₁⊗G)𝛃₁" if A0 is None else "(A₀⊗G)𝛃₀ + (A₁⊗G)𝛃₁"}
    envs = {2: [f"env1_{j}" for j in range(A1.shape[1])]}
    cand_labels = {2: _column_labels(A1, traits, "A1_")}
    if A0 is not None:
        designs[1] = A0
        terms[1] = "(A₀⊗G)𝛃₀"
        envs[1] = [f"env0_{j}" for j in range(A0.shape[1])]
        envs[2] = envs[1] + envs[2]
        cand_labels[1] = _column_labels(A0, traits, "A0_")
        cand_labels[2] = cand_labels[1] + cand_labels[2]
    G = inputs.G
    m = G.shape[1]

    def test(design: np.ndarray):
        return lambda block: scanner.test(block, design, exact=exact)

    scan_pass = run_tests(inputs, {k: test(d) for k, d in designs.items()}, verbose)
    results = scan_pass.results
    candidates = np.asarray([str(v) for v in G["candidate"].values], dtype=object)
    tests = np.arange(m)
    covariates = [str(c) for c in inputs.M["covariate"].values]
    alternatives, effsizes = {}, {}
    for k, design in designs.items():
        r = results[k]
        alternatives[k] = (r["lml"], r["dof"], r["scale"])
        q1 = design.shape[1]
        cov_labels = [lab for lab in labels for _ in covariates]
        effsizes[f"h{k}"] = long_effsizes(
            tests,
            covariates * len(labels),
            r["effsizes0"].transpose(0, 2, 1).reshape(m, -1),
            r["effsizes0_se"].transpose(0, 2, 1).reshape(m, -1),
            np.repeat(candidates[:, None], q1, axis=1),
            r["effsizes1"],
            r["effsizes1_se"],
            cov_labels + cand_labels[k],
            envs=([""] * len(cov_labels), envs[k]),
        )
    stats = scan_statistics(tests, null.lml, alternatives)
    covariance = background if exact else f"s({background})"
    formulas = {f"h{k}": f"𝐲 ~ 𝓝((A⊗𝙼)𝛂 + {terms[k]}, {covariance})" for k in designs}
    return QTLResult(stats, effsizes, null, formulas, scan_pass.candidates)
