"""``limix.qtl.scan_traits``: many traits sharing one kinship (expression QTL), in one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from glimix.lmm import TraitsScanner

from .._data import prepare_scan_inputs
from ._driver import run_tests
from ._null_single import fit_null_lmm
from ._progress import candidate_progress
from ._result import lrt_pvalue
from ._result._export import write_tables

if TYPE_CHECKING:
    from .._typing import Kinship, Matrix

__all__ = ["TraitsResult", "scan_traits"]


@dataclass(frozen=True)
class TraitsResult:
    """What :func:`scan_traits` returns: one row per (trait, candidate) test.

    Attributes
    ----------
    stats
        Columns ``trait, test, candidate, lml0, lml2, dof20, scale2, pv20, effsize,
        effsize_se`` (``trait`` and ``candidate`` categorical), traits outermost.
    h0
        Each trait's null: ``trait, lml, fore_covariance, back_covariance`` (v₀, v₁).
    """

    stats: pd.DataFrame
    h0: pd.DataFrame

    def __str__(self) -> str:
        ntraits, ntests = len(self.h0), len(self.stats)
        best = self.stats.loc[self.stats.groupby("trait", observed=True)["pv20"].idxmin()]
        best = best.sort_values("pv20").head(10)
        table = best[["trait", "candidate", "effsize", "effsize_se", "pv20"]].to_string(index=False)
        return (
            f"Scan of {ntraits} traits × {ntests // max(ntraits, 1)} candidates "
            f"({ntests} tests)\n\nSmallest p-value of each trait (first 10):\n{table}"
        )

    def to_csv(self, directory: str | Path, overwrite: bool = False) -> list[Path]:
        """Write ``stats.csv`` and ``h0.csv`` into ``directory`` (never replacing a file unless
        ``overwrite``)."""
        return write_tables({"stats": self.stats, "h0": self.h0}, directory, "csv", overwrite)

    def to_parquet(self, directory: str | Path, overwrite: bool = False) -> list[Path]:
        """As :meth:`to_csv`, in Parquet files."""
        return write_tables({"stats": self.stats, "h0": self.h0}, directory, "parquet", overwrite)


def scan_traits(
    G: Matrix,
    Y: Matrix,
    K: Kinship | None = None,
    M: Matrix | None = None,
    verbose: bool = True,
) -> TraitsResult:
    """Test every candidate against every trait of Y, each trait with its own LMM null.

    For each trait t, 𝐲ₜ ∼ 𝓝(𝙼𝜶ₜ, v₀ₜ𝙺 + v₁ₜ𝙸) is fitted by maximum likelihood (the ratio by
    REML when the covariates span 𝙺's null space, as in :func:`scan`), and each candidate 𝐠 is
    tested with 𝐲ₜ ∼ 𝓝(𝙼𝜶ₜ + 𝐠βₜ, s(v₀ₜ𝙺 + v₁ₜ𝙸)) by a likelihood-ratio test — the same test
    as :func:`scan` runs for one trait. 𝙺 is decomposed once; each block of candidates is
    rotated once and tested against all traits with matrix products (see
    :class:`glimix.lmm.TraitsScanner`).

    Parameters
    ----------
    G
        n×m candidates (kept lazy, read in blocks).
    Y
        n×T traits (normal). Samples with a missing value in any trait are dropped.
    K
        n×n kinship; None for linear models.
    M
        n×c covariates; None for an offset.
    verbose
        Show progress.

    Returns
    -------
    TraitsResult

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from limix.qtl import scan_traits
    >>> random = RandomState(0)
    >>> G = random.randn(50, 20)
    >>> Y = random.randn(50, 3)
    >>> Y[:, 1] += G[:, 4]
    >>> r = scan_traits(G, Y, verbose=False)
    >>> best = r.stats.loc[r.stats["pv20"].idxmin()]
    >>> print(best["trait"], best["candidate"], best["pv20"] < 1e-6)
    1 4 True
    """
    inputs = prepare_scan_inputs(G, Y, "normal", K, M)
    Yv = inputs.y.values
    Mv = inputs.M.values
    QS = inputs.kinship_qs() if inputs.K is not None else None
    T = Yv.shape[1]
    deltas, v0, v1 = np.empty(T), np.empty(T), np.empty(T)
    with candidate_progress(T, verbose, "null models") as bar:
        for t in range(T):
            lmm = fit_null_lmm(Yv[:, t], Mv, QS)
            deltas[t], v0[t], v1[t] = lmm.delta, lmm.v0, lmm.v1
            bar.update(1)
    scanner = TraitsScanner(Yv, Mv, QS, np.maximum(deltas, np.finfo(float).tiny))
    m = inputs.G.shape[1]
    out = run_tests(inputs, {2: scanner.test}, verbose).results[2]
    traits = [str(v) for v in inputs.y["trait"].values]
    candidates = [str(v) for v in inputs.G["candidate"].values]
    lml0 = scanner.null_lml
    stats = pd.DataFrame(
        {
            "trait": pd.Categorical.from_codes(np.repeat(np.arange(T), m), traits),
            "test": np.tile(np.arange(m), T),
            "candidate": pd.Categorical.from_codes(np.tile(np.arange(m), T), candidates),
            "lml0": np.repeat(lml0, m),
            "lml2": out["lml"].T.ravel(),
            "dof20": 1,
            "scale2": out["scale"].T.ravel(),
            "pv20": lrt_pvalue(np.repeat(lml0, m), out["lml"].T.ravel(), 1),
            "effsize": out["effsizes1"].T.ravel(),
            "effsize_se": out["effsizes1_se"].T.ravel(),
        }
    )
    h0 = pd.DataFrame({"trait": traits, "lml": lml0, "fore_covariance": v0, "back_covariance": v1})
    return TraitsResult(stats, h0)
