"""PLINK 1 binary reader (.bed genotypes through bed-reader, .bim variants, .fam samples)."""

from ._read import read

__all__ = ["read"]
