"""glimix's model classes under the names the limix manual documents (``limix.model.cov`` …)."""

from . import cov, mean

__all__ = ["cov", "mean"]
