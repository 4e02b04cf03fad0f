"""The reference manual's QTL tutorial, rebuilt exactly, against the manual's printouts.

The data are one chain of draws from ``RandomState(2)``, as the tutorial makes them (pandas
covariates with sample labels, so the trait is a pandas Series and ``y.std()`` has n − 1 in its
denominator; ``limix.stats.linear_kinship``; ``limix.stats.multivariate_normal``).

Where the numbers depend only on the data and the model they must be the manual's: the normal
scans without and with K, the interaction scan. Two do not, by design:

* Poisson: the null lml the manual prints, −145.334, is the log-likelihood of the LMM of the null
  GLMM's EP pseudo-observations — the model the candidates are tested with — not log Z_EP of the
  GLMM (−140.179, which an independent importance-sampling estimate of log p(𝐲) confirms). The
  scan reports the former, as the manual does, so its tables are the manual's.
* Multi-trait: the manual's 𝜶 is a least-squares solve truncated at a relative singular value,
  so its lml (−277.334) is below the exact GLS optimum (−277.158) at the same C₀, C₁.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.special import gammaln, logsumexp
from scipy.stats import multivariate_normal, multivariate_t

from limix.qtl import iscan, scan
from limix.stats import linear_kinship
from limix.stats import multivariate_normal as limix_multivariate_normal

MANUAL_NO_K = """\
Hypothesis 0
------------

𝐲 ~ 𝓝(𝙼𝜶, 3.462⋅𝙸)

M     = ['offset' 'age']
𝜶     = [2.10096551 0.19582931]
se(𝜶) = [1.25826998 0.01068367]
lml   = -203.98750767964498

Hypothesis 2
------------

𝐲 ~ 𝓝(𝙼𝜶 + G𝛃, s(3.462⋅𝙸))

          lml       cov. effsizes   cand. effsizes
--------------------------------------------------
mean   -1.951e+02       9.915e-01       -6.198e-01
std     9.227e+00       9.342e-01        3.974e-01
min    -2.031e+02       1.844e-01       -1.025e+00
25%    -2.026e+02       1.959e-01       -9.275e-01
50%    -1.967e+02       5.965e-01       -6.047e-01
75%    -1.893e+02       1.831e+00       -2.970e-01
max    -1.841e+02       2.312e+00       -2.448e-01

Likelihood-ratio test p-values
------------------------------

       𝓗₀ vs 𝓗₂
----------------
mean   6.514e-02
std    8.856e-02
min    2.804e-10
25%    2.606e-07
50%    3.651e-02
75%    1.016e-01
max    1.875e-01
"""


MANUAL_WITH_K = """\
Hypothesis 0
------------

𝐲 ~ 𝓝(𝙼𝜶, 1.436⋅𝙺 + 2.934⋅𝙸)

M     = ['offset' 'age']
𝜶     = [1.95338293 0.19448903]
se(𝜶) = [1.25455536 0.01076470]
lml   = -211.3819625136375

Hypothesis 2
------------

𝐲 ~ 𝓝(𝙼𝜶 + G𝛃, s(1.436⋅𝙺 + 2.934⋅𝙸))

          lml       cov. effsizes   cand. effsizes
--------------------------------------------------
mean   -2.109e+02       1.069e+00        5.922e-02
std     7.210e-01       8.819e-01        2.474e-01
min    -2.114e+02       1.919e-01       -5.204e-01
25%    -2.113e+02       1.944e-01       -1.102e-01
50%    -2.111e+02       8.904e-01        4.920e-02
75%    -2.109e+02       1.956e+00        2.366e-01
max    -2.076e+02       2.215e+00        6.433e-01

Likelihood-ratio test p-values
------------------------------

       𝓗₀ vs 𝓗₂
----------------
mean   4.843e-01
std    2.705e-01
min    6.294e-03
25%    3.137e-01
50%    4.752e-01
75%    6.953e-01
max    9.929e-01
"""


MANUAL_POISSON = """\
Hypothesis 0
------------

𝐳 ~ 𝓝(𝙼𝜶, 0.154⋅𝙺 + 0.000⋅𝙸) for yᵢ ~ Poisson(λᵢ=g(zᵢ)) and g(x)=eˣ

M     = ['offset' 'age']
𝜶     = [5.17511934 0.04665214]
se(𝜶) = [0.85159296 0.00604330]
lml   = -145.33385788740767

