"""Covariance functions: parameterised matrices that models are composed from.

Every class is an :class:`optimix.Function` with ``value()``, ``gradient()`` (a dict keyed by
variable name), ``fix()``/``unfix()``, ``listen(func)`` and a ``name`` used by ``print``.
"""

from ._eye import EyeCov
from ._free_form import FreeFormCov
from ._given import GivenCov
from ._kron2sum import Kron2SumCov
from ._linear import LinearCov
from ._lr_free_form import LRFreeFormCov
from ._sum import SumCov

__all__ = [
    "EyeCov",
    "FreeFormCov",
    "GivenCov",
    "Kron2SumCov",
    "LRFreeFormCov",
    "LinearCov",
    "SumCov",
]
