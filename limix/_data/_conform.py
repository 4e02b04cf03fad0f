"""Matching a kinship given after the samples were fixed (``VarDec.append``) to those samples."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from ._inputs import ScanInputs
from ._kinship import as_kinship
from ._labelled import check_unique_labels
from ._select import select_rows

__all__ = ["conform_kinship"]


def conform_kinship(K: Any, inputs: ScanInputs, name: str = "K") -> xr.DataArray:
    """``K`` on exactly the analysed samples of ``inputs``, in their order.

    The samples can no longer change, so nothing is dropped: a labelled K must contain every
    analysed sample, and an unlabelled K must have one row per sample of the trait *as given*
    (before any drop), in its order.

    Parameters
    ----------
    K
        An n×n kinship or a :class:`~limix._data.KinshipFactor`, of any accepted type.
    inputs
        The prepared inputs the kinship joins.
    name
        The argument's name, for error messages.

    Raises
    ------
    ValueError
        As :func:`~limix._data.as_kinship`; or if K's size or labels do not cover the samples.

    Examples
    --------
    >>> from numpy import eye
    >>> from limix._data import conform_kinship, prepare_inputs
    >>> inputs = prepare_inputs([1.0, 2.0, 3.0])
    >>> conform_kinship(eye(3), inputs, "K_cis").shape
    (3, 3)
    """
    Kx = as_kinship(K, name)
    dim = Kx.dims[0]
    labels = Kx.indexes[dim] if dim in Kx.coords else None
    given = inputs.dropped.nsamples
    if labels is None or labels.equals(inputs.reference):
        if Kx.shape[0] != given:
            raise ValueError(
                f"{name} has {Kx.shape[0]} sample(s) but the trait was given with {given}; "
                f"{name} has no sample labels, so it must have one row per sample of the trait, "
                "in its order."
            )
        return select_rows(Kx, inputs.rows, inputs.samples)
    check_unique_labels(labels, name, "sample")
    rows = labels.get_indexer(inputs.samples)
    absent = rows < 0
    if absent.any():
        raise ValueError(
            f"{name} lacks {int(np.count_nonzero(absent))} of the {inputs.nsamples} analysed "
            f"sample(s) (e.g. {list(inputs.samples[absent][:3])})."
        )
    return select_rows(Kx, rows, inputs.samples)
