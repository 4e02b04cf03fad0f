"""Sample alignment: which row of every input belongs to which sample of the trait.

Rules, in order:

1. The trait y is the reference: its samples, in its order, are the analysed ones.
2. An input without sample labels (a numpy array, a list, a dask array, a pandas object with the
   default ``RangeIndex``, a DataArray without a sample coordinate) is matched by position: it
   must have exactly as many rows as y, otherwise a ``ValueError`` names it and both counts.
0. Sample labels are unique and none is missing, in every input (checked when each input is
   converted, by :func:`~limix._data._labelled.check_unique_labels`): a repeated label could
   be either row, so it is a ``ValueError`` naming the repeated labels, never a guess.
3. A labelled input whose labels are y's labels, in the same order, is matched by position too.
4. Any other labelled input is matched by label; samples of y absent from it are dropped — an
   inner join on the labels present in all labelled inputs — and counted per input.
5. When y has no labels but other inputs do, those inputs must all list the same samples in the
   same order, as many as y has: y is read in that order. Otherwise which row of y is which
   sample is ambiguous, and a ``ValueError`` asks for labelled y.
6. When no input has labels, the samples are labelled 0, 1, …, n−1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from ._labelled import check_unique_labels

__all__ = ["Alignment", "align_samples"]

Rows = NDArray[np.intp]


@dataclass(frozen=True)
class Alignment:
    """The rows of each input that hold the analysed samples.

    Attributes
    ----------
    samples
        Labels of the analysed samples, in y's order.
    reference
        Labels of all the samples of the y given (rules 5 and 6 when y has none).
    rows
        For every input, the position of each analysed sample among that input's rows (for y,
        its positions in the y given).
    nsamples
        Number of samples of the y given.
    absent
        For each input matched by label, how many of y's samples it lacks (these overlap when a
        sample is absent from several inputs).
    unmatched
        Number of y's samples dropped because some labelled input lacks them.
    """

    samples: pd.Index
    reference: pd.Index
    rows: Mapping[str, Rows]
    nsamples: int
    absent: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    unmatched: int = 0

    def keep(self, mask: NDArray[np.bool_]) -> Alignment:
        """The alignment restricted to the analysed samples where ``mask`` is true."""
        rows = {name: r[mask] for name, r in self.rows.items()}
        return replace(self, samples=self.samples[mask], rows=MappingProxyType(rows))


def _labels(x: xr.DataArray) -> pd.Index | None:
    dim = x.dims[0]
    return pd.Index(x.coords[dim].values) if dim in x.coords else None


def _examples(labels: pd.Index) -> str:
    return repr(list(labels[:3]))


def _reference(inputs: Mapping[str, xr.DataArray], reference: str) -> pd.Index:
    """y's labels, those y takes from the other inputs (rule 5), or 0, …, n−1 (rule 6)."""
    n = inputs[reference].shape[0]
    own = _labels(inputs[reference])
    if own is not None:
        return own
    labelled = {name: lab for name, x in inputs.items() if (lab := _labels(x)) is not None}
    if not labelled:
        return pd.RangeIndex(n)
    first, labels = next(iter(labelled.items()))
    for name, other in labelled.items():
        if len(other) != n:
            raise ValueError(
                f"{reference} has no sample labels, so it is matched by position to {name}, "
                f"but {reference} has {n} sample(s) and {name} has {len(other)}. Give "
                f"{reference} sample labels (a pandas index or an xarray coordinate)."
            )
        if not other.equals(labels):
            raise ValueError(
                f"{reference} has no sample labels, and {first} and {name} list different "
                f"samples or the same samples in different orders, so which row of "
                f"{reference} is which sample is ambiguous. Give {reference} sample labels "
                "(a pandas index or an xarray coordinate)."
            )
    return labels


def align_samples(inputs: Mapping[str, xr.DataArray], reference: str = "y") -> Alignment:
    """Match the rows of every input to the samples of ``reference`` (see the module rules).

    Parameters
    ----------
    inputs
        Converted inputs by argument name, samples along their first dim (``sample`` or
        ``sample_0``), with a coordinate there when labelled. Must contain ``reference``.
    reference
        The name of the trait.

    Raises
    ------
    ValueError
        For an unlabelled input whose length differs from the trait's, duplicated or missing
        labels, an ambiguous order (rule 5), or no sample common to all inputs.

    Examples
    --------
    >>> import xarray as xr
    >>> from limix._data import align_samples
    >>> y = xr.DataArray([[1.0], [2.0], [3.0]], dims=("sample", "trait"),
    ...                  coords={"sample": ["a", "b", "c"]})
    >>> M = xr.DataArray([[0.0], [1.0]], dims=("sample", "covariate"),
    ...                  coords={"sample": ["c", "a"]})
    >>> al = align_samples({"y": y, "M": M})
    >>> list(al.samples), al.rows["M"].tolist(), al.unmatched
    (['a', 'c'], [1, 0], 1)
    """
    n = inputs[reference].shape[0]
    samples = _reference(inputs, reference)
    keep = np.ones(n, dtype=bool)
    rows: dict[str, Rows] = {}
    absent: dict[str, int] = {}
    for name, x in inputs.items():
        labels = _labels(x)
        if labels is not None:
            check_unique_labels(labels, name, "sample")
        if name == reference or labels is None or labels.equals(samples):
            if x.shape[0] != n:
                raise ValueError(
                    f"{name} has {x.shape[0]} sample(s) but {reference} has {n}; {name} has no "
                    f"sample labels, so it must have one row per sample of {reference}, in "
                    f"{reference}'s order."
                )
            rows[name] = np.arange(n)
            continue
        found = labels.get_indexer(samples)
        rows[name] = found
        missing = found < 0
        if missing.any():
            absent[name] = int(np.count_nonzero(missing))
            keep &= ~missing
    if not keep.any():
        details = ", ".join(
            f"{name}'s like {_examples(lab)}"
            for name, x in inputs.items()
            if name != reference and (lab := _labels(x)) is not None
        )
        raise ValueError(
            f"no sample of {reference} is in every labelled input: {reference}'s labels are "
            f"like {_examples(samples)}; {details}."
        )
    alignment = Alignment(
        samples=samples,
        reference=samples,
        rows=MappingProxyType(rows),
        nsamples=n,
        absent=MappingProxyType(absent),
        unmatched=int(n - np.count_nonzero(keep)),
    )
    return alignment.keep(keep)
