"""The readers' outputs go through the input layer as they are, and stay lazy."""

import warnings

import dask
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from limix._data import DroppedSamplesWarning, ImputedGenotypesWarning, genotype_blocks
from limix._data import prepare_scan_inputs as prepare
from limix.io import examples, hdf5, plink

from .helpers import forbid_compute


def test_plink_variants_by_samples_with_fam_labels():
    bim, fam, bed = plink.read(examples.get("data.bed"), verbose=False)
    G = xr.DataArray(
        bed, dims=("variant", "sample"), coords={"sample": fam["iid"], "snp": ("variant", bim.snp)}
    )
    y = pd.Series([1.0, 2.0, 3.0, 4.0], index=["s5", "s3", "s2", "s1"])  # s4 not phenotyped
    with dask.config.set(scheduler=forbid_compute), warnings.catch_warnings():
        warnings.simplefilter("error", DroppedSamplesWarning)  # G's extra sample is no drop
        inputs = prepare(G, y)
    assert inputs.G.dims == ("sample", "candidate")
    assert list(inputs.G["snp"].values) == list(bim.snp)
    raw = bed.compute().T[[4, 2, 1, 0]]  # rows s5, s3, s2, s1
    with pytest.warns(ImputedGenotypesWarning, match="1 missing genotype"):
        block = np.hstack([b for _, _, b, _ in genotype_blocks(inputs.G, inputs.G_nmissing)])
    expected = np.where(np.isnan(raw), np.nanmean(raw, axis=0), raw)
    np.testing.assert_allclose(block, expected)


def test_plink_unlabelled_needs_samples_by_variants():
    _, _, bed = plink.read(examples.get("data.bed"), verbose=False)
    with pytest.raises(ValueError, match=r"G has 4 sample\(s\) but Y has 5"):
        prepare(bed, np.zeros(5))
    _, _, G = plink.read(examples.get("data.bed"), verbose=False, samples_by_variants=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DroppedSamplesWarning)
        assert prepare(G, np.zeros(5)).G.shape == (5, 4)


def test_limix_hdf5_lazy_genotype():
    data = hdf5.read_limix(examples.get("example.hdf5"), lazy=True)
    G = data["genotype"]
    n = G.sizes["sample"]
    y = pd.Series(np.arange(n, dtype=float), index=G["sample"].values[::-1])
    with dask.config.set(scheduler=forbid_compute):
        inputs = prepare(G, y)
    np.testing.assert_array_equal(inputs.G.values, G.values[::-1])
