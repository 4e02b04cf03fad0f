"""The result of a QTL scan: columnar statistics, long effect sizes, the null model, printout."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ._associations import association_table
from ._describe import describe_table
from ._export import write_tables
from ._lrt import lrt_pvalue
from ._null import NullModel

__all__ = ["QTLResult", "scan_statistics"]

_SUBSCRIPT = {0: "₀", 1: "₁", 2: "₂"}


def _title(text: str) -> str:
    return f"{text}\n{'-' * len(text)}"


def scan_statistics(
    tests: ArrayLike,
    lml0: float,
    alternatives: Mapping[int, tuple[ArrayLike, ArrayLike, ArrayLike]],
) -> pd.DataFrame:
    """The ``stats`` table of a scan from each hypothesis' lml, degrees of freedom and scale.

    Parameters
    ----------
    tests
        Test identifiers (the index, named ``test``).
    lml0
        Log marginal likelihood of the null 𝓗₀ (one for all tests).
    alternatives
        ``{k: (lmlₖ, dofₖ₀, scaleₖ)}`` for 𝓗₂ alone, or for 𝓗₁ and 𝓗₂; each an array over tests
        (or a scalar). With both, 𝓗₁ vs 𝓗₂ is tested too, with dof₂₁ = dof₂₀ − dof₁₀.

    Returns
    -------
    DataFrame
        Columns ``lml0, lml1, lml2, dof10, dof20, dof21, scale1, scale2, pv10, pv20, pv21``, those
        that apply, as ``../shared/spec/results-schema.md`` names them.
    """
    index = pd.Index(np.asarray(tests), name="test")
    m = index.shape[0]
    columns: dict[str, np.ndarray] = {"lml0": np.full(m, float(lml0))}
    arrays = {
        k: tuple(np.broadcast_to(np.asarray(a, float), (m,)) for a in triple)
        for k, triple in sorted(alternatives.items())
    }
    for k, (lml, _, _) in arrays.items():
        columns[f"lml{k}"] = lml
    for k, (_, dof, _) in arrays.items():
        columns[f"dof{k}0"] = dof
    if 1 in arrays and 2 in arrays:
        columns["dof21"] = arrays[2][1] - arrays[1][1]
    for k, (_, _, scale) in arrays.items():
        columns[f"scale{k}"] = scale
    for k, (lml, dof, _) in arrays.items():
        columns[f"pv{k}0"] = lrt_pvalue(lml0, lml, dof)
    if 1 in arrays and 2 in arrays:
        columns["pv21"] = lrt_pvalue(arrays[1][0], arrays[2][0], columns["dof21"])
    return pd.DataFrame(columns, index=index)


@dataclass(frozen=True)
class QTLResult:
    """What :func:`limix.qtl.scan` and :func:`limix.qtl.iscan` return.

    Attributes
    ----------
    stats
        One row per test (index ``test``): ``lml0, lml2, dof20, scale2, pv20``, and with three
        hypotheses also ``lml1, dof10, dof21, scale1, pv10, pv21``.
    effsizes
        ``{"h2": DataFrame}`` (and ``"h1"``): columns ``test, trait, effect_type, effect_name,
        effsize, effsize_se`` (+ ``env`` for multi-trait and interaction tests), the effect sizes
        refitted under each alternative.
    h0
        The null model (:class:`NullModel`).
    formulas
        The alternative hypotheses' models as printed, ``{"h2": "𝐲 ~ 𝓝(𝙼𝜶 + G𝛃, s(…))"}``.
    candidates
        One row per candidate of G, in G's order: ``variant`` (its label), the annotations G
        carries (``chrom``, ``pos``, ``effect_allele``, ``other_allele``), ``n`` (samples with
        a genotype) and ``eaf`` (effect-allele frequency among them); None for a result built
        without them. :attr:`associations` joins it to the tests.
    """

    stats: pd.DataFrame
    effsizes: dict[str, pd.DataFrame]
    h0: NullModel
    formulas: dict[str, str] = field(default_factory=dict)
    candidates: pd.DataFrame | None = field(default=None, repr=False)

    @cached_property
    def associations(self) -> pd.DataFrame:
        """The labelled association table: one row per tested candidate effect.

        Columns ``test, trait[, env], variant[, chrom, pos, effect_allele, other_allele], n,
        eaf, beta, se, chisq, dof, pvalue, neg_log10_pvalue``, in the order of G (for
        multi-trait and interaction scans one row per candidate and trait or environment
        column). ``beta`` is the effect of one more copy of ``effect_allele`` — the allele the
        genotype counts — and ``neg_log10_pvalue`` is exact below 1e-300, where ``pvalue`` is
        clipped. With three hypotheses the test is 𝓗₁ against 𝓗₂ (the effects 𝓗₂ adds);
        otherwise 𝓗₀ against 𝓗₂. Each column is described in
        :mod:`limix.qtl._result._associations`; the files :meth:`to_sumstats` writes are made
        from it.

        Examples
        --------
        >>> import numpy as np
        >>> import xarray as xr
        >>> from limix.qtl import scan
        >>> random = np.random.RandomState(0)
        >>> G = xr.DataArray(
        ...     random.binomial(2, 0.3, size=(100, 3)).astype(float),
        ...     dims=("sample", "variant"),
        ...     coords={"variant": ["rs1", "rs2", "rs3"], "chrom": ("variant", ["1", "1", "2"]),
        ...             "pos": ("variant", [100, 200, 50]),
        ...             "effect_allele": ("variant", ["A", "G", "T"]),
        ...             "other_allele": ("variant", ["C", "A", "C"])},
        ... )
        >>> y = G[:, 0].values * 0.5 + random.randn(100)
        >>> table = scan(G, y, verbose=False).associations
        >>> print(table[["variant", "chrom", "pos", "effect_allele", "n", "eaf"]])
          variant chrom  pos effect_allele    n    eaf
        0     rs1     1  100             A  100  0.330
        1     rs2     1  200             G  100  0.295
        2     rs3     2   50             T  100  0.320
        >>> print(table[["beta", "se", "pvalue"]].round(4))
             beta      se  pvalue
        0  0.4144  0.1406  0.0039
        1 -0.1330  0.1499  0.3757
        2  0.0221  0.1456  0.8792
        """
        if self.candidates is None:
            raise ValueError("this result was built without its candidates' table.")
        return association_table(self.stats, self.effsizes, self.candidates)

    def to_sumstats(
        self,
        path: str | os.PathLike[str],
        format: str = "gwas-ssf",
        *,
        metadata: Mapping[str, object] | None = None,
        overwrite: bool = False,
    ) -> list[Path]:
        """Write :attr:`associations` as a summary-statistics file.

        Parameters
        ----------
        path
            The file; a name ending in ``.gz`` is gzip-compressed (GWAS-SSF: ``….tsv.gz``).
        format
            ``"gwas-ssf"`` (default), ``"regenie"``, ``"plink2"`` (``.glm.linear``, or
            ``.glm.logistic`` for a logit GLMM), ``"csv"`` or ``"parquet"``; layouts in
            :mod:`limix.io.sumstats`.
        metadata
            GWAS-SSF: metadata fields (``genome_assembly``, ``genotyping_technology``,
            ``sample_ancestry_category``, …); the covariates are filled in.
        overwrite
            Replace existing files instead of raising ``FileExistsError``.

        Returns
        -------
        list of Path
            The files written (GWAS-SSF: the data file and its ``-meta.yaml``).

        Examples
        --------
        >>> result.to_sumstats("height.tsv.gz", metadata={"genome_assembly": "GRCh38"})
        ... # doctest: +SKIP
        """
        from limix.io.sumstats import write

        about = dict(metadata or {})
        about.setdefault("adjusted_covariates", self._covariates())
        return write(
            self.associations,
            path,
            format,
            likelihood=self.h0.likelihood,
            metadata=about,
            overwrite=overwrite,
        )

    def take(self, tests: ArrayLike) -> QTLResult:
        """The result restricted to ``tests`` (positions in ``stats``, increasing), numbered
        0, 1, … as if only those tests had been run.

        ``stats``, every ``effsizes`` table and, for a scan of one candidate per test,
        ``candidates`` keep the rows of those tests; the null model is unchanged (it does not
        depend on the candidates). The command line uses it to leave out the variants a scan
        found untestable (no observed genotype, or monomorphic).

        Raises
        ------
        ValueError
            If ``tests`` is not increasing or names a test that does not exist.
        """
        keep = np.asarray(tests, dtype=np.intp).reshape(-1)
        m = len(self.stats)
        if keep.size and (keep.min() < 0 or keep.max() >= m or (np.diff(keep) <= 0).any()):
            raise ValueError(f"tests must be increasing positions among the {m} tests.")
        labels = self.stats.index.to_numpy()[keep]
        renumber = pd.Series(np.arange(keep.size), index=labels)
        stats = self.stats.iloc[keep].set_axis(pd.Index(np.arange(keep.size), name="test"))
        effsizes = {}
        for name, table in self.effsizes.items():
            rows = table[table["test"].isin(labels)].copy()
            rows["test"] = renumber.loc[rows["test"].to_numpy()].to_numpy()
            effsizes[name] = rows.reset_index(drop=True)
        candidates = self.candidates
        if candidates is not None and len(candidates) == m:
            candidates = candidates.iloc[keep].reset_index(drop=True)
        return QTLResult(stats, effsizes, self.h0, dict(self.formulas), candidates)

    def _covariates(self) -> list[str]:
        effects = self.h0.effsizes
        if "covariate" not in effects:
            return []
        return [str(c) for c in effects["covariate"].unique() if str(c) != "offset"]

    @property
    def hypotheses(self) -> list[int]:
        """The alternatives tested: ``[2]`` or ``[1, 2]``."""
        return sorted(int(name[1:]) for name in self.effsizes)

    def __str__(self) -> str:
        parts = [_title("Hypothesis 0"), self.h0.summary()]
        for k in self.hypotheses:
            table = self.effsizes[f"h{k}"]
            covariate = table["effect_type"] == "covariate"
            summary = describe_table(
                {
                    "lml": self.stats[f"lml{k}"],
                    "cov. effsizes": table.loc[covariate, "effsize"],
                    "cand. effsizes": table.loc[~covariate, "effsize"],
                }
            )
            parts += [_title(f"Hypothesis {k}"), self.formulas.get(f"h{k}", ""), summary]
        pairs = [(0, k) for k in self.hypotheses]
        if self.hypotheses == [1, 2]:
            pairs.append((1, 2))
        pvalues = {
            f"𝓗{_SUBSCRIPT[a]} vs 𝓗{_SUBSCRIPT[b]}": self.stats[f"pv{b}{a}"] for a, b in pairs
        }
        parts += [_title("Likelihood-ratio test p-values"), describe_table(pvalues)]
        return "\n\n".join(parts)

    def __repr__(self) -> str:
        return str(self)

    def _tables(self) -> dict[str, pd.DataFrame]:
        tables = {"stats": self.stats.reset_index()}
        for name, table in self.effsizes.items():
            tables[f"effsizes_{name}"] = table
        return tables | self.h0._tables()

    def to_csv(self, directory: str | Path, overwrite: bool = False) -> list[Path]:
        """Write every table into ``directory`` as CSV: ``stats.csv``, ``effsizes_h2.csv`` (and
        ``effsizes_h1.csv``), ``h0_effsizes.csv``, ``h0_variances.csv``, ``h0_lml.csv``.

        Nothing is written, and ``FileExistsError`` is raised, if one of them exists already,
        unless ``overwrite``. Returns the paths written.
        """
        return write_tables(self._tables(), directory, "csv", overwrite)

    def to_parquet(self, directory: str | Path, overwrite: bool = False) -> list[Path]:
        """As :meth:`to_csv`, in Parquet files (``stats.parquet``, …)."""
        return write_tables(self._tables(), directory, "parquet", overwrite)
