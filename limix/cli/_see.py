"""``limix see FILE[:TYPE]``: an overview of genetics files — tables printed, matrices and images
plotted (shown in a window, or saved as PNG without a display or with --output)."""

from __future__ import annotations

import bz2
import csv
import gzip
import lzma
import os
from itertools import islice
from typing import TYPE_CHECKING, TextIO

import click
import numpy as np
import pandas as pd

from ._errors import InputError, reading
from ._figures import finish, new_figure, plan_output
from ._filetype import TYPES, FileSpec, detect_type, parse_spec, plink2_prefix
from ._report import lambda_gc, note, step, title

if TYPE_CHECKING:
    from limix.io.hdf5._tree import Member

__all__ = ["hdf5_tree", "see"]

_TYPE_HELP = "; ".join(f"{name}: {what}" for name, what in TYPES.items())


def _head(frame: pd.DataFrame, rows: int) -> str:
    return frame.head(rows).to_string() if len(frame) else frame.to_string()


def _see_plink(spec: FileSpec, rows: int) -> None:
    from limix.io import plink

    with step(f"Reading {spec.path}"):
        bim, fam, _ = plink.read(spec.path, verbose=False)
    click.echo(title("Samples"))
    click.echo(_head(fam.drop(columns="i").reset_index(drop=True), rows))
    click.echo(f"[{len(fam)} samples]")
    click.echo(title("Variants"))
    click.echo(_head(bim.drop(columns="i").reset_index(drop=True), rows))
    click.echo(f"[{len(bim)} variants]")


def _see_bgen(spec: FileSpec, rows: int) -> None:
    from limix.io import bgen

    with step(f"Reading {spec.path}"):
        data = bgen.read(spec.path, verbose=False)
    samples = data["samples"]
    variants = data["variants"].drop(columns="vaddr")
    click.echo(title("Samples"))
    click.echo(_head(samples.to_frame(), rows))
    click.echo(f"[{len(samples)} samples]")
    click.echo(title("Variants"))
    click.echo(_head(variants, rows))
    click.echo(f"[{len(variants)} variants]")


def _see_labelled(spec: FileSpec, rows: int) -> None:
    """A PLINK 2 file set, a VCF/BCF or a GEN file: its samples, then its variants with the
    counted allele (reads the sample and site lists, not the genotypes)."""
    from limix.io import plink2, read_genotype, vcf

    with step(f"Reading {spec.path}"):
        if spec.type == "plink2":
            G = plink2.read(plink2_prefix(spec.path) or spec.path)
        elif spec.type == "vcf":
            G = vcf.read(spec.path, multiallelic="split")
        else:
            G = read_genotype(spec.path, "gen")
    samples = pd.DataFrame({"sample": G["sample"].values})
    columns = ("variant_id", "chrom", "pos", "other_allele", "effect_allele")
    variants = pd.DataFrame({name: G[name].values for name in columns})
    variants = variants.rename(columns={"variant_id": "variant"})
    click.echo(title("Samples"))
    click.echo(_head(samples, rows))
    click.echo(f"[{len(samples)} samples]")
    click.echo(title("Variants (values count effect_allele)"))
    click.echo(_head(variants, rows))
    click.echo(f"[{len(variants)} variants]")


def _see_bimbam(spec: FileSpec, rows: int) -> None:
    from limix.io import bimbam

    with step(f"Reading `{spec.path}`"):
        data = bimbam.read_phenotype(spec.path, verbose=False)
    click.echo(title("Phenotypes"))
    click.echo(_head(data, rows))
    if len(data) > rows:
        click.echo(f"[{len(data)} samples x {data.shape[1]} traits]")


