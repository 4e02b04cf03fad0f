"""glimix: the inference core — parameterised functions, Gaussian processes and mixed models.

Arrays in, arrays out: nothing here knows about genetics, files, pandas or xarray.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("limix")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
