"""How many samples of the trait were left out, and why; the warning that says so."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ._warnings import DroppedSamplesWarning

__all__ = ["DroppedSamples", "warn_dropped"]


@dataclass(frozen=True)
class DroppedSamples:
    """Counts of the samples of the trait that the analysis leaves out.

    Attributes
    ----------
    nsamples
        Samples of the trait as given.
    unmatched
        Dropped because a labelled input lacks them (the inner join on labels).
    absent
        Per labelled input, how many of the trait's samples it lacks (may overlap).
    missing
        Per input, samples dropped for a missing value there. A sample missing values in several
        inputs is counted once, under the first of: the trait, ntrials, M, the environments.
    ntraits
        Number of traits (a multi-trait sample is dropped when any of its traits is missing).

    Examples
    --------
    >>> from limix._data import DroppedSamples
    >>> d = DroppedSamples(10, unmatched=2, absent={"K": 2}, missing={"y": 1})
    >>> d.total, d.kept
    (3, 7)
    """

    nsamples: int
    unmatched: int = 0
    absent: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    missing: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    ntraits: int = 1

    @property
    def total(self) -> int:
        """All samples left out."""
        return self.unmatched + sum(self.missing.values())

    @property
    def kept(self) -> int:
        """Samples analysed."""
        return self.nsamples - self.total

    def message(self, trait: str = "y") -> str:
        """A sentence stating the counts, for the warning and for logs."""
        parts = []
        if self.unmatched:
            where = ", ".join(f"{k} lacks {v}" for k, v in self.absent.items())
            parts.append(f"{self.unmatched} absent from a labelled input ({where})")
        missing = {k: v for k, v in self.missing.items() if v}
        if missing:
            where = ", ".join(f"{k}: {v}" for k, v in missing.items())
            note = ""
            if self.ntraits > 1 and missing.get(trait):
                note = f"; a sample missing any of the {self.ntraits} traits is dropped"
            parts.append(f"{sum(missing.values())} with a missing value ({where}{note})")
        return (
            f"{self.total} of the {self.nsamples} samples of {trait} were dropped: "
            f"{'; '.join(parts)}. {self.kept} sample(s) are analysed."
        )


def warn_dropped(dropped: DroppedSamples, trait: str = "y", stacklevel: int = 4) -> None:
    """Issue a :class:`DroppedSamplesWarning` when any sample was dropped."""
    if dropped.total:
        warnings.warn(dropped.message(trait), DroppedSamplesWarning, stacklevel=stacklevel)
