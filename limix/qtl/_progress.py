"""Progress over the candidates of a scan."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tqdm.auto import tqdm

__all__ = ["candidate_progress"]


@contextmanager
def candidate_progress(total: int, verbose: bool, what: str = "candidates") -> Iterator[tqdm]:
    """A progress bar over ``total`` candidates (silent when not ``verbose``)."""
    bar = tqdm(total=total, unit=f" {what}", disable=not verbose, desc="Scanning")
    try:
        yield bar
    finally:
        bar.close()
