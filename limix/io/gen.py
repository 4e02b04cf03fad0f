"""Oxford GEN genotype files (``.gen`` with its ``.sample``), genotypes read lazily."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._chunks import file_array, variant_chunk_size
from ._file import existing_file, malformed
from ._oxford import read_oxford_sample
from ._table import read_whitespace_table

__all__ = ["read"]

_BLOCK_BYTES = 1 << 24


def _line_starts(path: Path) -> np.ndarray:
    """Byte offset of the start of every line, the end of the file appended."""
    starts = [np.zeros(1, dtype=np.int64)]
    size = path.stat().st_size
    with open(path, "rb") as f:
        base = 0
        while block := f.read(_BLOCK_BYTES):
            newlines = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10)
            starts.append(newlines.astype(np.int64) + base + 1)
            base += len(block)
    offsets = np.concatenate(starts)
    offsets = offsets[offsets < size]
    return np.append(offsets, size)


def _parse(path: Path, text: bytes, first_line: int, lead: int, nsamples: int) -> np.ndarray:
    """Probabilities (lines, samples, 3) of a run of GEN lines; all-zero triplets become NaN."""
    nlines = text.count(b"\n") + (0 if text.endswith(b"\n") else 1)
    ncols = lead + 3 * nsamples

    def error(detail: str) -> ValueError:
        counts = [len(line.split()) for line in text.split(b"\n")[:nlines]]
        bad = [j for j, c in enumerate(counts) if c != ncols]
        if bad:
            return malformed(
                path,
                f"malformed GEN file: line {first_line + bad[0]} does not have {ncols} fields "
                f"({lead} leading columns and 3 probabilities for each of {nsamples} samples)",
            )
        return malformed(path, f"malformed GEN file near line {first_line}: {detail}")

    try:
        df = pd.read_csv(
            io.BytesIO(text),
            sep=r"\s+",
            header=None,
            names=list(range(ncols)),
            usecols=list(range(lead, ncols)),
            dtype=np.float64,
            engine="c",
        )
    except (ValueError, pd.errors.ParserError) as e:
        raise error(str(e)) from None
    values = df.to_numpy()
    if values.shape[0] != nlines or np.isnan(values).any():
        raise error("missing or non-numeric probabilities")
    probs = values.reshape(len(df), nsamples, 3)
    probs[(probs == 0).all(axis=2)] = np.nan
    return probs


class _GenBlocks:
    """Array-like (variants, samples, 3) whose slices parse the requested lines."""

    def __init__(self, path: Path, starts: np.ndarray, lead: int, nsamples: int):
        self.path = path
        self.starts = starts
        self.lead = lead
        self.shape = (len(starts) - 1, nsamples, 3)
        self.dtype = np.dtype(np.float64)
        self.ndim = 3

    def __getitem__(self, key: tuple[slice, slice, slice]) -> np.ndarray:
        lines, samples, genotypes = key
        a, b, _ = lines.indices(self.shape[0])
        if b <= a:
            return np.empty((0, self.shape[1], 3))[:, samples, genotypes]
        with open(self.path, "rb") as f:
            f.seek(self.starts[a])
            text = f.read(self.starts[b] - self.starts[a])
        probs = _parse(self.path, text, a + 1, self.lead, self.shape[1])
        return probs[:, samples, genotypes]


def read(
    prefix: str | os.PathLike[str],
    verbose: bool = True,
    *,
    chunk_size: int | None = None,
) -> dict[str, Any]:
    """Read GEN files into Pandas data frames.

    Reads ``prefix.gen`` and ``prefix.sample`` (Oxford formats). Each ``.gen`` line is a
    variant: five leading columns (SNP ID, RS ID, position, allele A, allele B) — or six, with
    the chromosome first, as qctool writes — then the probabilities of the genotypes AA, AB
    and BB for each sample in turn. The variant and sample tables are read at once; the
    probabilities are a lazy dask array parsed block by block of lines.

    Parameters
    ----------
    prefix
        Path of the two files without their extension (``.gen`` is also accepted).
    verbose
        ``True`` (default) to report what is being read.
    chunk_size
        Number of variants per dask block. Defaults to as many as fit about 64 MiB.

    Returns
    -------
    dict
        ``"variants"``
            :class:`pandas.DataFrame` with ``chrom`` (missing when the file has five leading
            columns), ``snpid``, ``rsid``, ``pos``, ``a0`` (allele A), ``a1`` (allele B) and
            ``i`` (the variant's index in the genotype array).
        ``"samples"``
            :class:`pandas.DataFrame` of the ``.sample`` file (its type-code line dropped).
        ``"genotype"``
            :class:`dask.array.Array` of shape (variants, samples, 3): the probabilities of AA,
            AB and BB; NaN for a missing genotype (three zero probabilities in the file).

    Raises
    ------
    FileNotFoundError
        If either file is missing.
    ValueError
        If a file is malformed: the number of fields of the first or last line does not match
        the number of samples, for instance. The other lines are checked when read.

    Examples
    --------
    >>> from limix.io import examples, gen
    >>>
    >>> data = gen.read(examples.get("example.gen"), verbose=False)
    >>> print(data["variants"])
      chrom snpid rsid   pos a0 a1  i
    0     1  SNP1  rs1  1000  A  G  0
    1     1  SNP2  rs2  2000  C  T  1
    2     2  SNP3  rs3  3000  A  C  2
    >>> print(data["samples"])
      ID_1 ID_2 missing sex
    0   s1   s1       0   1
    1   s2   s2       0   2
    2   s3   s3     0.1   1
    >>> print(data["genotype"][1].compute())
    [[0.9 0.1 0. ]
     [nan nan nan]
     [0.2 0.3 0.5]]
    """
    text = os.fspath(prefix)
    if text.endswith(".gen"):
        text = text[:-4]
    gen_path = existing_file(text + ".gen", "GEN file")
    samples = read_oxford_sample(existing_file(text + ".sample", "GEN sample file"))
    nsamples = len(samples)

    starts = _line_starts(gen_path)
    nvariants = len(starts) - 1
    if nvariants == 0:
        raise malformed(gen_path, "empty GEN file")
    with open(gen_path, "rb") as f:
        nfields = len(f.readline().split())
    lead = nfields - 3 * nsamples
    if lead not in (5, 6):
        raise malformed(
            gen_path,
            f"line 1 has {nfields} fields; with {nsamples} samples (from the .sample file) a GEN "
            f"line has 5 or 6 leading columns and {3 * nsamples} probabilities",
        )
    source = _GenBlocks(gen_path, starts, lead, nsamples)
    source[nvariants - 1 : nvariants, :, :]  # a truncated last line is reported now

    names = ["chrom", "snpid", "rsid", "pos", "a0", "a1"][6 - lead :]
    variants = read_whitespace_table(
        gen_path,
        range(nfields),
        {j: (np.int64 if names[j] == "pos" else str) for j in range(lead)},
        "GEN file",
        usecols=list(range(lead)),
    )
    variants.columns = names
    if lead == 5:
        variants.insert(0, "chrom", pd.Series(pd.NA, index=variants.index, dtype=object))
    variants["i"] = np.arange(nvariants, dtype=np.int64)

    block = variant_chunk_size(3 * nsamples, 8, nvariants, chunk_size)
    genotype = file_array(source, gen_path, "gen-", (block, -1, -1), np.float64)
    if verbose:
        print(f"Read GEN file '{gen_path}': {nvariants} variants, {nsamples} samples.")
    return {"variants": variants, "samples": samples, "genotype": genotype}
