"""Clustered heatmap of a kinship matrix."""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .._adapt import to_numpy, unwrap
from ._common import get_axes, keywords

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["kinship"]

# optimal_leaf_ordering grows about as n⁴ (0.3 s for 500 samples, 6 s for 1000); beyond this the
# plain dendrogram order is used.
_MAX_OPTIMAL_ORDERING = 400


def kinship(
    K: ArrayLike,
    nclusters: int = 1,
    img_kws: Mapping[str, Any] | None = None,
    ax: Axes | None = None,
) -> None:
    """Plot heatmap of a kinship matrix.

    Rows and columns are reordered by hierarchical clustering of the samples, so that groups
    of related samples (population structure, families) show up as blocks along the diagonal.
    Samples are clustered by Ward linkage on the distances the kinship defines,
    d(i, j)² = K[i, i] + K[j, j] − 2 K[i, j] (the Euclidean distance between the samples'
    standardised genotypes when K is their Gram matrix), with the leaves in optimal order for
    up to 400 samples. With ``nclusters`` > 1 the tree is cut into that many clusters, whose
    boundaries are drawn on the heatmap.

    The colour scale spans the 0.5 and 99.5 percentiles of the off-diagonal entries: the
    diagonal (self-kinship) is much larger than relatedness between samples and would flatten
    the contrast of the structure if it set the scale. Pass ``vmin``/``vmax`` in ``img_kws``
    to choose the scale.

    Parameters
    ----------
    K : array_like
        Kinship matrix, n×n, symmetric and finite (numpy, pandas, xarray or dask).
    nclusters : int
        Number of clusters to mark on the heatmap; 1 (default) draws no boundary.
    img_kws : dict, optional
        Keyword arguments of ``Axes.imshow`` (``cmap``, ``vmin``, ``vmax``…).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; pyplot's current axes by default. A colour bar is added next to it.

    Examples
    --------
    >>> import limix
    >>>
    >>> K = limix.plot.load_dataset("kinship")
    >>> print(K)
    [[0.67003303 0.09512837 0.09346511 ... 0.0867259  0.08412999 0.08805045]
     [0.09512837 0.66972454 0.09344451 ... 0.08304282 0.08735654 0.07970102]
     [0.09346511 0.09344451 0.67305621 ... 0.0899231  0.08756828 0.08362728]
     ...
     [0.0867259  0.08304282 0.0899231  ... 0.69345128 0.08846725 0.09457396]
     [0.08412999 0.08735654 0.08756828 ... 0.08846725 0.69414844 0.100915  ]
     [0.08805045 0.07970102 0.08362728 ... 0.09457396 0.100915   0.68948159]]
    >>> limix.plot.kinship(K)

    Marking three clusters on a figure of its own:

    >>> plt = limix.plot.get_pyplot()
    >>> fig, ax = plt.subplots(figsize=(5, 4))
    >>> limix.plot.kinship(K, nclusters=3, ax=ax)
    """
    from matplotlib.image import AxesImage
    from scipy.cluster.hierarchy import fcluster, leaves_list, linkage, optimal_leaf_ordering
    from scipy.spatial.distance import squareform

    data, _ = unwrap(K, "K", ndims=(2,))
    data = to_numpy(data)
    n = data.shape[0]
    if data.shape != (n, n) or n < 2:
        raise ValueError(f"K must be a square matrix of at least 2×2; got shape {data.shape}.")
    if not np.isfinite(data).all():
        raise ValueError("K has non-finite values (NaN or infinity).")
    scale = float(np.abs(data).max())
    if not np.allclose(data, data.T, rtol=0, atol=1e-8 * max(scale, 1e-300)):
        raise ValueError("K must be symmetric; K and its transpose differ.")
    if isinstance(nclusters, bool) or not isinstance(nclusters, numbers.Integral):
        raise ValueError(f"nclusters must be an integer; got {nclusters!r}.")
    if not 1 <= nclusters <= n:
        raise ValueError(f"nclusters must be between 1 and the {n} samples; got {nclusters}.")
    ax = get_axes(ax)

    diag = np.diag(data)
    distance = np.sqrt(np.clip(diag[:, None] + diag[None, :] - 2 * data, 0, None))
    condensed = squareform(distance, checks=False)
    tree = linkage(condensed, method="ward")
    if n <= _MAX_OPTIMAL_ORDERING:
        tree = optimal_leaf_ordering(tree, condensed)
    order = leaves_list(tree)
    shown = data[np.ix_(order, order)]

    offdiag = data[~np.eye(n, dtype=bool)]
    vmin, vmax = np.percentile(offdiag, [0.5, 99.5])
    if vmin == vmax:
        vmin, vmax = float(data.min()), float(data.max())
    defaults = {"cmap": "viridis", "vmin": vmin, "vmax": vmax, "interpolation": "nearest"}
    image = ax.imshow(shown, **keywords(img_kws, "img_kws", defaults, AxesImage))
    ax.figure.colorbar(image, ax=ax, label="kinship", extend="both")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("samples (clustered)")
    ax.set_ylabel("samples (clustered)")

    if nclusters > 1:
        labels = fcluster(tree, nclusters, criterion="maxclust")[order]
        # Each cluster is a subtree, hence a contiguous run in leaf order.
        for edge in np.flatnonzero(labels[1:] != labels[:-1]) + 0.5:
            ax.axhline(edge, color="white", linewidth=1.0)
            ax.axvline(edge, color="white", linewidth=1.0)
