"""``limix qtl scan``: single-variant association scans of traits in files, results to a folder.

Steps: read the phenotype, genotype, covariate and kinship files into objects labelled by
sample ID; ask :func:`limix._data.analysis_samples` which samples to analyse (the sample lists,
the IDs in common, the missing values; each trait's samples); filter variants; estimate the
kinship from the genotype if asked; run :func:`limix.qtl.scan` for each trait on its labelled
inputs (it matches their samples by ID); write its tables (:meth:`QTLResult.to_csv`), a table of
the variants with their p-values and effect sizes (``associations.csv``), and the Manhattan and
QQ plots (``manhattan.png``, ``qqplot.png``). This module has no sample alignment of its own.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import numpy as np
import pandas as pd

from glimix.lik._spec import LIKELIHOOD_NAMES as LIKELIHOODS
from limix._data import (
    AnalysisSamples,
    KinshipBySamples,
    NoCommonSamples,
    analysis_samples,
    covariates_with_offset,
)
from limix._files import FolderBusy, atomic_write, folder_lock
from limix._optional import optional_module

from ._errors import InputError, reading
from ._filetype import GENOTYPE_TYPES, FileSpec, parse_spec, resolve
from ._filters import Filters, VariantFilters, filters_argument, removed_lines
from ._genotype import BGEN_SAMPLE_FILE_OPTION, Genotype, open_genotype
from ._kinship_file import read_kinship
from ._report import lambda_gc, note, step
from ._tables import SampleTable, numeric_columns, read_sample_table

__all__ = ["OUTPUT_FILES", "SUMSTATS_FILES", "output_files", "scan"]

#: The tables of ``QTLResult.to_csv`` each scanned trait writes.
_RESULT_TABLES = (
    "stats.csv",
    "effsizes_h2.csv",
    "h0_effsizes.csv",
    "h0_variances.csv",
    "h0_lml.csv",
)
_PLOTS = ("manhattan.png", "qqplot.png")
#: The association table's file in each --format (limix.io.sumstats layouts).
SUMSTATS_FILES = {
    "csv": "associations.csv",
    "gwas-ssf": "associations.tsv.gz",
    "regenie": "associations.regenie",
    "plink2": "associations.glm.linear",
    "parquet": "associations.parquet",
}
_LOGIT = ("bernoulli", "binomial")
#: The files each scanned trait writes by default (``--format csv``).
OUTPUT_FILES = (*_RESULT_TABLES, SUMSTATS_FILES["csv"], *_PLOTS)


def _sumstats_name(fmt: str, lik: str) -> str:
    if fmt == "plink2" and lik in _LOGIT:
        return "associations.glm.logistic"
    return SUMSTATS_FILES[fmt]


def output_files(formats: tuple[str, ...], lik: str) -> tuple[str, ...]:
    """The files each scanned trait writes with these --format values."""
    names = [_sumstats_name(fmt, lik) for fmt in formats]
    if "gwas-ssf" in formats:
        names.append(SUMSTATS_FILES["gwas-ssf"] + "-meta.yaml")
    return (*_RESULT_TABLES, *names, *_PLOTS)


_EXAMPLE_TRAIT = "quantitative"
_NTRIALS = "__ntrials__"
_TOP_HITS = 10
#: The tables' names in the notes and errors about samples.
_SOURCES = {
    "genotype": "GENOTYPE",
    "phenotype": "PHENOTYPE",
    "covariates": "--covariates",
    "kinship": "--kinship",
}


@dataclass(frozen=True)
class _Inputs:
    phenotype: FileSpec
    genotype: FileSpec
    covariates: FileSpec | None
    kinship: str | None
    kinship_from_genotype: bool
    traits: tuple[str, ...]

    def files(self) -> list[str]:
        """The input files given (PLINK prefixes with their three files)."""
        paths = [self.phenotype.path, self.genotype.path]
        paths += [self.genotype.path + suffix for suffix in (".bed", ".bim", ".fam")]
        if self.covariates is not None:
            paths.append(self.covariates.path)
        if self.kinship is not None:
            paths.append(self.kinship)
        return paths


def _example_inputs(
    phenotype: str | None,
    genotype: str | None,
    covariates: str | None,
    kinship: str | None,
    kinship_from_genotype: bool,
    no_kinship: bool,
    traits: tuple[str, ...],
) -> _Inputs:
    from limix._example_data import path

    if phenotype is not None or genotype is not None:
        raise InputError("--example", "give either --example or PHENOTYPE and GENOTYPE, not both")
    cov_spec = FileSpec(str(path("covariates.csv")), "csv")
    if covariates is not None:
        with reading("--covariates"):
            cov_spec = resolve(parse_spec(covariates), ("csv",))
    return _Inputs(
        FileSpec(str(path("phenotype.csv")), "csv"),
        FileSpec(str(path("example")), "plink"),
        cov_spec,
        kinship,
        kinship_from_genotype or (kinship is None and not no_kinship),
        traits or (_EXAMPLE_TRAIT,),
    )


def _dir_name(trait: str) -> str:
    return re.sub(r"[^\w.+-]", "_", trait).strip(".") or "trait"


def _output_folders(output: str, traits: list[str]) -> dict[str, Path]:
    """Where each trait's results go: ``output`` itself for one trait, one subfolder each for
    several."""
    if len(traits) == 1:
        return {traits[0]: Path(output)}
    folders: dict[str, Path] = {}
    used: set[str] = set()
    for trait in traits:
        name = _dir_name(trait)
        while name in used:
            name += "_"
        used.add(name)
        folders[trait] = Path(output) / name
    return folders


def _check_outputs(
    folders: dict[str, Path], overwrite: bool, inputs: list[str], names: tuple[str, ...]
) -> None:
    for folder in folders.values():
        for given in inputs:
            if os.path.exists(given) and folder.exists() and folder.samefile(given):
                raise InputError("--output", f"'{folder}' is an input; choose another folder")
        if folder.exists() and not folder.is_dir():
            raise InputError("--output", f"'{folder}' exists and is not a folder")
        for name in names:
            target = folder / name
            if target.exists() and any(
                os.path.exists(given) and target.samefile(given) for given in inputs
            ):
                raise InputError("--output", f"'{target}' is an input file; it is never replaced")
        if overwrite:
            continue
        existing = [str(folder / name) for name in names if (folder / name).exists()]
        if existing:
            raise InputError(
                "--output",
                f"{existing[0]} already exists (and {len(existing) - 1} other result file(s)); "
                "pass --overwrite to replace them, or choose another folder",
            )


@contextmanager
def _writing_into(output: str) -> Iterator[None]:
    """Hold the output folder's lock while the run writes there (a second run into the same
    folder refuses instead of interleaving its files); a folder this run created is removed
    again when the run fails before writing anything into it."""
    created = not os.path.lexists(output)
    try:
        with folder_lock(output):
            yield
    except FolderBusy as busy:
        raise InputError("--output", str(busy)) from None
    finally:
        if created and os.path.isdir(output) and not any(Path(output).iterdir()):
            os.rmdir(output)


def _pick_traits(table: SampleTable, traits: tuple[str, ...], reserved: set[str]) -> list[str]:
    columns = [c for c in table.data.columns if c not in reserved]
    if traits:
        for trait in traits:
            if trait not in table.data.columns:
                raise InputError(
                    "--trait",
                    f"the phenotype has no column {trait!r}; its trait columns are {columns}",
                )
        return list(dict.fromkeys(traits))
    if len(columns) == 1:
        return columns
    raise InputError(
        "--trait",
        f"the phenotype has {len(columns)} columns {columns}; choose the trait(s) "
        "to scan with --trait NAME (repeatable)",
    )


def _genotype_array(genotype: Genotype, quiet: bool) -> Any:
    """The dosages labelled by sample and variant (the readers' labelled form: IDs, or
    CHROM:POS:OTHER:EFFECT where an ID repeats), with chromosome, position and alleles."""
    import xarray as xr

    from limix.io._labelled import variant_labels

    table = genotype.variants.rename(columns={"a1": "effect_allele", "a0": "other_allele"})
    ids = pd.Index(table["variant"])
    if ids.has_duplicates or ids.hasnans:
        repeated = ids[ids.duplicated()].unique()[:3].tolist()
        note(
            f"Variant IDs repeat in GENOTYPE (e.g. {repeated}): those variants are named "
            "CHROM:POS:OTHER:EFFECT in the results.",
            quiet,
        )
    along = ("candidate",)
    coords = {name: (along, table[name].to_numpy()) for name in table if name != "variant"}
    return xr.DataArray(
        genotype.dosage,
        dims=("sample", "candidate"),
        coords={
            "sample": np.asarray(genotype.samples, dtype=object),
            "candidate": variant_labels(table),
            **coords,
        },
        name="G",
    )


def _plots(table: pd.DataFrame, folder: Path, trait: str, subtitle: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    from limix.plot import box_aspect, get_pyplot, manhattan, qqplot

    plt = get_pyplot()
    pv = table["pvalue"].to_numpy()
    ok = np.isfinite(pv)
    paths = []
    fig, ax = plt.subplots(figsize=(10, 4))
    data = pd.DataFrame({"chrom": table["chrom"][ok], "pos": table["pos"][ok], "pv": pv[ok]})
    manhattan(data, threshold=0.05 / max(int(ok.sum()), 1), ax=ax)
    ax.set_title(f"{trait}: {subtitle} (dashed line: Bonferroni 5%)", fontsize=10)
    paths.append(folder / "manhattan.png")
    atomic_write(paths[-1], lambda f: fig.savefig(f, dpi=120, bbox_inches="tight", format="png"))
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 5))
    qqplot(pv[ok], ax=ax)
    inflation = lambda_gc(table["neg_log10_pvalue"].to_numpy()[ok])
    ax.set_title(f"{trait}: {subtitle}\ngenomic inflation λ = {inflation:.3f}", fontsize=9)
    box_aspect(ax)
    paths.append(folder / "qqplot.png")
    atomic_write(paths[-1], lambda f: fig.savefig(f, dpi=120, bbox_inches="tight", format="png"))
    plt.close(fig)
    return paths


def _testable(result: Any, quiet: bool) -> Any:
    """The result without the variants that had no observed genotype or were monomorphic on the
    scanned samples (their tests say nothing), as if they had not been scanned."""
    candidates = result.candidates
    observed = candidates["n"].to_numpy() > 0
    eaf = candidates["eaf"].to_numpy()
    polymorphic = (eaf > 0) & (eaf < 1)
    note(
        f"{int((~observed).sum())} variant(s) without observed genotype and "
        f"{int((observed & ~polymorphic).sum())} monomorphic variant(s) removed",
        quiet,
    )
    keep = np.flatnonzero(observed & polymorphic)
    if keep.size == 0:
        raise InputError("GENOTYPE", "no variant is left to test after the filters")
    return result.take(keep)


def _metadata_fields(pairs: tuple[str, ...]) -> dict[str, str]:
    fields = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError("--meta", f"expected KEY=VALUE, got {pair!r}")
        fields[key.strip()] = value.strip()
    return fields


def _sumstats(
    result: Any, folder: Path, formats: tuple[str, ...], lik: str, about: dict, quiet: bool
) -> list[Path]:
    """Write the association table in each format; GWAS-SSF's unknown metadata is noted."""
    written = []
    for fmt in formats:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            written += result.to_sumstats(
                folder / _sumstats_name(fmt, lik), fmt, metadata=about, overwrite=True
            )
        for warning in caught:
            note(f"{warning.message} (--meta KEY=VALUE)", quiet)
    return written