Hypothesis 2
------------

𝐳 ~ 𝓝(𝙼𝜶 + G𝛃, s(0.154⋅𝙺 + 0.000⋅𝙸)) for yᵢ ~ Poisson(λᵢ=g(zᵢ)) and g(x)=eˣ

          lml       cov. effsizes   cand. effsizes
--------------------------------------------------
mean   -1.440e+02       2.553e+00       -1.306e-01
std     1.343e+00       2.682e+00        9.268e-02
min    -1.453e+02       4.345e-02       -2.227e-01
25%    -1.450e+02       4.635e-02       -2.018e-01
50%    -1.439e+02       2.456e+00       -1.344e-01
75%    -1.428e+02       5.054e+00       -6.321e-02
max    -1.427e+02       5.202e+00       -3.085e-02

Likelihood-ratio test p-values
------------------------------

       𝓗₀ vs 𝓗₂
----------------
mean   2.830e-01
std    3.213e-01
min    2.274e-02
25%    2.519e-02
50%    2.113e-01
75%    4.692e-01
max    6.867e-01
"""


MANUAL_ISCAN = """\
Hypothesis 0
------------

𝐲 ~ 𝓝(𝙼𝜶, 0.376⋅𝙺 + 2.077⋅𝙸)

M     = ['offset' 'age']
𝜶     = [3.12608063 0.06042316]
se(𝜶) = [1.01867609 0.00870181]
lml   = -185.77488727691096

Hypothesis 1
------------

𝐲 ~ 𝓝(𝙼𝜶 + (𝙶⊙𝙴₀)𝛃₀, s(0.376⋅𝙺 + 2.077⋅𝙸))

          lml       cov. effsizes   cand. effsizes
--------------------------------------------------
mean   -1.856e+02       1.611e+00       -2.976e-03
std     1.949e-01       1.658e+00        1.208e-01
min    -1.858e+02       6.034e-02       -1.461e-01
25%    -1.858e+02       6.058e-02       -4.769e-02
50%    -1.856e+02       1.590e+00       -7.487e-03
75%    -1.854e+02       3.137e+00        3.722e-02
max    -1.854e+02       3.235e+00        1.492e-01

Hypothesis 2
------------

𝐲 ~ 𝓝(𝙼𝜶 + (𝙶⊙𝙴₀)𝛃₀ + (𝙶⊙𝙴₁)𝛃₁, s(0.376⋅𝙺 + 2.077⋅𝙸))

          lml       cov. effsizes   cand. effsizes
--------------------------------------------------
mean   -1.852e+02       1.612e+00        7.001e-03
std     7.598e-01       1.659e+00        1.475e-01
min    -1.857e+02       5.991e-02       -2.573e-01
25%    -1.856e+02       6.096e-02       -4.135e-02
50%    -1.855e+02       1.571e+00        3.611e-02
75%    -1.851e+02       3.135e+00        7.660e-02
max    -1.841e+02       3.241e+00        1.971e-01

Likelihood-ratio test p-values
------------------------------

       𝓗₀ vs 𝓗₁    𝓗₀ vs 𝓗₂    𝓗₁ vs 𝓗₂
----------------------------------------
mean   6.867e-01   6.501e-01   5.244e-01
std    3.199e-01   3.350e-01   3.168e-01
min    3.963e-01   1.795e-01   9.940e-02
25%    4.185e-01   5.578e-01   3.784e-01
50%    6.755e-01   7.277e-01   5.971e-01
75%    9.436e-01   8.200e-01   7.431e-01
max    9.995e-01   9.654e-01   8.042e-01
"""


MANUAL_MULTI = """\
Hypothesis 0
------------

𝐲 ~ 𝓝((A⊗𝙼)𝛂, C₀⊗𝙺 + C₁⊗𝙸)

traits   = ['0' '1']
M        = ['offset' 'age']
𝜶        = [-0.16350676 -0.00299814 -0.34521236 -0.00080406]
se(𝜶)    = [11.30571652  0.09640163  5.36090270  0.04573611]
diag(C₀) = [0.01404947 0.29153072]
diag(C₁) = [0.81175806 0.85780008]
lml      = -277.3341913587698

Hypothesis 1
------------

𝐲 ~ 𝓝((A⊗𝙼)𝛂 + (A₀⊗G)𝛃₀, s(C₀⊗𝙺 + C₁⊗𝙸))

          lml       cov. effsizes   cand. effsizes
