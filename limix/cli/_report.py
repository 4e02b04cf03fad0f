"""What the commands print: timed steps ("Reading x... done (0.13 seconds).") and titles."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
import numpy as np

__all__ = ["lambda_gc", "note", "progress_enabled", "step", "title"]


@contextmanager
def step(message: str, quiet: bool = False) -> Iterator[None]:
    """Print ``message...`` then, once the block is done, ``done (N seconds).`` on the same line.

    Nothing that the block prints should go to standard output (it would break the line); a
    failure prints ``failed.`` before the error propagates.

    Parameters
    ----------
    message
        What is being done, e.g. ``"Reading small_example.csv"``.
    quiet
        ``True`` to print nothing.

    Examples
    --------
    >>> from limix.cli._report import step
    >>> with step("Counting"):
    ...     _ = sum(range(10))  # doctest: +ELLIPSIS
    Counting... done (... seconds).
    """
    if not quiet:
        click.echo(f"{message}... ", nl=False)
        sys.stdout.flush()
    start = time.perf_counter()
    try:
        yield
    except BaseException:
        if not quiet:
            click.echo("failed.")
        raise
    if not quiet:
        click.echo(f"done ({time.perf_counter() - start:.2f} seconds).")


def note(message: str, quiet: bool = False) -> None:
    """Print one line of information, unless ``quiet``."""
    if not quiet:
        click.echo(message)


def title(name: str) -> str:
    """A section title as the manual prints them: ``---- Phenotypes -----``.

    Examples
    --------
    >>> from limix.cli._report import title
    >>> title("Phenotypes")
    '---- Phenotypes -----'
    """
    return f"{' ' + name + ' ':-^21}"


def progress_enabled(quiet: bool) -> bool:
    """Whether to draw progress bars (on standard error): not ``quiet``."""
    return not quiet


def lambda_gc(neg_log10_p: Any) -> float:
    """Genomic inflation λ_GC: the median 1-dof χ² statistic over its expectation under the
    null, from −log₁₀ p (``scipy.special.chdtri``, the χ² inverse survival function, spares
    importing scipy.stats; a p-value below the double range is an infinite statistic, which the
    median tolerates). NaN without a value.

    Examples
    --------
    >>> print(round(lambda_gc([-np.log10(0.5)]), 6))
    1.0
    """
    from scipy.special import chdtri

    logp = np.asarray(neg_log10_p, dtype=float)
    if logp.size == 0:
        return float("nan")
    with np.errstate(over="ignore"):
        stat = chdtri(1, 10.0**-logp)
    return float(np.median(stat) / chdtri(1, 0.5))