def _show_top(table: pd.DataFrame, quiet: bool) -> None:
    top = table.nlargest(_TOP_HITS, "neg_log10_pvalue")[
        ["variant", "chrom", "pos", "effect_allele", "eaf", "beta", "pvalue"]
    ]
    with pd.option_context("display.float_format", "{:.3g}".format):
        note(f"Top {len(top)} variants (beta: per copy of effect_allele):", quiet)
        note(top.to_string(index=False), quiet)


def _check_flags(
    lik: str,
    ntrials: str | None,
    kinship_file: str | None,
    kinship_from_genotype: bool,
    no_kinship: bool,
) -> None:
    if kinship_file is not None and kinship_from_genotype:
        raise InputError("--kinship", "give either --kinship or --kinship-from-genotype")
    if no_kinship and (kinship_file is not None or kinship_from_genotype):
        raise InputError("--no-kinship", "contradicts --kinship / --kinship-from-genotype")
    if (lik == "binomial") != (ntrials is not None):
        raise InputError("--ntrials", "is required by --lik binomial, and only by it")


def _file_inputs(
    phenotype: str | None,
    genotype: str | None,
    covariates: str | None,
    kinship: str | None,
    kinship_from_genotype: bool,
    traits: tuple[str, ...],
) -> _Inputs:
    if phenotype is None or genotype is None:
        raise click.UsageError("give PHENOTYPE and GENOTYPE, or --example")
    with reading("PHENOTYPE"):
        pheno_spec = resolve(parse_spec(phenotype), ("csv", "bimbam-pheno"))
    with reading("GENOTYPE"):
        geno_spec = resolve(parse_spec(genotype), GENOTYPE_TYPES)
    cov_spec = None
    if covariates is not None:
        with reading("--covariates"):
            cov_spec = resolve(parse_spec(covariates), ("csv",))
    return _Inputs(pheno_spec, geno_spec, cov_spec, kinship, kinship_from_genotype, traits)


