"""Linear mixed models: :mod:`glimix.lmm` re-exported."""

from glimix.lmm import LMM, Kron2Sum

__all__ = ["LMM", "Kron2Sum"]
