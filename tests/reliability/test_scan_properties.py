"""Invariances of limix.qtl.scan's p-values (hypothesis), with and without a kinship.

* Permuting the samples of every input consistently (y, G, M and both sides of K) — or giving
  the inputs labelled, in different orders — does not change a p-value.
* y → a·y + b, with an offset among the covariates, does not change a p-value.
* Adding a covariate already in the span of M does not change a p-value.

p-values are compared on the log scale (relative differences): the variance ratio is found by
a numerical search, to about 1e-6 relative.

The corner where a kinship's null space lies in the span of the covariates (``linear_kinship``'s
centred K) and the null variance ratio sits at its bound (δ → 0) once lost every digit; it is
included (``test_boundary_singular_kinship_is_stable`` pins the study that showed it).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from limix.qtl import scan

RTOL_LOG = 1e-4
SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)


def _study(seed: int, n: int, m: int, kinship: str):
    """Genotype candidates, a trait with a genetic background, 2 covariates and a kinship.

    ``kinship``: "none", "raw" (XXᵀ/p of raw genotypes: full rank) or "centred" (of
    standardised genotypes: K𝟏 = 𝟎, the offset spans its null space).
    """
    rng = np.random.RandomState(seed)
    G = rng.binomial(2, rng.uniform(0.1, 0.5, m), (n, m)).astype(float)
    X = rng.binomial(2, 0.3, (n, 60)).astype(float)
    if kinship == "centred":
        X = (X - X.mean(0)) / np.where(X.std(0) > 0, X.std(0), 1.0)
    K = None if kinship == "none" else X @ X.T / X.shape[1]
    M = np.column_stack([np.ones(n), rng.randn(n)])
    y = 0.3 * G[:, 0] + rng.randn(n)
    if K is not None:
        y = y + 0.3 * X[:, :5].sum(1)
    return G, y, M, K


def _scan(G, y, M, K, lik="normal"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return scan(G, y, lik, K=K, M=M, verbose=False)


def _delta(result) -> float:
    v = result.h0.variances
    v0, v1 = float(v["fore_covariance"].iloc[0]), float(v["back_covariance"].iloc[0])
    return v1 / (v0 + v1)


def _assert_same(pv, reference, rtol=RTOL_LOG):
    pv, reference = np.asarray(pv), np.asarray(reference)
    assert np.all(np.isfinite(pv)) and np.all(pv > 0)
    np.testing.assert_allclose(np.log(pv), np.log(reference), rtol=0, atol=rtol)


studies = st.tuples(
    st.integers(0, 2**31 - 1),
    st.integers(30, 50),
    st.integers(1, 4),
    st.sampled_from(["none", "raw", "centred"]),
)


def _reference(study):
    seed, n, m, kinship = study
    G, y, M, K = _study(seed, n, m, kinship)
    result = _scan(G, y, M, K)
    return G, y, M, K, result.stats["pv20"].to_numpy()


@SETTINGS
@given(study=studies, data=st.data())
def test_permuting_samples_consistently(study, data):
    G, y, M, K, pv = _reference(study)
    n = len(y)
    perm = np.asarray(data.draw(st.permutations(range(n))))
    Kp = None if K is None else K[np.ix_(perm, perm)]
    _assert_same(_scan(G[perm], y[perm], M[perm], Kp).stats["pv20"], pv)
    # the same permutation through sample labels: G, M and K in another order than y
    labels = [f"s{i}" for i in range(n)]
    yl = pd.Series(y, index=labels)
    Gl = pd.DataFrame(G, index=labels).iloc[perm]
    Ml = pd.DataFrame(M, index=labels).iloc[perm[::-1]]
    Kl = None if K is None else pd.DataFrame(K, index=labels, columns=labels).iloc[perm, perm]
    _assert_same(_scan(Gl, yl, Ml, Kl).stats["pv20"], pv)


@SETTINGS
@given(
    study=studies,
    log_a=st.floats(-3, 3),
    negative=st.booleans(),
    b=st.floats(-1e3, 1e3),
)
def test_rescaling_the_trait(study, log_a, negative, b):
    G, y, M, K, pv = _reference(study)
    a = (-1 if negative else 1) * 10.0**log_a
    _assert_same(_scan(G, a * y + b, M, K).stats["pv20"], pv)


@SETTINGS
@given(study=studies, w=st.lists(st.floats(-10, 10), min_size=2, max_size=2))
def test_adding_a_covariate_in_the_span_of_M(study, w):
    G, y, M, K, pv = _reference(study)
    assume(np.linalg.norm(w) > 1e-3)
    _assert_same(_scan(G, y, np.column_stack([M, M @ np.asarray(w)]), K).stats["pv20"], pv)


@settings(max_examples=4, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**31 - 1), lik=st.sampled_from(["bernoulli", "poisson"]))
def test_glmm_scan_permuting_samples_consistently(seed, lik):
    """The EP null fit converges to a tolerance, so the GLMM's p-values agree to ~1e-5."""
    G, y, M, K = _study(seed, 40, 3, "raw")
    y = (y > np.median(y)).astype(float) if lik == "bernoulli" else np.round(np.exp(0.3 * y))
    pv = _scan(G, y, M, K, lik).stats["pv20"].to_numpy()
    perm = np.random.RandomState(seed).permutation(len(y))
    pvp = _scan(G[perm], y[perm], M[perm], K[np.ix_(perm, perm)], lik).stats["pv20"]
    _assert_same(pvp, pv, rtol=1e-3)


def test_boundary_singular_kinship_is_stable():
    """The corner that lost every digit (δ at its bound, K's null space in span(M)): the
    whitened statistics of ``glimix/lmm/_scan_whitened.py`` keep p-values invariant."""
    n = 33  # the study of docs/reliability.rst: log p moves by up to 9 under a permutation
    G, y, M, K = _study(39, n, 3, "centred")
    result = _scan(G, y, M, K)
    assert _delta(result) < 1e-6  # the corner: δ at its bound
    pv = result.stats["pv20"].to_numpy()
    perm = np.random.RandomState(39).permutation(n)
    _assert_same(_scan(G[perm], y[perm], M[perm], K[np.ix_(perm, perm)]).stats["pv20"], pv)
