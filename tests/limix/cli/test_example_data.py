"""The shipped example data set is what its script writes, small, and consistent."""

from __future__ import annotations

import numpy as np
import pandas as pd

from limix._example_data import FILES, folder, path
from limix.io import bgen, plink

from .make_example_data import EXAMPLE_DATA, simulate, write_example_data


def test_shipped_files_are_what_the_script_writes(tmp_path):
    written = write_example_data(tmp_path, bgen=False)  # the BGEN writer is slow: see below
    assert [p.name for p in written] == [name for name in FILES if name != "example.bgen"]
    for file in written:
        assert file.read_bytes() == path(file.name).read_bytes(), file.name
    assert folder() == EXAMPLE_DATA
    assert sum(path(name).stat().st_size for name in FILES) < 2_000_000


def test_bgen_holds_the_plink_genotypes():
    bim, fam, G = plink.read(path("example"), verbose=False, samples_by_variants=True)
    data = bgen.read(path("example.bgen"), verbose=False)
    assert list(data["samples"]) == list(fam["iid"])
    assert list(data["variants"]["rsid"]) == list(bim["snp"])
    assert list(data["variants"]["allele_ids"]) == list(bim["a0"] + "," + bim["a1"])
    dosage = bgen.read_dosage(path("example.bgen"), verbose=False).compute()
    np.testing.assert_array_equal(dosage, G.compute())


def test_simulation_has_what_the_demo_needs():
    data = simulate()
    phenotype = data["phenotype"]
    genotyped = set(data["samples"])
    assert 0 < (~phenotype["sample"].isin(genotyped)).sum() < 10  # matched by ID, not position
    assert list(phenotype["sample"][:5]) != list(data["samples"][:5])
    assert set(phenotype["disease"]) == {0, 1}
    assert phenotype["quantitative"].isna().sum() > 0
    G = data["genotype"]
    assert np.isnan(G).mean() < 0.02
    causal = data["causal"]
    assert len(causal) == 3
    variants = data["variants"].set_index("snp")
    columns = [variants.index.get_loc(v) for v in causal["variant"]]
    assert not np.isnan(G[:, columns]).any()
    freq = np.nanmean(G[:, columns], axis=0) / 2
    assert (np.minimum(freq, 1 - freq) > 0.2).all()
    covariates = pd.read_csv(path("covariates.csv"))
    assert list(covariates.columns) == ["sample", "sex", "age"]
