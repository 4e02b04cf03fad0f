"""The exact (𝛿 per candidate) scan with a centred, singular kinship (K𝟏 = 𝟎, rank n − 1)."""

import numpy as np

from glimix.linalg import economic_qs
from glimix.lmm import LMM


def test_vectorised_exact_scan_equals_the_one_candidate_search():
    rng = np.random.RandomState(0)
    n = 300
    X = rng.binomial(2, 0.3, (n, 500)).astype(float)
    Z = (X - X.mean(0)) / X.std(0)
    K = Z @ Z.T / Z.shape[1]
    QS = economic_qs(K)
    assert QS[1].shape[0] == n - 1  # the offset direction is left out
    y = Z[:, :50] @ rng.randn(50) * 0.1 + rng.randn(n)
    G = rng.binomial(2, 0.3, (n, 8)).astype(float)
    lmm = LMM(y, np.ones((n, 1)), QS, restricted=True)
    lmm.fit(verbose=False)
    scanner = lmm.get_fast_scanner()
    fast = scanner.fast_scan(G, verbose=False, exact=True)
    for j in range(G.shape[1]):
        one = scanner.scan(G[:, j], exact=True)
        np.testing.assert_allclose(fast["lml"][j], one["lml"], rtol=1e-9)
        assert fast["lml"][j] >= scanner.null_lml() - 1e-9
