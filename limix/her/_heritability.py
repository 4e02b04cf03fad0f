"""The heritability estimate: a float that also carries its standard error and its model."""

from __future__ import annotations

import math

__all__ = ["Heritability"]


class Heritability(float):
    """Narrow-sense heritability h², a float, with a standard error where the model gives one.

    Attributes
    ----------
    se
        Standard error of h² (NaN where the model gives none).
    lik
        The likelihood the trait was modelled with.
    v0, v1
        Fitted variances of the genetic (v₀K) and the independent (v₁I) latent effects.
    residual
        The latent residual variance of the link added to the denominator: π²/3 for the logit
        link, 1 for the probit link, 0 otherwise.
    """

    se: float
    lik: str
    v0: float
    v1: float
    residual: float

    def __new__(
        cls, value: float, se: float, lik: str, v0: float, v1: float, residual: float
    ) -> Heritability:
        obj = super().__new__(cls, value)
        obj.se = se
        obj.lik = lik
        obj.v0 = v0
        obj.v1 = v1
        obj.residual = residual
        return obj

    def summary(self) -> str:
        """A one-paragraph description of the estimate and its variance components."""
        se = "not available" if math.isnan(self.se) else f"{self.se:.4f}"
        text = (
            f"Heritability (lik={self.lik}): h² = {float(self):.4f}, se {se}\n"
            f"  genetic variance v₀ = {self.v0:.4g}, independent variance v₁ = {self.v1:.4g}"
        )
        if self.residual:
            text += f", latent residual of the link {self.residual:.4g}"
        return text
