import warnings

import numpy as np
import pandas as pd
import pytest

from limix._data import KinshipFactor, conform_kinship, prepare_inputs

LABELS = ["a", "b", "c", "d"]


def _inputs():
    y = pd.Series([1.0, np.nan, 3.0, 4.0], index=LABELS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return prepare_inputs(y)


def _truth():
    values = np.arange(16.0).reshape(4, 4)
    return values + values.T


def test_labelled_kinship_in_another_order():
    order = [3, 1, 0, 2]
    frame = pd.DataFrame(_truth()[np.ix_(order, order)], index=np.take(LABELS, order))
    frame.columns = frame.index
    K = conform_kinship(frame, _inputs(), "K_cis")
    keep = [0, 2, 3]
    np.testing.assert_array_equal(K.values, _truth()[np.ix_(keep, keep)])
    assert list(K["sample_1"].values) == ["a", "c", "d"]


def test_unlabelled_kinship_follows_the_trait_as_given():
    K = conform_kinship(_truth(), _inputs())
    keep = [0, 2, 3]
    np.testing.assert_array_equal(K.values, _truth()[np.ix_(keep, keep)])


def test_unlabelled_kinship_of_the_wrong_size():
    with pytest.raises(
        ValueError, match=r"K_trans has 3 sample\(s\) but the trait was given with 4"
    ):
        conform_kinship(np.eye(3), _inputs(), "K_trans")


def test_labelled_kinship_lacking_a_sample():
    frame = pd.DataFrame(np.eye(3), index=["a", "b", "c"], columns=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"K lacks 1 of the 3 analysed sample\(s\) .e.g. \['d'\]"):
        conform_kinship(frame, _inputs())


def test_factor():
    X = pd.DataFrame(np.arange(8.0).reshape(4, 2), index=LABELS[::-1])
    K = conform_kinship(KinshipFactor(X), _inputs())
    np.testing.assert_array_equal(K.values[:, 0], [6.0, 2.0, 0.0])
