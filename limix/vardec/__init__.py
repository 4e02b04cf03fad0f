"""Variance decomposition: how much of a trait's variance each random effect explains."""

from ._vardec import VarDec

__all__ = ["VarDec"]
