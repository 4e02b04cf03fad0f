"""Generalised linear mixed models: :class:`GLMMExpFam` by expectation propagation, and
:class:`GLMMNormal` for the heteroscedastic normal pseudo-observations EP produces.

The latent model of both is 𝐳 ∼ 𝓝(𝚇𝜷, s((1−𝛿)𝙺 + 𝛿𝙸)), v₀ = s(1−𝛿) and v₁ = s𝛿, with 𝙺 given
by its economic eigendecomposition (:func:`glimix.linalg.economic_qs`, or
:func:`glimix.linalg.economic_qs_linear` for 𝙺 = 𝙶𝙶ᵀ of low rank) or absent (``QS=None``: the
covariance is s𝙸). Their ``fit`` profiles 𝜷 out and optimises log s ∈ [−20, 10] − log c̄
(c̄ = mean diag(𝙺)) and 𝛿 ∈ [0, 1] by L-BFGS-B; ``at_bounds`` lists the variance parameters that
end at one of these bounds, and :class:`GLMMFitWarning` reports fits without a finite maximum.
"""

from ._diagnostics import GLMMFitWarning
from ._expfam import GLMMExpFam
from ._normal import GLMMNormal
from ._scanner import PseudoDataScanner

__all__ = ["GLMMExpFam", "GLMMFitWarning", "GLMMNormal", "PseudoDataScanner"]
