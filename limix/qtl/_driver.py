"""The one loop of every scan: glimix tests blocks of candidates, limix reads and collects them.

The candidates are read, imputed and prefetched block by block by limix's data layer
(:func:`~limix._data.genotype_blocks`); each hypothesis' test is a function of one numpy block
returning its per-candidate arrays — usually a scanner's ``test(block, design)`` and its
:class:`glimix.lmm.ScanResult`, or any mapping or dataclass; :func:`run_tests` concatenates
them along the candidates, once, for the result tables to be built from, and tallies each
candidate's genotyped samples and allele frequency on the way (:mod:`._candidates`). Every scan
(single-trait, interaction, many traits, multi-trait) goes through it, so progress, reading
and the order of the candidates are the same everywhere.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .._data import ScanInputs, genotype_blocks
from ._candidates import CandidateTally, candidate_table
from ._progress import candidate_progress

__all__ = ["ScanPass", "run_tests"]

Array = NDArray[np.float64]

#: One hypothesis' test: a block of candidates (n×b) → per-candidate arrays (b along axis 0).
BlockTest = Callable[[Array], Any]


def _arrays(result: Any) -> dict[str, Array]:
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        items = ((f.name, getattr(result, f.name)) for f in dataclasses.fields(result))
    elif isinstance(result, Mapping):
        items = iter(result.items())
    else:
        raise TypeError(f"a block test returned {type(result).__name__}, not a mapping.")
    return {key: np.asarray(value) for key, value in items if value is not None}


@dataclass(frozen=True)
class ScanPass:
    """What one pass over the candidates gives.

    Attributes
    ----------
    results
        For each hypothesis, its test's arrays concatenated along the candidates (in G's
        order). A per-candidate scalar returned as an array of shape (b, 1) is kept as is.
    candidates
        One row per candidate: its labels, N and effect-allele frequency
        (:func:`~limix.qtl._candidates.candidate_table`).
    """

    results: dict[Any, dict[str, Array]]
    candidates: pd.DataFrame


def run_tests(inputs: ScanInputs, tests: Mapping[Any, BlockTest], verbose: bool) -> ScanPass:
    """Run every test on each block of ``inputs.G``; per test, its arrays over all candidates.

    Parameters
    ----------
    inputs
        Aligned inputs with candidates.
    tests
        The tests by hypothesis (e.g. ``{2: …}``, or ``{1: …, 2: …}``), each applied to every
        block.
    verbose
        Show a progress bar over the candidates.

    Returns
    -------
    ScanPass
        The tests' arrays by hypothesis and the candidates' table.
    """
    G = inputs.G
    parts: dict[Any, list[dict[str, Array]]] = {k: [] for k in tests}
    tally = CandidateTally(G.shape[0], G.shape[1])
    with candidate_progress(G.shape[1], verbose) as bar:
        for start, stop, block, nmissing in genotype_blocks(G, inputs.G_nmissing):
            tally.add(slice(start, stop), block, nmissing)
            for k, test in tests.items():
                parts[k].append(_arrays(test(block)))
            bar.update(block.shape[1])
    out: dict[Any, dict[str, Array]] = {}
    for k, chunks in parts.items():
        keys = chunks[0].keys() if chunks else ()
        out[k] = {key: np.concatenate([np.atleast_1d(c[key]) for c in chunks]) for key in keys}
    return ScanPass(out, candidate_table(G, tally))
