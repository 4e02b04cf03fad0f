"""One block of candidate sets (k columns each) tested jointly at the null's variances.

Candidate j is the n×k matrix 𝙶[:, j, :] (say a genotype times k environments, for an
interaction test). The block's b·k columns are rotated in one product, exactly as single
candidates are (``_scan_fixed``); their k×k 𝙱-Gram matrices, their 𝙱-products with the
covariates and with 𝐲 are stacked per set and handed to the batched joint test (``_joint``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._joint import joint_tests
from ._null import NullFit
from ._scan_fixed import Rotation, check_finite_columns, rotate_block

__all__ = ["scan_block_sets"]

Array = NDArray[np.float64]


def scan_block_sets(
    fit: NullFit, rot: Rotation, G: Array, start: int = 0, workspace: Array | None = None
) -> dict[str, Array]:
    """Test each set ``G[:, j, :]`` of an n×b×k block jointly.

    Parameters
    ----------
    fit
        The null model.
    rot
        ``Rotation.of(fit)``.
    G
        An n×b×k block of candidate sets.
    start
        Index of the block's first set in the whole candidate array (for error messages).
    workspace
        As in :func:`glimix.lmm._scan_fixed.rotate_block`, for b·k columns.

    Returns
    -------
    dict
        ``lml``, ``scale`` (b,), ``effsizes0``/``effsizes0_se`` (b, c) and
        ``effsizes1``/``effsizes1_se`` (b, k).

    Raises
    ------
    ValueError
        If a set has a non-finite value.
    """
    data = fit.data
    n, r, p = data.n, data.rank_k, data.p
    _, b, k = G.shape
    flat = G.reshape(n, b * k)
    ZG, ae = rotate_block(fit, rot, flat, workspace)
    R = ZG[:r].reshape(r, b, k)
    with np.errstate(invalid="ignore", over="ignore"):
        DM = rot.sign * np.einsum("ijt,iju->jtu", R, R)
        if r < n:
            DM += fit.w1 * np.einsum("ijt,iju->jtu", G, G)
    check_finite_columns(np.einsum("jtt->jt", DM), start)
    return joint_tests(fit, DM, ae[:p].reshape(p, b, k), ae[p].reshape(b, k))
