"""The samples an analysis of several traits uses: analysis_samples, listed_samples,
KinshipBySamples — checked against expectations built by hand, sample by sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from limix._data import (
    DecomposedKinship,
    KinshipBySamples,
    NoCommonSamples,
    analysis_samples,
    listed_samples,
)

NAN = np.nan


def _random_tables(seed: int):
    """Tables over overlapping, shuffled ID sets with missing values scattered in them."""
    rng = np.random.default_rng(seed)
    universe = np.array([f"s{i:03d}" for i in range(60)], dtype=object)

    def some(fraction):
        chosen = universe[rng.random(len(universe)) < fraction]
        return pd.Index(rng.permutation(chosen), dtype=object)

    genotyped = some(0.9)
    pheno_ids = some(0.8)
    Y = pd.DataFrame(
        {
            "a": np.where(rng.random(len(pheno_ids)) < 0.2, NAN, rng.normal(size=len(pheno_ids))),
            "b": np.where(rng.random(len(pheno_ids)) < 0.3, NAN, rng.normal(size=len(pheno_ids))),
            "n": np.where(rng.random(len(pheno_ids)) < 0.1, NAN, 10.0),
        },
        index=pheno_ids,
    )
    cov_ids = some(0.85)
    M = pd.DataFrame(
        {"age": np.where(rng.random(len(cov_ids)) < 0.1, NAN, rng.normal(size=len(cov_ids)))},
        index=cov_ids,
    )
    return genotyped, Y, M, some(0.9), some(0.7), some(0.1)


def _by_hand(genotyped, Y, M, K_ids, keep, exclude, required):
    """The expected samples, decided one sample at a time (no pandas joins)."""
    pheno = dict(zip(Y.index, Y.to_dict("records"), strict=True))
    cov = dict(zip(M.index, M["age"], strict=True))
    kin = set(K_ids)
    selected, common, analysed = [], [], []
    per_trait = {"a": [], "b": []}
    for s in genotyped:
        if s not in set(keep) or s in set(exclude):
            continue
        selected.append(s)
        if s not in pheno or s not in cov or s not in kin:
            continue
        common.append(s)
        row = pheno[s]
        has = {t: not np.isnan(row[t]) for t in ("a", "b")}
        if not any(has.values()) or np.isnan(cov[s]):
            continue
        if any(np.isnan(row[r]) for r in required):
            continue
        analysed.append(s)
        for t in per_trait:
            if has[t]:
                per_trait[t].append(s)
    return selected, common, analysed, per_trait


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("required", [(), ("n",)])
def test_samples_match_a_hand_built_expectation(seed, required):
    genotyped, Y, M, K_ids, keep, exclude = _random_tables(seed)
    got = analysis_samples(
        genotyped,
        Y,
        ["a", "b"],
        covariates=M,
        kinship=K_ids,
        required=required,
        keep=keep,
        exclude=exclude,
    )
    selected, common, analysed, per_trait = _by_hand(
        genotyped, Y, M, K_ids, keep, exclude, required
    )
    assert got.selected == len(selected)
    assert list(got.common) == common
    assert list(got.samples) == analysed
    assert got.incomplete == len(common) - len(analysed)
    for trait, expected in per_trait.items():
        assert list(got.of(trait)) == expected
        assert got.left_out(trait) == len(analysed) - len(expected)
        values = got.values(trait)
        assert values.name == trait and list(values.index) == expected
        assert values.to_list() == [Y.at[s, trait] for s in expected]
    assert dict(got.sizes) == {"phenotype": len(Y), "covariates": len(M), "kinship": len(K_ids)}
    in_keep = [s for s in genotyped if s in set(keep)]
    assert dict(got.removed) == {
        "keep": len(genotyped) - len(in_keep),
        "exclude": len(in_keep) - len(selected),
    }
    assert not got.by_position


def test_counts_and_names_of_a_small_case():
    Y = pd.DataFrame(
        {"y": [1.0, NAN, 3.0, 4.0, 5.0], "z": [NAN, NAN, 1.0, NAN, 2.0]},
        index=["e", "b", "c", "a", "x"],
    )
    M = pd.DataFrame({"sex": [0.0, 1.0, NAN, 1.0]}, index=["a", "b", "c", "e"])
    got = analysis_samples(
        pd.Index(["a", "b", "c", "d", "e"]),
        Y,
        ["y", "z"],
        covariates=M,
        exclude=pd.Index(["zz"]),
        names={"phenotype": "PHENOTYPE", "covariates": "--covariates"},
    )
    # d: not in PHENOTYPE nor --covariates; b: no trait value; c: no covariate
    assert list(got.common) == ["a", "b", "c", "e"]
    assert list(got.samples) == ["a", "e"]
    assert list(got.of("y")) == ["a", "e"] and list(got.of("z")) == []
    assert dict(got.sizes) == {"PHENOTYPE": 5, "--covariates": 4}
    assert dict(got.removed) == {"exclude": 0} and got.selected == 5


def test_an_unlabelled_phenotype_is_read_in_genotype_order():
    Y = pd.DataFrame({"0": [1.0, NAN, 3.0]})  # RangeIndex: a BIMBAM phenotype file
    got = analysis_samples(pd.Index(["g1", "g2", "g3"]), Y, ["0"])
    assert got.by_position
    assert list(got.samples) == ["g1", "g3"]
    assert got.values("0").to_dict() == {"g1": 1.0, "g3": 3.0}
    with pytest.raises(ValueError, match="rows must be the 2 samples of genotype"):
        analysis_samples(pd.Index(["g1", "g2"]), Y, ["0"])


def test_no_common_sample_names_the_table_sharing_fewest():
    Y = pd.DataFrame({"y": [1.0, 2.0]}, index=["a", "b"])
    with pytest.raises(NoCommonSamples, match="no sample ID in common") as err:
        analysis_samples(
            pd.Index(["a", "b"]),
            Y,
            ["y"],
            kinship=pd.Index(["p", "q"]),
            names={"kinship": "--kinship"},
        )
    assert err.value.source == "--kinship"


def test_repeated_ids_are_refused():
    Y = pd.DataFrame({"y": [1.0, 2.0]}, index=["a", "a"])
    with pytest.raises(ValueError, match="a"):
        analysis_samples(pd.Index(["a", "b"]), Y, ["y"])


def test_listed_samples_keep_genotype_order_and_count_each_list():
    ids = pd.Index(["d", "a", "c", "b"])
    got = listed_samples(ids, keep=pd.Index(["a", "b", "c", "q"]), exclude=pd.Index(["c", "d"]))
    assert list(got.samples) == ["a", "b"]
    assert dict(got.removed) == {"keep": 1, "exclude": 1}  # d by the keep list, c by exclude
    assert dict(listed_samples(ids).removed) == {}
    assert list(listed_samples(ids).samples) == list(ids)


def test_genotype_is_selected_by_label_and_stays_lazy():
    import dask.array as da

    values = np.arange(12.0).reshape(4, 3)
    G = xr.DataArray(
        da.from_array(values, chunks=2),
        dims=("sample", "candidate"),
        coords={"sample": np.array(["w", "x", "y", "z"], dtype=object)},
    )
    Y = pd.DataFrame({"t": [1.0, 2.0, NAN], "u": [NAN, NAN, 5.0]}, index=["z", "x", "y"])
    got = analysis_samples(pd.Index(G["sample"].values), Y, ["t", "u"])
    on = got.genotype(G, "t")
    assert isinstance(on.data, da.Array)
    np.testing.assert_array_equal(on.values, values[[1, 3]])  # x, z: genotype order
    np.testing.assert_array_equal(got.genotype(G).values, values[[1, 2, 3]])
    with pytest.raises(ValueError, match="'sample' coordinate"):
        got.genotype(values)


def test_kinship_is_decomposed_once_per_sample_set():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 8))
    ids = list("abcde")
    K = pd.DataFrame(X @ X.T / 8, index=ids, columns=ids)
    kinships = KinshipBySamples(K)
    first = kinships.on(pd.Index(["e", "b", "c"]))
    assert isinstance(first, DecomposedKinship)
    assert kinships.on(pd.Index(["e", "b", "c"])) is first
    assert kinships.on(pd.Index(["b", "c", "e"])) is not first
    np.testing.assert_array_equal(first.matrix.values, K.to_numpy()[np.ix_([4, 1, 2], [4, 1, 2])])
    (Q0,), S0 = first.qs()
    np.testing.assert_allclose(Q0 * S0 @ Q0.T, first.matrix.values, atol=1e-12)
    with pytest.raises(TypeError):
        KinshipBySamples(K.to_numpy())
