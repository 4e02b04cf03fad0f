import dataclasses
import warnings

import dask
import dask.array as da
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from limix._data import (
    DroppedSamplesWarning,
    KinshipFactor,
    ScanInputs,
    prepare_inputs,
    prepare_scan_inputs,
)

from .helpers import LABELLED, counting_dask, forbid_compute, make

N = 8
LABELS = [f"s{i}" for i in range(N)]
Y_ORDER = [3, 1, 7, 0, 5, 2, 6, 4]


def _index(label):
    return int(label[1:])


def _kinship_truth(i, j):
    return 100.0 * min(i, j) + max(i, j)


def _scenario(y_kind, m_kind):
    """Every input labelled and shuffled differently; some samples absent or missing."""
    y_labels = [LABELS[i] for i in Y_ORDER]
    y = make(y_kind, [i + 0.5 for i in Y_ORDER], y_labels, other_dim="trait")
    m_order = [5, 0, 3, 7, 1, 4, 2]  # lacks s6
    M = make(m_kind, np.array([[1.0, 10.0 * i] for i in m_order]), [LABELS[i] for i in m_order])
    k_order = [2, 6, 0, 4, 1, 7, 3, 5]
    k_labels = [LABELS[i] for i in k_order] + ["extra"]
    k_index = [*k_order, 99]
    K = pd.DataFrame(
        [[_kinship_truth(i, j) for j in k_index] for i in k_index],
        index=k_labels,
        columns=k_labels,
    )
    K = K[list(reversed(k_labels))]  # columns in yet another order
    g_order = [4, 7, 1, 5, 0, 3, 6]  # lacks s2
    g_values = np.array([[i + 0.1 * v for i in g_order] for v in range(3)])  # variants × samples
    g_values[1, 2] = np.nan  # sample s1, variant 1
    g_dask, source = counting_dask(g_values, chunks=(2, 7))
    G = xr.DataArray(
        g_dask, dims=("variant", "sample"), coords={"sample": [LABELS[i] for i in g_order]}
    )
    E0 = np.array([np.nan if i == 5 else -float(i) for i in Y_ORDER])  # positional, like y
    return y, M, K, G, E0, source


@pytest.mark.parametrize("m_kind", LABELLED)
@pytest.mark.parametrize("y_kind", LABELLED)
def test_values_land_in_the_right_rows(y_kind, m_kind):
    y, M, K, G, E0, source = _scenario(y_kind, m_kind)
    with dask.config.set(scheduler=forbid_compute):
        with pytest.warns(DroppedSamplesWarning) as record:
            inputs = prepare_scan_inputs(G, y, "normal", K, M, E={"E0": E0})
    assert source.reads == 0
    expected = [i for i in Y_ORDER if i not in (6, 2, 5)]
    assert [_index(s) for s in inputs.samples] == expected
    np.testing.assert_array_equal(inputs.y.values[:, 0], [i + 0.5 for i in expected])
    np.testing.assert_array_equal(inputs.M.values[:, 1], [10.0 * i for i in expected])
    np.testing.assert_array_equal(
        inputs.K.values, [[_kinship_truth(i, j) for j in expected] for i in expected]
    )
    np.testing.assert_array_equal(inputs.E["E0"].values[:, 0], [-float(i) for i in expected])
    assert isinstance(inputs.G.data, da.Array)
    G_values = inputs.G.values
    g = np.array([[i + 0.1 * v for v in range(3)] for i in expected])
    observed = [i for i in expected if i != 1]
    g[expected.index(1), 1] = np.mean([i + 0.1 for i in observed])
    np.testing.assert_allclose(G_values, g)
    np.testing.assert_array_equal(inputs.G_nmissing.values, [0, 1, 0])
    for x in (inputs.y, inputs.M, inputs.K, inputs.E["E0"]):
        assert list(x.coords[x.dims[0]].values) == list(inputs.samples)
    message = str(record[0].message)
    assert "3 of the 8 samples of Y were dropped" in message
    assert "M lacks 1" in message and "G lacks 1" in message and "(E0: 1)" in message
    assert inputs.dropped.unmatched == 2
    assert inputs.rows.tolist() == [Y_ORDER.index(i) for i in expected]
    assert [_index(s) for s in inputs.reference] == Y_ORDER


def test_inputs_are_not_modified():
    y, M, K, G, E0, _ = _scenario("series_or_frame", "series_or_frame")
    copies = (y.copy(), M.copy(), K.copy(), E0.copy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DroppedSamplesWarning)
        inputs = prepare_scan_inputs(G, y, "normal", K, M, E={"E0": E0})
    np.asarray(inputs.G)
    pd.testing.assert_series_equal(y, copies[0])
    pd.testing.assert_frame_equal(M, copies[1])
    pd.testing.assert_frame_equal(K, copies[2])
    np.testing.assert_array_equal(E0, copies[3])
    assert np.isnan(G.values[1, 2])


