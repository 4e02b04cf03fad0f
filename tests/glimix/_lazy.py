"""A stand-in for out-of-core candidate matrices in the scanner tests."""

from __future__ import annotations


class LazyColumns:
    """An array-like with a ``shape`` and slicing only (what a dask or HDF5 array offers).

    Every key it is sliced with is recorded in ``requests``, so that a test can see which blocks a
    scanner read.

    Parameters
    ----------
    array
        The values, a NumPy array.
    as_list
        Hand each slice back as nested lists rather than as an array (what ``numpy.asarray`` must
        then convert).
    """

    def __init__(self, array, as_list=False):
        self._array = array
        self._as_list = as_list
        self.shape = array.shape
        self.requests = []

    def __getitem__(self, key):
        self.requests.append(key)
        part = self._array[key]
        return part.tolist() if self._as_list else part
