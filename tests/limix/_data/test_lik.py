import warnings

import numpy as np
import pandas as pd
import pytest

from limix._data import Likelihood, as_ntrials, check_outcome, parse_lik, prepare_inputs


@pytest.mark.parametrize(
    ("lik", "name"),
    [
        ("normal", "normal"),
        ("Normal", "normal"),
        ("BERNOULLI", "bernoulli"),
        ("probit", "probit"),
        ("Poisson", "poisson"),
        (("poisson",), "poisson"),
        (["normal"], "normal"),
    ],
)
def test_names_are_case_insensitive(lik, name):
    assert parse_lik(lik) == (name, None)


def test_binomial_takes_its_trials():
    kind, ntrials = parse_lik(("Binomial", [3, 4]))
    assert kind == "binomial"
    assert ntrials == [3, 4]


@pytest.mark.parametrize(
    ("lik", "match"),
    [
        ("gaussian", "lik must be .*unknown name 'gaussian'"),
        (None, "lik must be"),
        ((), "lik must be"),
        (3, "lik must be"),
        ("binomial", "binomial likelihood needs its trial counts"),
        (("binomial", None), "binomial likelihood needs its trial counts"),
        (("poisson", 3), "'poisson' takes no extra parameter"),
    ],
)
def test_invalid_lik(lik, match):
    with pytest.raises(ValueError, match=match):
        parse_lik(lik)


def test_ntrials_with_labels_is_aligned_and_missing_drops():
    y = pd.Series([1.0, 0.0, 2.0, 3.0], index=["a", "b", "c", "d"])
    ntrials = pd.Series([4.0, np.nan, 3.0, 5.0], index=["d", "c", "b", "a"])
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        inputs = prepare_inputs(y, ("binomial", ntrials))
    assert list(inputs.samples) == ["a", "b", "d"]
    np.testing.assert_array_equal(inputs.lik.ntrials.values, [5.0, 3.0, 4.0])
    assert inputs.lik.ntrials.dims == ("sample",)
    assert "(ntrials: 1)" in str(record[0].message)
    name, counts = inputs.lik.spec
    assert name == "binomial"
    np.testing.assert_array_equal(counts, [5.0, 3.0, 4.0])


def test_unlabelled_ntrials_of_wrong_length():
    with pytest.raises(ValueError, match=r"ntrials has 2 sample\(s\) but y has 3"):
        prepare_inputs([1.0, 0.0, 1.0], ("binomial", [2, 2]))


def test_ntrials_must_be_one_column():
    with pytest.raises(ValueError, match="ntrials must hold one count per sample"):
        as_ntrials(np.ones((3, 2)))


def test_spec_of_a_name():
    assert Likelihood("poisson").spec == "poisson"


@pytest.mark.parametrize(
    ("name", "y", "match"),
    [
        ("bernoulli", [0.0, 2.0, 1.0], "y must be 0 or 1 for a bernoulli likelihood; 1 value"),
        ("probit", [0.5, 1.0, 1.0], "y must be 0 or 1 for a probit"),
        ("poisson", [1.0, -1.0, 2.5], "non-negative whole numbers .counts.*2 value"),
    ],
)
def test_outcome_outside_support(name, y, match):
    with pytest.raises(ValueError, match=match):
        prepare_inputs(y, name)


def test_binomial_outcome_above_trials():
    with pytest.raises(ValueError, match=r"between 0 and ntrials.*1 value"):
        prepare_inputs([1.0, 4.0], ("binomial", [3, 3]))


def test_binomial_trials_must_be_whole():
    with pytest.raises(ValueError, match="ntrials must hold non-negative whole numbers"):
        prepare_inputs([1.0, 1.0], ("binomial", [3.5, 3]))


def test_valid_outcomes_pass():
    check_outcome(np.array([[0.0], [1.0]]), Likelihood("bernoulli"))
    check_outcome(np.array([[0.0], [7.0]]), Likelihood("poisson"))
    check_outcome(np.array([[-3.2], [7.1]]), Likelihood("normal"))