def _text_head(path: str, count: int = 20) -> list[str]:
    """The first ``count`` non-blank lines of a (possibly .gz, .bz2 or .xz compressed) text file."""
    suffix = os.path.splitext(path)[1].lower()
    kwargs = {"encoding": "utf-8", "errors": "replace", "newline": ""}
    if suffix == ".gz":
        f: TextIO = gzip.open(path, "rt", **kwargs)
    elif suffix == ".bz2":
        f = bz2.open(path, "rt", **kwargs)
    elif suffix == ".xz":
        f = lzma.open(path, "rt", **kwargs)
    else:
        f = open(path, **kwargs)  # closed below
    with f:
        return [line for line in islice(f, 4 * count) if line.strip()][:count]


def _has_header(path: str) -> bool:
    """Whether the first line of a table looks like column names (csv.Sniffer's vote)."""
    lines = _text_head(path)
    if len(lines) < 2:
        return False
    try:
        return csv.Sniffer().has_header("".join(lines))
    except csv.Error:
        return False


def _see_csv(spec: FileSpec, rows: int, header: bool | None) -> None:
    from limix.io import csv as csv_reader

    if header is None:
        header = _has_header(spec.path)
    with step(f"Reading {spec.path}"):
        data = csv_reader.read(spec.path, header=header, verbose=False, index_col=None)
    if header and str(data.columns[0]).startswith("Unnamed: 0"):  # a header without index name
        data = data.set_index(data.columns[0]).rename_axis(None)
    # as pandas prints a wide frame: the first and last 8 columns, its dimensions if truncated
    click.echo(data.head(rows).to_string(max_cols=16, show_dimensions="truncate"))


def _manual_line(lasts: tuple[bool, ...], name: str, member: Member) -> str:
    from limix.io.hdf5._tree import member_line

    prefix = "  " + "".join("   " if last else "|  " for last in lasts[:-1]) + "+--" + name
    return member_line(prefix, member, lambda data: f"[{data.dtype}, {data.shape}, {data.chunks}]")


def hdf5_tree(path: str | os.PathLike[str]) -> str:
    """The hierarchy of an HDF5 file, in the manual's layout.

    Groups and datasets are listed in name order, each dataset with its element type, shape and
    chunk shape (``None`` when stored contiguously); soft and external links show their target
    (they are not followed)::

        /
          +--genotype
             +--col_header
             |  +--chrom [|S8, (100,), None]

    The file is walked by ``limix.io.hdf5._tree.render``, which turns the errors of a
    damaged file into a ``ValueError`` naming it.

    Parameters
    ----------
    path
        HDF5 file.

    Returns
    -------
    str
        One line per group, dataset or link.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is not an HDF5 file, or it is damaged (truncated, corrupt).
    """
    from limix.io.hdf5._tree import render

    return render(path, _manual_line)


def _see_hdf5(spec: FileSpec) -> None:
    click.echo(hdf5_tree(spec.path))


def _see_npy(spec: FileSpec) -> None:
    from limix.io import npy

    with step(f"Reading {spec.path}"):
        data = npy.read(spec.path, verbose=False, mmap=True)
    arrays = data if isinstance(data, dict) else {"": data}
    for name, array in arrays.items():
        label = f"{name}: " if name else ""
        click.echo(f"{label}{array.dtype} array of shape {array.shape}")
        with np.printoptions(threshold=100, edgeitems=3):
            click.echo(np.asarray(array))


def _plot_kinship(spec: FileSpec, output: str | None, overwrite: bool) -> str | None:
    from limix.plot import kinship

    from ._kinship_file import read_kinship

    default = os.path.basename(spec.path) + ".png"
    target = plan_output(output, default, [spec.path], overwrite)
    with step(f"Reading {spec.path}"):
        K, _ = read_kinship(spec.path, require_ids=False)
    click.echo("Plotting...")
    figure = new_figure(headless=target is not None, size=(6.4, 5.2))
    kinship(K, ax=figure.gca())
    figure.gca().set_title(os.path.basename(spec.path))
    finish(figure, target)
    return target


