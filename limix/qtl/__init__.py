"""Quantitative trait locus analysis: association scans with (generalised) linear mixed models.

:func:`scan` tests candidates (single variants or sets) for association with one trait or
several; :func:`iscan` tests genotype-by-environment interactions. Both return a
:class:`QTLResult`.
"""

from ._iscan import iscan
from ._result import NullModel, QTLResult
from ._scan import scan
from ._traits import TraitsResult, scan_traits

__all__ = ["NullModel", "QTLResult", "TraitsResult", "iscan", "scan", "scan_traits"]
