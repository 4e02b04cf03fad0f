"""Dask, only when the caller uses it: recognising dask arrays and computing them locally."""

from __future__ import annotations

from typing import Any

__all__ = ["is_dask", "local_compute"]


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