--------------------------------------------------
mean   -2.763e+02      -1.243e-01       -2.842e-02
std     1.329e+00       1.435e-01        1.120e-01
min    -2.773e+02      -3.712e-01       -1.666e-01
25%    -2.772e+02      -2.032e-01       -7.187e-02
50%    -2.767e+02      -6.896e-02       -2.672e-02
75%    -2.758e+02      -1.371e-03        1.673e-02
max    -2.744e+02       1.386e-04        1.063e-01

Hypothesis 2
------------

𝐲 ~ 𝓝((A⊗𝙼)𝛂 + (A₀⊗G)𝛃₀ + (A₁⊗G)𝛃₁, s(C₀⊗𝙺 + C₁⊗𝙸))

          lml       cov. effsizes   cand. effsizes
--------------------------------------------------
mean   -2.761e+02      -1.245e-01       -1.209e-02
std     1.404e+00       1.439e-01        5.823e-02
min    -2.772e+02      -3.745e-01       -1.151e-01
25%    -2.770e+02      -2.025e-01       -3.202e-02
50%    -2.766e+02      -6.702e-02       -7.898e-03
75%    -2.757e+02      -1.441e-03        2.127e-02
max    -2.741e+02      -7.171e-04        7.372e-02

Likelihood-ratio test p-values
------------------------------

       𝓗₀ vs 𝓗₁    𝓗₀ vs 𝓗₂    𝓗₁ vs 𝓗₂
----------------------------------------
mean   3.973e-01   6.122e-01   8.438e-01
std    3.851e-01   3.942e-01   1.327e-01
min    1.597e-02   9.170e-02   7.251e-01
25%    1.133e-01   4.159e-01   7.319e-01
50%    3.626e-01   7.039e-01   8.370e-01
75%    6.466e-01   9.002e-01   9.488e-01
max    8.478e-01   9.493e-01   9.760e-01
"""


# -- the tutorial's data ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tutorial() -> dict:
    random = np.random.RandomState(2)
    n = 100
    offset = np.ones(n) * random.randn()
    age = random.randint(16, 75, n)
    M = pd.DataFrame(np.stack([offset, age], axis=1), columns=["offset", "age"])
    M["sample"] = [f"sample{i}" for i in range(n)]
    M = M.set_index("sample")
    G = random.randn(n, 4)
    alpha = random.randn(2)
    beta = random.randn(4)
    eps = random.randn(n)
    y = M @ alpha + G @ beta + eps
    assert isinstance(y, pd.Series)
    data = {"M": M, "G": G, "y_normal": y.copy()}
    X = random.randn(n, 50)
    K = linear_kinship(X, verbose=False) + 1e-9 * np.eye(n)
    y += limix_multivariate_normal(random, np.zeros(n), K)
    data.update(X=X, K=K, y_kinship=y.copy())
    z = (y - y.mean()) / y.std()
    y = random.poisson(np.exp(z))
    data["y_poisson"] = y
    data["E0"] = random.randn(y.shape[0], 1)
    data["E1"] = random.randn(y.shape[0], 1)
    p = 2
    data["Y"] = random.randn(n, p)
    A = random.randn(p, p)
    data["A"] = A @ A.T
    data["A0"] = np.ones((p, 1))
    data["A1"] = np.eye(p)
    return data


@pytest.fixture(scope="module")
def no_kinship(tutorial):
    return scan(tutorial["G"], tutorial["y_normal"], "normal", M=tutorial["M"], verbose=False)


@pytest.fixture(scope="module")
def with_kinship(tutorial):
    t = tutorial
    return scan(t["X"], t["y_kinship"], "normal", t["K"], M=t["M"], verbose=False)


@pytest.fixture(scope="module")
def poisson(tutorial):
    t = tutorial
    return scan(t["G"], t["y_poisson"], "poisson", t["K"], M=t["M"], verbose=False)


@pytest.fixture(scope="module")
def interaction(tutorial):
    t = tutorial
    return iscan(
        t["G"], t["y_poisson"], "normal", t["K"], t["M"], E0=t["E0"], E1=t["E1"], verbose=False
    )


@pytest.fixture(scope="module")
def multi_trait(tutorial):
    t = tutorial
    # the manual's multi-trait numbers come from a rank-one C₀ (docs/deviations.rst)
    return scan(
        t["G"], t["Y"], K=t["K"], M=t["M"], A=t["A"], A0=t["A0"], A1=t["A1"], verbose=False, rank=1
    )


# -- reading a printout ----------------------------------------------------------------------------


def null_block(text: str) -> dict[str, str]:
    """The ``label = value`` lines of the Hypothesis-0 block."""
    block = text.split("Hypothesis 0")[1].split("Hypothesis ")[0]
    pairs = [line.split(" = ", 1) for line in block.splitlines() if " = " in line]
    return {label.strip(): value.strip() for label, value in pairs}


def formulas(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("𝐲 ~", "𝐳 ~"))]


def tables(text: str) -> list[tuple[list[str], dict[str, list[str]]]]:
    """Each describe table: (column names, {row label: printed numbers})."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if i and re.fullmatch(r"-{5,}", line) and lines[i + 1].startswith("mean"):
            header = re.split(r"\s{2,}", lines[i - 1].strip())
            rows = {}
            for row in lines[i + 1 : i + 8]:
                label, *numbers = row.split()
                rows[label] = numbers
            assert list(rows) == ["mean", "std", "min", "25%", "50%", "75%", "max"]
            assert all(len(v) == len(header) for v in rows.values())
            found.append((header, rows))
    return found


