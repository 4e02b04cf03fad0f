"""Generalised Gaussian processes: :class:`glimix.ggp.ExpFamGP` under the manual's name."""

from glimix.ggp import ExpFamGP

__all__ = ["ExpFamGP"]
