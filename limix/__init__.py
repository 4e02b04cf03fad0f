"""limix: genetic association, heritability and variance decomposition on glimix's models."""

from glimix import __version__

from . import model

__all__ = ["__version__", "model"]
