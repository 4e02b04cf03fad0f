"""Gaussian process inference: :mod:`glimix.gp` re-exported."""

from glimix.gp import GP

__all__ = ["GP"]
