"""Gaussian process inference: :class:`GP` fits 𝐲 ∼ 𝓝(𝐦, K) by maximum likelihood.

The mean 𝐦 and the covariance K are any functions of :mod:`glimix.mean` and :mod:`glimix.cov`
(or compositions of them); the GP maximises log 𝓝(𝐲; 𝐦, K) over their unfixed parameters.
"""

from ._gp import GP

__all__ = ["GP"]
