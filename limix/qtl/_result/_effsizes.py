"""Effect sizes of many tests in the long format users' scripts read."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = ["long_effsizes"]


def long_effsizes(
    tests: ArrayLike,
    covariate_names: Sequence[str],
    covariate_effsizes: ArrayLike,
    covariate_se: ArrayLike,
    candidate_names: ArrayLike,
    candidate_effsizes: ArrayLike,
    candidate_se: ArrayLike,
    traits: Sequence[str],
    envs: tuple[Sequence[str], Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Columns ``test, trait, effect_type, effect_name[, env], effsize, effsize_se``.

    limix 3's order: ``env`` (where given) comes before the effect sizes; a row without a
    trait or an environment (an empty name) holds a missing value (None), not ``""``.

    For m tests with c covariate and k candidate effects each, the arrays are m×c and m×k; each
    test contributes c covariate rows then k candidate rows. ``candidate_names`` holds k names
    shared by the tests, or an m×k array of each test's own. ``traits`` gives the trait of each
    of the c covariate effects then of the k candidate effects (length c + k); ``envs``, where
    given, the environment (or trait-design) names of the covariate and of the candidate effects.
    Built with array operations, no loop over tests.

    Examples
    --------
    >>> df = long_effsizes([0, 1], ["offset"], [[1.0], [1.1]], [[0.1], [0.1]],
    ...                    ["snp0"], [[0.5], [-0.2]], [[0.2], [0.2]], ["y", "y"])
    >>> print(df.to_string(index=False))
     test trait effect_type effect_name  effsize  effsize_se
        0     y   covariate      offset      1.0         0.1
        0     y   candidate        snp0      0.5         0.2
        1     y   covariate      offset      1.1         0.1
        1     y   candidate        snp0     -0.2         0.2
    """
    tests = np.asarray(tests)
    m = tests.shape[0]
    beta0 = np.asarray(covariate_effsizes, float).reshape(m, -1)
    se0 = np.asarray(covariate_se, float).reshape(m, -1)
    beta1 = np.asarray(candidate_effsizes, float).reshape(m, -1)
    se1 = np.asarray(candidate_se, float).reshape(m, -1)
    c, k = beta0.shape[1], beta1.shape[1]
    candidates = np.asarray(candidate_names, dtype=object)
    if len(covariate_names) != c or candidates.shape[-1:] != (k,) or len(traits) != c + k:
        raise ValueError(
            f"expected {c} covariate and {k} candidate names and {c + k} traits; got "
            f"{len(covariate_names)}, {candidates.shape[-1] if candidates.ndim else 0} and "
            f"{len(traits)}."
        )
    covariates = np.broadcast_to(np.asarray(list(covariate_names), dtype=object), (m, c))
    names = np.concatenate([covariates, np.broadcast_to(candidates, (m, k))], axis=1)
    kinds = np.asarray(["covariate"] * c + ["candidate"] * k, dtype=object)
    table = {
        "test": np.repeat(tests, c + k),
        "trait": np.tile(_missing_if_empty(traits), m),
        "effect_type": np.tile(kinds, m),
        "effect_name": names.ravel(),
    }
    if envs is not None:
        table["env"] = np.tile(_missing_if_empty(list(envs[0]) + list(envs[1])), m)
    table["effsize"] = np.concatenate([beta0, beta1], axis=1).ravel()
    table["effsize_se"] = np.concatenate([se0, se1], axis=1).ravel()
    return pd.DataFrame(table)


def _missing_if_empty(labels: Sequence[str]) -> np.ndarray:
    out = np.asarray(list(labels), dtype=object)
    out[out == ""] = None
    return out
