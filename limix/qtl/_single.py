"""Single-trait scans: each candidate, or each set of candidates, against the fitted null."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._data import ScanInputs, genotype_blocks
from ._candidates import CandidateTally, candidate_table
from ._driver import run_tests
from ._formula import alternative_formula
from ._null_single import SingleTraitNull, fit_single_trait_null
from ._progress import candidate_progress
from ._result import QTLResult, long_effsizes, scan_statistics

__all__ = ["candidate_sets", "single_trait_scan"]


def candidate_sets(idx: Any, candidates: pd.Index) -> list[np.ndarray]:
    """Positions of the candidates of each set: ``idx`` is a list of sets, each a list of
    candidate positions or of candidate labels.

    Raises
    ------
    ValueError
        If a set is empty or names a candidate that G does not have.
    """
    if isinstance(idx, (str, bytes)) or not isinstance(idx, Sequence | np.ndarray):
        raise ValueError("idx must be a list of candidate sets (lists of positions or labels).")
    sets = []
    for i, members in enumerate(idx):
        members = np.atleast_1d(np.asarray(members))
        if members.size == 0:
            raise ValueError(f"idx[{i}] is an empty set of candidates.")
        if np.issubdtype(members.dtype, np.integer):
            bad = members[(members < 0) | (members >= len(candidates))]
            if bad.size:
                raise ValueError(
                    f"idx[{i}] has position(s) {bad.tolist()} outside G's "
                    f"{len(candidates)} candidates."
                )
            sets.append(members.astype(np.intp))
        else:
            positions = candidates.get_indexer(pd.Index(members).astype(candidates.dtype))
            if np.any(positions < 0):
                missing = members[positions < 0].tolist()
                raise ValueError(f"idx[{i}] names candidate(s) {missing} that G does not have.")
            sets.append(positions.astype(np.intp))
    return sets


def _each_candidate(
    null: SingleTraitNull,
    inputs: ScanInputs,
    verbose: bool,
    exact: bool = False,
    dtype: str = "float64",
) -> QTLResult:
    G = inputs.G
    m = G.shape[1]
    c = inputs.M.shape[1]

    def test(block: np.ndarray) -> dict:
        return null.scanner.test(block, exact=exact, dtype=dtype)

    scan_pass = run_tests(inputs, {2: test}, verbose)
    r = scan_pass.results[2]
    shapes = {"effsizes0": (m, c), "effsizes0_se": (m, c)}
    keys = ("lml", "effsizes0", "effsizes0_se", "effsizes1", "effsizes1_se", "scale")
    out = {key: r[key].reshape(shapes.get(key, (m,))) for key in keys}
    tests = np.arange(m)
    lml = out["lml"] + null.lml_offset
    names = np.asarray([str(v) for v in G["candidate"].values], dtype=object)[:, None]
    return _result(null, inputs, tests, lml, 1, out, names, scan_pass.candidates)


def _each_set(
    null: SingleTraitNull, inputs: ScanInputs, sets: list[np.ndarray], verbose: bool
) -> QTLResult:
    G = inputs.G
    labels = np.asarray([str(v) for v in G["candidate"].values], dtype=object)
    tests = np.arange(len(sets))
    lml, dof, scale, tables = [], [], [], []
    tally = CandidateTally(G.shape[0], G.shape[1])
    with candidate_progress(len(sets), verbose, "sets") as bar:
        for test, members in zip(tests, sets, strict=True):
            # every block of the set (a wide set spans several), read to the end so that the
            # imputation warning is issued
            parts = list(genotype_blocks(G[:, members], inputs.G_nmissing[members]))
            block = np.hstack([part for _, _, part, _ in parts])
            tally.add(members, block, np.concatenate([count for *_, count in parts]))
            r = null.scanner.scan(block)
            lml.append(float(r["lml"]) + null.lml_offset)
            dof.append(len(members))
            scale.append(float(r["scale"]))
            tables.append(_effsizes(inputs, [test], r, labels[members][None, :]))
            bar.update(1)
    stats = scan_statistics(tests, null.model.lml, {2: (lml, dof, scale)})
    effsizes = pd.concat(tables, ignore_index=True)
    candidates = candidate_table(G, tally)
    return QTLResult(stats, {"h2": effsizes}, null.model, _formulas(null, inputs), candidates)


def _effsizes(inputs: ScanInputs, tests, result: dict, names) -> pd.DataFrame:
    covariates = [str(v) for v in inputs.M["covariate"].values]
    trait = str(inputs.y["trait"].values[0])
    k = np.asarray(names).shape[-1]
    return long_effsizes(
        tests,
        covariates,
        result["effsizes0"],
        result["effsizes0_se"],
        names,
        result["effsizes1"],
        result["effsizes1_se"],
        [trait] * (len(covariates) + k),
    )


def _formulas(null: SingleTraitNull, inputs: ScanInputs) -> dict[str, str]:
    return {"h2": alternative_formula(inputs.lik.name, null.covariance, "G𝛃")}


def _result(null, inputs, tests, lml, dof, out, names, candidates) -> QTLResult:
    stats = scan_statistics(tests, null.model.lml, {2: (lml, dof, out["scale"])})
    effsizes = _effsizes(inputs, tests, out, names)
    return QTLResult(stats, {"h2": effsizes}, null.model, _formulas(null, inputs), candidates)


def single_trait_scan(
    inputs: ScanInputs, idx: Any, verbose: bool, exact: bool = False, dtype: str = "float64"
) -> QTLResult:
    """Fit 𝓗₀ and test each candidate of ``inputs.G`` (or each set of ``idx``) under 𝓗₂;
    ``exact`` re-estimates the variance ratio for each candidate; ``dtype`` is the precision of
    the rotation of each block of candidates."""
    if exact and idx is not None:
        raise ValueError(
            "exact=True tests one candidate at a time; it cannot be combined with idx "
            "(candidate sets)."
        )
    null = fit_single_trait_null(inputs, verbose)
    if idx is None:
        return _each_candidate(null, inputs, verbose, exact, dtype)
    sets = candidate_sets(idx, pd.Index(inputs.G["candidate"].values))
    return _each_set(null, inputs, sets, verbose)
