"""The one labelled form of a genotype matrix that every reader returns.

An ``xarray.DataArray`` of dims ``("sample", "variant")``, lazy (dask), whose coordinates name
what a GWAS table needs: ``sample`` (sample IDs), ``variant`` (variant IDs), and along the
variants ``chrom``, ``pos``, ``effect_allele`` (the allele whose copies the values count) and
``other_allele``. ``limix.qtl.scan``, ``limix.stats.linear_kinship`` and the QC functions take it
as it is: samples are matched by ID, and results are labelled by variant.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["VARIANT_COLUMNS", "labelled_genotype", "sample_selection", "variant_labels"]

#: The per-variant columns a reader passes (one row per variant, in file order).
VARIANT_COLUMNS = ("variant", "chrom", "pos", "effect_allele", "other_allele")


def variant_labels(variants: pd.DataFrame) -> np.ndarray:
    """Variant IDs where present and unique; CHROM:POS:OTHER:EFFECT for the others (a missing
    ID ".", a repeated one, e.g. the ALT alleles of a split multi-allelic record); positions
    0, 1, … when labels would still repeat."""
    ids = variants["variant"].astype(str)
    unusable = ids.isin([".", ""]) | ids.duplicated(keep=False)
    if unusable.any():
        built = (
            variants["chrom"].astype(str)
            + ":"
            + variants["pos"].astype(str)
            + ":"
            + variants["other_allele"].astype(str)
            + ":"
            + variants["effect_allele"].astype(str)
        )
        ids = ids.where(~unusable, built)
    if ids.is_unique:
        return ids.to_numpy(dtype=object)
    return np.arange(len(ids))


def sample_selection(
    ids: pd.Index, samples: Sequence[Any] | None, where: str
) -> tuple[pd.Index, np.ndarray | None, np.ndarray | None]:
    """The samples a reader decodes and how to put them in the order asked.

    Returns the IDs in the order asked, the rows to decode in file order (increasing, as
    pgenlib and htslib take them; None for all), and the order that turns the decoded rows into
    the order asked (None when it is the file order).

    Raises
    ------
    ValueError
        If ``samples`` is empty, repeats an ID, or names one not in the file (``where``).
    """
    if samples is None:
        return ids, None, None
    wanted = pd.Index([str(s) for s in samples])
    if wanted.has_duplicates:
        raise ValueError(f"samples lists {wanted[wanted.duplicated()][:3].tolist()} twice.")
    rows = ids.get_indexer(wanted)
    if (rows < 0).any():
        raise ValueError(
            f"samples: {int((rows < 0).sum())} ID(s) are not in {where}, e.g. "
            f"{wanted[rows < 0][:3].tolist()}."
        )
    if rows.size == 0:
        raise ValueError("samples is empty.")
    in_file_order = np.sort(rows)
    return wanted, in_file_order, np.searchsorted(in_file_order, rows)


def labelled_genotype(
    dosage: Any, samples: pd.Index, variants: pd.DataFrame, name: str
) -> xr.DataArray:
    """Label a samples-by-variants (lazy) matrix with its samples and variants.

    Parameters
    ----------
    dosage
        n×m dask (or numpy) array, float, NaN for a missing genotype.
    samples
        The n sample IDs, in row order.
    variants
        m rows with the columns of :data:`VARIANT_COLUMNS` (``pos`` an integer).
    name
        The array's name (e.g. the file it was read from).

    Returns
    -------
    xarray.DataArray
        Dims ("sample", "variant"). The ``variant`` coordinate holds the variant IDs; a missing
        (".") or repeated ID becomes ``CHROM:POS:OTHER:EFFECT``, and when labels would still
        repeat the coordinate is the position 0, 1, …; ``variant_id`` keeps the IDs as given.
    """
    import xarray as xr

    labels = variant_labels(variants)
    coords: dict[str, Any] = {
        "sample": ("sample", np.asarray(samples, dtype=object)),
        "variant": ("variant", labels),
        "variant_id": ("variant", variants["variant"].astype(str).to_numpy(dtype=object)),
        "chrom": ("variant", variants["chrom"].astype(str).to_numpy(dtype=object)),
        "pos": ("variant", variants["pos"].to_numpy(dtype=np.int64)),
        "effect_allele": ("variant", variants["effect_allele"].astype(str).to_numpy(dtype=object)),
        "other_allele": ("variant", variants["other_allele"].astype(str).to_numpy(dtype=object)),
    }
    return xr.DataArray(dosage, dims=("sample", "variant"), coords=coords, name=name)
