"""Heritability estimation for normal, Bernoulli, probit, binomial and Poisson traits."""

from ._estimate import estimate
from ._heritability import Heritability

__all__ = ["Heritability", "estimate"]