@dataclass(frozen=True)
class _Tables:
    """The traits (and binomial trial counts, column ``__ntrials__``) and the covariates."""

    phenotype: SampleTable
    covariates: pd.DataFrame | None
    traits: list[str]
    has_trials: bool


def _read_tables(
    inputs: _Inputs,
    sample_column: str | None,
    covariates_sample_column: str | None,
    covariate_names: tuple[str, ...],
    ntrials: str | None,
    quiet: bool,
) -> _Tables:
    with reading("PHENOTYPE"), step(f"Reading {inputs.phenotype.path}", quiet):
        pheno = read_sample_table(inputs.phenotype, sample_column)
    covariates: pd.DataFrame | None = None
    reserved = {ntrials} if ntrials else set()
    if inputs.covariates is not None:
        spec = inputs.covariates
        with reading("--covariates"), step(f"Reading {spec.path}", quiet):
            table = read_sample_table(spec, covariates_sample_column)
            names = list(covariate_names) or list(table.data.columns)
            covariates = numeric_columns(table.data, names, f"'{spec.path}'")
    elif covariate_names:
        with reading("--covariate"):
            covariates = numeric_columns(pheno.data, list(covariate_names), "the phenotype")
        reserved |= set(covariate_names)
    traits = _pick_traits(pheno, inputs.traits, reserved)
    with reading("--trait"):
        Y = numeric_columns(pheno.data, traits, "the phenotype")
    if ntrials is not None:
        with reading("--ntrials"):
            trials = numeric_columns(pheno.data, [ntrials], "the phenotype")
        Y = pd.concat([Y, trials.rename(columns={ntrials: _NTRIALS})], axis=1)
    return _Tables(SampleTable(Y, pheno.ids), covariates, traits, ntrials is not None)


