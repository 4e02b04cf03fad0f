"""Block sizes of lazy genotype arrays: a fixed memory budget per block."""

from __future__ import annotations

__all__ = ["CHUNK_BYTES", "variant_chunk_size"]

#: Memory budget of one block of a lazy genotype array, in bytes.
CHUNK_BYTES = 64 * 1024 * 1024


def variant_chunk_size(
    nsamples: int, itemsize: int, nvariants: int, chunk_size: int | None = None
) -> int:
    """Number of variants per block.

    ``chunk_size`` when given (it must be a positive integer); otherwise as many variants as fit
    :data:`CHUNK_BYTES` for ``nsamples`` values of ``itemsize`` bytes each, at least one.
    """
    if chunk_size is not None:
        if isinstance(chunk_size, bool) or int(chunk_size) != chunk_size or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
        return int(min(chunk_size, max(nvariants, 1)))
    per_variant = max(nsamples, 1) * itemsize
    return int(max(1, min(CHUNK_BYTES // per_variant, max(nvariants, 1))))
