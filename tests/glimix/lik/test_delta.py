import numpy as np
import pytest

from glimix.lik import DeltaProdLik
from glimix.link import LogLink


def test_sample_is_the_mean():
    z = np.array([-2.0, 0.0, 3.5])
    np.testing.assert_array_equal(DeltaProdLik().sample(z), z)
    np.testing.assert_array_equal(DeltaProdLik().sample(z, np.random.default_rng(0)), z)
    np.testing.assert_allclose(DeltaProdLik(LogLink()).sample(z, 1), np.exp(z))
    np.testing.assert_array_equal(DeltaProdLik().mean(z), z)


def test_no_density():
    assert not hasattr(DeltaProdLik(), "logpdf")


def test_outcome():
    lik = DeltaProdLik()
    assert lik.sample_size is None
    lik.outcome = [-1.0, 2.5]
    assert lik.sample_size == 2
    np.testing.assert_array_equal(lik.outcome, [-1.0, 2.5])
    with pytest.raises(ValueError, match="outcome has 1 non-finite"):
        lik.outcome = [0.0, np.nan]


def test_bad_z_and_random_state():
    with pytest.raises(ValueError, match="z has 1 non-finite"):
        DeltaProdLik().sample([0.0, np.inf])
    with pytest.raises(ValueError, match="random_state must be"):
        DeltaProdLik().sample([0.0], "seed")
