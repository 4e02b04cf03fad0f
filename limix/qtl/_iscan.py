"""``limix.qtl.iscan``: genotype-by-environment interaction scans with three hypotheses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._data import ScanInputs, offset_covariate, prepare_scan_inputs
from ._driver import run_tests
from ._formula import alternative_formula
from ._null_single import fit_single_trait_null
from ._result import QTLResult, long_effsizes, scan_statistics

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import Kinship, Lik, Matrix

__all__ = ["iscan"]


def _effsizes(inputs: ScanInputs, tests, result, candidates, envs: list[str]):
    covariates = [str(v) for v in inputs.M["covariate"].values]
    trait = str(inputs.y["trait"].values[0])
    k = len(envs)
    return long_effsizes(
        tests,
        covariates,
        result["effsizes0"],
        result["effsizes0_se"],
        np.repeat(candidates[:, None], k, axis=1),
        result["effsizes1"],
        result["effsizes1_se"],
        [trait] * (len(covariates) + k),
        envs=([""] * len(covariates), envs),
    )


def iscan(
    G: Matrix,
    y: Matrix,
    lik: Lik = "normal",
    K: Kinship | None = None,
    M: Matrix | None = None,
    idx: Sequence[Any] | None = None,
    E0: Matrix | None = None,
    E1: Matrix | None = None,
    verbose: bool = True,
) -> QTLResult:
    """Single-variant testing of genotype-by-environment interactions.

    With 𝐲 = 𝙼𝛂 + (𝙶⊙𝙴₀)𝛃₀ + (𝙶⊙𝙴₁)𝛃₁ + 𝐯 + 𝛆, 𝐯 ∼ 𝓝(𝟎, v₀𝙺), 𝛆 ∼ 𝓝(𝟎, v₁𝙸), each candidate 𝐠 is
    tested under three hypotheses:

        𝓗₀: 𝛃₀ = 𝟎 and 𝛃₁ = 𝟎,   𝓗₁: 𝛃₀ ≠ 𝟎 and 𝛃₁ = 𝟎,   𝓗₂: 𝛃₀ ≠ 𝟎 and 𝛃₁ ≠ 𝟎,

    by likelihood-ratio tests 𝓗₀ vs 𝓗₁, 𝓗₀ vs 𝓗₂ and 𝓗₁ vs 𝓗₂. 𝓗₀ is fitted once by maximum
    likelihood; under 𝓗₁ and 𝓗₂ the variances keep the null's ratio and the scale is refitted
    ("s(…)"). 𝐠⊙𝙴 = [g·𝐞₁ … g·𝐞ₑ], the candidate times each environment column. Non-normal
    traits are handled as in :func:`scan` (EP null, scans of its pseudo-observations).

    Parameters
    ----------
    G
        n×m candidates.
    y
        n trait values.
    lik
        "normal", "bernoulli", "probit", "poisson" or ("binomial", ntrials).
    K
        n×n kinship, or None.
    M
        n×c covariates; None for an offset.
    idx
        Not used for interaction scans (each candidate is tested); must be None.
    E0
        n×e₀ environments interacting under 𝓗₁ and 𝓗₂; None for a column of ones (the
        candidate's main effect).
    E1
        n×e₁ environments added under 𝓗₂ (required).
    verbose
        Show what is fitted and a progress bar over the candidates.

    Returns
    -------
    QTLResult
        ``stats`` with ``lml0, lml1, lml2, dof10, dof20, dof21, scale1, scale2, pv10, pv20, pv21``.
    """
    if idx is not None:
        raise ValueError("idx must be None: iscan tests each candidate on its own.")
    if E1 is None:
        raise ValueError("E1 is required: the environments whose interactions 𝓗₂ adds.")
    environments = {"E1": E1} if E0 is None else {"E0": E0, "E1": E1}
    inputs = prepare_scan_inputs(G, y, lik, K, M, E=environments)
    if inputs.y.shape[1] != 1:
        raise ValueError(f"y must be one trait; got {inputs.y.shape[1]}.")
    E0v = (offset_covariate(inputs.samples).values if E0 is None else inputs.E["E0"].values).astype(
        float
    )
    E1v = inputs.E["E1"].values.astype(float)
    names0 = ["offset"] if E0 is None else [str(v) for v in inputs.E["E0"]["environment"].values]
    names1 = [str(v) for v in inputs.E["E1"]["environment"].values]
    envs = {1: [f"env0_{v}" for v in names0], 2: [f"env0_{v}" for v in names0]}
    envs[2] += [f"env1_{v}" for v in names1]
    E = {1: E0v, 2: np.hstack([E0v, E1v])}

    null = fit_single_trait_null(inputs, verbose)
    G = inputs.G
    m = G.shape[1]

    def test(k: int):
        return lambda block: null.scanner.test(block, E[k])

    scan_pass = run_tests(inputs, {1: test(1), 2: test(2)}, verbose)
    results = scan_pass.results
    candidates = np.asarray([str(v) for v in G["candidate"].values], dtype=object)
    tests = np.arange(m)
    alternatives, effsizes = {}, {}
    for k in (1, 2):
        r = results[k]
        alternatives[k] = (r["lml"] + null.lml_offset, E[k].shape[1], r["scale"])
        effsizes[f"h{k}"] = _effsizes(inputs, tests, r, candidates, envs[k])
    stats = scan_statistics(tests, null.model.lml, alternatives)
    formulas = {
        "h1": alternative_formula(inputs.lik.name, null.covariance, "(𝙶⊙𝙴₀)𝛃₀"),
        "h2": alternative_formula(inputs.lik.name, null.covariance, "(𝙶⊙𝙴₀)𝛃₀ + (𝙶⊙𝙴₁)𝛃₁"),
    }
    return QTLResult(stats, effsizes, null.model, formulas, scan_pass.candidates)