def _see_sumstats(
    spec: FileSpec, rows: int, plot: bool, output: str | None, overwrite: bool
) -> str | None:
    """Summary statistics: what the file holds, its top hits and genomic inflation λ_GC; with
    --plot (or --output) the Manhattan and QQ plots."""
    from limix.io import sumstats

    fmt = sumstats.detect_format(spec.path)
    target = None
    if plot or output is not None:
        default = os.path.basename(spec.path) + ".png"
        target = plan_output(output, default, [spec.path], overwrite)
    with step(f"Reading {spec.path} ({fmt})"):
        table = sumstats.read(spec.path, fmt)
    if "neg_log10_pvalue" not in table:
        raise ValueError(f"'{spec.path}' has no p-values to summarise")
    logp = table["neg_log10_pvalue"].to_numpy(float)
    finite = np.isfinite(logp)
    click.echo(title("Summary statistics"))
    click.echo(f"{fmt} file, {len(table)} rows; columns: {', '.join(table.columns)}")
    if "chrom" in table:
        chromosomes = pd.unique(table["chrom"].astype(str))
        click.echo(f"{len(chromosomes)} chromosome(s): {', '.join(chromosomes[:25])}")
    click.echo(f"genomic inflation λ_GC = {lambda_gc(logp[finite]):.4f}")
    bonferroni = 0.05 / max(int(finite.sum()), 1)
    hits = int((logp > -np.log10(bonferroni)).sum())
    click.echo(f"{hits} row(s) below the Bonferroni 5% threshold p < {bonferroni:.3g}")
    shown = [c for c in ("variant", "chrom", "pos", "effect_allele", "other_allele", "eaf",
                         "beta", "se", "pvalue", "neg_log10_pvalue") if c in table]  # fmt: skip
    click.echo(title(f"Top {min(rows, len(table))} rows"))
    top = table.iloc[np.argsort(-np.where(finite, logp, -np.inf), kind="stable")[:rows]]
    with pd.option_context("display.float_format", "{:.4g}".format):
        click.echo(top[shown].to_string(index=False))
    if target is None and not (plot or output is not None):
        return None
    _plot_sumstats(table, finite, spec.path, target)
    return target


def _plot_sumstats(table: pd.DataFrame, finite: np.ndarray, path: str, target: str | None) -> None:
    from limix.plot import manhattan, qqplot

    # a p-value below the double range is drawn at the smallest positive double
    pv = np.maximum(10.0 ** -table["neg_log10_pvalue"].to_numpy(float)[finite], 5e-324)
    figure = new_figure(headless=target is not None, size=(12, 4.2))
    left = figure.add_axes((0.05, 0.12, 0.62, 0.78))
    right = figure.add_axes((0.74, 0.12, 0.24, 0.78))
    if {"chrom", "pos"} <= set(table.columns):
        data = pd.DataFrame(
            {"chrom": table["chrom"][finite], "pos": table["pos"][finite], "pv": pv}
        )
        manhattan(data, threshold=0.05 / max(len(pv), 1), ax=left)
    else:
        left.set_axis_off()
    qqplot(pv, ax=right)
    figure.suptitle(os.path.basename(path), fontsize=10)
    finish(figure, target)


def _plot_image(spec: FileSpec, output: str | None, overwrite: bool) -> str | None:
    from limix.plot import image

    stem = os.path.basename(spec.path)
    target = plan_output(output, stem + ".png", [spec.path], overwrite)
    figure = new_figure(headless=target is not None)
    image(spec.path, ax=figure.gca())
    finish(figure, target)
    return target


