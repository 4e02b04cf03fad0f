"""Scan results: columnar statistics, long effect sizes, the null model and their printout."""

from ._describe import describe_table
from ._effsizes import long_effsizes
from ._lrt import lrt_pvalue
from ._null import NullModel, format_vector
from ._result import QTLResult, scan_statistics

__all__ = [
    "NullModel",
    "QTLResult",
    "describe_table",
    "format_vector",
    "long_effsizes",
    "lrt_pvalue",
    "scan_statistics",
]
