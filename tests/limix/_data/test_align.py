import numpy as np
import pytest
import xarray as xr

from limix._data import align_samples


def _arr(n, labels=None, dim="x"):
    coords = {"sample": labels} if labels is not None else {}
    return xr.DataArray(np.zeros((n, 1)), dims=("sample", dim), coords=coords)


def _kin(n, labels=None):
    coords = {"sample_0": labels, "sample_1": labels} if labels is not None else {}
    return xr.DataArray(np.zeros((n, n)), dims=("sample_0", "sample_1"), coords=coords)


def test_shuffled_labels_are_matched():
    al = align_samples({"y": _arr(3, ["a", "b", "c"]), "M": _arr(3, ["c", "a", "b"])})
    assert list(al.samples) == ["a", "b", "c"]
    assert al.rows["M"].tolist() == [1, 2, 0]
    assert al.rows["y"].tolist() == [0, 1, 2]
    assert al.unmatched == 0


def test_partial_overlap_is_an_inner_join_in_y_order():
    al = align_samples(
        {
            "y": _arr(4, ["a", "b", "c", "d"]),
            "M": _arr(3, ["d", "b", "a"]),
            "K": _kin(4, ["b", "z", "d", "c"]),
        }
    )
    assert list(al.samples) == ["b", "d"]
    assert al.rows["y"].tolist() == [1, 3]
    assert al.rows["M"].tolist() == [1, 0]
    assert al.rows["K"].tolist() == [0, 2]
    assert al.unmatched == 2
    assert dict(al.absent) == {"M": 1, "K": 1}
    assert al.nsamples == 4
    assert list(al.reference) == ["a", "b", "c", "d"]


def test_unlabelled_length_mismatch_names_input_and_counts():
    message = r"G has 5 sample\(s\) but y has 4; G has no sample labels"
    with pytest.raises(ValueError, match=message):
        align_samples({"y": _arr(4, ["a", "b", "c", "d"]), "G": _arr(5)})


def test_unlabelled_inputs_are_positional():
    al = align_samples({"y": _arr(3, ["a", "b", "c"]), "K": _kin(3), "M": _arr(3, ["c", "b", "a"])})
    assert al.rows["K"].tolist() == [0, 1, 2]
    assert al.rows["M"].tolist() == [2, 1, 0]


def test_duplicates_in_a_matched_input_are_an_error():
    with pytest.raises(ValueError, match=r"M has 1 duplicated sample label.*\['a'\]"):
        align_samples({"y": _arr(3, ["a", "b", "c"]), "M": _arr(3, ["a", "a", "b"])})


def test_duplicates_in_y_are_an_error_naming_them():
    # (they used to be matched as repeated measures: which row is which sample is a guess)
    with pytest.raises(ValueError, match=r"y has 1 duplicated sample label: \['a'\] \(2 rows\)"):
        align_samples({"y": _arr(3, ["a", "b", "a"]), "K": _kin(2, ["b", "a"])})


def test_identical_duplicated_labels_are_an_error_too():
    labels = ["a", "a", "b"]
    with pytest.raises(ValueError, match=r"y has 1 duplicated sample label"):
        align_samples({"y": _arr(3, labels), "M": _arr(3, labels)})


def test_missing_labels_are_an_error():
    with pytest.raises(ValueError, match=r"M has 1 missing sample label"):
        align_samples({"y": _arr(3, ["a", "b", "c"]), "M": _arr(3, ["a", None, "c"])})


def test_unlabelled_y_takes_the_labels_of_the_others():
    al = align_samples({"y": _arr(3), "M": _arr(3, ["c", "a", "b"]), "G": _arr(3)})
    assert list(al.samples) == ["c", "a", "b"]
    assert al.rows["M"].tolist() == [0, 1, 2]


def test_unlabelled_y_with_disagreeing_labelled_inputs_is_ambiguous():
    with pytest.raises(ValueError, match="y has no sample labels, and M and K list different"):
        align_samples({"y": _arr(3), "M": _arr(3, ["a", "b", "c"]), "K": _kin(3, ["b", "a", "c"])})


def test_unlabelled_y_with_labelled_input_of_other_length():
    with pytest.raises(ValueError, match=r"y has 3 sample\(s\) and M has 4"):
        align_samples({"y": _arr(3), "M": _arr(4, ["a", "b", "c", "d"])})


def test_nothing_labelled_gives_positions():
    al = align_samples({"y": _arr(3), "M": _arr(3)})
    assert list(al.samples) == [0, 1, 2]


def test_no_common_sample_is_an_error():
    with pytest.raises(ValueError, match="no sample of y is in every labelled input"):
        align_samples({"y": _arr(2, ["a", "b"]), "M": _arr(2, [0, 1])})


def test_keep_restricts_every_input():
    al = align_samples({"y": _arr(3, ["a", "b", "c"]), "M": _arr(3, ["c", "b", "a"])})
    kept = al.keep(np.array([True, False, True]))
    assert list(kept.samples) == ["a", "c"]
    assert kept.rows["M"].tolist() == [2, 0]
    assert list(kept.reference) == ["a", "b", "c"]
