"""File types of the command line: ``FILE:TYPE`` to force one, detection otherwise."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "GENOTYPE_TYPES",
    "TYPES",
    "FileSpec",
    "detect_type",
    "parse_spec",
    "plink2_prefix",
    "plink_prefix",
    "resolve",
]

#: The file types, with what each one is.
TYPES: dict[str, str] = {
    "plink": "PLINK 1 binary file set (.bed, .bim, .fam), given by prefix or by one of the files",
    "plink2": "PLINK 2 file set (.pgen, .pvar, .psam), given by prefix or by one of the files",
    "vcf": "VCF or BCF genotype file (.vcf, .vcf.gz, .bcf); dosages (DS) when present, else GT",
    "bgen": "BGEN genotype file",
    "gen": "Oxford GEN genotype file, with its .sample file beside it",
    "bimbam-pheno": "BIMBAM phenotype file (one line per sample, one column per trait)",
    "csv": "delimited text table (comma, tab, semicolon, bar or whitespace)",
    "hdf5": "HDF5 file",
    "kinship": "kinship matrix: a .grm.raw text matrix or a .npy array",
    "npy": "NumPy .npy or .npz file",
    "image": "image (PNG, JPEG, GIF, BMP, TIFF, WebP)",
    "sumstats": "summary statistics: GWAS-SSF (.tsv.gz), REGENIE (.regenie), PLINK 2 "
    "(.glm.linear, .glm.logistic), limix's associations (.csv, .parquet)",
}
#: The types a genotype argument may have.
GENOTYPE_TYPES = ("plink", "plink2", "vcf", "bgen", "gen")
_ALIASES = {
    "bed": "plink",
    "pgen": "plink2",
    "bcf": "vcf",
    "grm.raw": "kinship",
    "grm": "kinship",
    "npz": "npy",
    "h5": "hdf5",
    "regenie": "sumstats",
    "gwas-ssf": "sumstats",
}
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".tab")
_COMPRESSED = (".gz", ".bz2", ".xz")
_PLINK_SUFFIXES = (".bed", ".bim", ".fam")
_PLINK2_SUFFIXES = (".pgen", ".pvar", ".psam", ".pvar.zst", ".psam.zst")
_VCF_SUFFIXES = (".vcf", ".vcf.gz", ".vcf.bgz", ".bcf")
_SUMSTATS_SUFFIXES = (".regenie", ".glm.linear", ".glm.logistic", ".parquet")


@dataclass(frozen=True)
class FileSpec:
    """A file argument: its path and its type (``None`` until detected)."""

    path: str
    type: str | None

    def __str__(self) -> str:
        return self.path


def _known(name: str) -> str | None:
    name = name.strip().lower()
    if name in TYPES:
        return name
    return _ALIASES.get(name)


def parse_spec(text: str) -> FileSpec:
    """Split ``FILE:TYPE`` into the path and the type; a path without a known type suffix is kept.

    Parameters
    ----------
    text
        What the user typed, e.g. ``phenotype.gemma:bimbam-pheno`` or ``data.csv``.

    Returns
    -------
    FileSpec
        The path and the type (canonical name), or ``None`` for the type when none is given.

    Raises
    ------
    ValueError
        If the text after the last colon names no type and the whole text is not an existing
        path (``FILE:TYPO``).

    Examples
    --------
    >>> from limix.cli._filetype import parse_spec
    >>> parse_spec("phenotype.gemma:bimbam-pheno")
    FileSpec(path='phenotype.gemma', type='bimbam-pheno')
    >>> parse_spec("small_example.grm.raw")
    FileSpec(path='small_example.grm.raw', type=None)
    """
    head, sep, tail = text.rpartition(":")
    if sep and head:
        kind = _known(tail)
        if kind is not None:
            return FileSpec(head, kind)
        if not os.path.lexists(text) and "/" not in tail and "\\" not in tail:
            raise ValueError(
                f"unknown file type {tail!r} in {text!r}; the types are {', '.join(TYPES)}"
            )
    return FileSpec(text, None)


def plink_prefix(path: str) -> str | None:
    """The PLINK prefix that ``path`` names (the prefix itself, or one of its three files), if
    its .bed file exists."""
    prefix = path[:-4] if path.lower().endswith(_PLINK_SUFFIXES) else path
    return prefix if os.path.isfile(prefix + ".bed") else None


def plink2_prefix(path: str) -> str | None:
    """The PLINK 2 prefix that ``path`` names (the prefix itself, or one of its files), if its
    .pgen file exists."""
    lower = path.lower()
    prefix = path
    for suffix in _PLINK2_SUFFIXES:
        if lower.endswith(suffix):
            prefix = path[: -len(suffix)]
            break
    return prefix if os.path.isfile(prefix + ".pgen") else None


def _magic(path: Path, size: int = 32) -> bytes:
    with open(path, "rb") as f:
        return f.read(size)


def _sumstats_header(path: Path) -> bool:
    """Whether a text file's first line is a summary-statistics header."""
    from limix.io.sumstats import first_line, format_of_header

    try:
        return format_of_header(first_line(path)) is not None
    except ValueError:  # a damaged gzip file: not recognised here, its reader will say why
        return False


