"""pca: one point per sample at its scores on the first two components."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import limix


def test_scores_and_labels(ax, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 6)) @ np.diag([5.0, 2.0, 1.0, 1.0, 0.5, 0.5])
    limix.plot.pca(X, ax=ax)
    (points,) = ax.collections
    scores = points.get_offsets()
    assert scores.shape == (80, 2)
    # The scores are the projections on the two leading eigenvectors of the covariance.
    values, vectors = np.linalg.eigh(np.cov(X.T))
    expected = (X - X.mean(axis=0)) @ vectors[:, ::-1][:, :2]
    for k in range(2):
        assert abs(np.corrcoef(scores[:, k], expected[:, k])[0, 1]) > 1 - 1e-10
        assert np.var(scores[:, k], ddof=1) == pytest.approx(values[::-1][k])
    share = 100 * values[::-1] / values.sum()
    assert ax.get_xlabel() == f"PC1 ({share[0]:.1f}% of variance)"
    assert ax.get_ylabel() == f"PC2 ({share[1]:.1f}% of variance)"
    ax.figure.savefig(tmp_path / "pca.png")


def test_groups_separate_on_pc1_and_colours(ax):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 20))
    X[:30] += 2.0
    group = np.r_[np.zeros(30), np.ones(30)]
    limix.plot.pca(pd.DataFrame(X), pts_kws={"c": group, "cmap": "coolwarm"}, ax=ax)
    pc1 = ax.collections[0].get_offsets()[:, 0]
    # The two groups fall on opposite sides of 0 on PC1.
    assert len(set(np.sign(pc1[:30]))) == 1 and len(set(np.sign(pc1[30:]))) == 1
    assert np.sign(pc1[0]) == -np.sign(pc1[-1])
    assert abs(pc1[:30].mean() - pc1[30:].mean()) > 5
    np.testing.assert_array_equal(ax.collections[0].get_array(), group)


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.ones((5, 1)), "X must have at least two samples"),
        (np.ones((1, 5)), "X must have at least two samples"),
        (np.ones(5), "X must have 2 dimension"),
        (np.array([[1.0, np.nan], [0.0, 1.0], [2.0, 2.0]]), "X has non-finite"),
        (np.ones((4, 3)), "zero variance"),
    ],
)
def test_errors(X, message):
    with pytest.raises(ValueError, match=message):
        limix.plot.pca(X)
