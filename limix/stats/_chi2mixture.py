"""Two-component mixture of χ² distributions for variance-component test statistics."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import chdtrc

from .._adapt import positive_int, real_number, to_numpy, unwrap

__all__ = ["Chi2Mixture"]

#: Largest number of tail statistics fitted; beyond it, that many evenly spaced ranks are used.
MAX_FIT_POINTS = 250


class Chi2Mixture:
    """Mixture of 𝜒² distributions.

    Class for evaluation of P values for a test statistic that follows a two-component mixture
    of chi2

        p(x) = (1−𝑝)𝜒²(0) + 𝑝𝑎𝜒²(𝑑).

    Here 𝑝 is the probability of the second component (``mixture``), and 𝑎 and 𝑑 are the scale
    parameter and the number of degrees of freedom of the second component: with probability
    1−𝑝 the statistic is zero (a point mass, 𝜒²(0)), otherwise it is 𝑎 times a 𝜒² variable with
    𝑑 degrees of freedom. This is the null distribution of likelihood-ratio statistics for a
    variance component on the boundary of its parameter space.

    Estimation (:meth:`estimate_chi2mixture`), from n statistics x₁…xₙ:

    1. 𝑝 = n₁/n, with n₁ the number of statistics above ``tol`` (the others are zeros).
    2. Only the tail is fitted: the m = ⌈qmax·n₁⌉ largest statistics x₍₁₎ ≥ … ≥ x₍ₘ₎. The
       i-th largest is given the empirical survival probability qᵢ = i/(n₁ − 1) within the
       non-zero component (plotting positions evenly spaced on [0, 1] over the n₁ statistics).
    3. (𝑎, 𝑑) minimise ∑ᵢ (log S_𝑑(x₍ᵢ₎/𝑎) − log qᵢ)², S_𝑑 the 𝜒²(𝑑) survival function, over
       the grid of ``n_intervals`` evenly spaced values of [scale_min, scale_max] times
       ``n_intervals`` evenly spaced values of [dof_min, dof_max] (the first minimum in
       scale-major order wins a tie).

    The grid search costs n_intervals²·m evaluations of the incomplete gamma function, so when
    the tail holds more than ``MAX_FIT_POINTS`` (250) statistics, 250 ranks evenly spaced
    over 1…m are fitted instead: the objective is an average over ranks, which they
    approximate closely.

    P-values are then P(X > x) = 𝑝·S_𝑑(x/𝑎) for x ≥ 0 (:meth:`sf`).

    Warnings
    --------
    This class is not production-ready. Keep in mind that this interface is likely to change.

    Parameters
    ----------
    scale_min : float
        Minimum value used for fitting the scale parameter.
    scale_max : float
        Maximum value used for fitting the scale parameter.
    dof_min : float
        Minimum value used for fitting the dof parameter.
    dof_max : float
        Maximum value used for fitting the dof parameter.
    n_intervals : int
        Number of intervals when performing gridsearch (grid points per parameter).
    qmax : float
        Only the top qmax quantile is used for the fit, in (0, 1].
    tol : float
        Tolerance of being zero: statistics ≤ tol belong to the point mass.
    lrt : array_like, optional
        Statistics to fit right away (same as calling :meth:`estimate_chi2mixture`).

    Examples
    --------
    >>> from numpy.random import RandomState
    >>> import scipy as sp
    >>> from limix.stats import Chi2Mixture
    >>>
    >>> scale = 0.3
    >>> dof = 2
    >>> mixture = 0.2
    >>> n = 100
    >>>
    >>> random = RandomState(1)
    >>> x =  random.chisquare(dof, n)
    >>> n0 = int( (1-mixture) * n)
    >>> idxs = random.choice(n, n0, replace=False)
    >>> x[idxs] = 0
    >>>
    >>> chi2mix = Chi2Mixture(scale_min=0.1, scale_max=5.0,
    ...                       dof_min=0.1, dof_max=5.0,
    ...                       qmax=0.1, tol=4e-3)
    >>> chi2mix.estimate_chi2mixture(x)
    >>> pv = chi2mix.sf(x)
    >>> print(pv[:4])
    [0.2 0.2 0.2 0.2]
    >>>
    >>> print('%.2f' % chi2mix.scale)
    1.98
    >>> print('%.2f' % chi2mix.dof)
    0.89
    >>> print('%.2f' % chi2mix.mixture)
    0.20
    """

    def __init__(
        self,
        scale_min: float = 0.1,
        scale_max: float = 5.0,
        dof_min: float = 0.1,
        dof_max: float = 5.0,
        n_intervals: int = 100,
        qmax: float = 0.1,
        tol: float = 0,
        lrt: ArrayLike | None = None,
    ) -> None:
        self.scale_min = real_number(scale_min, "scale_min", low=0.0)
        self.scale_max = real_number(scale_max, "scale_max", low=0.0)
        self.dof_min = real_number(dof_min, "dof_min", low=0.0)
        self.dof_max = real_number(dof_max, "dof_max", low=0.0)
        if not 0 < self.scale_min <= self.scale_max:
            raise ValueError("scale_min and scale_max must satisfy 0 < scale_min ≤ scale_max.")
        if not 0 < self.dof_min <= self.dof_max:
            raise ValueError("dof_min and dof_max must satisfy 0 < dof_min ≤ dof_max.")
        self.n_intervals = positive_int(n_intervals, "n_intervals")
        self.qmax = real_number(qmax, "qmax", low=0.0, high=1.0)
        if self.qmax == 0:
            raise ValueError("qmax must be in (0, 1]; got 0.")
        self.tol = real_number(tol, "tol", low=0.0)
        self._params: tuple[float, float, float] | None = None
        if lrt is not None:
            self.estimate_chi2mixture(lrt)

    def _statistics(self, lrt: ArrayLike, name: str) -> NDArray[np.float64]:
        data, _ = unwrap(lrt, name, ndims=(0, 1))
        x = np.atleast_1d(to_numpy(data))
        if not np.isfinite(x).all():
            raise ValueError(f"{name} has non-finite values (NaN or infinity).")
        if np.any(x < -self.tol):
            raise ValueError(
                f"{name} has values below −tol (minimum {x.min():g}); test statistics of a "
                "χ² mixture are non-negative."
            )
        return x

    def estimate_chi2mixture(self, lrt: ArrayLike) -> None:
        """Estimate the mixing weight, scale and degrees of freedom from test statistics.

        Parameters
        ----------
        lrt : array_like
            Test statistics (non-negative, finite), e.g. likelihood-ratio statistics under the
            null hypothesis. At least two of them must exceed ``tol``.
        """
        x = self._statistics(lrt, "lrt")
        nonzero = np.sort(x[x > self.tol])[::-1]
        n1 = nonzero.size
        if n1 < 2:
            raise ValueError(
                f"lrt needs at least two statistics above tol={self.tol:g} to fit the non-zero "
                f"component; got {n1}."
            )
        mixture = n1 / x.size
        m = math.ceil(self.qmax * n1)
        ranks = np.arange(1, m + 1)
        if m > MAX_FIT_POINTS:
            ranks = np.unique(np.round(np.linspace(1, m, MAX_FIT_POINTS)).astype(int))
        tail = nonzero[ranks - 1]
        log_q = np.log(ranks / (n1 - 1))
        scales = np.linspace(self.scale_min, self.scale_max, self.n_intervals)
        dofs = np.linspace(self.dof_min, self.dof_max, self.n_intervals)
        with np.errstate(divide="ignore"):  # a survival that underflows to 0 cannot fit: −∞
            log_sf = np.log(
                chdtrc(dofs[None, :, None], tail[None, None, :] / scales[:, None, None])
            )
        mse = np.mean((log_sf - log_q) ** 2, axis=2)
        i, j = np.unravel_index(np.argmin(mse), mse.shape)
        if not np.isfinite(mse[i, j]):
            raise ValueError(
                "lrt: no (scale, dof) of the grid gives the largest statistics a non-zero "
                "probability; widen [scale_min, scale_max] or [dof_min, dof_max]."
            )
        self._params = (mixture, float(scales[i]), float(dofs[j]))

    def _fitted(self) -> tuple[float, float, float]:
        if self._params is None:
            raise ValueError("Chi2Mixture has not been fitted: call estimate_chi2mixture first.")
        return self._params

    @property
    def mixture(self) -> float:
        """Probability 𝑝 of the non-zero component."""
        return self._fitted()[0]

    @property
    def scale(self) -> float:
        """Scale 𝑎 of the non-zero component."""
        return self._fitted()[1]

    @property
    def dof(self) -> float:
        """Degrees of freedom 𝑑 of the non-zero component."""
        return self._fitted()[2]

    def sf(self, lrt: ArrayLike) -> NDArray[np.float64]:
        """P-values of test statistics: P(X > x) = 𝑝·S_𝑑(x/𝑎) for the fitted mixture.

        Parameters
        ----------
        lrt : array_like
            Test statistics.

        Returns
        -------
        ndarray
            The p-values (a statistic ≤ 0 gets 𝑝 = P(X > 0), the weight of the non-zero
            component).
        """
        mixture, scale, dof = self._fitted()
        x = self._statistics(lrt, "lrt")
        pv = mixture * chdtrc(dof, np.maximum(x, 0.0) / scale)
        return pv if np.ndim(lrt) else pv[0]