@click.command(short_help="Show an overview of multiple file types.")
@click.argument("filespec", metavar="FILE[:TYPE]")
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    help="Save the plot of a kinship matrix or an image to this PNG file instead of showing it.",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing --output file.")
@click.option(
    "--plot",
    is_flag=True,
    help="Summary statistics: draw the Manhattan and QQ plots (shown, or saved as PNG).",
)
@click.option(
    "--header/--no-header",
    default=None,
    help="Whether the first line of a CSV file holds column names (detected by default).",
)
@click.option(
    "--rows", default=5, show_default=True, type=click.IntRange(min=1), help="Rows of a table."
)
def see(
    filespec: str,
    output: str | None,
    overwrite: bool,
    plot: bool,
    header: bool | None,
    rows: int,
) -> None:
    """Show an overview of multiple file types.

    The type of FILE is detected from its name and content; append :TYPE to force one (e.g.
    phenotype.gemma:bimbam-pheno). Tables (PLINK, BGEN, BIMBAM phenotype, CSV, HDF5 hierarchy,
    NumPy arrays) are printed; a kinship matrix (.grm.raw) is plotted as a heatmap and an image
    is shown. Summary statistics (GWAS-SSF, REGENIE, PLINK 2 --glm, limix's associations) are
    summarised — top hits, genomic inflation λ_GC — and with --plot drawn as Manhattan and QQ
    plots. Without a display, or with --output, the plot is saved as a PNG file instead (by
    default FILE's name + .png, in the current folder) and its path printed.

    \b
    Types:
      plink         PLINK 1 file set (.bed/.bim/.fam), by prefix or file
      plink2        PLINK 2 file set (.pgen/.pvar/.psam), by prefix or file
      vcf           VCF or BCF file (.vcf, .vcf.gz, .bcf)
      gen           Oxford GEN file (.gen, with its .sample)
      bgen          BGEN genotype file
      bimbam-pheno  BIMBAM phenotype file
      csv           delimited text table (.csv, .tsv, .txt; .gz/.bz2/.xz)
      hdf5          HDF5 file (its hierarchy)
      kinship       kinship matrix: text (.grm.raw) or .npy
      npy           NumPy .npy/.npz file
      image         PNG, JPEG, GIF, BMP, TIFF or WebP image
      sumstats      summary statistics (.tsv.gz, .regenie, .glm.linear, associations.csv)
    \f

    Parameters
    ----------
    filespec
        ``FILE`` or ``FILE:TYPE``.
    output
        PNG file for the plot of a kinship matrix or an image.
    overwrite
        Replace an existing ``output``.
    plot
        Summary statistics: draw the Manhattan and QQ plots.
    header
        CSV: first line is a header (``None``: detect).
    rows
        Rows of a table to print.
    """
    with reading("FILE"):
        spec = parse_spec(filespec)
        kind = spec.type if spec.type is not None else detect_type(spec.path)
        if kind not in ("plink", "plink2") and not os.path.exists(spec.path):
            raise FileNotFoundError(f"file not found: '{spec.path}'")
    if output is not None and kind not in ("kinship", "image", "sumstats"):
        raise InputError(
            "--output",
            f"only the plot of a kinship matrix, an image or summary statistics is saved; "
            f"'{spec.path}' is a {kind} file",
        )
    if plot and kind != "sumstats":
        raise InputError("--plot", f"draws summary statistics; '{spec.path}' is a {kind} file")
    spec = FileSpec(spec.path, kind)
    target = None
    with reading("FILE"):
        if kind == "plink":
            _see_plink(spec, rows)
        elif kind == "bgen":
            _see_bgen(spec, rows)
        elif kind in ("plink2", "vcf", "gen"):
            _see_labelled(spec, rows)
        elif kind == "bimbam-pheno":
            _see_bimbam(spec, rows)
        elif kind == "csv":
            _see_csv(spec, rows, header)
        elif kind == "hdf5":
            _see_hdf5(spec)
        elif kind == "npy":
            _see_npy(spec)
        elif kind == "kinship":
            target = _plot_kinship(spec, output, overwrite)
        elif kind == "sumstats":
            target = _see_sumstats(spec, rows, plot, output, overwrite)
        else:
            target = _plot_image(spec, output, overwrite)
    if target is not None:
        note(f"Plot saved to {target}" + ("" if output else " (no display to show it on)."))
