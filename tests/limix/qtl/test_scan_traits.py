"""scan_traits: every trait's table equals a single-trait scan of it (itself tested against dense
fits in test_scan_dense.py), with K full rank, centred (singular) and absent."""

import warnings

import numpy as np
import pandas as pd
import pytest

from limix.qtl import scan, scan_traits
from limix.stats import linear_kinship


@pytest.mark.parametrize("kinship", ["centred", "ridge", None])
def test_each_trait_is_its_single_trait_scan(kinship):
    rng = np.random.RandomState(1)
    n, T, m = 50, 3, 7
    X = rng.binomial(2, 0.3, (n, 80)).astype(float)
    K = {"centred": linear_kinship(X, verbose=False), None: None}.get(kinship)
    if kinship == "ridge":
        K = linear_kinship(X, verbose=False) + 0.1 * np.eye(n)
    M = np.column_stack([np.ones(n), rng.randn(n)])
    Y = M @ rng.randn(2, T) + rng.randn(n, T)
    G = rng.randn(n, m)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        many = scan_traits(G, Y, K, M, verbose=False)
    assert len(many.stats) == T * m
    for t in range(T):
        one = scan(G, Y[:, t], "normal", K, M, verbose=False)
        rows = many.stats[many.stats["trait"] == str(t)]
        np.testing.assert_allclose(rows["lml2"], one.stats["lml2"], rtol=1e-8)
        np.testing.assert_allclose(rows["pv20"], one.stats["pv20"], rtol=1e-6, atol=1e-12)
        cand = one.effsizes["h2"].query("effect_type == 'candidate'")
        np.testing.assert_allclose(rows["effsize"], cand["effsize"], rtol=1e-6, atol=1e-10)
        np.testing.assert_allclose(rows["effsize_se"], cand["effsize_se"], rtol=1e-6)
        np.testing.assert_allclose(many.h0["lml"].iloc[t], one.h0.lml, rtol=1e-10)


def test_labelled_inputs_are_aligned_and_exported(tmp_path):
    rng = np.random.RandomState(2)
    n = 30
    samples = [f"s{i}" for i in range(n)]
    Y = pd.DataFrame(rng.randn(n, 2), index=samples, columns=["a", "b"])
    G = pd.DataFrame(rng.randn(n, 4), index=samples, columns=["v0", "v1", "v2", "v3"])
    shuffled = G.sample(frac=1, random_state=0)
    r1 = scan_traits(G, Y, verbose=False)
    r2 = scan_traits(shuffled, Y, verbose=False)
    np.testing.assert_allclose(r1.stats["pv20"], r2.stats["pv20"], rtol=1e-12)
    assert list(r1.stats["trait"].cat.categories) == ["a", "b"]
    assert list(r1.stats["candidate"].unique()) == ["v0", "v1", "v2", "v3"]
    paths = r1.to_csv(tmp_path)
    assert sorted(p.name for p in paths) == ["h0.csv", "stats.csv"]
    assert "Scan of 2 traits × 4 candidates" in str(r1)
