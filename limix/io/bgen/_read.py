"""``limix.io.bgen.read``: variants, samples and lazy genotypes of a BGEN file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._file import existing_file
from ._bgi import variant_table
from ._genotype import BGENGenotype
from ._header import read_header
from ._sample_count import check_sample_count
from ._samples import read_samples

__all__ = ["read"]


def read(
    filepath: str | Path,
    samples_filepath: str | Path | None = None,
    verbose: bool = True,
    *,
    index: str | Path | None = None,
) -> dict[str, Any]:
    """Read a given BGEN file.

    The header, the sample identifiers and the variants' identifying data are read and
    validated at once; genotype probabilities are checked and decoded only when asked for.
    The variants come from an index when one describes the file: bgenix's ``FILE.bgen.bgi``
    beside it (SQLite; checked against the file), or the one limix cached on an earlier open;
    otherwise the variant blocks are walked once and the result is cached as an index in the
    user's cache folder (``$XDG_CACHE_HOME/limix/bgi``; nothing is ever written next to the
    BGEN file).

    Parameters
    ----------
    filepath
        BGEN file: v1.2 (layout 2; zlib, zstd or no compression: what qctool, bgenix and
        PLINK 2 write) or v1.1 (layout 1; zlib or no compression).
    samples_filepath
        Oxford ``.sample`` file whose first column gives the sample identifiers, for files
        without a sample identifier block (or to override it). Defaults to ``None``: the file's
        own identifiers, or ``sample_0``, ``sample_1``, ... if it has none.
    verbose
        ``True`` (default) to report what is being read.
    index
        A bgenix ``.bgi`` index to use (default: ``FILE.bgi`` if present, else the cache).

    Returns
    -------
    dict
        ``"variants"``
            :class:`pandas.DataFrame`, one row per variant in file order, with columns ``id``,
            ``rsid``, ``chrom``, ``pos``, ``nalleles``, ``allele_ids`` (comma-separated) and
            ``vaddr`` (byte offset of the variant's genotype block).
        ``"samples"``
            :class:`pandas.Series` of sample identifiers, named ``id``.
        ``"genotype"``
            Lazy sequence, one ``dask.delayed`` object per variant:
            ``data["genotype"][i].compute()`` returns a dict with ``probs`` (samples-by-
            combinations probabilities), ``phased``, ``ploidy`` and ``missing``. See
            :func:`limix.io.bgen.read_dosage` to read the dosages of many variants at once.

    Raises
    ------
    FileNotFoundError
        If ``filepath`` (or ``samples_filepath``) does not exist.
    ValueError
        If the file is not a BGEN file, or is truncated or corrupt; when a genotype is
        computed, if its block is damaged or disagrees with the header or with the variant's
        allele count.

    Examples
    --------
    >>> from limix.io import bgen, examples
    >>>
    >>> filepath = examples.get("haplotypes.bgen")
    >>> data = bgen.read(filepath, verbose=False)
    >>> print(data.keys())
    dict_keys(['variants', 'samples', 'genotype'])
    >>> print(data["variants"].head(4))
         id rsid chrom  pos  nalleles allele_ids  vaddr
    0  SNP1  RS1     1    1         2        A,G    102
    1  SNP2  RS2     1    2         2        A,G    159
    2  SNP3  RS3     1    3         2        A,G    216
    3  SNP4  RS4     1    4         2        A,G    273
    >>> print(data["samples"])
    0    sample_0
    1    sample_1
    2    sample_2
    3    sample_3
    Name: id, dtype: object
    >>> geno = data["genotype"][0].compute()
    >>> print(geno.keys())
    dict_keys(['probs', 'phased', 'ploidy', 'missing'])
    >>> print(geno["probs"])
    [[1. 0. 1. 0.]
     [0. 1. 1. 0.]
     [1. 0. 0. 1.]
     [0. 1. 0. 1.]]
    """
    path = existing_file(filepath, "BGEN file")
    header = read_header(path)
    if verbose:
        print(
            f"Reading '{path}': {header.nvariants} variants, {header.nsamples} samples, "
            f"layout {header.layout}, {header.compression} compression."
        )
    if header.has_sample_ids:
        samples = read_samples(header, samples_filepath)
        variants = variant_table(
            header, None if index is None else existing_file(index, "BGEN index")
        )
    else:  # the header's sample count is confirmed by a genotype block before it is used
        variants = variant_table(
            header, None if index is None else existing_file(index, "BGEN index")
        )
        if len(variants):
            check_sample_count(header, int(variants["vaddr"].iloc[0]))
        samples = read_samples(header, samples_filepath)
    genotype = BGENGenotype(path, variants["vaddr"].to_numpy(), variants["nalleles"].to_numpy())
    return {"variants": variants, "samples": samples, "genotype": genotype}
