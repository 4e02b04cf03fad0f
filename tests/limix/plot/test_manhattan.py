"""manhattan: positions, chromosome order and colours, labels, the significance line."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba

import limix


def _frame(chroms, per=50, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for c in chroms:
        length = rng.integers(5_000_000, 20_000_000)
        pos = np.sort(rng.integers(1, length, per))
        rows.append(pd.DataFrame({"chrom": c, "pos": pos, "pv": rng.random(per)}))
    return pd.concat(rows, ignore_index=True)


def _scatter(ax):
    """Offsets of every point drawn, and each point's colour."""
    collections = [c for c in ax.collections if isinstance(c, PathCollection)]
    offsets = np.concatenate([c.get_offsets() for c in collections])
    colours = np.concatenate(
        [np.broadcast_to(c.get_facecolors(), (len(c.get_offsets()), 4)) for c in collections]
    )
    return offsets, colours


def test_points_order_colours_and_labels(tmp_path):
    plt = limix.plot.get_pyplot()
    fig, ax = plt.subplots(figsize=(20, 4))
    chroms = [str(c) for c in range(1, 23)] + ["X"]
    df = _frame(chroms).sample(frac=1, random_state=0)  # rows in random order
    limix.plot.manhattan(df, ax=ax)
    xy, colours = _scatter(ax)
    assert len(xy) == len(df)
    np.testing.assert_allclose(np.sort(xy[:, 1]), np.sort(-np.log10(df["pv"])))

    # Chromosomes are side by side in natural order (2 before 10, X last), without overlap.
    # Points are drawn per colour, so match them to rows by their p-value (all distinct).
    assert df["pv"].is_unique
    row = pd.Series(np.arange(len(df)), index=-np.log10(df["pv"].to_numpy()))
    order = row.loc[np.asarray(xy[:, 1])].to_numpy()
    xy, colours = xy[np.argsort(order)], colours[np.argsort(order)]
    x = pd.Series(np.asarray(xy[:, 0]), index=df["chrom"].to_numpy())
    ranges = [(x[c].min(), x[c].max()) for c in chroms]
    assert all(a[1] < b[0] for a, b in itertools.pairwise(ranges))
    # Within a chromosome the x coordinate is the position, shifted.
    one = df[df["chrom"] == "7"]
    np.testing.assert_allclose(x["7"].to_numpy() - x["7"].min(), one["pos"] - one["pos"].min())

    # Alternating colours, by plotting order.
    for k, c in enumerate(chroms):
        expected = to_rgba("#5689AC" if k % 2 == 0 else "#21334F")
        np.testing.assert_allclose(
            colours[np.flatnonzero(df["chrom"].to_numpy() == c)], [expected] * 50
        )

    # Labels at the centre of each chromosome, all shown on a wide figure.
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == chroms
    centres = [(a + b) / 2 for a, b in ranges]
    np.testing.assert_allclose(ax.get_xticks(), centres, rtol=0, atol=1e-3 * (ranges[-1][1]))
    assert ax.get_xlabel() == "chromosome"
    assert "log" in ax.get_ylabel() and "p-value" in ax.get_ylabel()
    fig.savefig(tmp_path / "manhattan.png")


def test_labels_of_small_chromosomes_do_not_overlap():
    plt = limix.plot.get_pyplot()
    fig, ax = plt.subplots(figsize=(5, 3))
    df = limix.plot.load_dataset("gwas").rename(columns={"chr": "chrom"})
    limix.plot.manhattan(df, ax=ax)
    fig.canvas.draw()
    shown = [t for t in ax.get_xticklabels() if t.get_text()]
    assert "1" in [t.get_text() for t in shown]
    assert 10 <= len(shown) < 22
    boxes = [t.get_window_extent() for t in shown]
    assert all(a.x1 < b.x0 for a, b in itertools.pairwise(boxes))


def test_significance_line(ax):
    df = _frame(["1", "2"])
    limix.plot.manhattan(df, threshold=5e-8, line_kws={"color": "black"}, ax=ax)
    (line,) = ax.lines
    assert line.get_ydata()[0] == pytest.approx(-np.log10(5e-8))
    assert to_rgba(line.get_color()) == to_rgba("black")


def test_no_line_by_default(ax):
    limix.plot.manhattan(_frame(["1", "2"]), ax=ax)
    assert len(ax.lines) == 0


def test_chr_prefix_sex_chromosomes_and_numeric_column():
    plt = limix.plot.get_pyplot()
    _, ax = plt.subplots(figsize=(12, 3))
    limix.plot.manhattan(_frame(["chrX", "chr2", "chr10", "chrMT", "chr1"]), ax=ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "10", "X", "MT"]
    _fig, ax = plt.subplots(figsize=(12, 3))
    limix.plot.manhattan(_frame([3, 1, 2]).astype({"chrom": float}), ax=ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3"]


def test_single_chromosome_in_megabases(ax):
    df = _frame(["6"])
    limix.plot.manhattan(df, ax=ax, pts_kws={"color": "k"})
    xy, colours = _scatter(ax)
    np.testing.assert_array_equal(colours, [[0, 0, 0, 1]] * len(df))
    np.testing.assert_array_equal(np.sort(xy[:, 0]), np.sort(df["pos"]))
    assert ax.get_xlabel() == "chromosome 6 position (Mb)"
    assert ax.xaxis.get_major_formatter()(2_000_000, 0) == "2"


def test_mapping_input(ax):
    limix.plot.manhattan({"chrom": [1, 1, 2], "pos": [10, 20, 5], "pv": [0.1, 0.01, 0.5]}, ax=ax)
    assert len(_scatter(ax)[0]) == 3


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        ("gwas.csv", {}, "data must be a pandas DataFrame"),
        (pd.DataFrame({"chr": [1], "pos": [1], "pv": [0.1]}), {}, r"missing \['chrom'\]"),
        (pd.DataFrame({"chrom": [1], "pos": [1], "pv": [np.nan]}), {}, r"data\['pv'\] has 1"),
        (pd.DataFrame({"chrom": [1], "pos": [1], "pv": [0.0]}), {}, r"data\['pv'\] must hold"),
        (pd.DataFrame({"chrom": [1.5], "pos": [1], "pv": [0.1]}), {}, r"data\['chrom'\]"),
        (pd.DataFrame({"chrom": [1], "pos": [1], "pv": [0.1]}), {"threshold": 0}, "threshold"),
        (pd.DataFrame({"chrom": [1], "pos": [1], "pv": [0.1]}), {"threshold": 2}, "threshold"),
        (pd.DataFrame({"chrom": [1], "pos": [1], "pv": [0.1]}), {"colora": "nocolour"}, "colora"),
    ],
)
def test_errors(data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        limix.plot.manhattan(data, **kwargs)


def test_label_appears_once_in_the_legend(ax):
    limix.plot.manhattan(_frame(["1", "2", "3"]), pts_kws={"label": "scan"}, ax=ax)
    assert [t.get_text() for t in ax.legend().get_texts()] == ["scan"]
