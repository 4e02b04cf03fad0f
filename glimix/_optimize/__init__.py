"""The optimisers every model uses, in one place.

* :func:`maximize` (``_lbfgs``): L-BFGS-B over a Function's unfixed optimix variables, on its
  analytic gradient — GP, ExpFamGP, Kron2Sum and the GLMMs' variances;
* ``_delta_search``: the grid over logit(𝛿) and Brent refinement of one variance ratio (LMM.fit,
  the exact scans' nulls);
* ``_brent``: Brent's bounded maximisation of many scalar problems in lock-step (the exact
  single-trait scan, one problem per candidate);
* ``_chebyshev_max``: maxima of many smooth functions from their values at Chebyshev points
  (the exact scan's interpolated likelihoods).
"""

from ._lbfgs import FACTR, PGTOL, OptimisationError, OptimisationResult, maximize

__all__ = ["FACTR", "PGTOL", "OptimisationError", "OptimisationResult", "maximize"]
