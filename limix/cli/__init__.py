"""The ``limix`` command line: download, extract, remove, see, estimate-kinship and qtl scan.

One module per command (``_download.py``, ``_see.py``, ``_qtl_scan.py``, …); shared pieces:
file types (``_filetype.py``), genotype files (``_genotype.py``), sample tables (``_tables.py``),
kinship files (``_kinship_file.py``), filters (``_filters.py``), figures (``_figures.py``),
printed steps (``_report.py``) and errors (``_errors.py``).

Run it as ``limix ...`` (the installed script) or ``python -m limix ...``.
"""

from ._main import cli, main

__all__ = ["cli", "main"]
