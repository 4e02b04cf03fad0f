"""What the one-link product likelihoods share: their name, default link and representation."""

import pytest

from glimix.lik import BernoulliProdLik, DeltaProdLik, PoissonProdLik
from glimix.link import IdentityLink, LogitLink, LogLink, ProbitLink


@pytest.mark.parametrize(
    ("cls", "name", "default", "default_repr", "other", "other_str"),
    [
        (
            BernoulliProdLik,
            "Bernoulli",
            LogitLink(),
            "BernoulliProdLik(link=LogitLink())",
            ProbitLink(),
            "BernoulliProdLik(link=ProbitLink())",
        ),
        (
            PoissonProdLik,
            "Poisson",
            LogLink(),
            "PoissonProdLik(link=LogLink())",
            IdentityLink(),
            "PoissonProdLik(link=IdentityLink())",
        ),
        (
            DeltaProdLik,
            "Delta",
            IdentityLink(),
            "DeltaProdLik(link=IdentityLink())",
            LogLink(),
            "DeltaProdLik(link=LogLink())",
        ),
    ],
)
def test_defaults_and_repr(cls, name, default, default_repr, other, other_str):
    lik = cls()
    assert lik.name == name
    assert lik.link == default
    assert repr(lik) == default_repr
    assert str(cls(other)) == other_str
