"""Summary-statistics files: GWAS-SSF, REGENIE, PLINK 2 ``--glm``, CSV and Parquet.

:func:`write` turns a scan's association table (:attr:`limix.qtl.QTLResult.associations`, or
``result.to_sumstats(path, format=...)``) into the files that meta-analysis, fine-mapping,
LD-score regression and the GWAS Catalog read; :func:`read` reads them back into the same
table. The layouts, column by column: :mod:`limix.io.sumstats._formats`, and the docs' page on
results.
"""

from ._formats import FORMATS
from ._read import detect_format, first_line, format_of_header, read
from ._write import write

__all__ = ["FORMATS", "detect_format", "first_line", "format_of_header", "read", "write"]
