"""Testing candidates whose effect is a set of columns: 𝐠 ⊙ 𝙴 for each candidate 𝐠."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["interaction_designs", "scan_designs"]

Array = NDArray[np.float64]

_KEYS = ("lml", "effsizes0", "effsizes0_se", "effsizes1", "effsizes1_se", "scale")


def interaction_designs(block: Array, E: Array) -> Array:
    """The designs 𝐠ⱼ ⊙ 𝙴 of a block of candidates: an n×b×e array (candidate j's design is
    ``[:, j, :]``, its columns gⱼ·𝐞₁, …, gⱼ·𝐞ₑ)."""
    return block[:, :, None] * E[:, None, :]


def scan_designs(scanner: Any, designs: Array) -> dict[str, Array]:
    """Test each candidate's design (n×b×k) against the scanner's null.

    One column per candidate goes through ``fast_scan`` (all candidates at once); designs of
    several columns through the scanner's batched ``fast_scan`` on a 3-D array where it has one,
    else through ``scan`` one candidate at a time.
    """
    _, b, k = designs.shape
    if k == 1:
        r = scanner.fast_scan(designs[:, :, 0], verbose=False)
        return {
            "lml": np.asarray(r["lml"]),
            "effsizes0": np.asarray(r["effsizes0"]),
            "effsizes0_se": np.asarray(r["effsizes0_se"]),
            "effsizes1": np.asarray(r["effsizes1"]).reshape(b, 1),
            "effsizes1_se": np.asarray(r["effsizes1_se"]).reshape(b, 1),
            "scale": np.asarray(r["scale"]),
        }
    rows = [scanner.scan(designs[:, j, :]) for j in range(b)]
    return {key: np.stack([np.asarray(row[key], float) for row in rows]) for key in _KEYS}
