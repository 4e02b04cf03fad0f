"""BIMBAM phenotype and mean-genotype files (as GEMMA reads them)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._file import existing_file, malformed
from ._table import read_whitespace_table

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["read_genotype", "read_phenotype"]


def read_phenotype(filepath: str | os.PathLike[str], verbose: bool = True) -> pd.DataFrame:
    """Read a BIMBAM phenotype file.

    A BIMBAM phenotype file has one line per sample and one whitespace-separated column per
    trait, no header, and ``NA`` for a missing value (``-9`` is an ordinary number). Every
    line must have the same number of values.

    Parameters
    ----------
    filepath
        Phenotype file.
    verbose
        ``True`` (default) to report what is being read.

    Returns
    -------
    pandas.DataFrame
        Samples-by-traits float64 values, NaN where missing; the index (named ``sample``) and
        the columns (named ``trait``) are the positions 0, 1, 2, ...

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If a line has a different number of values, or a value is not a number.

    Examples
    --------
    >>> from limix.io import bimbam, examples
    >>>
    >>> filepath = examples.get("phenotype.gemma")
    >>> print(bimbam.read_phenotype(filepath, verbose=False))
    trait     0    1    2
    sample
    0       1.2 -0.3 -1.5
    1       NaN  1.5  0.3
    2       2.7  1.1  NaN
    3      -0.2 -0.7  0.8
    4       3.3  2.4  2.1
    """
    path: Path = existing_file(filepath, "BIMBAM phenotype file")
    if verbose:
        print(f"Reading BIMBAM phenotype file '{path}'.")
    # checked before parsing: the parser would pad a short line with missing values
    lines, counts = _fields_per_line(path)
    if counts.size == 0:
        raise malformed(path, "empty BIMBAM phenotype file")
    ntraits = int(counts[0])
    bad = np.flatnonzero(counts != ntraits)
    if bad.size:
        raise malformed(
            path,
            f"malformed BIMBAM phenotype file: line {int(lines[bad[0]])} has "
            f"{int(counts[bad[0]])} values, but the first line has {ntraits}",
        )
    df = read_whitespace_table(
        path,
        range(ntraits),
        np.float64,
        "BIMBAM phenotype file",
        na_values=["NA", "nan", "NaN"],
    )
    df.index = pd.RangeIndex(len(df), name="sample")
    df.columns = pd.RangeIndex(ntraits, name="trait")
    return df


def _fields_per_line(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Line numbers (1-based) and number of fields of the non-blank lines."""
    numbers, counts = [], []
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            n = len(line.split())
            if n:
                numbers.append(number)
                counts.append(n)
    return np.array(numbers, dtype=np.int64), np.array(counts, dtype=np.int64)


def _annotation(path: Path, ids: pd.Index) -> pd.DataFrame:
    """GEMMA's SNP annotation file: ``ID, POS, CHR`` per line (comma or whitespace)."""
    table = pd.read_csv(path, sep=r"[,\s]+", header=None, dtype=str, engine="python")
    if table.shape[1] < 3:
        raise malformed(path, "expected three columns: variant ID, position, chromosome")
    table = table.set_index(0)
    missing = ids.difference(table.index)
    if len(missing):
        raise malformed(path, f"no line for {len(missing)} variant(s), e.g. {list(missing[:3])}")
    pos = pd.to_numeric(table[1], errors="coerce")
    if pos.isna().any():
        raise malformed(path, "a position is not a number")
    return pd.DataFrame({"pos": pos.astype("int64"), "chrom": table[2]}).loc[ids]


def read_genotype(
    filepath: str | os.PathLike[str],
    samples: Any = None,
    annotation: str | os.PathLike[str] | None = None,
) -> xr.DataArray:
    """Read a BIMBAM mean-genotype file (GEMMA's ``-g``) as the labelled genotype matrix.

    Each line is one variant: its ID, the allele counted (GEMMA's "minor allele"), the other
    allele, then one dosage per sample in [0, 2] — separated by commas, spaces or tabs — with
    ``NA`` for a missing one. The file names no samples: they are the samples of the phenotype
    file, in its order, which ``samples`` gives (0, 1, … otherwise).

    Parameters
    ----------
    filepath
        The mean-genotype file (read whole: these files are text).
    samples
        The sample IDs, in the file's column order.
    annotation
        GEMMA's SNP annotation file (``-a``: ID, position, chromosome per line) for the
        ``pos`` and ``chrom`` coordinates; without it they are 0 and "".

    Returns
    -------
    xarray.DataArray
        Dims ("sample", "variant"), float64, NaN where missing, as :func:`limix.io.read_genotype`
        returns (``effect_allele`` the counted allele).

    Raises
    ------
    ValueError
        If a line has another number of values than the first, a dosage is not a number in
        [0, 2], or ``samples`` does not match the number of dosages.

    Examples
    --------
    >>> from limix.io import bimbam, examples
    >>> G = bimbam.read_genotype(examples.get("data.mean.geno.txt"), samples=list("abcde"))
    >>> print(G.values)
    [[ 0.  1.  2.  0.]
     [ 1.  1. nan  2.]
     [ 2.  0.  1.  1.]
     [ 0.  2.  0. nan]
     [ 1.  0.  1.  2.]]
    >>> G.coords["effect_allele"].values.tolist()  # the .bim's sixth column, as for data.bed
    ['G', 'T', 'A', 'C']
    """
    import dask.array as da

    from ._labelled import labelled_genotype

    path = existing_file(filepath, "BIMBAM mean-genotype file")
    try:
        table = pd.read_csv(
            path, sep=r"[,\s]+", header=None, dtype=str, engine="python", keep_default_na=False
        )
    except pd.errors.ParserError as error:
        raise malformed(path, f"lines with different numbers of values ({error})") from None
    if table.shape[1] < 4:
        raise malformed(path, "expected a variant ID, two alleles and at least one dosage a line")
    values = table.iloc[:, 3:].replace({"NA": "nan", "": "nan"})
    try:
        dosage = values.to_numpy(dtype=np.float64).T
    except ValueError as error:
        raise malformed(path, f"a dosage is not a number ({error})") from None
    observed = dosage[~np.isnan(dosage)]
    if observed.size and (observed.min() < 0 or observed.max() > 2):
        raise malformed(path, "a dosage lies outside [0, 2]")
    n = dosage.shape[0]
    ids = pd.Index(table[0].astype(str))
    labels = pd.Index([str(s) for s in samples]) if samples is not None else pd.RangeIndex(n)
    if len(labels) != n:
        raise ValueError(f"samples lists {len(labels)} samples; '{path}' has {n} dosages a line.")
    variants = pd.DataFrame(
        {
            "variant": ids.to_numpy(dtype=object),
            "chrom": "",
            "pos": np.zeros(len(ids), dtype=np.int64),
            "effect_allele": table[1].astype(str).to_numpy(),
            "other_allele": table[2].astype(str).to_numpy(),
        }
    )
    if annotation is not None:
        annotated = _annotation(existing_file(annotation, "BIMBAM annotation file"), ids)
        variants["pos"] = annotated["pos"].to_numpy()
        variants["chrom"] = annotated["chrom"].astype(str).to_numpy()
    return labelled_genotype(da.from_array(dosage), labels, variants, name=path.name)
