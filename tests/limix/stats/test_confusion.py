"""confusion_matrix against counts made marker by marker."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from limix.stats import confusion_matrix


def _random_scan(seed=0, m=300):
    random = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "chrom": random.choice(["1", "2", "3"], size=m),
            "pos": random.integers(0, 2_000_000, size=m),
            "pv": np.round(random.random(m), 2),  # rounded: ties
            "causal": random.random(m) < 0.02,
        }
    )
    df.loc[0, "causal"] = True
    return df


def test_against_marker_by_marker_counts():
    df = _random_scan()
    wsize = 40_000
    got = confusion_matrix(df, wsize)
    rows = df.to_dict("records")
    causal = [r for r in rows if r["causal"]]
    signal = np.array(
        [
            any(c["chrom"] == r["chrom"] and abs(c["pos"] - r["pos"]) <= wsize for c in causal)
            for r in rows
        ]
    )
    thresholds = np.unique(df["pv"])
    np.testing.assert_array_equal(got["threshold"], thresholds)
    for _, row in got.iterrows():
        declared = df["pv"].to_numpy() <= row["threshold"]
        assert row["tp"] == np.sum(declared & signal)
        assert row["fp"] == np.sum(declared & ~signal)
        assert row["tn"] == np.sum(~declared & ~signal)
        assert row["fn"] == np.sum(~declared & signal)
        assert row["tpr"] == pytest.approx(row["tp"] / signal.sum())
        assert row["fpr"] == pytest.approx(row["fp"] / (~signal).sum())
        assert row["precision"] == pytest.approx(row["tp"] / declared.sum())


def test_window_edges_are_inclusive():
    df = pd.DataFrame(
        {
            "chrom": [1, 1, 1],
            "pos": [100, 150, 151],
            "pv": [0.1, 0.2, 0.3],
            "causal": [True, False, False],
        }
    )
    got = confusion_matrix(df, wsize=50)
    assert list(got["tp"]) == [1, 2, 2] and list(got["fp"]) == [0, 0, 1]


def test_bad_frames():
    df = _random_scan(1, 20)
    with pytest.raises(ValueError, match="lacks column"):
        confusion_matrix(df.drop(columns="pv"))
    with pytest.raises(ValueError, match="DataFrame"):
        confusion_matrix(df.to_numpy())
    with pytest.raises(ValueError, match="no causal"):
        confusion_matrix(df.assign(causal=False))
    with pytest.raises(ValueError, match="no negatives"):
        confusion_matrix(df.assign(chrom="1"), wsize=10**9)
    with pytest.raises(ValueError, match="p-values"):
        confusion_matrix(df.assign(pv=df["pv"] + 1))
    with pytest.raises(ValueError, match="positions"):
        confusion_matrix(df.assign(pos=df["pos"] + 0.5))
    with pytest.raises(ValueError, match="wsize"):
        confusion_matrix(df, wsize=-1)
    with pytest.raises(ValueError, match="boolean"):
        confusion_matrix(df.assign(causal="yes"))
