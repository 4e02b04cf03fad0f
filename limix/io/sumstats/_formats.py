"""The summary-statistics file formats limix writes and reads, as column layouts.

Every format is a mapping from the association table's columns (:attr:`QTLResult.associations`:
``variant, chrom, pos, effect_allele, other_allele, n, eaf, beta, se, pvalue,
neg_log10_pvalue, dof``) to the format's own header, in the format's order, with its
separator and its missing-value mark. The layouts follow each format's documentation:

GWAS-SSF (v1.1, the GWAS Catalog's standard)
    Tab-separated, gzip-compressed (``.tsv.gz``), missing values ``#NA``. The eight mandatory
    columns in their order — ``chromosome, base_pair_location, effect_allele, other_allele,
    beta, standard_error, effect_allele_frequency, p_value`` — then the encouraged ``rsid``
    (when the ID is an rsID) and ``n``. Chromosomes are 1–25 (X = 23, Y = 24, MT = 25). A
    metadata file ``<data file>-meta.yaml`` accompanies it.
REGENIE (step-2 ``.regenie`` files)
    Space-separated, ``NA`` for missing: ``CHROM GENPOS ID ALLELE0 ALLELE1 A1FREQ N TEST BETA
    SE CHISQ LOG10P EXTRA``; ALLELE1 is the effect allele, TEST ``ADD``, CHISQ the
    likelihood-ratio statistic, EXTRA ``NA``. (REGENIE adds INFO after A1FREQ for imputed
    input; limix has no imputation quality to report, so the column is absent, as in
    REGENIE's output for hard-call input.)
PLINK 2 ``--glm`` (``.glm.linear`` and ``.glm.logistic``)
    Tab-separated, ``.`` for missing, header line starting with ``#``: ``#CHROM POS ID REF ALT
    A1 OMITTED A1_FREQ TEST OBS_CT BETA SE T_STAT P ERRCODE`` (linear) or with ``OR LOG(OR)_SE
    Z_STAT`` in place of ``BETA SE T_STAT`` (logistic, for the logit link: OR = exp(β)). A1
    is the effect allele, OMITTED the other; ALT is written as A1 and REF as the other allele
    (limix does not know the reference genome). T_STAT/Z_STAT is the Wald ratio β/SE; P is the
    likelihood-ratio test's, as in every limix table.
CSV and Parquet
    The association table as it is (comma-separated with a header; or Apache Parquet).

P-values below the smallest double (1e-308) are written as text from −log₁₀ p, e.g.
``3.162e-905``, so that they keep their value; a reader that parses them as numbers gets 0.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FORMATS", "TextFormat"]


@dataclass(frozen=True)
class TextFormat:
    """A delimited-text layout of the association table.

    Attributes
    ----------
    name
        The format's name (``format=`` of the writers and readers).
    columns
        ``(header, source)`` pairs in the file's order; ``source`` names the association
        table's column, or a derived value (see :mod:`._write`).
    sep
        Field separator.
    na
        How a missing value is written.
    comment_header
        Whether the header line starts with ``#`` (PLINK 2).
    suffix
        The file name's usual ending.
    """

    name: str
    columns: tuple[tuple[str, str], ...]
    sep: str
    na: str
    comment_header: bool
    suffix: str

    @property
    def header(self) -> list[str]:
        """The header fields, in order (``#`` included where the format has it)."""
        names = [h for h, _ in self.columns]
        if self.comment_header:
            names[0] = "#" + names[0]
        return names


GWAS_SSF = TextFormat(
    "gwas-ssf",
    (
        ("chromosome", "ssf_chromosome"),
        ("base_pair_location", "pos"),
        ("effect_allele", "effect_allele"),
        ("other_allele", "other_allele"),
        ("beta", "beta"),
        ("standard_error", "se"),
        ("effect_allele_frequency", "eaf"),
        ("p_value", "pvalue_text"),
        ("rsid", "rsid"),
        ("n", "n"),
    ),
    "\t",
    "#NA",
    False,
    ".tsv.gz",
)

REGENIE = TextFormat(
    "regenie",
    (
        ("CHROM", "chrom"),
        ("GENPOS", "pos"),
        ("ID", "variant"),
        ("ALLELE0", "other_allele"),
        ("ALLELE1", "effect_allele"),
        ("A1FREQ", "eaf"),
        ("N", "n"),
        ("TEST", "ADD"),
        ("BETA", "beta"),
        ("SE", "se"),
        ("CHISQ", "chisq"),
        ("LOG10P", "neg_log10_pvalue"),
        ("EXTRA", "NA"),
    ),
    " ",
    "NA",
    False,
    ".regenie",
)

_PLINK2_HEAD = (
    ("CHROM", "chrom"),
    ("POS", "pos"),
    ("ID", "variant"),
    ("REF", "other_allele"),
    ("ALT", "effect_allele"),
    ("A1", "effect_allele"),
    ("OMITTED", "other_allele"),
    ("A1_FREQ", "eaf"),
    ("TEST", "ADD"),
    ("OBS_CT", "n"),
)
_PLINK2_TAIL = (("P", "pvalue_text"), ("ERRCODE", "."))

PLINK2_LINEAR = TextFormat(
    "plink2",
    (*_PLINK2_HEAD, ("BETA", "beta"), ("SE", "se"), ("T_STAT", "wald"), *_PLINK2_TAIL),
    "\t",
    ".",
    True,
    ".glm.linear",
)

PLINK2_LOGISTIC = TextFormat(
    "plink2",
    (*_PLINK2_HEAD, ("OR", "odds_ratio"), ("LOG(OR)_SE", "se"), ("Z_STAT", "wald"), *_PLINK2_TAIL),
    "\t",
    ".",
    True,
    ".glm.logistic",
)

#: Every format by name; "plink2" is the linear layout (the logistic one is chosen by the
#: likelihood, see :func:`~limix.io.sumstats.write`).
FORMATS = ("gwas-ssf", "regenie", "plink2", "csv", "parquet")
