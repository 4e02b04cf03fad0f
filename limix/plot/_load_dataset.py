"""Example datasets shipped with limix.plot.

They are simulated by ``tests/limix/plot/make_datasets.py`` in the source repository, which
documents how.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["load_dataset"]

_FOLDER = Path(__file__).resolve().parent / "_datasets"
_NAMES = ("gwas", "kinship")


def load_dataset(name: str) -> np.ndarray | pd.DataFrame:
    """Example datasets.

    No network access: the files are part of the installed package.

    Parameters
    ----------
    name : str
        ``"kinship"``: kinship matrix (numpy array) of 200 simulated samples from three
        populations, with a few sibling pairs, in random sample order.

        ``"gwas"``: simulated genome-wide association results (pandas DataFrame) of the
        variants with p-value below 0.01: chromosome (``chr``), base-pair position (``pos``)
        and p-value (``pv``) of each, indexed by the variant's position in the scan. The 22
        autosomes hold one variant per 5 kb and eight associated loci.

    Returns
    -------
    numpy.ndarray or pandas.DataFrame
        The dataset.

    Examples
    --------
    >>> import limix
    >>>
    >>> limix.plot.load_dataset("kinship").shape
    (200, 200)
    >>> df = limix.plot.load_dataset("gwas")
    >>> df.columns.tolist()
    ['chr', 'pos', 'pv']
    """
    if name == "kinship":
        with np.load(_FOLDER / "kinship.npz") as f:
            upper = f["upper_times_1e8"] / 1e8
        # The upper triangle holds n(n + 1)/2 entries.
        n = round((np.sqrt(8 * upper.size + 1) - 1) / 2)
        K = np.zeros((n, n))
        K[np.triu_indices(n)] = upper
        return K + np.triu(K, 1).T
    if name == "gwas":
        import pandas as pd

        return pd.read_csv(_FOLDER / "gwas.csv.gz", index_col=0)
    raise ValueError(f"name must be one of {list(_NAMES)}; got {name!r}.")
