"""limix: genetic association, heritability and variance decomposition on glimix's models."""

from glimix import __version__

from . import io, model

__all__ = ["__version__", "io", "model", "plot", "qc", "sh", "stats"]

# Imported on first use: they pull in scipy.stats (half a second) that `import limix` avoids.
_LAZY_SUBMODULES = ("plot", "qc", "sh", "stats")


def __getattr__(name: str) -> object:
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
