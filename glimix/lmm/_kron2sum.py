"""Multi-trait linear mixed model, vec(Y) ∼ 𝓝((A⊗X)vec(B), C₀⊗GGᵀ + C₁⊗I)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike, NDArray

from .._check import readonly
from .._function import Function, describe_model
from .._optimize import FACTR, PGTOL, maximize
from ..cov import Kron2SumCov
from ._kron2sum_algebra import GLS, RotatedData, Whitening, solve_gls
from ._kron2sum_gradient import reml_terms, residual_terms, trace_with
from ._kron2sum_inputs import check_inputs, start_values

if TYPE_CHECKING:
    from ._kron2sum_scanner import KronFastScanner

__all__ = ["Kron2Sum"]

Array = NDArray[np.float64]

_LOG_2PI = math.log(2 * math.pi)


class Kron2Sum(Function):
    """LMM for multi-traits fitted via maximum likelihood.

    This implementation follows Casale et al. (2015). Let n, c, and p be the number
    of samples, covariates, and traits, respectively. The outcome variable Y is a n×p matrix
    distributed according to::

        vec(Y) ∼ 𝓝((A ⊗ X) vec(B), K = C₀ ⊗ GGᵀ + C₁ ⊗ I).

    A and X are design matrices of dimensions p×q (usually p×p) and n×c provided by the user,
    where X is the usual matrix of covariates commonly used in single-trait models. B is a c×q
    matrix of fixed-effect sizes per trait (column of A). G is a n×r matrix provided by the user
    and I is a n×n identity matrix. C₀ and C₁ are both symmetric matrices of dimensions p×p:
    C₀ = LLᵀ with L of size p×``rank`` (so rank(C₀) ≤ ``rank``; ``rank = p`` lets genetic
    correlations be estimated rather than forced to ±1), and C₁ a full-rank free-form matrix.
    The parameters of this model are the matrices B, C₀, and C₁; B is profiled out in closed
    form, and C₀, C₁ (variables ``C0.Lu``, ``C1.Lu`` of :class:`glimix.cov.Kron2SumCov`) are
    fitted by L-BFGS-B on the analytic gradient.

    For implementation purpose, we make use of the following definitions:

    - 𝛃 = vec(B), M = A ⊗ X, H = MᵀK⁻¹M;
    - Yₓ = LₓY, Yₕ = YₓLₕᵀ, Mₓ = LₓX, Mₕ = (LₕA) ⊗ Mₓ, mₕ = Mₕvec(B),

    where Lₓ and Lₕ are defined in :class:`glimix.cov.Kron2SumCov`. Only the r rows of Lₓ that
    span G are ever used (the others meet D = 1 and are summed through Gram matrices), so an
    evaluation of :meth:`lml` and :meth:`gradient` costs O(r⋅p⋅c⋅q⋅(p + c⋅q) + p³ + (c⋅q)³)
    once Y and X have been rotated (O(n⋅r⋅(p + c)), at construction) — never an n×r, n×n or
    (n⋅p)×(n⋅p) matrix.

    G may be ``None`` or all-zero: the model is then vec(Y) ∼ 𝓝((A⊗X)vec(B), C₁⊗I), and C₀
    is held at zero (its variable fixed).

    Parameters
    ----------
    Y
        Outcomes, a finite n×p matrix (samples × traits). Samples with missing values must be
        removed (or imputed) beforehand; a NaN is an error.
    A
        Trait design, a finite p×q matrix of full column rank (identity: one effect per trait).
    X
        Covariates, a finite n×c matrix of full column rank (include an offset column).
    G
        Factor of the genetic covariance, K = GGᵀ (n×m, any m), or ``None`` for no random
        genetic effect. Its economic SVD is computed once.
    rank
        Maximum rank of C₀, 1 ≤ rank ≤ p.
    restricted
        ``True`` to maximise the restricted (REML) marginal likelihood, ``False`` (default) for
        maximum likelihood.

    Raises
    ------
    ValueError
        If an argument is not a finite matrix of the right shape (naming it, and counting
        missing values), X or A lacks full column rank, ``rank`` is not within 1…p, or the
        residuals of Y on X are zero or of an unrepresentable scale.

    References
    ----------
    Casale, F. P., Rakitsch, B., Lippert, C., & Stegle, O. (2015). Efficient set tests for the
    genetic analysis of correlated traits. Nature methods, 12(8), 755.

    Examples
    --------
    Two traits, one offset covariate and a genetic covariance GGᵀ from ten variants; C₀ of full
    rank, so that the genetic correlation is estimated:

    >>> from numpy import eye, ones
    >>> from numpy.random import RandomState
    >>> from glimix.lmm import Kron2Sum
    >>>
    >>> random = RandomState(0)
    >>> n, p = 50, 2
    >>> G = random.randn(n, 10) / 10 ** 0.5
    >>> X = ones((n, 1))
    >>> Y = G @ random.randn(10, p) + random.randn(n, p)
    >>>
    >>> lmm = Kron2Sum(Y, eye(p), X, G, rank=2)
    >>> print("%.4f" % lmm.lml())
    -159.5791
    >>> lmm.fit(verbose=False)
    >>> print("%.4f" % lmm.lml())
    -155.2665
    >>> print(lmm.C0.round(3))
    [[0.447 0.474]
     [0.474 1.179]]
    >>> print(lmm.C1.round(3))
    [[ 1.112 -0.053]
     [-0.053  0.886]]
    >>> print(lmm.B.round(3))
    [[-0.298 -0.321]]
    """

    def __init__(
        self,
        Y: ArrayLike,
        A: ArrayLike,
        X: ArrayLike,
        G: ArrayLike | None,
        rank: int = 1,
        restricted: bool = False,
    ) -> None:
        inputs = check_inputs(Y, A, X, G, rank, restricted)
        self._Y = readonly(inputs.Y)
        self._A = readonly(inputs.A)
        self._X = readonly(inputs.X)
        self._restricted = inputs.restricted
        p = inputs.Y.shape[1]
        self._cov = Kron2SumCov(inputs.G, p, inputs.rank)
        # The covariance owns the SVD of G and exposes Ge = Q₀Σ₀; Q₀ and σ are read back from it
        # rather than decomposing G a second time.
        Ge = self._cov.Ge
        sigma = np.sqrt(np.einsum("ij,ij->j", Ge, Ge))
        self._data = RotatedData.build(Ge / sigma, sigma**2, inputs.Y, inputs.X)
        start = start_values(inputs, self._data.sx)
        self._cov.C0.L = start.L0
        self._cov.C1.L = start.L1
        if self._data.sx.size == 0:
            # No random genetic effect: C₀ does not enter K, so it stays at zero, unfitted.
            self._cov.C0.fix()
        c, q = inputs.X.shape[1], inputs.A.shape[1]
        # log|MᵀM| = log|(AᵀA)⊗(XᵀX)| = c⋅log|AᵀA| + q⋅log|XᵀX|, for REML.
        self._logdet_MM = (
            c * np.linalg.slogdet(inputs.A.T @ inputs.A)[1]
            + q * (np.linalg.slogdet(inputs.X.T @ inputs.X)[1])
        )
        self._state: tuple[Whitening, GLS] | None = None
        Function.__init__(self, "Kron2Sum")
        self._adopt_variables([("cov", self._cov)])
        self._cov.listen(self._drop_state)

    # -- cached evaluation -----------------------------------------------------------------------
    def _drop_state(self) -> None:
        self._state = None

    def _evaluate(self) -> tuple[Whitening, GLS]:
        """Whitening factors and GLS solution at the current C₀, C₁ (cached until they change)."""
        if self._state is None:
            white = Whitening.of(self._cov, self._data.Q0.shape[1])
            try:
                gls = solve_gls(self._data, white, self._A)
            except np.linalg.LinAlgError:
                raise ValueError(
                    "MᵀK⁻¹M (M = A⊗X) is numerically singular: the covariates X or the trait "
                    "design A are nearly collinear; rescale or remove columns."
                ) from None
            self._state = (white, gls)
        return self._state

    # -- data and designs ------------------------------------------------------------------------
    @property
    def A(self) -> Array:
        """A from the equation 𝐦 = (A ⊗ X) vec(B) (p×q, read-only)."""
        return self._A

    @property
    def X(self) -> Array:
        """X from equation M = (A ⊗ X) (n×c, read-only)."""
        return self._X

    @property
    def M(self) -> Array:
        """M = (A ⊗ X), a dense (n⋅p)×(c⋅q) matrix."""
        return np.kron(self._A, self._X)

    @property
    def nsamples(self) -> int:
        """Number of samples, n."""
        return int(self._Y.shape[0])

    @property
    def ntraits(self) -> int:
        """Number of traits, p."""
        return int(self._Y.shape[1])

    @property
    def ncovariates(self) -> int:
        """Number of covariates, c."""
        return int(self._X.shape[1])

    @property
    def restricted(self) -> bool:
        """Whether :meth:`lml` is the restricted (REML) marginal likelihood."""
        return self._restricted

    @property
    def cov(self) -> Kron2SumCov:
        """The covariance function K = C₀ ⊗ GGᵀ + C₁ ⊗ I, whose variables are this model's."""
        return self._cov

    # -- parameters ------------------------------------------------------------------------------
    @property
    def C0(self) -> Array:
        """C₀ from equation K = C₀ ⊗ GGᵀ + C₁ ⊗ I (p×p)."""
        return self._cov.C0.value()

    @property
    def C1(self) -> Array:
        """C₁ from equation K = C₀ ⊗ GGᵀ + C₁ ⊗ I (p×p)."""
        return self._cov.C1.value()

    @property
    def B(self) -> Array:
        """Fixed-effect sizes B from 𝐦 = (A ⊗ X) vec(B) (c×q), optimal for C₀ and C₁.

        B solves the generalised least-squares equations H vec(B) = MᵀK⁻¹𝐲 exactly, through
        the Cholesky factor of H (badly scaled covariates make H ill-conditioned, but do not
        make it singular: no direction of B is truncated away).
        """
        return self._evaluate()[1].B.copy()

    @property
    def beta(self) -> Array:
        """Fixed-effect sizes 𝛃 = vec(B) (c⋅q)."""
        return self._evaluate()[1].beta.copy()

    @property
    def beta_covariance(self) -> Array:
        """Estimates the covariance-matrix of the optimal beta, (MᵀK⁻¹M)⁻¹ ((c⋅q)×(c⋅q))."""
        gls = self._evaluate()[1]
        cq = gls.beta.size
        Hinv = scipy.linalg.cho_solve(gls.Hchol, np.eye(cq), check_finite=False)
        return (Hinv + Hinv.T) / 2

    def mean(self) -> Array:
        """Mean 𝐦 = (A ⊗ X) vec(B) = vec(XBAᵀ), of size n⋅p."""
        return (self._X @ self.B @ self._A.T).ravel(order="F")

    def covariance(self) -> Array:
        """Covariance K = C₀ ⊗ GGᵀ + C₁ ⊗ I, a dense (n⋅p)×(n⋅p) matrix (small problems only)."""
        return self._cov.value()

    # -- likelihood ------------------------------------------------------------------------------
    def lml(self) -> float:
        """Log of the marginal likelihood.

        Let 𝐲 = vec(Y), M = A⊗X, and H = MᵀK⁻¹M. The log of the marginal likelihood is::

            2⋅log(p(𝐲)) = −n⋅p⋅log(2π) − log(|K|) − (𝐲−𝐦)ᵀ K⁻¹ (𝐲−𝐦),

        and the restricted one is given by LaMotte (2007)::

            2⋅log(p(𝐲)) = −(n⋅p − c⋅q) log(2π) + log(|MᵀM|) − log(|K|) − log(|H|)
                − (𝐲−𝐦)ᵀ K⁻¹ (𝐲−𝐦),

        where 𝐦 = M𝛃 for 𝛃 = H⁻¹MᵀK⁻¹𝐲 and log|MᵀM| = c⋅log|AᵀA| + q⋅log|XᵀX|.

        With K⁻¹ = LᵀDL (:class:`glimix.cov.Kron2SumCov`), log|K| = −log|D| + n⋅log|C₁| and
        every K⁻¹ quadratic form splits into the r directions of G, weighted by D, and their
        complement, where K⁻¹ acts as C₁⁻¹ ⊗ I: with V = Y − XBAᵀ, ::

            (𝐲−𝐦)ᵀK⁻¹(𝐲−𝐦) = ∑ᵢⱼ Dᵢⱼ[Q₀ᵀVLₕᵀ]ᵢⱼ² + tr(C₁⁻¹V⊥ᵀV⊥),

        the Woodbury identity in the eigenbasis of C₁⁻½C₀C₁⁻½.

        References
        ----------
        LaMotte, L. R. (2007). A direct derivation of the REML likelihood function. Statistical
        Papers, 48(2), 321-327.
        """
        white, gls = self._evaluate()
        n, p = self._Y.shape
        N = n * p
        if self._restricted:
            d = gls.beta.size
            return -0.5 * (
                (N - d) * _LOG_2PI - self._logdet_MM + white.logdetK + gls.logdetH + gls.rKr
            )
        return -0.5 * (N * _LOG_2PI + white.logdetK + gls.rKr)

    def value(self) -> float:
        """Log of the marginal likelihood, :meth:`lml` (the objective of :meth:`fit`)."""
        return self.lml()

    def gradient(self) -> dict[str, Array]:
        """Gradient of the log of the marginal likelihood over the unfixed ``C0.Lu``, ``C1.Lu``.

        For a parameter θ of C₀ or C₁, with vec(W) = K⁻¹(𝐲 − 𝐦),

            ∂lml/∂θ = ½tr(∂C⋅P) − ½tr(K⁻¹∂K)  [+ ½tr(∂C⋅S) for REML],

        where P = WᵀGGᵀW over C₀ and WᵀW over C₁, and S the same with W replaced by the columns
        of K⁻¹M weighted by H⁻¹ (see ``glimix/lmm/_kron2sum_gradient.py``). 𝛃 is at its optimum,
        so it contributes nothing.

        Returns
        -------
        dict
            ``{"C0.Lu": vector, "C1.Lu": vector}`` (fixed variables omitted).
        """
        white, gls = self._evaluate()
        P0, P1 = residual_terms(self._data, white, gls)
        if self._restricted:
            S0, S1 = reml_terms(self._data, white, gls, self._A)
            P0, P1 = P0 + S0, P1 + S1
        logdet = self._cov.logdet_gradient()
        unfixed = set(self._variables.select(fixed=False).names())
        grad: dict[str, Array] = {}
        for name, cov, P in (("C0.Lu", self._cov.C0, P0), ("C1.Lu", self._cov.C1, P1)):
            if name in unfixed:
                dC = cov.gradient()["Lu"]
                grad[name] = 0.5 * (trace_with(dC, P) - logdet[name])
        return grad

    # -- fitting and scanning --------------------------------------------------------------------
    def fit(self, verbose: bool = True, factr: float = FACTR, pgtol: float = PGTOL) -> None:
        """Maximise the marginal likelihood over C₀ and C₁ (L-BFGS-B, analytic gradient).

        Parameters
        ----------
        verbose
            ``True`` for progress output; ``False`` otherwise. Defaults to ``True``.
        factr
            Stop when the relative reduction of −lml between iterations is ≤ factr⋅ε.
        pgtol
            Stop when the largest entry of the projected gradient is ≤ pgtol.

        Raises
        ------
        glimix._optimize.OptimisationError
            If the optimiser cannot improve on a non-stationary start.
        """
        maximize(self, verbose, factr, pgtol)

    def get_fast_scanner(self) -> KronFastScanner:
        """Return a :class:`KronFastScanner` for association scans at the current C₀ and C₁.

        Returns
        -------
        KronFastScanner
            Instance of a class designed to perform very fast association scan.
        """
        from ._kron2sum_scanner import KronFastScanner

        white, gls = self._evaluate()
        return KronFastScanner(
            self._data, white, gls, self._A, self._Y.shape, (self.C0.copy(), self.C1.copy())
        )

    # -- display ---------------------------------------------------------------------------------
    def __str__(self) -> str:
        n, p = self._Y.shape
        header = (
            f"Kron2Sum(n={n}, p={p}, c={self.ncovariates}, rank={self._cov.rank}, "
            f"restricted={self._restricted})"
        )
        return describe_model(header, self.lml(), [self._cov])
