"""``limix estimate-kinship GENOTYPE --output FILE``: the linear kinship of a genotype file."""

from __future__ import annotations

import os

import click
import numpy as np

from limix._data import listed_samples

from ._errors import InputError, reading
from ._figures import check_output
from ._filetype import GENOTYPE_TYPES, parse_spec, resolve
from ._filters import Filters, filters_argument, removed_lines
from ._genotype import BGEN_SAMPLE_FILE_OPTION, open_genotype
from ._kinship_file import FORMAT_NAMES, FORMATS, kinship_format, output_files, write_kinship
from ._report import note, step

__all__ = ["estimate_kinship"]


@click.command("estimate-kinship", short_help="Estimate a kinship matrix.")
@click.argument("genotype", metavar="GENOTYPE[:TYPE]")
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False),
    help="Kinship file to write: FILE.npy (NumPy array), FILE.grm.raw (text matrix) or "
    "PREFIX.grm.bin (GCTA GRM: .grm.bin, .grm.N.bin, .grm.id); repeatable. The sample IDs of "
    "the first two go to FILE.id.",
)
@click.option(
    "--format",
    "forced",
    type=click.Choice(sorted(FORMAT_NAMES)),
    help="Write every --output in this format whatever its name (gcta: --output is the prefix).",
)
@click.option("--overwrite", is_flag=True, help="Replace existing output files.")
@BGEN_SAMPLE_FILE_OPTION
@filters_argument
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (no progress bar).")
def estimate_kinship(
    genotype: str,
    outputs: tuple[str, ...],
    forced: str | None,
    overwrite: bool,
    bgen_sample_file: str | None,
    filters: Filters,
    quiet: bool,
) -> None:
    """Estimate a kinship matrix.

    GENOTYPE is a PLINK 1 or PLINK 2 file set (prefix, or one of its files), a VCF/BCF file or a
    BGEN file.
    The kinship is K = XXᵀ/p, X the genotypes standardised per variant (missing genotypes at
    the mean), p the number of polymorphic variants; the genotypes are streamed in blocks of
    variants. The matrix is written as NumPy .npy, as a tab-separated text matrix (.grm.raw)
    and/or as a GCTA GRM (.grm.bin with .grm.N.bin and .grm.id; --format gcta), by the name of
    each --output; the sample IDs of .npy and .grm.raw, in the order of its rows, go to the
    same name + .id.
    \f

    Parameters
    ----------
    genotype
        ``GENOTYPE`` or ``GENOTYPE:TYPE`` (``plink`` or ``bgen``).
    outputs
        Kinship files to write (``.npy``, ``.grm.raw``, ``.grm.bin``).
    forced
        The format of every output (``npy``, ``text`` or ``gcta``), whatever its name.
    overwrite
        Replace existing outputs.
    bgen_sample_file
        Sample IDs of a BGEN file.
    filters
        Sample and variant filters (see ``--help``).
    quiet
        Print nothing but errors.
    """
    from limix.stats import linear_kinship

    with reading("GENOTYPE"):
        spec = resolve(parse_spec(genotype), GENOTYPE_TYPES)
    inputs = [spec.path, spec.path + ".bed", spec.path + ".bim", spec.path + ".fam"]
    formats = []
    targets = []
    for path in outputs:
        with reading("--output"):
            formats.append(kinship_format(path, forced))
        for target in output_files(path, formats[-1]):
            check_output(target, inputs, overwrite, "--output")
            targets.append(os.path.abspath(target))
    if len(set(targets)) < len(targets):
        raise InputError("--output", "the same file is given twice")

    with reading("GENOTYPE"), step(f"Reading {spec.path}", quiet):
        data = open_genotype(spec, bgen_sample_file)
    listed = listed_samples(data.samples, *filters.sample_lists())
    lines = removed_lines(listed.removed)
    columns, more = filters.variants.by_annotation(data)
    lines += more
    if len(listed.samples) < 2:
        raise InputError(
            "--samples-file", f"{len(listed.samples)} sample(s) left; a kinship needs 2"
        )
    G = listed.genotype(data.by_sample()).isel(candidate=columns)
    if filters.variants.missing_max is not None or filters.variants.maf_min is not None:
        with reading("GENOTYPE"):
            columns, more, _ = filters.variants.by_genotype(G.data, show_progress=not quiet)
        lines += more
        G = G.isel(candidate=columns)
    for line in lines:
        note(line, quiet)
    if G.shape[1] == 0:
        raise InputError("GENOTYPE", "no variant is left after the filters")
    note(f"Kinship of {G.shape[0]} samples from {G.shape[1]} variants:", quiet)
    with reading("GENOTYPE"):
        K = np.asarray(linear_kinship(G.data, verbose=not quiet))
    for path, fmt in zip(outputs, formats, strict=True):
        with reading("--output"):
            written = write_kinship(path, K, listed.samples, fmt, G.shape[1])
        if fmt == ".grm.bin":
            note(f"Wrote {written[0]} ({FORMATS[fmt]}), {written[1]} and {written[2]}.", quiet)
        else:
            note(f"Wrote {written[0]} ({FORMATS[fmt]}) and its sample IDs to {written[1]}.", quiet)
