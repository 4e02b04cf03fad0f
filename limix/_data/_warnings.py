"""Warnings issued by the input layer when it changes what the analysis sees."""

from __future__ import annotations

__all__ = ["DroppedSamplesWarning", "ImputedGenotypesWarning"]


class DroppedSamplesWarning(UserWarning):
    """Samples of the trait were left out: absent from a labelled input, or with a missing value."""


class ImputedGenotypesWarning(UserWarning):
    """Missing genotypes were replaced by their candidate's mean over the analysed samples."""
