"""The model formulas of the scan printouts, as the reference manual writes them."""

from __future__ import annotations

__all__ = ["alternative_formula", "null_covariance", "null_formula"]

#: Outcome distribution and link of each non-normal likelihood, as printed after the latent model.
_OUTCOME = {
    "bernoulli": "yᵢ ~ Bernoulli(μᵢ=g(zᵢ)) and g(x)=1/(1+e⁻ˣ)",
    "probit": "yᵢ ~ Bernoulli(μᵢ=g(zᵢ)) and g(x)=Φ(x)",
    "binomial": "yᵢ ~ Binomial(μᵢ=g(zᵢ), nᵢ) and g(x)=1/(1+e⁻ˣ)",
    "poisson": "yᵢ ~ Poisson(λᵢ=g(zᵢ)) and g(x)=eˣ",
}


def null_covariance(v0: float, v1: float, has_kinship: bool) -> str:
    """``v₀⋅𝙺 + v₁⋅𝙸`` (or ``v₁⋅𝙸`` without a kinship), three decimals."""
    if has_kinship:
        return f"{v0:.3f}⋅𝙺 + {v1:.3f}⋅𝙸"
    return f"{v1:.3f}⋅𝙸"


def _wrap(lik: str, mean: str, covariance: str) -> str:
    if lik == "normal":
        return f"𝐲 ~ 𝓝({mean}, {covariance})"
    return f"𝐳 ~ 𝓝({mean}, {covariance}) for {_OUTCOME[lik]}"


def null_formula(lik: str, covariance: str) -> str:
    """𝓗₀ of a single-trait scan: ``𝐲 ~ 𝓝(𝙼𝜶, 1.436⋅𝙺 + 2.934⋅𝙸)``.

    Examples
    --------
    >>> print(null_formula("poisson", null_covariance(0.154, 0.0, True)))
    𝐳 ~ 𝓝(𝙼𝜶, 0.154⋅𝙺 + 0.000⋅𝙸) for yᵢ ~ Poisson(λᵢ=g(zᵢ)) and g(x)=eˣ
    """
    return _wrap(lik, "𝙼𝜶", covariance)


def alternative_formula(lik: str, covariance: str, terms: str) -> str:
    """An alternative: the candidate ``terms`` added to the mean.

    For a normal trait the covariance is rescaled by a refitted s; a non-normal trait keeps the
    null's covariance (its scan tests the EP pseudo-observations at s = 1, see
    ``glimix.glmm.PseudoDataScanner``).

    Examples
    --------
    >>> print(alternative_formula("normal", null_covariance(0.0, 3.462, False), "G𝛃"))
    𝐲 ~ 𝓝(𝙼𝜶 + G𝛃, s(3.462⋅𝙸))
    >>> print(alternative_formula("poisson", null_covariance(0.154, 0.0, True), "G𝛃"))
    𝐳 ~ 𝓝(𝙼𝜶 + G𝛃, 0.154⋅𝙺 + 0.000⋅𝙸) for yᵢ ~ Poisson(λᵢ=g(zᵢ)) and g(x)=eˣ
    """
    if lik == "normal":
        covariance = f"s({covariance})"
    return _wrap(lik, f"𝙼𝜶 + {terms}", covariance)
