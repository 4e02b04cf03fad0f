"""The bit-packed integers of a BGEN layout-2 genotype block.

Layout 2 stores each probability as a ``B``-bit unsigned integer (1 ≤ ``B`` ≤ 32), the integers
packed one after another from the least significant bit of the first byte on: integer ``i``
occupies bits ``i·B`` to ``i·B + B - 1`` of the little-endian bit stream.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["packed_size", "unpack_bits"]

_WHOLE_BYTES = {8: np.dtype("<u1"), 16: np.dtype("<u2"), 32: np.dtype("<u4")}


def packed_size(count: int, bits: int) -> int:
    """Number of bytes that ``count`` integers of ``bits`` bits occupy once packed."""
    return (count * bits + 7) // 8


def unpack_bits(data: bytes | memoryview, bits: int, count: int) -> np.ndarray:
    """The ``count`` unsigned ``bits``-bit integers packed in ``data``.

    Parameters
    ----------
    data
        Packed integers; at least :func:`packed_size` ``(count, bits)`` bytes (the caller checks).
    bits
        Width of each integer, 1 to 32.
    count
        Number of integers.

    Returns
    -------
    ndarray
        The integers, shape ``(count,)``: ``uint8``, ``uint16`` or ``uint32`` for 8, 16 or 32
        bits (a view of ``data``), ``int64`` otherwise.
    """
    dtype = _WHOLE_BYTES.get(bits)
    if dtype is not None:
        return np.frombuffer(data, dtype=dtype, count=count)
    nbytes = packed_size(count, bits)
    # each integer lies within the 8 bytes from its first byte on (shift ≤ 7, bits ≤ 32): read
    # those 8 bytes as one little-endian word, shift and mask
    padded = np.zeros(nbytes + 8, dtype=np.uint8)
    padded[:nbytes] = np.frombuffer(data, dtype=np.uint8, count=nbytes)
    first = np.arange(count, dtype=np.int64) * bits
    words = sliding_window_view(padded, 8)[first >> 3].view("<u8").reshape(count)
    shift = (first & 7).astype(np.uint64)
    return ((words >> shift) & np.uint64((1 << bits) - 1)).view(np.int64)  # < 2**32: same bits
