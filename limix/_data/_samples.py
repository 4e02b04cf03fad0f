"""Which samples of labelled tables an analysis of several traits uses, decided once.

The command line reads each file into an object labelled by sample ID — the genotype's IDs, a
phenotype table, covariates, the IDs of a kinship — and asks here which samples to analyse:

1. :func:`listed_samples`: the genotyped samples kept by a list of samples to keep and a list
   of samples to exclude (either optional), in genotype order, with how many each list removed;
2. :func:`analysis_samples`: of those, the samples in every table (an inner join on the IDs,
   :func:`~limix._data.common_samples`); of those, the ones with some trait value, every
   covariate and every required value (e.g. binomial trial counts); and for each trait, the
   ones with a value of that trait. Everything is in genotype order, so that a trait analysed
   on the same samples gives the same numbers whichever tables it came from;
3. :class:`KinshipBySamples`: a labelled kinship decomposed once per set of samples, so traits
   analysed on the same samples share one eigendecomposition.

A phenotype table without sample labels (a default ``RangeIndex``, e.g. a BIMBAM phenotype
file) is read by position: its rows are the genotyped samples, in order (rule 2 of
:mod:`limix._data._align`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ._labelled import check_unique_labels, pandas_labels
from ._match import common_samples
from ._qs import DecomposedKinship

__all__ = [
    "AnalysisSamples",
    "KinshipBySamples",
    "ListedSamples",
    "analysis_samples",
    "listed_samples",
]

#: The default names of the tables in counts and messages.
_NAMES = {name: name for name in ("genotype", "phenotype", "covariates", "kinship")}


@dataclass(frozen=True)
class ListedSamples:
    """The samples left by a keep list and an exclude list.

    Attributes
    ----------
    samples
        The samples kept, in the order given.
    removed
        How many samples each list given removed: ``"keep"`` (absent from the keep list), then
        ``"exclude"`` (listed there, among those the keep list left).
    """

    samples: pd.Index
    removed: Mapping[str, int]

    def genotype(self, G: Any) -> Any:
        """The genotype on these samples, by label (see :meth:`AnalysisSamples.genotype`)."""
        return _on_samples(G, self.samples)


def _on_samples(G: Any, ids: pd.Index) -> Any:
    if "sample" not in getattr(G, "coords", {}):
        raise ValueError("G must be a DataArray with a 'sample' coordinate (sample IDs).")
    return G.sel(sample=np.asarray(ids, dtype=object))


def listed_samples(
    samples: pd.Index, keep: pd.Index | None = None, exclude: pd.Index | None = None
) -> ListedSamples:
    """The samples listed in ``keep`` (all when None) and not in ``exclude``, in their order.

    Parameters
    ----------
    samples
        Sample IDs, e.g. of a genotype file.
    keep
        IDs of the samples to keep (IDs that are not in ``samples`` are ignored).
    exclude
        IDs of the samples to leave out.

    Returns
    -------
    ListedSamples

    Examples
    --------
    >>> import pandas as pd
    >>> from limix._data import listed_samples
    >>> out = listed_samples(pd.Index(["a", "b", "c", "d"]), keep=pd.Index(["d", "b", "a", "z"]),
    ...                      exclude=pd.Index(["b"]))
    >>> list(out.samples), dict(out.removed)
    (['a', 'd'], {'keep': 1, 'exclude': 1})
    """
    chosen = np.ones(len(samples), dtype=bool)
    removed = {}
    if keep is not None:
        ok = np.asarray(samples.isin(keep))
        removed["keep"] = int(np.count_nonzero(chosen & ~ok))
        chosen &= ok
    if exclude is not None:
        ok = ~np.asarray(samples.isin(exclude))
        removed["exclude"] = int(np.count_nonzero(chosen & ~ok))
        chosen &= ok
    return ListedSamples(samples[chosen], MappingProxyType(removed))


@dataclass(frozen=True)
class AnalysisSamples:
    """The samples an analysis of several traits uses, and how they were chosen.

    Every index is in the genotype's order.

    Attributes
    ----------
    phenotype
        The phenotype table labelled by sample ID: as given, or, when it had no labels, labelled
        by the genotyped IDs (``by_position``).
    by_position
        Whether the phenotype had no sample labels, so that its rows were read as the
        genotyped samples in order.
    removed
        How many genotyped samples the keep and exclude lists removed (see
        :func:`listed_samples`).
    selected
        Number of genotyped samples left by those lists.
    sizes
        Number of samples each table lists, by table name (phenotype, then covariates and
        kinship when given).
    common
        The selected genotyped samples present in every table.
    samples
        The common samples with a value of some trait, every covariate and every required
        column: the analysed samples.
    traits
        For each trait, the analysed samples with a value of that trait.
    """

    phenotype: pd.DataFrame
    by_position: bool
    removed: Mapping[str, int]
    selected: int
    sizes: Mapping[str, int]
    common: pd.Index
    samples: pd.Index
    traits: Mapping[str, pd.Index]

    @property
    def incomplete(self) -> int:
        """Common samples left out for missing every trait value, a covariate or a required
        value."""
        return len(self.common) - len(self.samples)

    def of(self, trait: str) -> pd.Index:
        """The samples analysed for ``trait``: the analysed samples with a value of it."""
        return self.traits[trait]

    def left_out(self, trait: str) -> int:
        """How many analysed samples have no value of ``trait`` (so it is analysed without)."""
        return len(self.samples) - len(self.traits[trait])

    def values(self, trait: str) -> pd.Series:
        """The values of ``trait`` on its samples, labelled by sample ID, named ``trait``."""
        return self.phenotype[trait].loc[self.traits[trait]].rename(trait)

    def genotype(self, G: Any, trait: str | None = None) -> Any:
        """The genotype on the samples of ``trait`` (the analysed samples when None), by label.

        Parameters
        ----------
        G
            A DataArray with a ``sample`` dim labelled by the sample IDs (dask-backed or not;
            it stays lazy).
        trait
            The trait whose samples are selected, or None for every analysed sample.

        Raises
        ------
        ValueError
            If ``G`` has no ``sample`` coordinate.
        """
        return _on_samples(G, self.samples if trait is None else self.traits[trait])


def _labelled_phenotype(
    phenotype: pd.DataFrame, genotyped: pd.Index, names: Mapping[str, str]
) -> tuple[pd.DataFrame, bool]:
    if pandas_labels(phenotype.index) is not None:
        return phenotype, False
    if len(phenotype) != len(genotyped):
        raise ValueError(
            "the phenotype table has no sample IDs (as a BIMBAM phenotype file), so its rows "
            "must be the "
            f"{len(genotyped)} samples of {names['genotype']} in order; it has "
            f"{len(phenotype)} rows"
        )
    return phenotype.set_axis(genotyped, axis=0), True


def analysis_samples(
    genotyped: pd.Index,
    phenotype: pd.DataFrame,
    traits: Sequence[str],
    *,
    covariates: pd.DataFrame | None = None,
    kinship: pd.Index | None = None,
    required: Sequence[str] = (),
    keep: pd.Index | None = None,
    exclude: pd.Index | None = None,
    names: Mapping[str, str] | None = None,
) -> AnalysisSamples:
    """The samples to analyse the ``traits`` on, matched by sample ID, in genotype order.

    In order: the genotyped samples are restricted to the ``keep`` list and without the
    ``exclude`` list (:func:`listed_samples`); to those present in the phenotype, the
    covariates and the kinship (an inner join on the IDs); to those with a value of at least
    one trait, of every covariate and of every ``required`` column. Each trait is then analysed
    on those of them with a value of it.

    Parameters
    ----------
    genotyped
        The genotype's sample IDs, unique; their order is the order of every result.
    phenotype
        One row per sample, indexed by sample ID, with a column per trait (and the
        ``required`` columns); NaN marks a missing value. A default ``RangeIndex`` means no
        labels: the rows are then the ``genotyped`` samples, in order.
    traits
        The trait columns of ``phenotype``.
    covariates
        Covariates indexed by sample ID, or None.
    kinship
        The kinship's sample IDs, or None.
    required
        Columns of ``phenotype`` every analysed sample must have a value of (e.g. binomial
        trial counts).
    keep, exclude
        IDs of the samples to keep (all when None) and to leave out.
    names
        Names of the tables in ``sizes`` and in messages, by key ``"genotype"``,
        ``"phenotype"``, ``"covariates"``, ``"kinship"`` (default: those words).

    Returns
    -------
    AnalysisSamples

    Raises
    ------
    ValueError
        If a table's sample IDs repeat or are missing, or an unlabelled phenotype does not have
        one row per genotyped sample.
    NoCommonSamples
        If no selected sample is in every table (its ``source`` names the table sharing fewest
        IDs with the genotype).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from limix._data import analysis_samples
    >>> Y = pd.DataFrame({"h": [1.0, np.nan, 3.0], "w": [5.0, 6.0, np.nan]},
    ...                  index=["c", "a", "b"])
    >>> M = pd.DataFrame({"age": [30.0, 40.0, np.nan]}, index=["a", "b", "c"])
    >>> s = analysis_samples(pd.Index(["a", "b", "c", "d"]), Y, ["h", "w"], covariates=M)
    >>> list(s.common), list(s.samples), list(s.of("h")), list(s.of("w"))
    (['a', 'b', 'c'], ['a', 'b'], ['b'], ['a'])
    """
    names = {**_NAMES, **(names or {})}
    check_unique_labels(genotyped, names["genotype"], "sample")
    phenotype, by_position = _labelled_phenotype(phenotype, genotyped, names)
    sources = {names["phenotype"]: phenotype.index}
    if covariates is not None:
        sources[names["covariates"]] = covariates.index
    if kinship is not None:
        sources[names["kinship"]] = kinship
    for name, labels in sources.items():
        check_unique_labels(labels, name, "sample")
    listed = listed_samples(genotyped, keep, exclude)
    _, common = common_samples(listed.samples, sources)

    table = phenotype.loc[common]
    complete = np.array(table[list(traits)].notna().any(axis=1), dtype=bool)
    if covariates is not None:
        complete &= covariates.loc[common].notna().all(axis=1).to_numpy()
    if required:
        complete &= table[list(required)].notna().all(axis=1).to_numpy()
    samples = common[complete]
    per_trait = {trait: samples[table[trait].notna().to_numpy()[complete]] for trait in traits}
    return AnalysisSamples(
        phenotype=phenotype,
        by_position=by_position,
        removed=listed.removed,
        selected=len(listed.samples),
        sizes=MappingProxyType({name: len(labels) for name, labels in sources.items()}),
        common=common,
        samples=samples,
        traits=MappingProxyType(per_trait),
    )


class KinshipBySamples:
    """A labelled kinship, decomposed once for each set of samples an analysis uses.

    Traits analysed on the same samples (same IDs, same order) get the same
    :class:`~limix._data.DecomposedKinship`, so its eigendecomposition is computed once for
    them all; another set of samples gets its own.

    Parameters
    ----------
    K
        The n×n kinship as a DataFrame whose index and columns are the sample IDs.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from limix._data import KinshipBySamples
    >>> K = pd.DataFrame(np.eye(3) + 1, index=list("abc"), columns=list("abc"))
    >>> kinships = KinshipBySamples(K)
    >>> kinships.on(pd.Index(["c", "a"])) is kinships.on(pd.Index(["c", "a"]))
    True
    >>> list(kinships.on(pd.Index(["c", "a"])).samples)
    ['c', 'a']
    """

    def __init__(self, K: pd.DataFrame) -> None:
        if not isinstance(K, pd.DataFrame):
            raise TypeError(f"K must be a DataFrame labelled by sample ID; got {type(K).__name__}")
        self._K = K
        self._decomposed: dict[tuple[Any, ...], DecomposedKinship] = {}
        self._lock = threading.Lock()

    @property
    def samples(self) -> pd.Index:
        """The kinship's sample IDs."""
        return self._K.index

    def on(self, samples: pd.Index) -> DecomposedKinship:
        """The kinship on ``samples`` (rows and columns in their order), decomposed once.

        Raises
        ------
        KeyError
            If a sample is not in the kinship.
        """
        key = tuple(samples)
        with self._lock:
            if key not in self._decomposed:
                self._decomposed[key] = DecomposedKinship(self._K.loc[samples, samples])
            return self._decomposed[key]
