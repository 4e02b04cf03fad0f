"""Type aliases of limix's public signatures.

They are for readers, documentation and type checkers: defined only under ``TYPE_CHECKING``,
so annotating a signature with them imports nothing at run time (``import limix`` stays free
of pandas, xarray and dask; every module that uses them has ``from __future__ import
annotations``).

``Matrix``
    What an analysis takes as a trait, covariates, kinship or genotype: anything array-like
    (numpy arrays, nested lists) or a pandas, xarray or dask array; labelled inputs are aligned
    by sample.
``Kinship``
    A ``Matrix``, or a kinship given by its factor or with its decomposition.
``Lik``
    A likelihood name ("normal", "bernoulli", "probit", "poisson", "binomial") or
    ``("binomial", ntrials)``.
``Labelled``
    What the transforms return: the type (and labels) of their input; a numpy array for other
    array-likes.
``Colour``
    A matplotlib colour: a name or hex string, or an RGB(A) tuple of floats in [0, 1].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypeAlias

    import dask.array as da
    import numpy as np
    import pandas as pd
    import xarray as xr
    from numpy.typing import ArrayLike

    from ._data import DecomposedKinship, KinshipFactor

    Matrix: TypeAlias = ArrayLike | pd.DataFrame | pd.Series | xr.DataArray | da.Array
    Kinship: TypeAlias = Matrix | KinshipFactor | DecomposedKinship
    Lik: TypeAlias = str | tuple[str, ArrayLike]
    Labelled: TypeAlias = np.ndarray | pd.DataFrame | pd.Series | xr.DataArray | da.Array
    Colour: TypeAlias = str | tuple[float, float, float] | tuple[float, float, float, float]
