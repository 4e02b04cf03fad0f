"""Dask, only when the caller uses it: recognising dask arrays and computing them locally."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

__all__ = ["is_dask", "local_compute", "prefetched"]


def is_dask(G: Any) -> bool:
    """Whether G is a dask array (without importing dask for other inputs)."""
    return type(G).__module__.split(".")[0] == "dask" and hasattr(G, "dask")


def local_compute(*collections: Any) -> tuple[Any, ...]:
    """``dask.compute`` with the threaded scheduler unless a distributed client may be active.

    Without ``distributed`` imported no client can exist, and naming the scheduler spares
    dask's own check, which imports ``distributed`` (0.15 s) just to look for one. A scheduler
    set by ``dask.config.set(scheduler=...)`` is respected.
    """
    import sys

    import dask

    scheduler = None
    if "distributed" not in sys.modules and dask.config.get("scheduler", None) is None:
        scheduler = "threads"
    return tuple(dask.compute(*collections, scheduler=scheduler))


def prefetched(
    items: Sequence[Item], load: Callable[[Item], Result]
) -> Iterator[tuple[Item, Result]]:
    """Yield ``(item, load(item))`` in order, loading the next item in a background thread.

    Reading a block of a lazy genotype matrix (file I/O, decoding) then overlaps the work the
    consumer does on the current one; at most two loaded results are alive at once besides the
    consumer's.
    """
    if len(items) < 2:
        for item in items:
            yield item, load(item)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(load, items[0])
        for k, item in enumerate(items):
            result = pending.result()
            if k + 1 < len(items):
                pending = pool.submit(load, items[k + 1])
            yield item, result
            del result
