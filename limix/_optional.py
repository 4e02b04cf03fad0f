"""Optional dependencies: imported when a feature needs them, with the install line when absent.

Heavy, single-feature libraries are extras of the package (``pyproject.toml``): pyarrow for
Parquet, statsmodels for multiple-testing corrections, pgenlib for PLINK 2 and cyvcf2 for
VCF/BCF. A feature imports its library through :func:`optional_module`, so that a user without
it learns which extra to install instead of meeting a bare ``ModuleNotFoundError``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["optional_module"]


def optional_module(name: str, extra: str, needed_for: str) -> ModuleType:
    """Import ``name``, or raise ``ImportError`` naming the extra that installs it.

    Parameters
    ----------
    name
        The module to import (``"pyarrow"``, ``"statsmodels.stats.multitest"``, …).
    extra
        The limix extra that installs it (``"parquet"``, ``"multitest"``, …).
    needed_for
        What needs it, the subject of the message (``"Parquet output"``).

    Examples
    --------
    >>> optional_module("json", "none", "this example").__name__
    'json'
    >>> try:
    ...     optional_module("no_such_module", "parquet", "Parquet output")
    ... except ImportError as error:
    ...     print(error)
    Parquet output needs no_such_module, an optional dependency: python -m pip install
    'limix[parquet]'.
    """
    try:
        return importlib.import_module(name)
    except ImportError:
        package = name.split(".")[0]
        raise ImportError(
            f"{needed_for} needs {package}, an optional dependency: "
            f"python -m pip install 'limix[{extra}]'."
        ) from None
