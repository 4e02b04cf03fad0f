"""This project's scans of a peers' benchmark cohort (run by ``run.py`` in a child process).

``--mode fixed``: ``limix.qtl.scan(G, y, "normal", K, M)`` — the variance ratio fixed at the
null's, the scale refitted per variant, a likelihood-ratio test (``pv20``).

``--mode exact``: the variance ratio re-estimated for every variant, as GEMMA's ``-lmm 2`` does.
``limix.qtl.scan`` has no option for it, so this goes through glimix directly:
``LMM(y, M, economic_qs(K)).fit()`` (maximum likelihood), then
``get_fast_scanner().fast_scan(G, exact=True)`` on the lazy genotypes, and the p-value of the
likelihood-ratio statistic 2(lml₁ − lml₀) against χ²₁.

``--mode exact-loop``: the same test by ``FastScanner.scan(g, exact=True)``, one variant at a
time (a Python loop, about 20 ms a variant at n = 2000), on every ``--stride``-th variant: a
check of the vectorised ``fast_scan(exact=True)`` through glimix's other code path.

G is ``limix.io.plink.read(prefix, samples_by_variants=True)`` (lazy), y the sixth column of the
``.fam`` file, M ``covariates.txt`` (intercept first), K ``kinship.npy``. Writes a tab-separated
table ``snp, pv`` and prints the null model's variances.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import chdtrc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("fixed", "exact", "exact-loop"), required=True)
    parser.add_argument("--stride", type=int, default=10, help="exact-loop: every k-th variant")
    parser.add_argument("--data", required=True, help="cohort directory")
    parser.add_argument("--out", required=True, help="output table")
    args = parser.parse_args()
    begin = time.perf_counter()

    from limix.io import plink

    data = Path(args.data)
    bim, fam, G = plink.read(str(data / "test"), verbose=False, samples_by_variants=True)
    y = fam["trait"].astype(float).to_numpy()
    M = np.loadtxt(data / "covariates.txt", ndmin=2)
    K = np.load(data / "kinship.npy")
    if args.mode == "fixed":
        from limix.qtl import scan

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = scan(G, y, "normal", K, M, verbose=False)
        pv = result.stats["pv20"].to_numpy()
        h0 = result.h0.variances
        null = {
            "v0": float(h0["fore_covariance"].iloc[0]),
            "v1": float(h0["back_covariance"].iloc[0]),
            "lml0": float(result.stats["lml0"].iloc[0]),
        }
    else:
        from glimix.linalg import economic_qs
        from glimix.lmm import LMM

        lmm = LMM(y, M, economic_qs(K))
        lmm.fit(verbose=False)
        scanner = lmm.get_fast_scanner()
        lml0 = scanner.null_lml()
        if args.mode == "exact":
            lml = scanner.fast_scan(G, verbose=False, exact=True)["lml"]
        else:
            chosen = np.arange(0, G.shape[1], args.stride)
            bim = bim.iloc[chosen]
            lml = np.empty(chosen.size)
            for start in range(0, chosen.size, 1000):
                block = np.asarray(G[:, chosen[start : start + 1000]])
                for j in range(block.shape[1]):
                    lml[start + j] = scanner.scan(block[:, j], exact=True)["lml"]
        lrt = np.clip(2 * (lml - lml0), 0, None)
        pv = chdtrc(1, lrt)
        null = {"v0": float(lmm.v0), "v1": float(lmm.v1), "lml0": float(lml0)}
    null["h2"] = null["v0"] / (null["v0"] + null["v1"])
    pd.DataFrame({"snp": bim["snp"].to_numpy(), "pv": pv}).to_csv(
        args.out, sep="\t", index=False, float_format="%.17g"
    )
    null["seconds"] = time.perf_counter() - begin
    print(json.dumps(null))


if __name__ == "__main__":
    main()
