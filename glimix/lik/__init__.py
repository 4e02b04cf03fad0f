"""Likelihoods: products of independent per-site distributions p(𝐲 | 𝐳) = ∏ᵢ p(yᵢ | zᵢ).

Site i depends on the latent vector 𝐳 only through its mean μᵢ = g⁻¹(zᵢ), g a link from
:mod:`glimix.link`. Every likelihood has ``name``, ``link``, a validated ``outcome``,
``sample_size``, ``mean(z)`` and ``sample(z, random_state)``; all but the degenerate
:class:`DeltaProdLik` also have ``logpdf(z)``, the vector of log p(yᵢ | zᵢ) for the outcome set.
"""

from ._base import ProdLik
from ._bernoulli import BernoulliProdLik
from ._binomial import BinomialProdLik
from ._delta import DeltaProdLik
from ._poisson import PoissonProdLik

__all__ = ["BernoulliProdLik", "BinomialProdLik", "DeltaProdLik", "PoissonProdLik", "ProdLik"]