def detect_type(path: str) -> str:
    """The type of the file at ``path``, from its name and its first bytes.

    Raises
    ------
    FileNotFoundError
        If nothing is at ``path`` (nor a PLINK file set with that prefix).
    ValueError
        If the type cannot be told: the user must append ``:TYPE``.
    """
    lower = path.lower()
    if lower.endswith(_PLINK_SUFFIXES):
        return "plink"
    if lower.endswith(_PLINK2_SUFFIXES):
        return "plink2"
    if not os.path.lexists(path) and plink_prefix(path) is not None:
        return "plink"
    if not os.path.lexists(path) and plink2_prefix(path) is not None:
        return "plink2"
    if lower.endswith(_VCF_SUFFIXES):
        return "vcf"
    if lower.endswith(".gen"):
        return "gen"
    file = Path(path)
    if not file.exists():
        raise FileNotFoundError(f"file not found: '{path}'")
    if file.is_dir():
        raise IsADirectoryError(f"'{path}' is a directory, not a file")
    head = _magic(file)
    if lower.endswith((".grm.raw", ".grm.raw.txt")):
        return "kinship"
    if lower.endswith(".bgen") or head[16:20] == b"bgen":
        return "bgen"
    if lower.endswith((".npy", ".npz")) or head.startswith(b"\x93NUMPY"):
        return "npy"
    if lower.endswith((".h5", ".hdf5", ".hdf")) or head.startswith(b"\x89HDF\r\n\x1a\n"):
        return "hdf5"
    if lower.endswith(_IMAGE_SUFFIXES) or head.startswith(_IMAGE_MAGIC) or head[8:12] == b"WEBP":
        return "image"
    stem = lower
    for suffix in _COMPRESSED:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    if stem.endswith(_SUMSTATS_SUFFIXES):
        return "sumstats"
    if stem.endswith(_TEXT_SUFFIXES):
        return "sumstats" if _sumstats_header(file) else "csv"
    raise ValueError(
        f"cannot tell the type of '{path}' from its name or content; append :TYPE to it, "
        f"TYPE one of {', '.join(TYPES)} (e.g. '{path}:csv')"
    )


def resolve(spec: FileSpec, allowed: tuple[str, ...]) -> FileSpec:
    """``spec`` with its type detected if needed, checked against the ``allowed`` types.

    Raises
    ------
    ValueError
        If the type is not among ``allowed``.
    FileNotFoundError
        If the file does not exist.
    """
    kind = spec.type if spec.type is not None else detect_type(spec.path)
    if kind not in allowed:
        raise ValueError(
            f"'{spec.path}' is a {kind} file; expected {' or '.join(allowed)} "
            f"(append :TYPE to force one)"
        )
    if kind not in ("plink", "plink2") and not os.path.exists(spec.path):
        raise FileNotFoundError(f"file not found: '{spec.path}'")
    return FileSpec(spec.path, kind)
