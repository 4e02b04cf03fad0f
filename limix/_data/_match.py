"""Samples of several labelled tables matched by ID, and covariates given an intercept.

The command line reads each file into a table indexed by sample ID; which samples are analysed
is decided here, once, as for the Python analyses (:func:`align_samples` does it for arrays):

* :func:`common_samples`: the samples of a reference (the genotype, in its order) that every
  other table has, with how many each has — an inner join on the IDs;
* :func:`covariates_with_offset`: the covariates with an intercept ("offset", ones) unless a
  constant column is there already.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ._covariates import OFFSET

__all__ = ["NoCommonSamples", "common_samples", "covariates_with_offset"]


class NoCommonSamples(ValueError):
    """No sample ID is in the reference and in every table; ``source`` names the table that
    shares fewest with the reference."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(message)
        self.source = source


def common_samples(
    reference: pd.Index, sources: Mapping[str, pd.Index]
) -> tuple[NDArray[np.intp], pd.Index]:
    """Positions in ``reference`` and IDs of its samples present in every source, in its order.

    Raises
    ------
    NoCommonSamples
        If none is, naming the source that shares fewest IDs with the reference.

    Examples
    --------
    >>> import pandas as pd
    >>> from limix._data import common_samples
    >>> rows, ids = common_samples(pd.Index(["a", "b", "c"]), {"y": pd.Index(["c", "a"])})
    >>> rows.tolist(), list(ids)
    ([0, 2], ['a', 'c'])
    """
    common = reference
    for labels in sources.values():
        common = common[common.isin(labels)]
    if len(common) == 0:
        worst = min(sources, key=lambda s: reference.isin(sources[s]).sum())
        raise NoCommonSamples(
            worst,
            f"no sample ID in common with GENOTYPE (e.g. {list(sources[worst][:3])} versus "
            f"{list(reference[:3])}); samples are matched by ID",
        )
    return reference.get_indexer(common), common


def covariates_with_offset(M: pd.DataFrame | None, samples: pd.Index) -> pd.DataFrame:
    """Covariates on ``samples`` with an intercept ("offset", ones) unless a column is constant.

    Examples
    --------
    >>> import pandas as pd
    >>> from limix._data import covariates_with_offset
    >>> M = pd.DataFrame({"age": [30.0, 41.0]}, index=["a", "b"])
    >>> list(covariates_with_offset(M, M.index).columns)
    ['offset', 'age']
    """
    offset = pd.DataFrame({OFFSET: np.ones(len(samples))}, index=samples)
    if M is None or M.shape[1] == 0:
        return offset
    M = M.loc[samples]
    values = M.to_numpy()
    if np.any(np.nanmin(values, axis=0) == np.nanmax(values, axis=0)):
        return M
    return pd.concat([offset, M], axis=1)
