"""Ready-made functions for documentation examples.

* :func:`offset_mean` — an :class:`~glimix.mean.OffsetMean` of size 10 with offset 0;
* :func:`linear_eye_cov` — a :class:`~glimix.cov.SumCov` of a :class:`~glimix.cov.LinearCov`
  (a fixed, column-standardised 10×11 X scaled by 1/√11) and an :class:`~glimix.cov.EyeCov`
  of size 10.

Examples
--------
>>> from numpy.random import RandomState
>>> from glimix.example import offset_mean, linear_eye_cov
>>> from glimix.random import GPSampler
>>>
>>> mean = offset_mean()
>>> cov = linear_eye_cov()
>>> y = GPSampler(mean, cov).sample(RandomState(94584))
>>> y.shape
(10,)
"""

from ._linear_eye_cov import linear_eye_cov
from ._offset_mean import offset_mean

__all__ = ["linear_eye_cov", "offset_mean"]
