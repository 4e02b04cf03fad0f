"""FaST-LMM's ``single_snp`` on a peers' benchmark cohort.

Runs with the interpreter of the separate virtual environment that ``run.py`` creates (FaST-LMM is
never installed into the project's environment, nor imported by it). Same inputs as the others:
``test.bed`` (``count_A1=False``), the trait from ``test.fam``, ``covariates.txt`` without its
intercept column (``single_snp`` adds one), and the kinship ``kinship.npy`` as a ``KernelData``
(``single_snp`` rescales it so that its diagonal sums to n, which does not change the model
family). ``leave_out_one_chrom=False``: the kinship comes from other variants, so there is no
proximal contamination to avoid. ``single_snp`` fits h² once on the null (maximum likelihood) and
tests each variant at that h², with a Wald F test. Writes a tab-separated table ``snp, pv``.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    begin = time.perf_counter()
    logging.basicConfig(level=logging.WARNING)

    from fastlmm.association import single_snp
    from pysnptools.kernelreader import KernelData
    from pysnptools.snpreader import Bed, SnpData

    data = Path(args.data)
    bed = Bed(str(data / "test"), count_A1=False)
    y = np.loadtxt(data / "test.fam", usecols=5, dtype=float)
    M = np.loadtxt(data / "covariates.txt", ndmin=2)[:, 1:]
    K = np.load(data / "kinship.npy")
    pheno = SnpData(iid=bed.iid, sid=["y"], val=y[:, None])
    covar = SnpData(iid=bed.iid, sid=[f"c{i}" for i in range(M.shape[1])], val=M)
    kernel = KernelData(iid=bed.iid, val=K)
    frame = single_snp(
        bed, pheno, K0=kernel, covar=covar, leave_out_one_chrom=False, count_A1=False
    )
    frame[["SNP", "PValue"]].rename(columns={"SNP": "snp", "PValue": "pv"}).to_csv(
        args.out, sep="\t", index=False, float_format="%.17g"
    )
    seconds = time.perf_counter() - begin
    print(json.dumps({"h2": float(frame["Nullh2"].iloc[0]), "seconds": seconds}))


if __name__ == "__main__":
    main()
