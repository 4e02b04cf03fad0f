"""Readers of genetics file formats: BGEN, PLINK 1 and 2, VCF/BCF, BIMBAM, CSV, GEN, HDF5, NumPy;
summary statistics (GWAS-SSF, REGENIE, PLINK 2 --glm) written and read.

Each reader lives in its own submodule (``limix.io.bgen``, ``limix.io.plink``, ...). They are
imported on first use, so ``import limix`` does not pay for pandas, dask, h5py or zstandard.

Genotype matrices are returned as lazy dask arrays chunked by blocks of variants: nothing is
read from disk until ``.compute()`` (or an operation that needs the values) is called, and only
the requested blocks are read. A missing file raises :class:`FileNotFoundError`; a truncated or
malformed file raises :class:`ValueError` naming the file and the problem. Readers never write
next to, nor modify, the files they read.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = [
    "bgen",
    "bimbam",
    "csv",
    "examples",
    "gen",
    "grm",
    "hdf5",
    "npy",
    "plink",
    "plink2",
    "read_genotype",
    "sumstats",
    "vcf",
]


def __getattr__(name: str) -> ModuleType | object:
    if name == "read_genotype":  # imported on first use too
        from ._read_genotype import read_genotype

        return read_genotype
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
