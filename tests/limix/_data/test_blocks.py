import warnings

import numpy as np
import pytest
import xarray as xr

from limix._data import ImputedGenotypesWarning, genotype_blocks, impute_genotype

from .helpers import counting_dask


def _stream(values, chunks, budget):
    arr, source = counting_dask(values, chunks)
    G, nmissing = impute_genotype(xr.DataArray(arr, dims=("sample", "candidate")))
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        blocks = list(genotype_blocks(G, nmissing, budget=budget))
    return blocks, record, source


def test_blocks_cover_the_imputed_matrix_and_read_each_chunk_once():
    values = np.random.RandomState(0).randn(5, 9)
    values[0, 2] = values[3, 2] = values[4, 7] = np.nan
    blocks, record, source = _stream(values, (5, 2), budget=8 * 6 * 4)
    assert [b[:2] for b in blocks] == [(0, 4), (4, 8), (8, 9)]
    full = np.hstack([b[2] for b in blocks])
    expected = np.where(np.isnan(values), np.nanmean(values, axis=0), values)
    np.testing.assert_allclose(full, expected)
    assert source.reads == 5  # one read per chunk: values and counts share it
    assert all(b[2].flags.writeable for b in blocks)
    # each block comes with its columns' counts of imputed genotypes
    np.testing.assert_array_equal(np.hstack([b[3] for b in blocks]), np.isnan(values).sum(0))
    assert len(record) == 1
    assert issubclass(record[0].category, ImputedGenotypesWarning)
    assert "3 missing genotype(s) in 2 of the 9 candidate(s)" in str(record[0].message)


def test_no_warning_without_missing_genotypes():
    blocks, record, _ = _stream(np.ones((3, 4)), (3, 2), budget=10**6)
    assert record == []
    assert len(blocks) == 1


def test_candidate_without_any_observation():
    values = np.ones((3, 2))
    values[:, 1] = np.nan
    blocks, record, _ = _stream(values, (3, 1), budget=10**6)
    np.testing.assert_array_equal(blocks[0][2][:, 1], 0.0)
    assert "1 candidate(s) had no observed genotype and were set to 0" in str(record[0].message)


def test_subset_of_candidates():
    values = np.arange(12.0).reshape(3, 4)
    values[1, 3] = np.nan
    arr, _ = counting_dask(values, (3, 2))
    G, nmissing = impute_genotype(xr.DataArray(arr, dims=("sample", "candidate")))
    with pytest.warns(ImputedGenotypesWarning, match="1 missing genotype"):
        blocks = list(genotype_blocks(G[:, [3, 0]], nmissing[[3, 0]]))
    np.testing.assert_array_equal(blocks[0][2][:, 0], [3.0, 7.0, 11.0])
