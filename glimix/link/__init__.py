"""Link functions: maps between an outcome's mean μ and the latent scale z = g(μ).

Every link has ``value(mu)`` = g(μ) and ``inv(z)`` = g⁻¹(z), vectorised over arrays. The two
links of binary outcomes that come from a latent liability, :class:`LogitLink` and
:class:`ProbitLink`, also have ``latent_variance``: the variance of their standard latent
residual (π²/3 and 1), used for heritability on the liability scale.
"""

from ._base import Link
from ._identity import IdentityLink
from ._log import LogLink
from ._logit import LogitLink
from ._probit import ProbitLink

__all__ = ["IdentityLink", "Link", "LogLink", "LogitLink", "ProbitLink"]
