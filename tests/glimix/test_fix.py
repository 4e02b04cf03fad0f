"""One way to fix parameters: ``fix(*names)`` / ``unfix(*names)`` on functions and models."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.cov import EyeCov, LinearCov, SumCov
from glimix.glmm import GLMMExpFam
from glimix.linalg import economic_qs_linear
from glimix.lmm import LMM


def _free(function):
    return [n for n in function.variable_names() if not function._variables[n].isfixed]


def test_a_function_fixes_the_named_variables_or_all():
    rng = np.random.default_rng(0)
    cov = SumCov([LinearCov(rng.standard_normal((5, 2))), EyeCov(5)])
    names = cov.variable_names()
    assert _free(cov) == names
    cov.fix(names[0])
    assert _free(cov) == names[1:]
    cov.unfix(names[0])
    cov.fix()
    assert _free(cov) == []
    cov.unfix(*names)
    assert _free(cov) == names
    with pytest.raises(ValueError, match="no variable named 'nope'"):
        cov.fix("nope")


def test_models_fix_several_named_parameters():
    rng = np.random.default_rng(1)
    n = 30
    G = rng.standard_normal((n, 5))
    y = G @ rng.standard_normal(5) + rng.standard_normal(n)
    X = np.ones((n, 1))
    QS = economic_qs_linear(G)
    lmm = LMM(y, X, QS)
    lmm.fix("delta", "scale")
    lmm.delta, lmm.scale = 0.3, 2.0
    lmm.fit(verbose=False)
    assert (lmm.delta, lmm.scale) == (0.3, 2.0)
    lmm.unfix("delta", "scale")
    lmm.fit(verbose=False)
    assert lmm.delta != 0.3 and lmm.scale != 2.0
    with pytest.raises(ValueError, match="name the parameter"):
        lmm.fix()
    with pytest.raises(ValueError, match="'gamma'"):
        lmm.fix("delta", "gamma")

    counts = rng.poisson(np.exp(0.2 + G[:, 0] / 3))
    glmm = GLMMExpFam(counts, "poisson", X, QS)
    glmm.fix("beta", "scale")
    assert glmm.isfixed("beta") and glmm.isfixed("scale") and not glmm.isfixed("delta")
    glmm.unfix("beta", "scale")
    assert not glmm.isfixed("beta")
    with pytest.raises(ValueError, match="name the variable"):
        glmm.unfix()
