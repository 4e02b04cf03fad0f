import numpy as np
import pytest

from glimix.random import as_random_state


def test_passes_generators_through():
    rs = np.random.RandomState(0)
    gen = np.random.default_rng(0)
    assert as_random_state(rs) is rs
    assert as_random_state(gen) is gen


def test_integer_seed_is_a_random_state():
    random = as_random_state(42)
    assert isinstance(random, np.random.RandomState)
    np.testing.assert_array_equal(
        random.standard_normal(5), np.random.RandomState(42).standard_normal(5)
    )
    assert isinstance(as_random_state(np.int64(3)), np.random.RandomState)
    assert isinstance(as_random_state(2**32 - 1), np.random.RandomState)


def test_none_is_fresh():
    a = as_random_state(None)
    b = as_random_state(None)
    assert isinstance(a, np.random.Generator)
    assert a is not b
    assert not np.array_equal(a.standard_normal(8), b.standard_normal(8))


@pytest.mark.parametrize("bad", [True, 1.5, "0", [1, 2], -1, 2**32, np.random.SeedSequence(0)])
def test_rejects(bad):
    with pytest.raises(ValueError, match="random_state"):
        as_random_state(bad)
