"""Statistics: kinship, p-values, multiple testing, allele summaries, PCA and sampling.

Functions accept numpy arrays, pandas, xarray and dask inputs; ``linear_kinship`` streams a lazy
genotype matrix in column blocks. statsmodels is imported only when ``multipletests`` runs.
"""

from .._data import DecomposedKinship, KinshipFactor
from ._allele import allele_expectation, allele_frequency, compute_dosage
from ._chi2mixture import Chi2Mixture
from ._confusion import confusion_matrix
from ._empirical import empirical_pvalues
from ._kinship import linear_kinship
from ._loco import LOCOKinships, loco_kinships
from ._lrt import lrt_pvalues
from ._multitest import multipletests
from ._normal import multivariate_normal
from ._pca import pca

__all__ = [
    "Chi2Mixture",
    "DecomposedKinship",
    "KinshipFactor",
    "LOCOKinships",
    "allele_expectation",
    "allele_frequency",
    "compute_dosage",
    "confusion_matrix",
    "empirical_pvalues",
    "linear_kinship",
    "loco_kinships",
    "lrt_pvalues",
    "multipletests",
    "multivariate_normal",
    "pca",
]
