"""BGEN reader: variants, samples and lazy genotype probabilities and dosages.

Everything is parsed and validated here, in Python and numpy: the header, the sample block, the
variant index, then each genotype block when it is read (its lengths, every field of its
decompressed data, against each other, the header and the variant) before its probabilities are
decoded. A truncated, corrupt or mislabelled file raises a ``ValueError`` naming the file and
the problem. No metafile or index is written anywhere.
"""

from ._dosage import allele_dosage, read_dosage
from ._genotype import BGENGenotype
from ._read import read

__all__ = ["BGENGenotype", "allele_dosage", "read", "read_dosage"]
