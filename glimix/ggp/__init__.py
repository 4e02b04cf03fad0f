"""Generalised Gaussian processes: latent GPs with exponential-family likelihoods, by EP."""

from ._expfam import ExpFamGP

__all__ = ["ExpFamGP"]
