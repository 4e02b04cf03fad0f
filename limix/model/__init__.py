"""glimix's model classes under the names the limix manual documents (``limix.model.cov`` …)."""

from . import cov, ggp, gp, lmm, mean

__all__ = ["cov", "ggp", "gp", "lmm", "mean"]
