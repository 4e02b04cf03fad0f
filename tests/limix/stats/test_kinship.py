"""linear_kinship against the dense formula 𝚇𝚇ᵀ/d; streaming, missing and monomorphic variants."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pandas as pd
import pytest
import xarray as xr

import limix.stats._kinship as kinship_module
from limix.stats import linear_kinship


def _dense(G):
    """Textbook: standardise observed values per column, missing → 0, drop constant columns."""
    G = np.asarray(G, dtype=float)
    columns = []
    for j in range(G.shape[1]):
        g = G[:, j]
        observed = ~np.isnan(g)
        if observed.sum() == 0 or np.ptp(g[observed]) == 0:
            continue
        z = np.zeros_like(g)
        z[observed] = (g[observed] - g[observed].mean()) / g[observed].std()
        columns.append(z)
    X = np.column_stack(columns)
    return X @ X.T / X.shape[1]


def _genotype(n=30, p=200, seed=0):
    random = np.random.default_rng(seed)
    return random.binomial(2, random.uniform(0.05, 0.5, p), size=(n, p)).astype(float)


def test_against_dense_formula():
    G = _genotype()
    K = linear_kinship(G, verbose=False)
    np.testing.assert_allclose(K, _dense(G), rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(K, K.T)
    np.testing.assert_allclose(np.trace(K), G.shape[0])


def test_missing_and_monomorphic_variants():
    G = _genotype(seed=1)
    random = np.random.default_rng(1)
    G[random.random(G.shape) < 0.1] = np.nan
    G[:, 3] = 1.0  # monomorphic
    G[:, 7] = np.nan  # never observed
    G[:, 9] = np.where(np.isnan(G[:, 9]), np.nan, 2.0)  # monomorphic among observed
    original = G.copy()
    K = linear_kinship(G, verbose=False)
    np.testing.assert_array_equal(np.isnan(G), np.isnan(original))
    assert np.isfinite(K).all()
    np.testing.assert_allclose(K, _dense(G), rtol=1e-12, atol=1e-14)
    # monomorphic variants contribute nothing: same K without them
    np.testing.assert_allclose(K, linear_kinship(np.delete(G, [3, 7, 9], axis=1), verbose=False))


def test_streams_in_blocks(monkeypatch):
    G = _genotype(n=20, p=333, seed=2)
    expected = _dense(G)
    # blocks of ~3 columns for numpy input, and uneven dask chunks
    monkeypatch.setattr(kinship_module, "BLOCK_BYTES", 8 * 20 * 3)
    np.testing.assert_allclose(linear_kinship(G, verbose=False), expected, rtol=1e-12)
    lazy = da.from_array(G, chunks=(7, (50, 1, 100, 82, 100)))
    np.testing.assert_allclose(linear_kinship(lazy, verbose=False), expected, rtol=1e-12)


def test_out():
    G = _genotype(n=10, p=40, seed=3)
    out = np.full((10, 10), 7.0)
    assert linear_kinship(G, out=out, verbose=False) is out
    np.testing.assert_allclose(out, _dense(G), rtol=1e-12)
    with pytest.raises(ValueError, match="out must be"):
        linear_kinship(G, out=np.empty((10, 9)), verbose=False)
    with pytest.raises(ValueError, match="out must be"):
        linear_kinship(G, out=np.empty((10, 10), dtype=np.float32), verbose=False)


def test_labels():
    G = _genotype(n=6, p=30, seed=4)
    samples = [f"s{i}" for i in range(6)]
    K = linear_kinship(pd.DataFrame(G, index=samples), verbose=False)
    assert list(K.index) == list(K.columns) == samples
    np.testing.assert_allclose(K.to_numpy(), _dense(G), rtol=1e-12)
    arr = xr.DataArray(G.T, dims=("candidate", "sample"), coords={"sample": samples})
    K = linear_kinship(arr, verbose=False)
    assert K.dims == ("sample_0", "sample_1")
    assert list(K["sample_0"].values) == samples
    np.testing.assert_allclose(K.values, _dense(G), rtol=1e-12)


def test_progress_and_errors(capsys):
    G = _genotype(n=5, p=10, seed=5)
    linear_kinship(G, verbose=True)
    assert "Kinship" in capsys.readouterr().err
    linear_kinship(G, verbose=False)
    assert capsys.readouterr().err == ""
    with pytest.raises(ValueError, match="no polymorphic"):
        linear_kinship(np.ones((4, 3)), verbose=False)
    with pytest.raises(ValueError, match="infinite"):
        linear_kinship(np.array([[0.0, np.inf], [1.0, 2.0]]), verbose=False)
    with pytest.raises(ValueError, match="G must"):
        linear_kinship(np.ones(4), verbose=False)