@dataclass(frozen=True)
class _Analysed:
    """The analysed samples (chosen by :func:`limix._data.analysis_samples`), the genotype on
    the variants kept by the annotation filters, and the kinship."""

    samples: AnalysisSamples
    genotype: Genotype  # every sample of GENOTYPE: the scan matches them to each trait's by ID
    kinship: KinshipBySamples | None


def _choose_samples(
    geno: Genotype, tables: _Tables, K_ids: pd.Index | None, filters: Filters, quiet: bool
) -> AnalysisSamples:
    """The samples to analyse (limix._data.analysis_samples), and notes saying how many."""
    keep, exclude = filters.sample_lists()
    try:
        chosen = analysis_samples(
            geno.samples,
            tables.phenotype.data,
            tables.traits,
            covariates=tables.covariates,
            kinship=K_ids,
            required=(_NTRIALS,) if tables.has_trials else (),
            keep=keep,
            exclude=exclude,
            names=_SOURCES,
        )
    except NoCommonSamples as err:
        raise InputError(err.source, str(err)) from None
    except ValueError as err:
        raise InputError("PHENOTYPE", str(err)) from None
    for line in removed_lines(chosen.removed):
        note(line, quiet)
    if chosen.by_position:
        note("PHENOTYPE has no sample IDs: its rows are the samples of GENOTYPE, in order.", quiet)
    counts = [f"{chosen.selected} genotyped"] + [f"{k}: {v}" for k, v in chosen.sizes.items()]
    note(f"Samples: {len(chosen.common)} in common ({', '.join(counts)}).", quiet)
    if chosen.incomplete:
        note(f"{chosen.incomplete} of them miss every trait value or a covariate.", quiet)
    return chosen


