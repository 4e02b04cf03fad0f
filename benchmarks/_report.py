"""What the benchmark scripts print alike: byte counts for people, and the machine they ran on.

The scripts run as ``python benchmarks/<name>.py``, which puts this folder first on ``sys.path``;
they import this module as ``_report``.
"""

from __future__ import annotations

import os
import platform
import sys

import numpy as np

__all__ = ["human", "print_environment"]

#: The variables that set how many threads the BLAS uses.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def human(nbytes: float) -> str:
    """A byte count in B, KiB, MiB or GiB (``"512 B"``, ``"1.5 MiB"``).

    Parameters
    ----------
    nbytes
        Number of bytes.
    """
    for unit in ["B", "KiB", "MiB", "GiB"]:
        if nbytes < 1024 or unit == "GiB":
            return f"{nbytes:.1f} {unit}" if unit != "B" else f"{int(nbytes)} B"
        nbytes /= 1024
    raise AssertionError("unreachable")


def print_environment() -> None:
    """Print the platform, the machine, the Python and NumPy versions and the BLAS variables.

    Four lines, indented by two spaces, labels in a column of ten (``platform``, ``machine``,
    ``python``, ``BLAS env``).
    """
    print(f"  platform   {platform.platform()}")
    print(f"  machine    {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"  python     {sys.version.split()[0]}, numpy {np.__version__}")
    threads = ", ".join(f"{var}={os.environ.get(var, 'unset')}" for var in BLAS_THREAD_VARIABLES)
    print(f"  BLAS env   {threads}")
