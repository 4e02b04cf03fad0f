"""glimix's model classes under the names the limix manual documents (``limix.model.cov`` …)."""

from . import cov, ggp, glmm, gp, lmm, mean

__all__ = ["cov", "ggp", "glmm", "gp", "lmm", "mean"]
