"""The entry point of every analysis: all inputs converted, aligned and cleaned in one call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from ._align import Alignment, align_samples
from ._covariates import as_covariates, offset_covariate
from ._dropped import DroppedSamples, warn_dropped
from ._environment import as_environment
from ._genotype import as_genotype
from ._kinship import as_kinship
from ._lik import Likelihood, as_ntrials, check_outcome, parse_lik
from ._missing import impute_genotype, missing_rows
from ._qs import QS, DecomposedKinship, kinship_factor, kinship_qs
from ._select import select_rows
from ._trait import as_trait

__all__ = ["ScanInputs", "prepare_inputs", "prepare_scan_inputs"]


@dataclass(frozen=True)
class ScanInputs:
    """What an analysis works on: every input on the same samples, in the trait's order.

    Attributes
    ----------
    samples
        Labels of the analysed samples (0, 1, … when no input has labels).
    y
        Traits, (sample, trait), read-only float64, no missing value.
    M
        Covariates, (sample, covariate), read-only float64, no missing value; a column of ones
        named "offset" when M was None.
    lik
        The likelihood, with its binomial trial counts aligned to ``samples``.
    K
        The kinship, (sample_0, sample_1), read-only; or (sample, factor) when given as a
        :class:`~limix._data.KinshipFactor`; None when not given. Its decomposition:
        :meth:`kinship_qs`, or :meth:`kinship_factor` for a factor.
    G
        Candidates, (sample, candidate), dask-backed, missing genotypes mean-imputed lazily;
        None when not given. Stream it with :func:`~limix._data.genotype_blocks`.
    G_nmissing
        Lazy number of imputed genotypes per candidate (candidate); None without G.
    E
        Environments by argument name (e.g. "E0", "E1"), each (sample, environment).
    dropped
        How many samples were left out, and why (also issued as a warning).
    rows
        Position of each analysed sample in the trait as given.
    reference
        Labels of all the samples of the trait as given (its own, or those it was read with).
    K_qs
        The decomposition of ``K`` when it is already known: K was given as a
        :class:`~limix._data.DecomposedKinship` of exactly the analysed samples (any order).
    """

    samples: pd.Index
    y: xr.DataArray
    M: xr.DataArray
    lik: Likelihood
    K: xr.DataArray | None
    G: xr.DataArray | None
    G_nmissing: xr.DataArray | None
    E: Mapping[str, xr.DataArray]
    dropped: DroppedSamples
    rows: NDArray[np.intp]
    reference: pd.Index
    K_qs: QS | None = None

    @property
    def nsamples(self) -> int:
        """Number of analysed samples."""
        return len(self.samples)

    def kinship_qs(self) -> QS:
        """The economic decomposition ``((Q0,), S0)`` of ``K`` (see :func:`kinship_qs`)."""
        if self.K is None:
            raise ValueError("no kinship was given.")
        return self.K_qs if self.K_qs is not None else kinship_qs(self.K)

    def kinship_factor(self) -> NDArray[np.float64]:
        """A matrix L with K = LLᵀ (see :func:`kinship_factor`)."""
        if self.K is None:
            raise ValueError("no kinship was given.")
        return kinship_factor(self.K, self.K_qs)


def _convert(
    y: Any,
    y_name: str,
    ntrials: Any,
    K: Any,
    M: Any,
    G: Any,
    E: Mapping[str, Any],
) -> dict[str, xr.DataArray]:
    # The order matters: a sample with missing values in several inputs is counted under the
    # first of them.
    inputs = {y_name: as_trait(y, y_name)}
    if ntrials is not None:
        inputs["ntrials"] = as_ntrials(ntrials)
    if M is not None:
        inputs["M"] = as_covariates(M)
    for name, value in E.items():
        inputs[name] = as_environment(value, name)
    if K is not None:
        inputs["K"] = as_kinship(K)
    if G is not None:
        inputs["G"] = as_genotype(G)
    return inputs


def _drop_missing(
    inputs: Mapping[str, xr.DataArray], alignment: Alignment, names: list[str]
) -> tuple[NDArray[np.bool_], dict[str, int]]:
    """Which analysed samples have a missing value in ``names``, counted under the first one."""
    drop = np.zeros(len(alignment.samples), dtype=bool)
    counts: dict[str, int] = {}
    for name in names:
        values = np.asarray(inputs[name].values)[alignment.rows[name]]
        new = missing_rows(values) & ~drop
        counts[name] = int(np.count_nonzero(new))
        drop |= new
    return drop, counts


def prepare_inputs(
    y: Any,
    lik: Any = "normal",
    K: Any = None,
    M: Any = None,
    G: Any = None,
    E: Mapping[str, Any] | None = None,
    *,
    y_name: str = "y",
) -> ScanInputs:
    """Convert, align and clean an analysis' inputs (the single entry point of limix's analyses).

    Every input is converted to a named DataArray (numpy arrays, lists, pandas, xarray and dask
    are accepted), matched to the samples of the trait by label or by position (rules in
    :mod:`limix._data._align`), and the missing-value policy of :mod:`limix._data._missing` is
    applied: samples with a missing trait, trial count, covariate or environment value are
    dropped; K must be finite; missing genotypes are mean-imputed per candidate, lazily. Every
    dropped sample is counted in one :class:`~limix._data.DroppedSamplesWarning`. The caller's
    objects are never modified.

    Parameters
    ----------
    y
        n values of a trait, or an n×p matrix of traits (the reference for samples and order).
    lik
        ``"normal"``, ``"bernoulli"``, ``"probit"``, ``"poisson"`` (any case), or
        ``("binomial", ntrials)`` with one trial count per sample.
    K
        n×n kinship, a :class:`~limix._data.KinshipFactor`, or None.
    M
        n×c covariates, or None for an offset (a column of ones named "offset").
    G
        n×m candidates (kept lazy), or None.
    E
        Environments by argument name (``{"E0": E0, "E1": E1}``), each n×e.
    y_name
        The trait's argument name in messages ("y" or "Y").

    Returns
    -------
    ScanInputs

    Raises
    ------
    ValueError
        For an invalid ``lik``, a non-numeric input, an unlabelled input whose length is not
        the trait's, duplicated labels that cannot be matched, an infinite value, a non-finite
        or asymmetric K, trait values outside the likelihood's support, or no sample left.

    Examples
    --------
    >>> import warnings
    >>> from numpy import array, nan
    >>> from pandas import DataFrame, Series
    >>> from limix._data import prepare_inputs
    >>> y = Series([0.5, nan, 1.5, 2.0], index=["a", "b", "c", "d"])
    >>> M = DataFrame({"age": [40.0, 50.0, 60.0]}, index=["d", "c", "b"])
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     inputs = prepare_inputs(y, "normal", M=M)
    >>> list(inputs.samples), inputs.M.values.ravel().tolist()
    (['c', 'd'], [50.0, 40.0])
    >>> print(w[0].message)
    2 of the 4 samples of y were dropped: 1 absent from a labelled input (M lacks 1); 1 with a missing value (y: 1). 2 sample(s) are analysed.
    """  # noqa: E501
    kind, ntrials = parse_lik(lik)
    if E is not None and not isinstance(E, Mapping):
        raise ValueError(
            "E must map environment argument names to matrices, e.g. {'E0': E0}; "
            f"got {type(E).__name__}."
        )
    environments = dict(E or {})
    reserved = {y_name, "ntrials", "M", "K", "G"}
    for name in environments:
        if not isinstance(name, str) or name in reserved:
            raise ValueError(
                f"E's keys name the environment arguments (e.g. 'E0'); got {name!r}, which is "
                "not a string or is the name of another input."
            )
    inputs = _convert(y, y_name, ntrials, K, M, G, environments)
    alignment = align_samples(inputs, y_name)
    eager = [name for name in inputs if name not in ("K", "G")]
    drop, missing = _drop_missing(inputs, alignment, eager)
    ntraits = inputs[y_name].shape[1]
    dropped = DroppedSamples(
        nsamples=alignment.nsamples,
        unmatched=alignment.unmatched,
        absent=alignment.absent,
        missing=MappingProxyType({k: v for k, v in missing.items() if v}),
        ntraits=ntraits,
    )
    if drop.all():
        raise ValueError(f"no sample of {y_name} is left to analyse: {dropped.message(y_name)}")
    alignment = alignment.keep(~drop)
    samples = alignment.samples
    out = {name: select_rows(x, alignment.rows[name], samples) for name, x in inputs.items()}

    likelihood = Likelihood(kind, out["ntrials"][:, 0] if "ntrials" in out else None)
    check_outcome(out[y_name].values, likelihood, y_name)
    G_out, nmissing = impute_genotype(out["G"]) if "G" in out else (None, None)
    warn_dropped(dropped, y_name)
    return ScanInputs(
        samples=samples,
        y=out[y_name],
        M=out["M"] if "M" in out else offset_covariate(samples),
        lik=likelihood,
        K=out.get("K"),
        G=G_out,
        G_nmissing=nmissing,
        E=MappingProxyType({name: out[name] for name in environments}),
        dropped=dropped,
        rows=alignment.rows[y_name],
        reference=alignment.reference,
        K_qs=K.qs_of(alignment.rows["K"]) if isinstance(K, DecomposedKinship) else None,
    )


def prepare_scan_inputs(
    G: Any,
    Y: Any,
    lik: Any = "normal",
    K: Any = None,
    M: Any = None,
    E: Mapping[str, Any] | None = None,
) -> ScanInputs:
    """:func:`prepare_inputs` with the argument order of ``limix.qtl.scan(G, Y, lik, K, M)``.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from limix._data import prepare_scan_inputs
    >>> random = RandomState(0)
    >>> inputs = prepare_scan_inputs(random.randn(5, 3), random.randn(5), "normal")
    >>> inputs.G.dims, inputs.M["covariate"].values.tolist()
    (('sample', 'candidate'), ['offset'])
    """
    if G is None:
        raise ValueError("G is required: the n×m candidates (samples × candidates) to test.")
    inputs = prepare_inputs(Y, lik, K=K, M=M, G=G, E=E, y_name="Y")
    assert inputs.G is not None
    if inputs.G.shape[1] == 0:
        raise ValueError(f"G has no candidate to test (shape {tuple(inputs.G.shape)}).")
    n, c = inputs.M.shape
    rank = int(np.linalg.matrix_rank(inputs.M.values)) if n <= c + 1 else c
    if n <= rank + 1:
        raise ValueError(
            f"Y has {n} analysed sample(s), no more than its {rank} linearly independent "
            "covariate(s) plus one candidate: every test would fit Y exactly."
        )
    return inputs