def vector(text: str) -> np.ndarray:
    return np.array([float(v) for v in text.strip("[]").split()])


def column(table, j: int) -> np.ndarray:
    return np.array([float(v[j]) for v in table[1].values()])


def test_the_parser_reads_the_manual():
    assert len(tables(MANUAL_ISCAN)) == 3
    assert tables(MANUAL_ISCAN)[2][0] == ["𝓗₀ vs 𝓗₁", "𝓗₀ vs 𝓗₂", "𝓗₁ vs 𝓗₂"]
    assert null_block(MANUAL_MULTI)["diag(C₁)"] == "[0.81175806 0.85780008]"
    assert len(formulas(MANUAL_MULTI)) == 3


# -- single trait, no K ----------------------------------------------------------------------------


def test_linear_model_reproduces_the_manual(no_kinship):
    text = str(no_kinship)
    assert formulas(text) == formulas(MANUAL_NO_K)
    mine, manual = null_block(text), null_block(MANUAL_NO_K)
    assert mine["M"] == manual["M"] == "['offset' 'age']"
    assert mine["𝜶"] == "[2.10096551 0.19582931]"
    assert mine["se(𝜶)"] == "[1.25826998 0.01068367]"
    assert_allclose(float(mine["lml"]), -203.98750767964498, rtol=1e-8)
    assert_allclose(no_kinship.h0.lml, -203.98750767964498, rtol=1e-8)
    assert tables(text) == tables(MANUAL_NO_K)


# -- single trait with K ---------------------------------------------------------------------------


def test_linear_mixed_model_reproduces_the_manual(with_kinship):
    text = str(with_kinship)
    assert formulas(text)[0] == "𝐲 ~ 𝓝(𝙼𝜶, 1.436⋅𝙺 + 2.934⋅𝙸)"
    assert formulas(text) == formulas(MANUAL_WITH_K)
    mine, manual = null_block(text), null_block(MANUAL_WITH_K)
    assert mine["M"] == manual["M"]
    # 1.95338306 here, 1.95338293 in the manual: the same optimum to 7e-8 (δ's last digits)
    assert_allclose(vector(mine["𝜶"]), vector(manual["𝜶"]), rtol=1e-6)
    assert_allclose(vector(mine["se(𝜶)"]), vector(manual["se(𝜶)"]), rtol=1e-6)
    assert_allclose(with_kinship.h0.lml, -211.3819625136375, rtol=1e-8)
    assert tables(text) == tables(MANUAL_WITH_K)


# -- Poisson ---------------------------------------------------------------------------------------


