"""What a scan learns about each candidate while it streams them: labels, samples, frequency.

The association tables (:attr:`QTLResult.associations` and the summary-statistics files) name
each candidate by the labels G carries — its ID and, from the genotype readers, ``chrom``,
``pos``, ``effect_allele`` and ``other_allele`` — and give the number of samples with a genotype
(N) and the frequency of the effect allele among them. Both are counted on the blocks the scan
reads anyway (:class:`CandidateTally`), so they cost no second pass over the genotypes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

__all__ = ["ANNOTATIONS", "CandidateTally", "candidate_table"]

#: Per-candidate coordinates of G copied into the tables, in this order, when present.
ANNOTATIONS = ("chrom", "pos", "effect_allele", "other_allele")


class CandidateTally:
    """Per-candidate counts gathered block by block: genotyped samples and the mean dosage.

    A block is mean-imputed before it is tallied, which leaves each candidate's mean over its
    genotyped samples unchanged, so the mean is that of the observed genotypes. The frequency
    of the counted allele is mean / 2 for candidates whose values all lie in [0, 2] (allele
    counts or dosages); other candidates (expression levels, standardised genotypes) have no
    allele frequency (NaN), and so does a candidate genotyped in no sample.
    """

    def __init__(self, nsamples: int, ncandidates: int) -> None:
        self.nsamples = nsamples
        self.observed = np.zeros(ncandidates, dtype=np.int64)
        self.mean = np.full(ncandidates, np.nan)
        self.dosage = np.zeros(ncandidates, dtype=bool)

    def add(
        self,
        positions: slice | NDArray[np.intp],
        block: NDArray[np.float64],
        nmissing: NDArray[np.int64],
    ) -> None:
        """Record the candidates at ``positions`` from their imputed ``block`` (n × b)."""
        self.observed[positions] = self.nsamples - np.asarray(nmissing, dtype=np.int64)
        self.mean[positions] = block.mean(axis=0) if block.shape[0] else np.nan
        self.dosage[positions] = (block >= 0).all(axis=0) & (block <= 2).all(axis=0)

    def effect_allele_frequency(self) -> NDArray[np.float64]:
        """mean / 2 where the candidate is a dosage genotyped in some sample; NaN elsewhere."""
        usable = self.dosage & (self.observed > 0)
        return np.where(usable, self.mean / 2, np.nan)


def candidate_table(G: xr.DataArray, tally: CandidateTally) -> pd.DataFrame:
    """One row per candidate of G, in G's order: ``variant`` (its label), the annotations G
    carries (:data:`ANNOTATIONS`), ``n`` (samples with a genotype) and ``eaf`` (frequency of
    the counted allele, see :class:`CandidateTally`).

    Parameters
    ----------
    G
        The scan's candidates, dims ``("sample", "candidate")`` (``ScanInputs.G``).
    tally
        The counts gathered while the candidates were scanned.
    """
    dim = "candidate"
    table = {"variant": np.asarray([str(v) for v in G[dim].values], dtype=object)}
    for name in ANNOTATIONS:
        coord = G.coords.get(name)
        if coord is not None and coord.dims == (dim,):
            values = np.asarray(coord.values)
            table[name] = values if name == "pos" else values.astype(str).astype(object)
    table["n"] = tally.observed.copy()
    table["eaf"] = tally.effect_allele_frequency()
    return pd.DataFrame(table)
