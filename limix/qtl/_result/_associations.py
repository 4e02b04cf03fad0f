"""The labelled association table of a scan: one row per tested candidate effect.

What a GWAS user reads and what every summary-statistics file is written from. Columns, in
this order (those in brackets only where they apply):

``test``
    The test (``stats``' index): the candidate's position in G, or the set's number.
``trait``, [``env``]
    The trait of the effect; for multi-trait and interaction scans the design column it
    belongs to (``env1_…``).
``variant``, [``chrom``, ``pos``, ``effect_allele``, ``other_allele``]
    The candidate's label and, when G carries them (the genotype readers' labelled form does),
    its chromosome, position, the allele whose copies the genotype counts (the allele of
    ``beta``) and the other allele.
``n``
    Samples with a genotype for the candidate (those analysed, less those whose genotype was
    missing and imputed).
``eaf``
    Frequency of the effect allele among them: mean dosage / 2 (NaN for a candidate whose
    values are not all in [0, 2]).
``beta``, ``se``
    The candidate's effect size under the alternative and its standard error.
``chisq``, ``dof``, ``pvalue``, ``neg_log10_pvalue``
    The likelihood-ratio statistic 2(ℓ_alt − ℓ_null), its degrees of freedom, the p-value (as
    in ``stats``) and −log₁₀ p computed from the statistic (finite below 1e-300, where
    ``pvalue`` is clipped at 2.2e-308).
    A test of several effects (a set, several traits or environments) gives each of its rows
    the same test's p-value.

Which test: 𝓗₀ against 𝓗₂ when the scan has two hypotheses; with three (``A0``, ``iscan``)
𝓗₁ against 𝓗₂, whose rows are the effects 𝓗₂ adds (the interactions, or the ``A1`` design).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._lrt import lrt_neg_log10_pvalue

__all__ = ["association_table"]


def association_table(
    stats: pd.DataFrame,
    effsizes: dict[str, pd.DataFrame],
    candidates: pd.DataFrame,
) -> pd.DataFrame:
    """Build the association table (see the module's description of its columns).

    Parameters
    ----------
    stats, effsizes
        The result's tables (``QTLResult.stats``, ``QTLResult.effsizes``).
    candidates
        One row per candidate of G: ``variant``, the annotations, ``n``, ``eaf``.

    Raises
    ------
    ValueError
        If an effect names a candidate that is not among ``candidates``.
    """
    null = 1 if "h1" in effsizes else 0
    h2 = effsizes["h2"]
    rows = h2[h2["effect_type"] == "candidate"]
    if null == 1:
        h1 = effsizes["h1"]
        earlier = h1.loc[h1["effect_type"] == "candidate", "env"].unique()
        rows = rows[~rows["env"].isin(earlier)]
    rows = rows.reset_index(drop=True)
    tests = rows["test"].to_numpy()
    positions = _candidate_positions(rows, candidates)

    table = {"test": tests, "trait": rows["trait"].to_numpy()}
    if "env" in rows:
        table["env"] = rows["env"].to_numpy()
    labels = candidates.iloc[positions].reset_index(drop=True)
    for name in labels.columns:
        table[name] = labels[name].to_numpy()
    by_test = stats.loc[tests]
    lml_null = by_test[f"lml{null}"].to_numpy()
    lml_alt = by_test["lml2"].to_numpy()
    dof = by_test[f"dof2{null}"].to_numpy()
    table["beta"] = rows["effsize"].to_numpy()
    table["se"] = rows["effsize_se"].to_numpy()
    table["chisq"] = np.maximum(2 * (lml_alt - lml_null), 0.0)
    table["dof"] = dof.astype(np.int64)
    table["pvalue"] = by_test[f"pv2{null}"].to_numpy()
    table["neg_log10_pvalue"] = lrt_neg_log10_pvalue(lml_null, lml_alt, dof)
    return pd.DataFrame(table)


def _candidate_positions(rows: pd.DataFrame, candidates: pd.DataFrame) -> np.ndarray:
    """The position in G of each effect row's candidate: the test itself for one-candidate
    tests (``test`` is the candidate's position), else looked up by the candidate's label."""
    tests = rows["test"].to_numpy()
    labels = candidates["variant"].to_numpy()
    names = rows["effect_name"].astype(str).to_numpy()
    in_range = (tests >= 0) & (tests < len(labels))
    if in_range.all() and (labels[tests] == names).all():
        return tests
    index = pd.Index(labels)
    if index.has_duplicates:
        raise ValueError(
            "the candidates' labels repeat, so the effects of candidate sets cannot be matched "
            "to their candidates; label G's candidates uniquely."
        )
    positions = index.get_indexer(names)
    if (positions < 0).any():
        raise ValueError(f"effects name unknown candidates, e.g. {names[positions < 0][:3]}.")
    return positions