def _analysed(
    geno: Genotype,
    tables: _Tables,
    K: np.ndarray | None,
    K_ids: pd.Index | None,
    filters: Filters,
    kinship_from_genotype: bool,
    quiet: bool,
) -> _Analysed:
    """The analysed samples; the variants selected by annotation; the kinship, estimated from
    every variant on the analysed samples when asked."""
    chosen = _choose_samples(geno, tables, K_ids, filters, quiet)
    columns, lines = filters.variants.by_annotation(geno)
    for line in lines:
        note(line, quiet)
    if columns.size == 0:
        raise InputError("GENOTYPE", "no variant is left to test after the filters")

    kinship = None
    if kinship_from_genotype:
        from limix.stats import linear_kinship

        every_variant = chosen.genotype(geno.by_sample())
        note(f"Estimating the kinship from {every_variant.shape[1]} variants:", quiet)
        with reading("GENOTYPE"):
            values = np.asarray(linear_kinship(every_variant.data, verbose=not quiet))
        kinship = pd.DataFrame(values, index=chosen.samples, columns=chosen.samples)
    elif K is not None and K_ids is not None:
        kinship = pd.DataFrame(K, index=K_ids, columns=K_ids)
    kinships = None if kinship is None else KinshipBySamples(kinship)
    return _Analysed(chosen, geno.select_variants(columns), kinships)


def _scan_trait(
    trait: str,
    data: _Analysed,
    covariates: pd.DataFrame | None,
    filters: VariantFilters,
    lik: str,
    quiet: bool,
    exact: bool,
    dtype: str,
) -> tuple[Any, pd.DataFrame, str]:
    """Scan one trait on its samples: the result, the associations table, a plot subtitle."""
    from limix.qtl import scan as qtl_scan

    ids = data.samples.of(trait)
    if len(ids) < 3:
        raise InputError("--trait", f"{trait!r} has {len(ids)} analysable samples")
    # The missingness and MAF filters need a pass over the genotypes before the scan; without
    # them the variants that cannot be tested (no observed genotype, monomorphic) are found by
    # the scan's own pass (its N and allele frequencies) and left out after it.
    qc_pass = filters.missing_max is not None or filters.maf_min is not None
    geno = data.genotype
    if qc_pass:
        note(f"Checking {geno.dosage.shape[1]} variants on the samples of {trait!r}.", quiet)
        with reading("GENOTYPE"):
            on_trait = data.samples.genotype(geno.by_sample(), trait)
            keep, lines, _ = filters.by_genotype(on_trait.data, show_progress=not quiet)
        for line in lines:
            note(line, quiet)
        if keep.size == 0:
            raise InputError("GENOTYPE", "no variant is left to test after the filters")
        geno = geno.select_variants(keep)
    M = covariates_with_offset(covariates, ids)
    K = None if data.kinship is None else data.kinship.on(ids)
    phenotype = data.samples.phenotype
    trials = phenotype[_NTRIALS] if _NTRIALS in phenotype else None
    kin_text = ("with kinship" if K is not None else "no kinship") + (", exact" if exact else "")
    kin_text += ", float32 products" if dtype == "float32" else ""
    dropped = data.samples.left_out(trait)
    note(
        f"Scanning {trait!r} ({lik}, {kin_text}): {len(ids)} samples"
        + (f" ({dropped} without a value left out)" if dropped else "")
        + f", {geno.dosage.shape[1]} variants, covariates {list(M.columns)}.",
        quiet,
    )
    with warnings.catch_warnings(), reading(f"--trait {trait}"):
        if quiet:
            warnings.simplefilter("ignore")
        # labelled inputs: the scan matches G's, K's, M's and the trial counts' samples to the
        # trait's by ID
        result = qtl_scan(
            _genotype_array(geno, quiet),
            data.samples.values(trait),
            ("binomial", trials) if lik == "binomial" else lik,
            K=K,
            M=M,
            verbose=not quiet,
            exact=exact,
            dtype=dtype,
        )
    if not qc_pass:
        result = _testable(result, quiet)
    table = result.associations
    return result, table, f"{lik}, {kin_text}, {len(ids)} samples, {len(table)} variants"


