"""PLINK 2 binary file sets: ``.pgen`` genotypes (hard calls and dosages), ``.pvar`` variants,
``.psam`` samples (each text file possibly Zstandard-compressed).

Decoding is pgenlib's (PLINK 2's own library, the ``plink2`` extra); this module reads the
text files, checks them against the .pgen and returns the labelled, lazy matrix every limix
reader returns (:func:`read`).
"""

from ._psam import read_psam
from ._pvar import read_pvar
from ._read import read

__all__ = ["read", "read_psam", "read_pvar"]
