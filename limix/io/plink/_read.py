"""``limix.io.plink.read``: PLINK 1 binary file sets (.bed, .bim, .fam)."""

from __future__ import annotations

import glob
import os

import dask.array as da
import numpy as np
import pandas as pd

from .._file import existing_file
from ._bed import read_bed
from ._bim import read_bim
from ._fam import read_fam

__all__ = ["read"]

_SUFFIXES = (".bed", ".bim", ".fam")


def _prefixes(prefix: str | os.PathLike[str]) -> list[str]:
    text = os.fspath(prefix)
    if text.endswith(_SUFFIXES):
        text = text[:-4]
    if any(c in text for c in "*?["):
        found = sorted(p[:-4] for p in glob.glob(text + ".bed"))
        if not found:
            raise FileNotFoundError(f"no PLINK .bed file matches '{text}.bed'")
        return found
    return [text]


def _read_one(prefix: str, chunk_size: int | None) -> tuple[pd.DataFrame, pd.DataFrame, da.Array]:
    bed_path = existing_file(prefix + ".bed", "PLINK .bed file")
    bim_path = existing_file(prefix + ".bim", "PLINK .bim file")
    fam_path = existing_file(prefix + ".fam", "PLINK .fam file")
    bim = read_bim(bim_path)
    fam = read_fam(fam_path)
    G = read_bed(bed_path, len(fam), len(bim), chunk_size)
    return bim, fam, G


def read(
    prefix: str | os.PathLike[str],
    verbose: bool = True,
    *,
    samples_by_variants: bool = False,
    chunk_size: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, da.Array]:
    """Read PLINK files into Pandas data frames.

    Reads a PLINK 1 binary file set: ``prefix.bed`` (genotypes), ``prefix.bim`` (variants)
    and ``prefix.fam`` (samples). The ``.bim`` and ``.fam`` files are read at once; the
    genotypes are a lazy dask array decoded by bed-reader block by block (blocks of variants,
    about 64 MiB each by default).

    **Which allele is counted.** A genotype is the number of copies of allele ``a1``: the
    **sixth** column of the ``.bim`` file (PLINK's "allele 2", usually the major allele) — in a
    ``.bed`` file, ``00`` (homozygous for the fifth-column allele ``a0``) reads 0, ``10``
    (heterozygous) 1, ``11`` (homozygous ``a1``) 2, and ``01`` (missing) NaN. PLINK's own
    ``--recode A`` and bed-reader's default count the fifth-column allele instead, which gives
    2 − the values here.

    Parameters
    ----------
    prefix
        Path of the files without their extension (a ``.bed``, ``.bim`` or ``.fam`` extension
        is also accepted). A glob pattern (``"chr*"``) reads every matching file set, in sorted
        order, concatenating their variants; all must have the same samples.
    verbose
        ``True`` (default) to report what is being read.
    samples_by_variants
        ``False`` (default) for the genotypes as variants-by-samples, as in the files and the
        manual; ``True`` for samples-by-variants (the layout of the association scans), also
        lazy.
    chunk_size
        Number of variants per dask block. Defaults to as many as fit about 64 MiB.

    Returns
    -------
    bim : pandas.DataFrame
        One row per variant: ``chrom``, ``snp``, ``cm``, ``pos``, ``a0`` (fifth column),
        ``a1`` (sixth column) and ``i`` (the variant's index in the genotype matrix), indexed
        by the variant ID (``bim.loc["rs10"]``; ``bim.iloc[0]`` by position).
    fam : pandas.DataFrame
        One row per sample: ``fid``, ``iid``, ``father``, ``mother``, ``gender``, ``trait``
        (as in the file, strings) and ``i`` (the sample's index in the genotype matrix),
        indexed by the sample ID, the IID (``fam.loc["s1"]``).
    bed : dask.array.Array
        Genotypes, float64, variants-by-samples (samples-by-variants if
        ``samples_by_variants``): number of copies of ``a1``, NaN for missing.

    Raises
    ------
    FileNotFoundError
        If one of the three files is missing.
    ValueError
        If a file is malformed, or the ``.bed`` file's size does not match the number of
        samples and variants (a truncated file, for instance).

    Examples
    --------
    >>> from limix.io import examples, plink
    >>>
    >>> filepath = examples.get("data.bed")  # the prefix with an extension also works
    >>> (bim, fam, bed) = plink.read(filepath, verbose=False)
    >>> print(bim.head())
         chrom   snp    cm   pos a0 a1  i
    rs10     1  rs10  0.00  1200  A  G  0
    rs20     1  rs20  0.50  4500  C  T  1
    rs30     2  rs30  0.00   300  G  A  2
    rs40     2  rs40  1.25  9100  T  C  3
    >>> print(fam.head())
       fid iid father mother gender trait  i
    s1  f1  s1      0      0      1    -9  0
    s2  f1  s2      0      0      2    -9  1
    s3  f2  s3      0      0      2    -9  2
    s4  f3  s4      0      0      1    -9  3
    s5  f3  s5      0      0      0    -9  4
    >>> print(bim.loc["rs30", "pos"], fam.loc["s2", "gender"])
    300 2
    >>> print(bed.compute())
    [[ 0.  1.  2.  0.  1.]
     [ 1.  1.  0.  2.  0.]
     [ 2. nan  1.  0.  1.]
     [ 0.  2.  1. nan  2.]]
    >>> G = plink.read(filepath, verbose=False, samples_by_variants=True)[2]
    >>> print(G.shape)
    (5, 4)
    """
    prefixes = _prefixes(prefix)
    sets = [_read_one(p, chunk_size) for p in prefixes]
    fam = sets[0][1]
    for p, (_, other, _) in zip(prefixes[1:], sets[1:], strict=True):
        if not fam[["fid", "iid"]].equals(other[["fid", "iid"]]):
            raise ValueError(f"PLINK file set '{p}' has different samples from '{prefixes[0]}'")
    bim = pd.concat([s[0] for s in sets], ignore_index=True)
    G = sets[0][2] if len(sets) == 1 else da.concatenate([s[2] for s in sets], axis=1)
    bim["i"] = np.arange(len(bim), dtype=np.int64)
    bim.index = pd.Index(bim["snp"].to_numpy())
    fam = fam.copy()
    fam["i"] = np.arange(len(fam), dtype=np.int64)
    fam.index = pd.Index(fam["iid"].to_numpy())
    if verbose:
        print(
            f"Read {len(sets)} PLINK file set(s) '{os.fspath(prefix)}': {len(fam)} samples, "
            f"{len(bim)} variants (genotypes lazy, blocks of {G.chunksize[1]} variants)."
        )
    return bim, fam, (G if samples_by_variants else G.T)
