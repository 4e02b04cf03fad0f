"""HDF5: the limix file layout as xarray, and a tree view of any HDF5 file."""

from ._read_limix import read_limix
from ._tree import see, tree

__all__ = ["read_limix", "see", "tree"]
