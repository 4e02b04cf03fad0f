"""VCF and BCF files (plain, bgzip-compressed, indexed or not), read through cyvcf2 (the
``vcf`` extra): GT hard calls or DS dosages, multi-allelic records refused or split, region
queries through the index; the labelled, lazy matrix every limix reader returns (:func:`read`).
"""

from ._read import read

__all__ = ["read"]
