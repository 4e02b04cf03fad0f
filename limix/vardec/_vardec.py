"""``limix.vardec.VarDec``: variance decomposition into any number of random effects."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from glimix.cov import EyeCov, GivenCov, SumCov
from glimix.ggp import ExpFamGP
from glimix.gp import GP
from glimix.lmm import BoundaryWarning, fit_kron2sum
from glimix.mean import LinearMean

from .._data import conform_kinship, kinship_qs, prepare_inputs

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .._typing import Kinship, Lik, Matrix

__all__ = ["VarDec"]

Array = NDArray[np.float64]


@dataclass
class _Component:
    name: str
    K: Array | None  # None for the identity; else scaled to mean diagonal 1
    scale: float = 1.0  # the mean diagonal of the K given


class VarDec:
    """Variance decomposition through linear mixed models (or GLMMs for non-normal traits).

    For a normal trait,

        𝐲 = 𝙼𝛃 + ∑ⱼ𝐮ⱼ,   𝐮ⱼ ∼ 𝓝(𝟎, vⱼ𝙺ⱼ),

    and for the others 𝐳 = 𝙼𝛃 + ∑ⱼ𝐮ⱼ with yᵢ | 𝐳 ∼ ExpFam(μᵢ = g(zᵢ)) (expectation propagation).
    𝛃 and every vⱼ are fitted by maximum likelihood. Each 𝙺ⱼ is added by :meth:`append` (and
    divided by its mean diagonal, so that the vⱼ are on one scale), an independent (identity)
    component by :meth:`append_iid`. Several traits (an n×p 𝚈, normal
    only) are decomposed as vec(𝚈) ∼ 𝓝(vec(𝙼𝐁), C₀⊗𝙺 + C₁⊗𝙸) with full p×p matrices C₀, C₁
    (one kinship and one independent component). C₀ has full rank by default, so genetic
    correlations are estimated; ``rank=1`` gives the reference manual's multi-trait model, which
    forces every genetic correlation to ±1 (see :doc:`/deviations`).

    Parameters
    ----------
    y
        n trait values (or an n×p matrix for several normal traits); labelled inputs are
        matched by sample, samples with missing values dropped (a warning counts them).
    lik
        "normal", "bernoulli", "probit", "poisson", or ("binomial", ntrials).
    M
        n×c covariates; None for an offset.
    rank
        Several traits: maximum rank of C₀ (1 … p); ``None`` (default) for p, full rank.

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> from limix.vardec import VarDec
    >>>
    >>> random = RandomState(0)
    >>> n = 100
    >>> X = random.randn(n, 50) / 7
    >>> K = X @ X.T
    >>> y = X @ random.randn(50) + random.randn(n) * 0.7
    >>> vardec = VarDec(y, "normal")
    >>> vardec.append(K, "genetic")
    >>> vardec.append_iid("noise")
    >>> vardec.fit(verbose=False)
    >>> print(vardec)
    Variance decomposition
    ----------------------
    <BLANKLINE>
    𝐲 ~ 𝓝(𝙼𝜶, 1.387⋅𝙺 + 0.522⋅𝙸)
    (each 𝙺 scaled to mean diagonal 1)
    <BLANKLINE>
    component   variance   fraction
    genetic        1.387      0.727
    noise          0.522      0.273
    """

    def __init__(
        self, y: Matrix, lik: Lik = "normal", M: Matrix | None = None, *, rank: int | None = None
    ) -> None:
        self._inputs = prepare_inputs(y, lik, M=M)
        p = self._inputs.y.shape[1]
        if rank is not None:
            if isinstance(rank, bool) or not isinstance(rank, (int, np.integer)):
                raise ValueError(f"rank must be an integer between 1 and p; got {rank!r}.")
            if p == 1:
                raise ValueError(
                    "rank (of the genetic trait covariance C₀) applies to several traits."
                )
            if not 1 <= rank <= p:
                raise ValueError(f"rank (of C₀) must be between 1 and p = {p} traits; got {rank}.")
        self._rank = rank
        self._components: list[_Component] = []
        self._variances: Array | None = None
        self._C: tuple[Array, Array] | None = None
        self._effsizes: Array | None = None
        self._lml: float | None = None

    # -- building ----------------------------------------------------------------------------------
    def _add(self, component: _Component) -> None:
        if any(c.name == component.name for c in self._components):
            raise ValueError(f"a component named {component.name!r} was appended already.")
        self._components.append(component)
        self._variances = self._C = self._effsizes = self._lml = None

    def append(self, K: Kinship, name: str | None = None) -> None:
        """Add a random effect 𝐮 ∼ 𝓝(𝟎, v𝙺); ``K`` is matched to the trait's samples.

        𝙺 is put on a common scale, divided by its mean diagonal (on the analysed samples), as
        limix does: the variance v reported is that of a sample's 𝐮 on average, comparable
        across components and with the manual's; the likelihood does not change (v absorbs
        the factor).
        """
        name = f"K{len(self._components)}" if name is None else str(name)
        Kx = conform_kinship(K, self._inputs, name)
        kinship_qs(Kx)  # a ValueError unless K is positive semi-definite
        values = np.asarray(Kx.values, dtype=float)
        if values.shape[0] != values.shape[1]:
            values = values @ values.T  # a factor X of K = XXᵀ
        scale = float(np.mean(np.diag(values)))
        if not scale > 0:
            raise ValueError(f"K {name!r} has a zero diagonal on the analysed samples.")
        self._add(_Component(name, values / scale, scale))

    def append_iid(self, name: str = "residual") -> None:
        """Add an independent random effect 𝛆 ∼ 𝓝(𝟎, v𝙸)."""
        self._add(_Component(str(name), None))

    # -- fitting ---------------------------------------------------------------------------------
    def fit(self, verbose: bool = True) -> None:
        """Maximise the (EP, for non-normal traits) marginal likelihood over 𝛃 and the variances."""
        if not self._components:
            raise ValueError("append at least one component (append or append_iid) before fit.")
        y = self._inputs.y.values
        if y.shape[1] > 1:
            self._fit_multi(y, verbose)
            return
        n = y.shape[0]
        covs = [EyeCov(n) if c.K is None else GivenCov(c.K) for c in self._components]
        cov = covs[0] if len(covs) == 1 else SumCov(covs)
        mean = LinearMean(self._inputs.M.values)
        if self._inputs.lik.name == "normal":
            model = GP(y[:, 0], mean, cov)
        else:
            model = ExpFamGP(y[:, 0], self._inputs.lik.spec, mean, cov)
        model.fit(verbose=verbose)
        self._variances = np.array([float(c.scale) for c in covs])
        self._effsizes = np.asarray(mean.effsizes, dtype=float).copy()
        self._lml = float(model.lml())

    def _fit_multi(self, Y: Array, verbose: bool) -> None:
        kinds = sorted(c.K is None for c in self._components)
        if self._inputs.lik.name != "normal" or kinds not in ([True], [False, True]):
            raise ValueError(
                "several traits are decomposed for lik='normal' with one kinship and one iid "
                "component (append(K) and append_iid()); got "
                f"lik={self._inputs.lik.name!r} and {len(self._components)} component(s)."
            )
        kinship = next((c.K for c in self._components if c.K is not None), None)
        p = Y.shape[1]
        factor = None
        if kinship is not None:
            w, Q = np.linalg.eigh(kinship)
            keep = w > w.max() * Y.shape[0] * np.finfo(float).eps
            factor = Q[:, keep] * np.sqrt(w[keep])
        with warnings.catch_warnings():
            # a singular C₀ or C₁ is a legitimate estimate here, shown in the summary
            warnings.simplefilter("ignore", BoundaryWarning)
            model = fit_kron2sum(Y, np.eye(p), self._inputs.M.values, factor, rank=self._rank)
        self._C = (np.asarray(model.C0), np.asarray(model.C1))
        self._variances = np.array(
            [
                np.trace(self._C[1]) / p if c.K is None else np.trace(self._C[0]) / p
                for c in self._components
            ]
        )
        self._effsizes = np.asarray(model.B, dtype=float).copy()
        self._lml = float(model.lml())

    # -- results -------------------------------------------------------------------------------
    def _fitted(self) -> Array:
        if self._variances is None:
            raise ValueError("the model is not fitted yet: call fit() first.")
        return self._variances

    def lml(self) -> float:
        """Log of the marginal likelihood of the fitted model."""
        self._fitted()
        assert self._lml is not None
        return self._lml

    @property
    def effsizes(self) -> Array:
        """Fitted covariate effect sizes 𝛃 (c, or c×p for several traits)."""
        self._fitted()
        assert self._effsizes is not None
        return self._effsizes.copy()

    @property
    def variances(self) -> pd.Series:
        """Fitted variance vⱼ of each component, by name (for several traits: the mean of
        the diagonal of C₀ or C₁)."""
        return pd.Series(self._fitted(), index=[c.name for c in self._components], name="variance")

    @property
    def covariance(self) -> list[Array]:
        """The fitted covariance of each component: vⱼ𝙺ⱼ (n×n; vⱼ𝙸 for iid components), or for
        several traits the p×p trait covariances C₀ (kinship) and C₁ (iid)."""
        v = self._fitted()
        if self._C is not None:
            return [self._C[1] if c.K is None else self._C[0] for c in self._components]
        n = self._inputs.nsamples
        return [
            vj * (np.eye(n) if c.K is None else c.K)
            for vj, c in zip(v, self._components, strict=True)
        ]

    def plot(self, ax: Axes | None = None) -> Axes:
        """A bar chart of the fraction of variance of each component; returns the Axes."""
        import matplotlib.pyplot as plt

        v = self._fitted()
        ax = plt.gca() if ax is None else ax
        names = [c.name for c in self._components]
        fractions = v / v.sum()
        ax.bar(names, fractions, color="#4c72b0")
        ax.set_ylabel("fraction of variance")
        ax.set_ylim(0, 1)
        ax.set_title("Variance decomposition")
        for i, f in enumerate(fractions):
            ax.annotate(f"{f:.2f}", (i, f), ha="center", va="bottom")
        return ax

    def __str__(self) -> str:
        lines = ["Variance decomposition", "----------------------", ""]
        variable = "𝐲" if self._inputs.lik.name == "normal" else "𝐳"
        if self._variances is None:
            terms = " + ".join("v⋅𝙸" if c.K is None else "v⋅𝙺" for c in self._components)
            lines.append(f"{variable} ~ 𝓝(𝙼𝜶, {terms}) (not fitted)")
            return "\n".join(lines)
        v = self._variances
        terms = " + ".join(
            f"{vj:.3f}⋅{'𝙸' if c.K is None else '𝙺'}"
            for vj, c in zip(v, self._components, strict=True)
        )
        lines.append(f"{variable} ~ 𝓝(𝙼𝜶, {terms})")
        if any(c.K is not None for c in self._components):
            lines.append("(each 𝙺 scaled to mean diagonal 1)")
        lines.append("")
        width = max(9, *(len(c.name) for c in self._components))
        lines.append(f"{'component'.ljust(width)}   variance   fraction")
        for vj, c in zip(v, self._components, strict=True):
            lines.append(f"{c.name.ljust(width)}   {vj:8.3f}   {vj / v.sum():8.3f}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)