def _importance_sampling_lml(y, m, S, nsamples=4000, seed=0):
    """log ∫ ∏ᵢ Poisson(yᵢ | e^{zᵢ}) 𝓝(𝐳; 𝐦, S) d𝐳 by importance sampling.

    𝐳 = 𝐦 + U𝐮 on the eigenvectors U of S whose eigenvalues s are not negligible (the others
    carry variances below 10⁻⁶ of the largest, whose effect on the integral is far below the
    tolerance); 𝐮 ∼ 𝓝(𝟎, diag s). Proposal: a Student t (5 dof) at the Laplace mode with the
    inverse Hessian as its scale.
    """
    w, Q = np.linalg.eigh(S)
    keep = w > 1e-6 * w.max()
    U, s = Q[:, keep], w[keep]
    d = s.size

    def loglik(z):
        return np.sum(y * z - np.exp(z) - gammaln(y + 1), axis=-1)

    u = np.zeros(d)
    for _ in range(200):  # Newton for the mode of the log posterior of 𝐮
        mu = np.exp(m + U @ u)
        H = U.T @ (mu[:, None] * U) + np.diag(1 / s)
        step = np.linalg.solve(H, U.T @ (y - mu) - u / s)
        u += step
        if np.max(np.abs(step)) < 1e-12:
            break
    mu = np.exp(m + U @ u)
    H = U.T @ (mu[:, None] * U) + np.diag(1 / s)
    proposal = multivariate_t(u, np.linalg.inv(H), df=5, seed=seed)
    draws = proposal.rvs(nsamples)
    log_prior = -0.5 * np.sum(draws**2 / s, axis=1) - 0.5 * np.sum(np.log(2 * np.pi * s))
    log_weights = loglik(m + draws @ U.T) + log_prior - proposal.logpdf(draws)
    ess = np.exp(2 * logsumexp(log_weights) - logsumexp(2 * log_weights))
    return float(logsumexp(log_weights) - np.log(nsamples)), float(ess)


def test_poisson_glmm_lml_is_the_marginal_likelihood(tutorial, poisson):
    """The null GLMM's log Z_EP against an importance-sampling estimate of log p(𝐲).

    Tolerance 0.1: the Monte-Carlo standard error of the estimate is about
    √((N/ESS − 1)/N) ≈ 0.02 for N = 4000 draws, and EP's approximation of log p(𝐲) for a
    Poisson GLMM of 100 samples is accurate to a few hundredths. The scan's reported null lml is
    instead the pseudo-observations' (the manual's −145.334, 5.15 below).
    """
    from glimix.glmm import GLMMExpFam
    from glimix.linalg import economic_qs

    t = tutorial
    y = t["y_poisson"].astype(float)
    glmm = GLMMExpFam(y, "poisson", t["M"].to_numpy(), economic_qs(t["K"]))
    glmm.fit(verbose=False)
    v0, v1 = glmm.v0, glmm.v1
    m = t["M"].to_numpy() @ glmm.beta
    S = v0 * t["K"] + v1 * np.eye(len(m))
    estimate, ess = _importance_sampling_lml(y, m, S)
    assert ess > 1000
    assert abs(glmm.lml() - estimate) < 0.1
    # the manual's pseudo-observation lml at the profiled scale s₀; ours at s = 1 is below it
    profiled = glmm.get_fast_scanner()
    assert_allclose(profiled.null_lml(), -145.33385788740767, atol=1e-3)
    s0, n = profiled.null_scale, len(y)
    assert_allclose(poisson.h0.lml, profiled.null_lml() - 0.5 * n * (s0 - 1 - np.log(s0)))


def test_poisson_scan_is_the_manuals_with_the_scale_kept_at_one(tutorial, poisson):
    """The manual refits the pseudo-observations' scale s per candidate; limix keeps s = 1.

    The formulas, 𝜶 and every effect size are the manual's; se(𝜶), the lml and the p-values are
    those of s = 1, checked against the manual's scanner (profiled s, which reproduces the
    manual: ``tests/glimix/glmm/test_manual_scan.py``): at s = 1 the statistic of a candidate
    is Q₀ − Qⱼ = n(s₀ − sⱼ) with sⱼ the profiled scales, and se(𝜶) is the manual's over √s₀.
    """
    from scipy.stats import chi2

    from glimix.glmm import GLMMExpFam
    from glimix.linalg import economic_qs

    text = str(poisson)
    manual_formulas = formulas(MANUAL_POISSON)
    assert formulas(text)[0] == manual_formulas[0]
    assert formulas(text)[1] == manual_formulas[1].replace(
        "s(0.154⋅𝙺 + 0.000⋅𝙸)", "0.154⋅𝙺 + 0.000⋅𝙸"
    )
    t = tutorial
    glmm = GLMMExpFam(
        t["y_poisson"].astype(float), "poisson", t["M"].to_numpy(), economic_qs(t["K"])
    )
    glmm.fit(verbose=False)
    profiled = glmm.get_fast_scanner()
    s0, n = profiled.null_scale, len(t["y_poisson"])
    assert 0.9 < s0 < 0.95
    mine, manual = null_block(text), null_block(MANUAL_POISSON)
    assert_allclose(vector(mine["𝜶"]), [5.17511934, 0.04665214], rtol=1e-5)
    assert_allclose(vector(mine["se(𝜶)"]), vector(manual["se(𝜶)"]) / np.sqrt(s0), rtol=1e-5)
    (header, h2), (pheader, pv) = tables(text)
    (mheader, manual_h2), (mpheader, _) = tables(MANUAL_POISSON)
    assert header == mheader and pheader == mpheader
    for row in h2:  # the effect sizes are the manual's to the printed digit
        assert h2[row][1:] == manual_h2[row][1:]
    alt = profiled.fast_scan(np.asarray(t["G"]), verbose=False)
    expected = chi2.sf(n * (s0 - alt["scale"]), 1)
    assert_allclose(np.sort(poisson.stats["pv20"].to_numpy()), np.sort(expected), rtol=1e-6)
    assert_allclose(column((pheader, pv), 0)[2], 3.006e-02, rtol=1e-3)  # was 2.274e-02


