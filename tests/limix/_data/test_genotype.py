import dask
import dask.array as da
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from limix._data import as_genotype

from .helpers import LABELLED, UNLABELLED, counting_dask, forbid_compute, make

SAMPLES = ["s0", "s1", "s2", "s3"]
VALUES = np.arange(12.0).reshape(4, 3)  # samples × candidates


@pytest.mark.parametrize("kind", LABELLED + UNLABELLED)
def test_every_type_is_dask_backed(kind):
    G = as_genotype(make(kind, VALUES, SAMPLES, other_dim="candidate"))
    assert G.dims == ("sample", "candidate")
    assert isinstance(G.data, da.Array)
    np.testing.assert_array_equal(G.values, VALUES)


@pytest.mark.parametrize(
    "dims", [("variant", "sample"), ("candidate", "sample"), ("sample", "variant")]
)
def test_orientation_from_dims(dims):
    values = VALUES.T if dims[0] != "sample" else VALUES
    arr = xr.DataArray(values, dims=dims, coords={"sample": SAMPLES})
    G = as_genotype(arr)
    np.testing.assert_array_equal(G.values, VALUES)
    assert list(G["sample"].values) == SAMPLES


def test_variants_by_samples_without_sample_coordinate():
    arr = xr.DataArray(VALUES.T, dims=("variant", "sample"))
    G = as_genotype(arr)
    assert G.shape == (4, 3)
    assert "sample" not in G.coords


def test_unlabelled_dask_is_samples_by_candidates():
    G = as_genotype(da.from_array(VALUES.T, chunks=2))
    assert G.shape == (3, 4)


def test_reader_coordinates_are_kept():
    arr = xr.DataArray(
        VALUES.T,
        dims=("variant", "sample"),
        coords={"sample": SAMPLES, "snp": ("variant", ["rs1", "rs2", "rs3"])},
    )
    G = as_genotype(arr)
    assert list(G["snp"].values) == ["rs1", "rs2", "rs3"]
    assert G["snp"].dims == ("candidate",)


def test_frame_columns_name_candidates():
    frame = pd.DataFrame(VALUES, index=SAMPLES, columns=["rs1", "rs2", "rs3"])
    G = as_genotype(frame)
    assert list(G["candidate"].values) == ["rs1", "rs2", "rs3"]


def test_lazy_input_is_not_read():
    values = np.random.RandomState(0).randn(6, 8)
    arr, source = counting_dask(values.T, chunks=(2, 6))  # variants × samples, as PLINK
    with dask.config.set(scheduler=forbid_compute):
        G = as_genotype(xr.DataArray(arr, dims=("variant", "sample")))
    assert source.reads == 0
    assert isinstance(G.data, da.Array)
    np.testing.assert_array_equal(G.values, values)
    assert source.reads > 0


def test_integer_dask_becomes_float_lazily():
    arr, source = counting_dask(np.ones((3, 2), dtype=np.int8), chunks=(3, 1))
    G = as_genotype(arr)
    assert G.dtype == np.float64
    assert source.reads == 0


def test_numpy_input_is_chunked_by_whole_candidates():
    G = as_genotype(np.zeros((5, 7)))
    assert G.data.chunks[0] == (5,)
