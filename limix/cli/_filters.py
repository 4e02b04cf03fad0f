"""Sample and variant filters given as options, parsed as data (never evaluated as code)."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
import numpy as np
import pandas as pd

from ._errors import reading
from ._genotype import Genotype

__all__ = [
    "FRACTION",
    "MAF",
    "POS_RANGE",
    "Filters",
    "VariantFilters",
    "chromosome_set",
    "filter_options",
    "filters_argument",
    "read_id_list",
    "removed_lines",
]

F = TypeVar("F", bound=Callable[..., Any])


class _Fraction(click.ParamType):
    """A real number in [low, high]."""

    def __init__(self, low: float, high: float, what: str) -> None:
        self.low, self.high, self.what = low, high, what
        self.name = what

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, float):
            number = value
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number.", param, ctx)
        if not (self.low <= number <= self.high):  # NaN fails too
            self.fail(f"{value!r} is outside [{self.low:g}, {self.high:g}].", param, ctx)
        return number


class _PosRange(click.ParamType):
    """``START:END`` base-pair positions, both inclusive; either may be left out."""

    name = "START:END"
    _PATTERN = re.compile(r"^\s*(\d*)\s*[:-]\s*(\d*)\s*$")

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, tuple):
            return value
        text = str(value).replace(",", "").replace("_", "")
        match = self._PATTERN.match(text)
        if match is None or not (match.group(1) or match.group(2)):
            self.fail(
                f"{value!r} is not a position range START:END (e.g. 1000:2000, 1000: or :2000).",
                param,
                ctx,
            )
        start = int(match.group(1)) if match.group(1) else 0
        end = int(match.group(2)) if match.group(2) else sys.maxsize
        if start > end:
            self.fail(f"{value!r}: the start {start} is after the end {end}.", param, ctx)
        return (start, end)


MAF = _Fraction(0.0, 0.5, "a minor allele frequency in [0, 0.5]")
FRACTION = _Fraction(0.0, 1.0, "a fraction in [0, 1]")
POS_RANGE = _PosRange()


def _chrom_key(name: str) -> str:
    """Chromosome name without ``chr`` and leading zeros, in upper case: ``chr01`` → ``1``."""
    core = re.sub(r"^chr", "", str(name).strip(), flags=re.IGNORECASE).upper()
    return core.lstrip("0") or core


def chromosome_set(values: tuple[str, ...]) -> set[str] | None:
    """The chromosomes of repeated or comma-separated ``--chrom`` values (``None``: all).

    Examples
    --------
    >>> from limix.cli._filters import chromosome_set
    >>> sorted(chromosome_set(("1,2", "chrX")))
    ['1', '2', 'X']
    """
    names = {_chrom_key(v) for value in values for v in value.split(",") if v.strip()}
    return names or None


def read_id_list(path: str) -> pd.Index:
    """IDs listed in a file, one per line.

    A line with one field is the ID; with two or more (a PLINK ``--keep`` file: FID IID), the
    second field is. Blank lines and lines starting with ``#`` are skipped.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it lists no ID.
    """
    ids = []
    with open(Path(path), encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            ids.append(fields[1] if len(fields) > 1 else fields[0])
    if not ids:
        raise ValueError(f"'{path}' lists no ID")
    return pd.Index(ids, dtype=object).unique()


@dataclass(frozen=True)
class VariantFilters:
    """Variant selection: by chromosome, position, ID list, missingness and allele frequency.

    Attributes
    ----------
    chrom
        Chromosomes to keep (normalised names), ``None`` for all.
    pos_range
        Inclusive base-pair range, ``None`` for all.
    variants_file
        File listing the variant IDs to keep.
    missing_max
        Largest fraction of missing genotypes a kept variant may have.
    maf_min
        Smallest minor allele frequency a kept variant may have.
    """

    chrom: set[str] | None = None
    pos_range: tuple[int, int] | None = None
    variants_file: str | None = None
    missing_max: float | None = None
    maf_min: float | None = None

    def by_annotation(self, genotype: Genotype) -> tuple[np.ndarray, list[str]]:
        """Positions of the variants that pass the chromosome, position and ID filters, and a
        line per filter saying how many variants it removed."""
        table = genotype.variants
        keep = np.ones(len(table), dtype=bool)
        lines = []
        if self.chrom is not None:
            ok = table["chrom"].map(_chrom_key).isin(self.chrom).to_numpy()
            lines.append(f"--chrom: {int((keep & ~ok).sum())} variant(s) removed")
            keep &= ok
        if self.pos_range is not None:
            start, end = self.pos_range
            pos = table["pos"].to_numpy()
            ok = (pos >= start) & (pos <= end)
            lines.append(f"--pos-range: {int((keep & ~ok).sum())} variant(s) removed")
            keep &= ok
        if self.variants_file is not None:
            with reading("--variants-file"):
                wanted = read_id_list(self.variants_file)
            ok = table["variant"].isin(wanted).to_numpy()
            lines.append(f"--variants-file: {int((keep & ~ok).sum())} variant(s) removed")
            keep &= ok
        return np.flatnonzero(keep), lines

    def by_genotype(
        self, dosage: Any, show_progress: bool
    ) -> tuple[np.ndarray, list[str], pd.DataFrame]:
        """Positions of the variants with some observed genotype that pass the missingness and
        MAF filters, on the samples of ``dosage`` (samples × variants, a dask array; one pass
        over the genotypes), a line per filter saying how many variants it removed, and the
        ``maf`` and ``missing`` (fraction) of every variant.

        Variants without a single observed genotype, or monomorphic (MAF 0), are always
        removed: there is nothing to test.
        """
        import dask
        import dask.array as da

        from limix.qc import compute_maf, count_missingness

        G = dosage
        n = G.shape[0]
        missing = count_missingness(G)
        # compute_maf refuses a variant without observed genotypes: give it zeros (MAF 0) here,
        # it is removed as unobserved anyway; both reductions share one read of each block.
        maf = compute_maf(da.where((missing == n)[None, :], 0.0, G))
        if show_progress:
            from dask.diagnostics import ProgressBar

            with ProgressBar(out=sys.stderr, minimum=1.0):
                missing, maf = dask.compute(missing, maf)
        else:
            missing, maf = dask.compute(missing, maf)
        missing = np.asarray(missing)
        maf = np.asarray(maf)
        lines = []
        observed = missing < n
        keep = observed & (maf > 0)
        lines.append(
            f"{int((~observed).sum())} variant(s) without observed genotype and "
            f"{int((observed & (maf == 0)).sum())} monomorphic variant(s) removed"
        )
        if self.missing_max is not None:
            ok = missing / n <= self.missing_max
            lines.append(f"--missing-max: {int((keep & ~ok).sum())} variant(s) removed")
            keep &= ok
        if self.maf_min is not None:
            ok = maf >= self.maf_min
            lines.append(f"--maf-min: {int((keep & ~ok).sum())} variant(s) removed")
            keep &= ok
        summary = pd.DataFrame({"maf": maf, "missing": missing / n})
        return np.flatnonzero(keep), lines, summary


def filter_options(func: F) -> F:
    """Add the sample and variant filter options shared by the commands that read genotypes."""
    options = [
        click.option(
            "--samples-file",
            type=click.Path(dir_okay=False),
            help="Keep only the samples listed in this file (one ID per line, or FID IID).",
        ),
        click.option(
            "--exclude-samples-file",
            type=click.Path(dir_okay=False),
            help="Remove the samples listed in this file (one ID per line, or FID IID).",
        ),
        click.option(
            "--chrom",
            "chrom",
            multiple=True,
            metavar="CHROM[,CHROM...]",
            help="Keep only variants on these chromosomes (repeatable; 'chr' prefix optional).",
        ),
        click.option(
            "--pos-range",
            type=POS_RANGE,
            help="Keep only variants at base-pair positions START to END (inclusive).",
        ),
        click.option(
            "--variants-file",
            type=click.Path(dir_okay=False),
            help="Keep only the variants whose IDs are listed in this file (one per line).",
        ),
        click.option(
            "--missing-max",
            type=FRACTION,
            metavar="FRACTION",
            help="Remove variants missing more than this fraction of their genotypes.",
        ),
        click.option(
            "--maf-min",
            type=MAF,
            metavar="MAF",
            help="Remove variants whose minor allele frequency is below this.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def removed_lines(removed: Mapping[str, int]) -> list[str]:
    """A line per sample list saying how many samples it removed, from the ``removed`` counts
    of :func:`limix._data.listed_samples` (``"keep"``: --samples-file, ``"exclude"``:
    --exclude-samples-file)."""
    options = {"keep": "--samples-file", "exclude": "--exclude-samples-file"}
    return [f"{options[key]}: {count} sample(s) removed" for key, count in removed.items()]


@dataclass(frozen=True)
class Filters:
    """The sample and variant filters of a command, as its filter options give them.

    Attributes
    ----------
    samples_file
        ``--samples-file``: file listing the samples to keep.
    exclude_samples_file
        ``--exclude-samples-file``: file listing the samples to remove.
    variants
        The variant filters (``--chrom``, ``--pos-range``, ``--variants-file``,
        ``--missing-max``, ``--maf-min``).
    """

    samples_file: str | None = None
    exclude_samples_file: str | None = None
    variants: VariantFilters = VariantFilters()

    def sample_lists(self) -> tuple[pd.Index | None, pd.Index | None]:
        """The IDs listed by ``--samples-file`` and by ``--exclude-samples-file`` (None when
        not given), for :func:`limix._data.listed_samples` and
        :func:`limix._data.analysis_samples`."""
        keep = exclude = None
        if self.samples_file is not None:
            with reading("--samples-file"):
                keep = read_id_list(self.samples_file)
        if self.exclude_samples_file is not None:
            with reading("--exclude-samples-file"):
                exclude = read_id_list(self.exclude_samples_file)
        return keep, exclude


def filters_argument(func: F) -> F:
    """Add the filter options of :func:`filter_options`, handed to ``func`` as one argument.

    The command function takes a ``filters`` keyword argument, a :class:`Filters`, in place
    of the seven option values ``samples_file``, ``exclude_samples_file``, ``chrom``,
    ``pos_range``, ``variants_file``, ``missing_max`` and ``maf_min``.

    Parameters
    ----------
    func
        The command function (before ``click.command``).

    Returns
    -------
    callable
        ``func`` wrapped, with the filter options added.
    """

    @functools.wraps(func)
    def command(
        *args: Any,
        samples_file: str | None,
        exclude_samples_file: str | None,
        chrom: tuple[str, ...],
        pos_range: tuple[int, int] | None,
        variants_file: str | None,
        missing_max: float | None,
        maf_min: float | None,
        **kwargs: Any,
    ) -> Any:
        variants = VariantFilters(
            chromosome_set(chrom), pos_range, variants_file, missing_max, maf_min
        )
        filters = Filters(samples_file, exclude_samples_file, variants)
        return func(*args, filters=filters, **kwargs)

    return filter_options(command)  # type: ignore[return-value]
