"""Testing candidates whose effect is a set of columns: 𝐠 ⊙ 𝙴 for each candidate 𝐠."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["interaction_designs", "scan_designs"]

Array = NDArray[np.float64]


def interaction_designs(block: Array, E: Array) -> Array:
    """The designs 𝐠ⱼ ⊙ 𝙴 of a block of candidates: an n×b×e array (candidate j's design is
    ``[:, j, :]``, its columns gⱼ·𝐞₁, …, gⱼ·𝐞ₑ)."""
    return block[:, :, None] * E[:, None, :]


def scan_designs(scanner: Any, designs: Array) -> dict[str, Array]:
    """Test each candidate's design (n×b×k) against the scanner's null, all at once.

    ``fast_scan`` takes one column per candidate as an n×b matrix and k columns per candidate as
    the n×b×k array itself (sets tested jointly, vectorised over the candidates).
    """
    _, b, k = designs.shape
    r = scanner.fast_scan(designs[:, :, 0] if k == 1 else designs, verbose=False)
    return {
        "lml": np.asarray(r["lml"], float),
        "effsizes0": np.asarray(r["effsizes0"], float),
        "effsizes0_se": np.asarray(r["effsizes0_se"], float),
        "effsizes1": np.asarray(r["effsizes1"], float).reshape(b, k),
        "effsizes1_se": np.asarray(r["effsizes1_se"], float).reshape(b, k),
        "scale": np.asarray(r["scale"], float),
    }