# -- interaction -----------------------------------------------------------------------------------


def test_interaction_scan_reproduces_the_manual(interaction):
    text = str(interaction)
    assert formulas(text) == formulas(MANUAL_ISCAN)
    mine, manual = null_block(text), null_block(MANUAL_ISCAN)
    assert mine["M"] == manual["M"]
    assert_allclose(vector(mine["𝜶"]), vector(manual["𝜶"]), rtol=1e-7)
    assert_allclose(vector(mine["se(𝜶)"]), vector(manual["se(𝜶)"]), rtol=1e-7)
    assert_allclose(interaction.h0.lml, -185.77488727691096, rtol=1e-8)
    mine_tables, manual_tables = tables(text), tables(MANUAL_ISCAN)
    assert len(mine_tables) == 3
    assert mine_tables == manual_tables


# -- multi-trait -----------------------------------------------------------------------------------


def test_multi_trait_variances_are_the_manuals(multi_trait):
    text = str(multi_trait)
    assert formulas(text) == formulas(MANUAL_MULTI)
    mine, manual = null_block(text), null_block(MANUAL_MULTI)
    assert mine["traits"] == manual["traits"] and mine["M"] == manual["M"]
    # The manual's C₀, C₁ maximise its (truncated-solve) likelihood, ours the exact one: the
    # two optima differ by up to 8.5e-6 (C₁[1, 1]: 0.85780862 here, 0.85780008 there).
    assert_allclose(vector(mine["diag(C₀)"]), vector(manual["diag(C₀)"]), atol=1e-5)
    assert_allclose(vector(mine["diag(C₁)"]), vector(manual["diag(C₁)"]), atol=1e-5)
    assert multi_trait.h0.lml >= -277.3341913587698
    assert_allclose(multi_trait.h0.lml, -277.158, atol=1e-3)


def test_multi_trait_manual_lml_is_its_alpha_at_the_same_variances(tutorial, multi_trait):
    """Dense check of the account above: at our C₀, C₁, the manual's 𝜶 gives the manual's lml
    and the GLS 𝜶 gives ours."""
    t = tutorial
    n, p = t["Y"].shape
    v = multi_trait.h0.variances
    C0 = v["fore_covariance"].to_numpy().reshape(p, p)
    C1 = v["back_covariance"].to_numpy().reshape(p, p)
    V = np.kron(C0, t["K"]) + np.kron(C1, np.eye(n))
    W = np.kron(t["A"], t["M"].to_numpy())
    y = t["Y"].ravel(order="F")
    manual_alpha = vector(null_block(MANUAL_MULTI)["𝜶"])
    at_manual = multivariate_normal(W @ manual_alpha, V).logpdf(y)
    assert_allclose(at_manual, -277.3341913587698, atol=2e-3)
    alpha = multi_trait.h0.effsizes["effsize"].to_numpy()
    assert_allclose(multivariate_normal(W @ alpha, V).logpdf(y), multi_trait.h0.lml, rtol=1e-9)
    Vi_W = np.linalg.solve(V, W)
    gls = np.linalg.solve(W.T @ Vi_W, Vi_W.T @ y)
    assert_allclose(W @ alpha, W @ gls, rtol=1e-6, atol=1e-8)
