"""Random draws: Gaussian processes and generalised Gaussian processes.

:class:`GPSampler` draws 𝐲 ∼ 𝓝(𝐦, K) from a mean and a covariance function; :class:`GGPSampler`
draws a latent 𝐳 that way and then an outcome from a likelihood of :mod:`glimix.lik`.
Every ``random_state`` argument accepts ``None``, an integer seed, a
:class:`numpy.random.RandomState` or a :class:`numpy.random.Generator`
(:func:`as_random_state`).
"""

from ._factor import psd_factor
from ._ggp import GGPSampler
from ._gp import GPSampler
from ._state import RandomStateLike, as_random_state

__all__ = ["GGPSampler", "GPSampler", "RandomStateLike", "as_random_state", "psd_factor"]
