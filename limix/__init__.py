"""limix: genetic association, heritability and variance decomposition on glimix's models."""

from glimix import __version__

from . import io

__all__ = [
    "__version__",
    "her",
    "io",
    "model",
    "plot",
    "qc",
    "qtl",
    "sh",
    "stats",
    "vardec",
]

# Imported on first use: they pull in scipy (optimize, linalg, stats), matplotlib or the
# analyses' dependencies (half a second or more) that `import limix` avoids.
_LAZY_SUBMODULES = ("her", "model", "plot", "qc", "qtl", "sh", "stats", "vardec")


def __getattr__(name: str) -> object:
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
