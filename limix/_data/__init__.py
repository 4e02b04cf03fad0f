"""limix's input layer: every analysis funnels its inputs through here.

It turns traits, covariates, kinships, candidates and environments — numpy arrays, lists,
pandas Series/DataFrames, xarray DataArrays or dask arrays — into named xarray DataArrays:

============  ==========================  =====================================================
input         dims                        notes
============  ==========================  =====================================================
y / Y         (sample, trait)             in memory, read-only
M             (sample, covariate)         "offset" column of ones when M is None
K             (sample_0, sample_1)        finite, symmetric; (sample, factor) for K = XXᵀ
G             (sample, candidate)         dask-backed, never loaded whole
E0, E1, …     (sample, environment)       in memory, read-only
ntrials       (sample,)                   the binomial trial counts of ``lik``
============  ==========================  =====================================================

and aligns them on the samples of the trait, in its order (:mod:`limix._data._align`), applying
one missing-value policy (:mod:`limix._data._missing`). Analyses call :func:`prepare_inputs`
(or :func:`prepare_scan_inputs`) once, then ``ScanInputs.kinship_qs`` / ``kinship_factor`` for
the forms of K glimix's models take (computed once per analysis, or once for all the analyses
given the same :class:`DecomposedKinship`), and :func:`genotype_blocks` to stream the candidates.
"""

from ._align import Alignment, align_samples
from ._blocks import genotype_blocks
from ._conform import conform_kinship
from ._covariates import OFFSET, as_covariates, offset_covariate
from ._dropped import DroppedSamples
from ._environment import as_environment
from ._genotype import as_genotype
from ._inputs import ScanInputs, prepare_inputs, prepare_scan_inputs
from ._kinship import KinshipFactor, as_kinship
from ._lik import LIKELIHOODS, Likelihood, as_ntrials, check_outcome, parse_lik
from ._match import NoCommonSamples, common_samples, covariates_with_offset
from ._missing import impute_genotype
from ._qs import DecomposedKinship, kinship_factor, kinship_qs, permuted_qs
from ._samples import (
    AnalysisSamples,
    KinshipBySamples,
    ListedSamples,
    analysis_samples,
    listed_samples,
)
from ._select import select_rows
from ._trait import as_trait
from ._warnings import DroppedSamplesWarning, ImputedGenotypesWarning

__all__ = [
    "LIKELIHOODS",
    "OFFSET",
    "Alignment",
    "AnalysisSamples",
    "DecomposedKinship",
    "DroppedSamples",
    "DroppedSamplesWarning",
    "ImputedGenotypesWarning",
    "KinshipBySamples",
    "KinshipFactor",
    "Likelihood",
    "ListedSamples",
    "NoCommonSamples",
    "ScanInputs",
    "align_samples",
    "analysis_samples",
    "as_covariates",
    "as_environment",
    "as_genotype",
    "as_kinship",
    "as_ntrials",
    "as_trait",
    "check_outcome",
    "common_samples",
    "conform_kinship",
    "covariates_with_offset",
    "genotype_blocks",
    "impute_genotype",
    "kinship_factor",
    "kinship_qs",
    "listed_samples",
    "offset_covariate",
    "parse_lik",
    "permuted_qs",
    "prepare_inputs",
    "prepare_scan_inputs",
    "select_rows",
]
