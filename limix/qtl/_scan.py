"""``limix.qtl.scan``: single- and multi-trait association scans."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from glimix._check import single_precision

from .._data import prepare_scan_inputs
from ._result import QTLResult
from ._single import single_trait_scan

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import Kinship, Lik, Matrix

__all__ = ["scan"]


def scan(
    G: Matrix,
    Y: Matrix,
    lik: Lik = "normal",
    K: Kinship | None = None,
    M: Matrix | None = None,
    idx: Sequence[Any] | None = None,
    A: Matrix | None = None,
    A0: Matrix | None = None,
    A1: Matrix | None = None,
    verbose: bool = True,
    *,
    rank: int | None = None,
    exact: bool = False,
    dtype: str = "float64",
) -> QTLResult:
    """Single-variant (or variant-set) association testing via (generalised) linear mixed models.

    Single trait, normal: the null 𝓗₀ is 𝐲 ∼ 𝓝(𝙼𝜶, v₀𝙺 + v₁𝙸) (a linear model 𝓝(𝙼𝜶, v₁𝙸) without
    K), fitted by maximum likelihood; each candidate 𝐠 is tested with
    𝓗₂: 𝐲 ∼ 𝓝(𝙼𝜶 + 𝐠β, s(v₀𝙺 + v₁𝙸)), the variances at the null's ratio and the scale s
    refitted, by a likelihood-ratio test. Non-normal traits ("bernoulli", "probit",
    ("binomial", ntrials), "poisson") fit the null GLMM
    𝐳 ∼ 𝓝(𝙼𝜶, v₀𝙺 + v₁𝙸), yᵢ | zᵢ ∼ ExpFam(g(zᵢ)) by expectation propagation and test the
    candidates on its pseudo-observations. Multi-trait (Y n×p, or A given):
    vec(𝚈) ∼ 𝓝((𝙰⊗𝙼)vec(𝐀) + (𝙰₀⊗𝐠)𝛃₀ + (𝙰₁⊗𝐠)𝛃₁, C₀⊗𝙺 + C₁⊗𝙸), with 𝓗₀: 𝛃₀ = 𝛃₁ = 𝟎,
    𝓗₁: 𝛃₁ = 𝟎 (when A0 is given) and 𝓗₂.

    Parameters
    ----------
    G
        n×m candidates (samples × variants): numpy, pandas, xarray (dims ``sample`` and
        ``candidate``) or dask; kept lazy and read in blocks. Missing genotypes are mean-imputed
        per candidate.
    Y
        n values of one trait, or an n×p matrix of traits. Samples are matched to the other
        inputs by label where they have labels; samples with a missing value are dropped (a
        warning counts them).
    lik
        "normal", "bernoulli", "probit", "poisson" or ("binomial", ntrials); any case.
    K
        n×n kinship (covariance of the genetic background); None for none. A mapping
        chromosome → kinship (such as :func:`limix.stats.loco_kinships`) scans each
        chromosome's candidates against its own kinship — leave-one-chromosome-out — and then
        G must be an xarray DataArray with a ``chrom`` coordinate along its candidates.
    M
        n×c covariates; None for an offset (a column of ones).
    idx
        Sets of candidates to test jointly: a list of lists of candidate positions or labels.
        None tests each candidate on its own.
    A
        p×p trait design of the covariates (multi-trait); identity by default.
    A0, A1
        Trait designs of the candidate effects under 𝓗₁ and 𝓗₂ (multi-trait); by default
        A1 is the identity and there is no 𝓗₁.
    verbose
        Show what is fitted and a progress bar over the candidates.
    rank
        Multi-trait: maximum rank of the genetic trait covariance C₀ (1 … p). ``None``
        (default) fits a full-rank C₀, so genetic correlations are estimated; ``rank=1`` is the
        reference manual's model, which forces every genetic correlation to ±1 (see
        :doc:`/deviations`).
    exact
        ``False`` (default): every alternative keeps the null's variances (single trait: the
        ratio v₀/v₁, the scale refitted; multi-trait: C₀ and C₁, the scale refitted).
        ``True``: they are re-estimated for every candidate by maximum likelihood — the exact
        likelihood-ratio test of GEMMA and of exact multi-trait LMMs (slower). Not with idx;
        only with ``lik="normal"``.
    dtype
        ``"float64"`` (default) or ``"float32"``: the precision of the rotation of each block of
        candidates (𝚀₀ᵀ𝙶, the product that dominates a scan's time), which single precision
        runs about twice as fast. The statistics are accumulated in double precision; −log₁₀ p
        agrees with the double-precision scan to about 10⁻⁵ (:doc:`/qtl`). Single-trait scans
        of single candidates (fixed ratio or exact, any likelihood) only.

    Returns
    -------
    QTLResult
        ``stats`` (``lml0, lml2, dof20, scale2, pv20``…), ``effsizes``, ``h0``; ``print``
        shows the manual's summary.
    """
    single_precision(dtype)  # checked before anything is read
    dtype = str(np.dtype(dtype))
    if isinstance(K, Mapping):
        from ._loco import loco_scan

        return loco_scan(G, Y, lik, K, M, idx, verbose, _flag(exact, "exact"), dtype)
    inputs = prepare_scan_inputs(G, Y, lik, K, M)
    if _flag(exact, "exact") and inputs.lik.name != "normal":
        raise ValueError(
            f"exact=True re-estimates the variances of a linear mixed model (lik='normal'); "
            f"the {inputs.lik.name!r} scan tests each candidate on the null's variances."
        )
    multi = inputs.y.shape[1] > 1 or any(a is not None for a in (A, A0, A1))
    if dtype != "float64" and (multi or idx is not None):
        raise ValueError(
            "dtype='float32' applies to single-trait scans of single candidates (no idx, one "
            "trait, no A, A0 or A1)."
        )
    if multi:
        from ._multi import multi_trait_scan

        return multi_trait_scan(inputs, A, A0, A1, idx, verbose, rank, _flag(exact, "exact"))
    if rank is not None:
        raise ValueError("rank (of the genetic trait covariance C₀) applies to several traits.")
    return single_trait_scan(inputs, idx, verbose, _flag(exact, "exact"), dtype)


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {value!r}.")
    return bool(value)
