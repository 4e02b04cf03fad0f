"""Numerically careful linear algebra the models need (the manual's ``numpy_sugar.linalg``).

Rank thresholds: a singular value or eigenvalue counts as zero when it does not exceed
max(|value|)·max(shape)·ε, ε the float64 machine epsilon, unless an absolute ``tol`` is passed.
"""

from ._economic import economic_qs, economic_qs_linear, economic_svd
from ._kinship import KinshipOperator
from ._products import ddot, dotd
from ._solve import cho_logdet, plogdet, rsolve

__all__ = [
    "KinshipOperator",
    "cho_logdet",
    "ddot",
    "dotd",
    "economic_qs",
    "economic_qs_linear",
    "economic_svd",
    "plogdet",
    "rsolve",
]
