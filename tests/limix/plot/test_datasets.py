"""load_dataset: the shipped files are what make_datasets.py writes, and match the manual."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import limix

from .make_datasets import DATASETS, KINSHIP_CORNER, write_datasets


def test_shipped_datasets_are_what_the_script_writes(tmp_path):
    written = write_datasets(tmp_path)
    shipped = sorted(DATASETS.iterdir())
    assert [p.name for p in written] == [p.name for p in shipped] == ["gwas.csv.gz", "kinship.npz"]
    with np.load(tmp_path / "kinship.npz") as a, np.load(DATASETS / "kinship.npz") as b:
        np.testing.assert_array_equal(a["upper_times_1e8"], b["upper_times_1e8"])
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "gwas.csv.gz", index_col=0),
        pd.read_csv(DATASETS / "gwas.csv.gz", index_col=0),
    )
    assert sum(p.stat().st_size for p in shipped) < 300_000


def test_kinship():
    K = limix.plot.load_dataset("kinship")
    assert K.shape == (200, 200)
    np.testing.assert_array_equal(K, K.T)
    assert np.linalg.eigvalsh(K).min() > 0.1
    corner = np.r_[0:3, 197:200]
    np.testing.assert_array_equal(K[np.ix_(corner, corner)], KINSHIP_CORNER)


def test_gwas():
    df = limix.plot.load_dataset("gwas")
    assert list(df.columns) == ["chr", "pos", "pv"]
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert ((df["pv"] > 0) & (df["pv"] < 0.01)).all()
    assert sorted(df["chr"].unique()) == list(range(1, 23))
    # Positions increase within each chromosome.
    assert df.groupby("chr")["pos"].apply(lambda p: p.is_monotonic_increasing).all()
    # The manual's printed head.
    head = df.head()
    assert head.index.tolist() == [234, 239, 253, 258, 266]
    assert head["chr"].tolist() == [10] * 5
    assert head["pos"].tolist() == [224239, 229681, 240788, 246933, 255222]
    assert head["pv"].tolist() == [0.00887, 0.00848, 0.00721, 0.00568, 0.00593]
    # Genome-wide significant loci exist, and the null bulk is near-uniform below 0.01.
    assert (df["pv"] < 5e-8).sum() > 20
    bulk = df["pv"][df["pv"] > 1e-3]
    assert abs(bulk.median() - 0.0055) < 0.001


def test_unknown_name():
    with pytest.raises(ValueError, match=r"name must be one of \['gwas', 'kinship'\]"):
        limix.plot.load_dataset("kinships")
