"""Linear mixed models: :class:`LMM` fits 𝐲 ∼ 𝓝(𝚇𝜷, s((1−𝛿)𝙺 + 𝛿𝙸)); :class:`FastScanner`
tests candidates against a fitted null.

𝙺 enters through its economic eigendecomposition (:func:`glimix.linalg.economic_qs`, or
:func:`glimix.linalg.economic_qs_linear` for 𝙺 = 𝙶𝙶ᵀ of low rank), 𝜷 and s are profiled out in
closed form, and the scanner handles blocks of candidates with matrix operations only.
"""

from ._kron2sum import Kron2Sum
from ._kron2sum_null import BoundaryWarning, fit_kron2sum
from ._kron2sum_scanner import KronFastScanner, KronScanResult
from ._lmm import LMM
from ._scan_result import ScanResult
from ._scanner import FastScanner
from ._traits import TraitsScanner

__all__ = [
    "LMM",
    "BoundaryWarning",
    "FastScanner",
    "Kron2Sum",
    "KronFastScanner",
    "KronScanResult",
    "ScanResult",
    "TraitsScanner",
    "fit_kron2sum",
]