@click.command("scan", short_help="Single-variant association testing via mixed models.")
@click.argument("phenotype", required=False, metavar="[PHENOTYPE[:TYPE]")
@click.argument("genotype", required=False, metavar="GENOTYPE[:TYPE]]")
@click.option(
    "--example",
    is_flag=True,
    help="Scan the example data set shipped with limix (480 samples, 3,000 variants), "
    "trait 'quantitative' by default, kinship estimated from its genotype.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for the results (created if needed): tables and plots.",
)
@click.option("--overwrite", is_flag=True, help="Replace result files already in --output.")
@click.option(
    "--trait",
    "traits",
    multiple=True,
    metavar="NAME",
    help="Phenotype column to scan (repeatable; each trait is scanned on its own). "
    "BIMBAM columns are named 0, 1, ...",
)
@click.option(
    "--sample-column",
    metavar="NAME",
    help="Column of the phenotype table holding the sample IDs [default: the first].",
)
@click.option(
    "--lik",
    type=click.Choice(LIKELIHOODS, case_sensitive=False),
    default="normal",
    show_default=True,
    help="Likelihood of the trait(s).",
)
@click.option(
    "--ntrials",
    metavar="NAME",
    help="Phenotype column holding the number of trials (--lik binomial).",
)
@click.option(
    "--covariates",
    "covariates_file",
    metavar="FILE[:TYPE]",
    help="CSV table of covariates (a sample ID column, then one column per covariate).",
)
@click.option(
    "--covariates-sample-column",
    metavar="NAME",
    help="Column of --covariates holding the sample IDs [default: the first].",
)
@click.option(
    "--covariate",
    "covariate_names",
    multiple=True,
    metavar="NAME",
    help="Covariate column to use (repeatable), from --covariates if given, else from the "
    "phenotype table [default: every column of --covariates]. An intercept is added.",
)
@click.option(
    "--kinship",
    "kinship_file",
    type=click.Path(dir_okay=False),
    help="Kinship matrix (.npy or .grm.raw) with its sample IDs in FILE.id, as "
    "'limix estimate-kinship' writes them.",
)
@click.option(
    "--kinship-from-genotype",
    is_flag=True,
    help="Estimate the kinship from every variant of GENOTYPE (on the analysed samples).",
)
@click.option("--no-kinship", is_flag=True, help="With --example: no kinship (a linear model).")
@BGEN_SAMPLE_FILE_OPTION
@click.option(
    "--exact",
    is_flag=True,
    help="Re-estimate the variances under every candidate's alternative (the exact "
    "likelihood-ratio test; --lik normal only; slower) instead of keeping the null's.",
)
@click.option(
    "--dtype",
    type=click.Choice(("float64", "float32")),
    default="float64",
    show_default=True,
    help="Precision of the rotation of the genotypes (the product that dominates the scan's "
    "time): float32 runs it about twice as fast, the statistics still in double precision "
    "(-log10 p within about 1e-5 of float64's).",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(tuple(SUMSTATS_FILES), case_sensitive=False),
    help="Format of the association table (repeatable): csv (associations.csv, the "
    "default), gwas-ssf (associations.tsv.gz and its -meta.yaml), regenie "
    "(associations.regenie), plink2 (associations.glm.linear, or .glm.logistic for "
    "bernoulli/binomial) or parquet (associations.parquet).",
)
@click.option(
    "--meta",
    "metadata",
    multiple=True,
    metavar="KEY=VALUE",
    help="A GWAS-SSF metadata field (repeatable), e.g. --meta genome_assembly=GRCh38 "
    "--meta genotyping_technology='Genome-wide genotyping array'.",
)
@filters_argument
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (no progress).")
def scan(
    phenotype: str | None,
    genotype: str | None,
    example: bool,
    output: str,
    overwrite: bool,
    traits: tuple[str, ...],
    sample_column: str | None,
    lik: str,
    ntrials: str | None,
    covariates_file: str | None,
    covariates_sample_column: str | None,
    covariate_names: tuple[str, ...],
    kinship_file: str | None,
    kinship_from_genotype: bool,
    no_kinship: bool,
    bgen_sample_file: str | None,
    exact: bool,
    dtype: str,
    formats: tuple[str, ...],
    metadata: tuple[str, ...],
    filters: Filters,
    quiet: bool,
) -> None:
    """Single-variant association testing via mixed models.

    PHENOTYPE is a CSV table with a column of sample IDs (the first, or --sample-column) and
    one column per trait, or a BIMBAM phenotype file (PHENOTYPE:bimbam-pheno, rows in the
    order of GENOTYPE's samples); GENOTYPE a PLINK 1 file set (prefix, or one of its files) or
    a BGEN file. With --example, the example data set shipped with limix is used instead.

    Samples are matched across the phenotype, genotype, covariates and kinship by their IDs
    (PLINK IID, BGEN sample IDs); samples missing a trait or covariate value are left out.
    Each variant is tested by a likelihood-ratio test of an LMM (or GLMM for --lik other than
    normal) with the covariates and, when given, the kinship; its effect size is per copy of
    allele a1 (PLINK .bim sixth column, BGEN second allele).

    Results go to --output: stats.csv, effsizes_h2.csv, h0_*.csv (the tables of
    limix.qtl.scan's result), associations.csv (one row per variant: annotation, MAF,
    missingness, effect size, p-value pv20), manhattan.png and qqplot.png. With several
    traits, each gets a subfolder of --output named after it.
    \f

    Parameters
    ----------
    phenotype, genotype
        Input files (``FILE`` or ``FILE:TYPE``).
    example
        Scan the shipped example data set.
    output
        Results folder.
    overwrite
        Replace existing result files.
    traits
        Phenotype columns to scan.
    sample_column
        Sample ID column of the phenotype.
    lik
        Likelihood name.
    ntrials
        Trial counts column (binomial).
    covariates_file, covariates_sample_column, covariate_names
        Covariates.
    kinship_file, kinship_from_genotype, no_kinship
        Kinship.
    bgen_sample_file
        BGEN sample IDs.
    exact
        Exact test (variances re-estimated per candidate).
    dtype
        Precision of the genotype rotation.
    formats, metadata
        Formats of the association table; GWAS-SSF metadata fields.
    filters
        Sample and variant filters (``--samples-file`` … ``--maf-min``).
    quiet
        Print nothing but errors.
    """
    lik = lik.lower()
    _check_flags(lik, ntrials, kinship_file, kinship_from_genotype, no_kinship)
    if exact and lik != "normal":
        raise InputError("--exact", "re-estimates the variances of an LMM: only with --lik normal")
    formats = tuple(dict.fromkeys(f.lower() for f in formats)) or ("csv",)
    if "plink2" in formats and lik not in ("normal", *_LOGIT):
        raise InputError(
            "--format",
            f"PLINK 2's --glm files are linear or logistic; a --lik {lik} scan fits neither: "
            "use gwas-ssf, regenie, csv or parquet",
        )
    if "parquet" in formats:
        with reading("--format"):
            optional_module("pyarrow", "parquet", "Parquet output")
    about = _metadata_fields(metadata)
    if example:
        inputs = _example_inputs(
            phenotype,
            genotype,
            covariates_file,
            kinship_file,
            kinship_from_genotype,
            no_kinship,
            traits,
        )
        note(f"Example data set: {Path(inputs.phenotype.path).parent}", quiet)
    else:
        inputs = _file_inputs(
            phenotype, genotype, covariates_file, kinship_file, kinship_from_genotype, traits
        )

    tables = _read_tables(
        inputs, sample_column, covariates_sample_column, covariate_names, ntrials, quiet
    )
    folders = _output_folders(output, tables.traits)
    names = output_files(formats, lik)
    _check_outputs(folders, overwrite, inputs.files(), names)
    with _writing_into(output):
        _check_outputs(folders, overwrite, inputs.files(), names)  # again: no other run writes

        with reading("GENOTYPE"), step(f"Reading {inputs.genotype.path}", quiet):
            geno = open_genotype(inputs.genotype, bgen_sample_file)
        K = K_ids = None
        if inputs.kinship is not None:
            with reading("--kinship"), step(f"Reading {inputs.kinship}", quiet):
                K, K_ids = read_kinship(inputs.kinship)

        data = _analysed(geno, tables, K, K_ids, filters, inputs.kinship_from_genotype, quiet)
        for trait in tables.traits:
            result, table, subtitle = _scan_trait(
                trait, data, tables.covariates, filters.variants, lik, quiet, exact, dtype
            )
            folder = folders[trait]
            with reading("--output"):
                written = result.to_csv(folder, overwrite=overwrite)
                written += _sumstats(result, folder, formats, lik, about, quiet)
                written += _plots(table, folder, trait, subtitle)
            if not quiet:
                click.echo(result)
                click.echo()
            _show_top(table, quiet)
            note(f"Results for {trait!r} in {folder}: {', '.join(p.name for p in written)}", quiet)
