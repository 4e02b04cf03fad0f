"""GCTA GRM files: plink2's --make-grm-bin output against its own --make-rel text matrix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from limix.io import grm

DATA = Path(__file__).parent / "data"


def test_reads_what_plink2_writes():
    K, N = grm.read(DATA / "plink2.grm.bin", counts=True)
    text = np.loadtxt(DATA / "plink2.rel")  # the same matrix, printed by plink2 to 6 digits
    ids = pd.read_csv(DATA / "plink2.rel.id", sep="\t")["IID"]
    assert list(K.index) == list(ids) == list(K.columns)
    np.testing.assert_allclose(K.to_numpy(), text, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(K.to_numpy(), K.to_numpy().T)
    # plink2 counts the variants observed in both samples: at most chromosome 6's 300
    assert N.to_numpy().max() <= 300 and N.to_numpy().min() > 250


def test_round_trip_keeps_the_layout(tmp_path):
    random = np.random.RandomState(0)
    X = random.randn(7, 20)
    K = X @ X.T / 20
    written = grm.write(tmp_path / "k", K, [f"s{i}" for i in range(7)], nvariants=20)
    assert [p.name for p in written] == ["k.grm.bin", "k.grm.N.bin", "k.grm.id"]
    # GCTA's layout: the lower triangle row by row, float32
    raw = np.fromfile(tmp_path / "k.grm.bin", dtype="<f4")
    assert raw.size == 28 and raw[1] == np.float32(K[1, 0]) and raw[2] == np.float32(K[1, 1])
    back, counts = grm.read(tmp_path / "k", counts=True)
    np.testing.assert_allclose(back.to_numpy(), K, rtol=1e-6)
    assert (counts.to_numpy() == 20).all()
    assert (tmp_path / "k.grm.id").read_text().splitlines()[0] == "s0\ts0"


def test_bad_files(tmp_path):
    for suffix in ("grm.bin", "grm.N.bin", "grm.id"):
        (tmp_path / f"k.{suffix}").write_bytes((DATA / f"plink2.{suffix}").read_bytes())
    data = (DATA / "plink2.grm.bin").read_bytes()
    (tmp_path / "k.grm.bin").write_bytes(data[:-4])
    with pytest.raises(ValueError, match=r"holds 1829 values; the lower triangle of the 60"):
        grm.read(tmp_path / "k")
    with pytest.raises(FileNotFoundError, match=r"GCTA .grm.id file not found"):
        grm.read(tmp_path / "absent")
    (tmp_path / "d.grm.id").write_text("a\ta\nb\ta\n")
    (tmp_path / "d.grm.bin").write_bytes(np.zeros(3, dtype="<f4").tobytes())
    with pytest.raises(ValueError, match=r"repeated sample IDs \(IID\) \['a'\]"):
        grm.read(tmp_path / "d")
