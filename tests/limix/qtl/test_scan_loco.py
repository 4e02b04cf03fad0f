"""Leave-one-chromosome-out: loco_kinships and scan with a per-chromosome K."""

import numpy as np
import pytest
import xarray as xr

from limix.qtl import scan
from limix.stats import linear_kinship, loco_kinships


def _data():
    rng = np.random.RandomState(4)
    n, m = 60, 24
    X = rng.binomial(2, 0.3, (n, m)).astype(float)
    X[rng.rand(n, m) < 0.02] = np.nan
    chrom = np.repeat(["1", "2", "10"], 8)
    G = xr.DataArray(
        X,
        dims=("sample", "candidate"),
        coords={"candidate": [f"v{i}" for i in range(m)], "chrom": ("candidate", chrom)},
    )
    y = np.nan_to_num(X[:, 5]) * 0.4 + rng.randn(n)
    return G, X, chrom, y


def test_loco_kinships_are_the_kinships_of_the_other_chromosomes():
    G, X, chrom, _ = _data()
    K = loco_kinships(G, chrom)
    assert list(K) == ["1", "2", "10"] and len(K) == 3
    for c in K:
        np.testing.assert_allclose(
            K[c], linear_kinship(X[:, chrom != c], verbose=False), atol=1e-12
        )
    with pytest.raises(KeyError):
        K["7"]
    with pytest.raises(ValueError, match="one chromosome per variant"):
        loco_kinships(X, chrom[:-1])


def test_scan_with_per_chromosome_kinships_is_each_chromosome_scanned_alone():
    G, X, chrom, y = _data()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = scan(G, y, "normal", K=loco_kinships(G, chrom), verbose=False)
        assert list(result.stats.index) == list(range(24))
        assert list(result.stats["chrom"]) == list(chrom)
        for c in ["1", "2", "10"]:
            alone = scan(
                G[:, chrom == c],
                y,
                "normal",
                linear_kinship(X[:, chrom != c], verbose=False),
                verbose=False,
            )
            rows = result.stats[result.stats["chrom"] == c]
            np.testing.assert_allclose(rows["pv20"], alone.stats["pv20"], rtol=1e-6)
            np.testing.assert_allclose(rows["lml0"], alone.h0.lml, rtol=1e-9)
    assert set(result.h0.variances["chrom"]) == {"1", "2", "10"}
    assert "chromosome 10:" in str(result)


def test_loco_errors_name_the_problem():
    G, X, _, y = _data()
    K = {"1": np.eye(60), "2": np.eye(60)}
    with pytest.raises(ValueError, match="no kinship for chromosome '10'"):
        scan(G, y, "normal", K=K, verbose=False)
    with pytest.raises(ValueError, match="'chrom' coordinate"):
        scan(X, y, "normal", K=K, verbose=False)
