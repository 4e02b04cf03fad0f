"""Leave-one-chromosome-out scans: each chromosome's candidates against the kinship without it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from .._data import prepare_scan_inputs
from ._result import NullModel, QTLResult
from ._single import single_trait_scan

__all__ = ["loco_scan"]


def _chromosomes(G: Any) -> tuple[xr.DataArray, np.ndarray]:
    if not isinstance(G, xr.DataArray) or "chrom" not in G.coords:
        raise ValueError(
            "K is a mapping of per-chromosome kinships (leave-one-chromosome-out), so G must be "
            "an xarray DataArray with a 'chrom' coordinate giving each candidate's chromosome."
        )
    dim = G.coords["chrom"].dims
    if len(dim) != 1:
        raise ValueError("G's 'chrom' coordinate must lie along its candidate dimension.")
    return G, np.asarray(G.coords["chrom"].values).astype(str)


def loco_scan(
    G: Any,
    Y: Any,
    lik: Any,
    kinships: Mapping[Any, Any],
    M: Any,
    idx: Any,
    verbose: bool,
    exact: bool = False,
    dtype: str = "float64",
) -> QTLResult:
    """Scan each chromosome's candidates with the null fitted on ``kinships[chromosome]``.

    The result's ``stats`` and ``effsizes`` cover every candidate (``test`` is its position in
    G) with an added ``chrom`` column; ``h0`` holds every chromosome's null (its tables have a
    ``chrom`` column; its lml is that of each chromosome's null, in ``stats["lml0"]``).
    """
    if idx is not None:
        raise ValueError("idx (candidate sets) cannot be combined with per-chromosome kinships.")
    G, chrom = _chromosomes(G)
    dim = G.coords["chrom"].dims[0]
    keys = {str(k): k for k in kinships}
    stats, effsizes, null_effsizes, null_variances, formulas = [], [], [], [], {}
    candidates = []
    lik_name = "normal"
    for c in dict.fromkeys(chrom.tolist()):
        if c not in keys:
            raise ValueError(f"K has no kinship for chromosome {c!r} (it has {sorted(keys)}).")
        positions = np.flatnonzero(chrom == c)
        inputs = prepare_scan_inputs(G.isel({dim: positions}), Y, lik, kinships[keys[c]], M)
        if inputs.y.shape[1] != 1:
            raise ValueError("leave-one-chromosome-out scans are for one trait at a time.")
        if verbose:
            print(f"Chromosome {c}: {positions.size} candidate(s).")
        result = single_trait_scan(inputs, None, verbose, exact, dtype)
        lik_name = result.h0.likelihood
        table = result.stats.reset_index()
        table["test"] = positions[table["test"].to_numpy()]
        table["chrom"] = c
        stats.append(table)
        h2 = result.effsizes["h2"].copy()
        h2["test"] = positions[h2["test"].to_numpy()]
        h2["chrom"] = c
        effsizes.append(h2)
        candidates.append(result.candidates.set_axis(positions, axis=0))
        null_effsizes.append(result.h0.effsizes.assign(chrom=c))
        null_variances.append(result.h0.variances.assign(chrom=c, lml=result.h0.lml))
        formulas[c] = result.h0.formula
    stats_table = pd.concat(stats).set_index("test").sort_index()
    effsize_table = pd.concat(effsizes).sort_values("test", kind="stable").reset_index(drop=True)
    summary = "\n".join(f"chromosome {c}: {f}" for c, f in formulas.items())
    h0 = NullModel(
        lik_name,
        float("nan"),
        pd.concat(null_effsizes, ignore_index=True),
        pd.concat(null_variances, ignore_index=True),
        f"One null per chromosome (leave-one-chromosome-out kinships):\n{summary}",
    )
    alternative = (
        "𝐲 ~ 𝓝(𝙼𝜶 + G𝛃, s(v₀⋅𝙺₋c + v₁⋅𝙸)), the null's variances of the candidate's chromosome c"
    )
    candidate_table = pd.concat(candidates).sort_index().reset_index(drop=True)
    return QTLResult(stats_table, {"h2": effsize_table}, h0, {"h2": alternative}, candidate_table)
