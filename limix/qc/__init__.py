"""Quality control: transformations and filters of genotype, phenotype and kinship matrices.

Every function accepts numpy arrays, pandas Series/DataFrames, xarray DataArrays and dask
arrays, and returns its result in the type of its input with the input's labels.
"""

from ._boxcox import boxcox
from ._dependent import remove_dependent_cols
from ._impute import mean_impute
from ._kinship import normalise_covariance
from ._ld import indep_pairwise
from ._maf import compute_maf
from ._missing import count_missingness
from ._quantile import quantile_gaussianize
from ._standardize import mean_standardize
from ._unique import unique_variants

__all__ = [
    "boxcox",
    "compute_maf",
    "count_missingness",
    "indep_pairwise",
    "mean_impute",
    "mean_standardize",
    "normalise_covariance",
    "quantile_gaussianize",
    "remove_dependent_cols",
    "unique_variants",
]
