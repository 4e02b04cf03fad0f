"""What every scanner's ``test`` returns: per-candidate arrays in one dataclass.

Every scanner (``FastScanner`` and the GLMMs' ``PseudoDataScanner``, fixed or exact, and the
multi-trait ``KronFastScanner``) has the same protocol: ``test(block, design) -> ScanResult``
for an n×b numpy block of candidates, ``design`` saying how each candidate enters the
alternative (its columns' products with sample-side environments for the single-trait
scanners, its trait design A₁ for the multi-trait one). The result reads as a mapping too
(``result["lml"]``), like the manual's ``fast_scan`` dictionaries.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["ScanResult"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class ScanResult(Mapping[str, Any]):
    """Results of one block of b candidates, one row per candidate.

    Attributes
    ----------
    lml
        Log marginal likelihood of each alternative (b).
    effsizes0, effsizes0_se
        Covariate effect sizes and standard errors under each alternative (b×c; b×c×q for
        the multi-trait scanner).
    effsizes1, effsizes1_se
        The candidate's effect sizes and standard errors (b, or b×k for k effects per
        candidate).
    scale
        Refitted scale of each alternative (b); 1 where the variances are re-estimated.
    dof
        Degrees of freedom of each likelihood-ratio test against the null (b).
    """

    lml: Array
    effsizes0: Array
    effsizes0_se: Array
    effsizes1: Array
    effsizes1_se: Array
    scale: Array
    dof: NDArray[np.int64]

    def __getitem__(self, key: str) -> Any:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def _names(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]