def test_outputs_are_readonly_and_frozen():
    K = np.eye(3)
    inputs = prepare_inputs([1.0, 2.0, 3.0], K=K, M=np.ones((3, 1)))
    for x in (inputs.y, inputs.M, inputs.K):
        with pytest.raises(ValueError, match="read-only"):
            x.values[0, 0] = 5.0
    assert K[0, 0] == 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        inputs.y = None


def test_manual_single_trait_example():
    random = np.random.RandomState(2)
    n = 20
    M = pd.DataFrame(
        {"offset": np.ones(n), "age": random.randint(16, 75, n).astype(float)},
        index=pd.Index([f"sample{i}" for i in range(n)], name="sample"),
    )
    G = random.randn(n, 4)
    y = M @ random.randn(2) + G @ random.randn(4)  # a Series labelled by M's index
    inputs = prepare_scan_inputs(G, y, "normal", M=M)
    assert isinstance(inputs, ScanInputs)
    assert list(inputs.M["covariate"].values) == ["offset", "age"]
    np.testing.assert_array_equal(inputs.G.values, G)
    np.testing.assert_array_equal(inputs.y.values[:, 0], y.values)
    assert inputs.K is None and inputs.E == {}


def test_manual_poisson_example_unlabelled_y_and_labelled_m():
    n = 10
    M = pd.DataFrame({"age": np.arange(n, dtype=float)}, index=[f"s{i}" for i in range(n)])
    y = np.random.RandomState(0).poisson(2.0, n)
    inputs = prepare_scan_inputs(np.ones((n, 2)), y, "Poisson", np.eye(n), M=M)
    assert list(inputs.samples) == list(M.index)
    assert inputs.lik.name == "poisson"
    assert list(inputs.K["sample_0"].values) == list(M.index)


def test_multi_trait_numpy():
    Y = np.arange(12.0).reshape(6, 2)
    inputs = prepare_scan_inputs(np.zeros((6, 3)), Y, K=np.eye(6))
    assert inputs.y.shape == (6, 2)
    assert list(inputs.y["trait"].values) == ["0", "1"]
    assert inputs.samples.tolist() == list(range(6))


def test_vardec_style_dataarray_trait():
    Y = xr.DataArray(
        np.arange(15.0).reshape(5, 3),
        dims=("sample", "outcome"),
        coords={"sample": np.arange(5), "gene_ID": ("outcome", ["g1", "g2", "g3"])},
    )
    inputs = prepare_inputs(Y[:, [1]], "normal", K=np.eye(5))
    np.testing.assert_array_equal(inputs.y.values[:, 0], Y.values[:, 1])
    assert list(inputs.y["gene_ID"].values) == ["g2"]


def test_dask_trait_and_covariates_are_computed():
    inputs = prepare_inputs(
        da.from_array(np.arange(4.0), chunks=2),
        M=da.from_array(np.ones((4, 1)), chunks=2),
        K=da.from_array(np.eye(4), chunks=2),
    )
    assert isinstance(inputs.y.data, np.ndarray)
    assert isinstance(inputs.M.data, np.ndarray)
    assert isinstance(inputs.K.data, np.ndarray)


def test_offset_when_m_is_none_is_labelled():
    y = pd.Series([1.0, 2.0], index=["a", "b"])
    inputs = prepare_inputs(y)
    np.testing.assert_array_equal(inputs.M.values, np.ones((2, 1)))
    assert list(inputs.M["sample"].values) == ["a", "b"]


def test_kinship_factor_is_aligned_on_rows():
    y = pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"])
    X = pd.DataFrame([[3.0], [1.0], [2.0]], index=["c", "a", "b"])
    inputs = prepare_inputs(y, K=KinshipFactor(X))
    assert inputs.K.dims == ("sample", "factor")
    np.testing.assert_array_equal(inputs.K.values[:, 0], [1.0, 2.0, 3.0])


def test_unlabelled_g_of_wrong_orientation_names_counts():
    y = np.zeros(5)
    with pytest.raises(ValueError, match=r"G has 3 sample\(s\) but Y has 5"):
        prepare_scan_inputs(np.zeros((3, 5)), y)


def test_unlabelled_e_of_wrong_length():
    with pytest.raises(ValueError, match=r"E1 has 4 sample\(s\) but y has 3"):
        prepare_inputs([1.0, 2.0, 3.0], E={"E1": np.zeros(4)})


def test_invalid_lik_is_reported_first():
    with pytest.raises(ValueError, match="lik must be"):
        prepare_inputs([1.0], "student")


def test_environments_must_be_named():
    with pytest.raises(ValueError, match="E must map environment argument names"):
        prepare_inputs([1.0, 2.0], E=np.zeros(2))


@pytest.mark.parametrize("key", ["M", "K", "y", 0])
def test_environment_names_cannot_shadow_other_inputs(key):
    with pytest.raises(ValueError, match="E's keys name the environment arguments"):
        prepare_inputs([1.0, 2.0], E={key: np.zeros(2)})
