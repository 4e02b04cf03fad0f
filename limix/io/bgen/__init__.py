"""BGEN reader: variants, samples and lazy genotype probabilities and dosages.

Genotype blocks are decoded by cbgen; the header, sample block and variant index are parsed and
validated here first, so a truncated or corrupt file raises a ``ValueError`` instead of reaching
cbgen's C code. No metafile or index is written anywhere.
"""

from ._dosage import allele_dosage, read_dosage
from ._genotype import BGENGenotype
from ._read import read

__all__ = ["BGENGenotype", "allele_dosage", "read", "read_dosage"]
