"""The null model 𝓗₀ of a single-trait scan, fitted once and shared by every test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from glimix.lmm import LMM

from .._data import ScanInputs
from ._formula import null_covariance, null_formula
from ._result import NullModel

__all__ = ["SingleTraitNull", "fit_null_lmm", "fit_single_trait_null"]


@dataclass(frozen=True)
class SingleTraitNull:
    """A fitted 𝓗₀ and what the alternatives are computed from.

    Attributes
    ----------
    scanner
        glimix's ``FastScanner`` at the null's variances: an LMM's, or, for a non-normal trait,
        the one of the EP pseudo-observations (``GLMMExpFam.get_fast_scanner``).
    model
        The null as reported (lml, covariate effect sizes, variances, formula).
    covariance
        ``v₀⋅𝙺 + v₁⋅𝙸`` as printed, for the alternatives' formulas.
    lml_offset
        Added to the scanner's log-likelihoods: 0, as the null's lml is the scanner's own (for a
        non-normal trait, that of the LMM of the EP pseudo-observations, not log Z_EP), so
        every 2(lml₂ − lml₀) is the scanner's likelihood-ratio statistic.
    """

    scanner: Any
    model: NullModel
    covariance: str
    lml_offset: float


def _model(inputs: ScanInputs, lml: float, beta, se, v0: float, v1: float, formula: str):
    trait = str(inputs.y["trait"].values[0])
    covariates = [str(c) for c in inputs.M["covariate"].values]
    effsizes = pd.DataFrame(
        {
            "trait": [trait] * len(covariates),
            "covariate": covariates,
            "effsize": np.asarray(beta, float),
            "effsize_se": np.asarray(se, float),
        }
    )
    # without a kinship there is no foreground variance: missing, not 0
    fore = float(v0) if inputs.K is not None else np.nan
    variances = pd.DataFrame(
        {"trait": [trait], "fore_covariance": [fore], "back_covariance": [float(v1)]}
    )
    return NullModel(inputs.lik.name, float(lml), effsizes, variances, formula)


def fit_null_lmm(y: np.ndarray, M: np.ndarray, QS: Any) -> LMM:
    """The null LMM of one trait: ML, with 𝛿 from REML where ML is degenerate (a centred
    kinship whose null space the covariates span: see :meth:`glimix.lmm.LMM.fit`)."""
    lmm = LMM(y, M, QS)
    lmm.fit(verbose=False)
    return lmm


def fit_single_trait_null(inputs: ScanInputs, verbose: bool) -> SingleTraitNull:
    """Fit 𝓗₀ by maximum likelihood: an LMM (LM without K), or a GLMM by EP.

    Parameters
    ----------
    inputs
        Aligned inputs with one trait.
    verbose
        Print what is being fitted.
    """
    y = inputs.y.values[:, 0]
    M = inputs.M.values
    QS = inputs.kinship_qs() if inputs.K is not None else None
    lik = inputs.lik.name
    if verbose:
        kind = "linear mixed model" if QS is not None else "linear model"
        if lik != "normal":
            kind = f"generalised linear mixed model ({lik}, expectation propagation)"
        print(f"Fitting the null model: {kind} on {inputs.nsamples} samples.")
    if lik == "normal":
        lmm = fit_null_lmm(y, M, QS)
        scanner = lmm.get_fast_scanner()
        v0, v1 = lmm.v0, lmm.v1
        lml, offset = scanner.null_lml(), 0.0
    else:
        from glimix.glmm import GLMMExpFam

        glmm = GLMMExpFam(y, inputs.lik.spec, M, QS)
        glmm.fit(verbose=False)
        # s = 1: refitting the scale of the pseudo-observations inflates the tests (see
        # glimix.glmm.PseudoDataScanner); the reference manual refits it.
        scanner = glmm.get_fast_scanner(fixed_scale=True)
        v0, v1 = glmm.v0, glmm.v1
        # The tests are those of the EP pseudo-observations' LMM, and so is the reported null
        # log-likelihood (as the reference manual prints it), not log Z_EP.
        lml, offset = scanner.null_lml(), 0.0
    covariance = null_covariance(v0, v1, QS is not None)
    model = _model(
        inputs,
        lml,
        scanner.null_beta,
        scanner.null_beta_se,
        v0,
        v1,
        null_formula(lik, covariance),
    )
    return SingleTraitNull(scanner, model, covariance, float(offset))
