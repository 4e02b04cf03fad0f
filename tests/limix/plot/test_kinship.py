"""kinship: the heatmap shows K reordered by its clustering, with a colour bar."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.colors import Colormap

import limix


def _structured_kinship(sizes=(30, 20, 10), seed=0):
    """Kinship of shuffled samples from populations of the given sizes, and their labels."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(len(sizes)), sizes)
    centres = rng.normal(scale=3.0, size=(len(sizes), 40))
    X = centres[labels] + rng.normal(size=(labels.size, 40))
    order = rng.permutation(labels.size)
    X, labels = X[order], labels[order]
    X -= X.mean(axis=0)
    return X @ X.T / 40, labels


def _shown_order(K, image):
    """The permutation o such that the image shows K[o][:, o] (K has distinct diagonal)."""
    shown = np.asarray(image.get_array())
    o = np.array([np.flatnonzero(np.isclose(np.diag(K), d))[0] for d in np.diag(shown)])
    np.testing.assert_array_equal(np.sort(o), np.arange(K.shape[0]))
    np.testing.assert_array_equal(shown, K[np.ix_(o, o)])
    return o


def test_heatmap_is_k_reordered_by_clusters(ax, tmp_path):
    K, labels = _structured_kinship()
    assert np.unique(np.diag(K)).size == K.shape[0]
    limix.plot.kinship(K, ax=ax)
    (image,) = ax.images
    o = _shown_order(K, image)
    # Populations come out as contiguous blocks: 3 runs of labels along the order.
    assert np.count_nonzero(np.diff(labels[o])) == 2
    assert list(labels) != sorted(labels)  # the input order was not already grouped
    # Colour bar: a second axes in the figure, labelled.
    (colorbar,) = [a for a in ax.figure.axes if a is not ax]
    assert colorbar.get_ylabel() == "kinship"
    assert ax.get_xlabel() == "samples (clustered)"
    # The colour scale follows the off-diagonal entries, not the diagonal.
    offdiag = K[~np.eye(K.shape[0], dtype=bool)]
    np.testing.assert_allclose(image.get_clim(), np.percentile(offdiag, [0.5, 99.5]))
    assert image.get_clim()[1] < np.diag(K).max()
    ax.figure.savefig(tmp_path / "kinship.png")


def test_cluster_boundaries(ax):
    K, labels = _structured_kinship()
    limix.plot.kinship(K, nclusters=3, ax=ax)
    o = _shown_order(K, ax.images[0])
    boundaries = np.flatnonzero(np.diff(labels[o])) + 0.5
    horizontal = sorted(
        line.get_ydata()[0] for line in ax.lines if line.get_ydata()[0] == line.get_ydata()[1]
    )
    assert len(ax.lines) == 4
    np.testing.assert_array_equal(horizontal, boundaries)


def test_image_keywords_and_pandas_input(ax):
    import pandas as pd

    K, _ = _structured_kinship()
    limix.plot.kinship(pd.DataFrame(K), img_kws={"cmap": "RdBu_r", "vmin": -1, "vmax": 1}, ax=ax)
    image = ax.images[0]
    assert isinstance(image.get_cmap(), Colormap) and image.get_cmap().name == "RdBu_r"
    assert image.get_clim() == (-1, 1)


def test_same_order_for_the_same_matrix():
    K, _ = _structured_kinship(seed=3)
    plt = limix.plot.get_pyplot()
    orders = []
    for _ in range(2):
        _, ax = plt.subplots()
        limix.plot.kinship(K, ax=ax)
        orders.append(_shown_order(K, ax.images[0]))
    np.testing.assert_array_equal(*orders)


def test_shipped_dataset_shows_three_populations(ax):
    K = limix.plot.load_dataset("kinship")
    limix.plot.kinship(K, nclusters=3, ax=ax)
    shown = np.asarray(ax.images[0].get_array())
    # Within the three diagonal blocks relatedness is higher than between them.
    rows = [line.get_ydata()[0] for line in ax.lines if line.get_ydata()[1] == line.get_ydata()[0]]
    cuts = [0, *sorted(int(y + 0.5) for y in rows), K.shape[0]]
    assert len(cuts) == 4
    same = np.zeros_like(shown, dtype=bool)
    for a, b in itertools.pairwise(cuts):
        same[a:b, a:b] = True
    off = ~np.eye(K.shape[0], dtype=bool)
    assert shown[same & off].mean() > shown[~same].mean() + 0.05


@pytest.mark.parametrize(
    ("K", "kwargs", "message"),
    [
        (np.ones((3, 2)), {}, "K must be a square matrix"),
        (np.ones((1, 1)), {}, "K must be a square matrix"),
        (np.ones(3), {}, "K must have 2 dimension"),
        (np.array([[1.0, 0.5], [0.4, 1.0]]), {}, "K must be symmetric"),
        (np.array([[1.0, np.nan], [np.nan, 1.0]]), {}, "K has non-finite"),
        (np.eye(3), {"nclusters": 0}, "nclusters must be between 1 and the 3"),
        (np.eye(3), {"nclusters": 4}, "nclusters must be between 1 and the 3"),
        (np.eye(3), {"nclusters": 2.0}, "nclusters must be an integer"),
        (np.eye(3), {"img_kws": ["cmap"]}, "img_kws must be a dict"),
    ],
)
def test_errors(K, kwargs, message):
    with pytest.raises(ValueError, match=message):
        limix.plot.kinship(K, **kwargs)
