"""A ready-made mean for documentation examples."""

from __future__ import annotations

from ..mean import OffsetMean

__all__ = ["offset_mean"]


def offset_mean() -> OffsetMean:
    """Offset mean of size 10 with offset θ = 0, 𝐦 = 𝟎.

    Examples
    --------
    >>> from glimix.example import offset_mean
    >>>
    >>> mean = offset_mean()
    >>> print(mean.value())
    [0. 0. 0. 0. 0. 0. 0. 0. 0. 0.]
    """
    return OffsetMean(10)
