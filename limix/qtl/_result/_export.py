"""Writing result tables to files without overwriting anything by accident."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..._files import atomic_write
from ..._optional import optional_module

__all__ = ["write_tables"]

_FORMATS = {"csv": ".csv", "parquet": ".parquet"}


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    directory: str | Path,
    fmt: str,
    overwrite: bool,
) -> list[Path]:
    """Write each table to ``directory/<name>.<fmt>`` and return the paths written.

    The directory is created if needed. Every target is checked before anything is written, so
    a refused call leaves no partial output behind; each file is written under a temporary name
    and renamed into place once complete (:func:`limix._files.atomic_write`), so an interrupted
    call leaves no half-written table either.

    Raises
    ------
    FileExistsError
        If a target exists and ``overwrite`` is false.
    ValueError
        If ``fmt`` is neither ``"csv"`` nor ``"parquet"``.
    """
    if fmt not in _FORMATS:
        raise ValueError(f"fmt must be 'csv' or 'parquet'; got {fmt!r}.")
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"directory {str(folder)!r} exists and is not a directory.")
    targets = {name: folder / f"{name}{_FORMATS[fmt]}" for name in tables}
    existing = [str(path) for path in targets.values() if path.exists()]
    if existing and not overwrite:
        raise FileExistsError(
            f"{', '.join(existing)} already exist(s); pass overwrite=True to replace."
        )
    if fmt == "parquet":
        optional_module("pyarrow", "parquet", "Parquet output")
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        if fmt == "csv":
            atomic_write(targets[name], lambda f, t=table: t.to_csv(f, index=False))
        else:
            atomic_write(targets[name], lambda f, t=table: t.to_parquet(f, index=False))
    return list(targets.values())
