"""Benchmark: a genome-wide scan streamed from a PLINK file, with bounded memory.

Run from the project root::

    python benchmarks/scan_plink_stream.py [--n 5000] [--m 200000] [--kinship-variants 0]
        [--cache-dir DIR] [--compare-m 20000,100000]

The default run took about 8 minutes on the 2-CPU shared machine it was written on (plus about
2.5 minutes, once, to write the data); every step scales with n²·m.

1. Writes (once; cached under ``--cache-dir``, by default ``$TMPDIR/limix-bench-cache``) a
   synthetic cohort: ``n`` samples × ``m`` variants in PLINK 1 binary format (sibling pairs in 3
   populations, F_ST = 0.05; an intercept and 3 covariates; a trait with h² = 0.4 from every
   variant and 10 QTLs explaining 10%), generated in chunks of 4,096 variants by bed-reader's
   streaming writer (``benchmarks/peers/simulate.py``), so generation needs a few n × 4,096
   arrays whatever m. Generation runs in a child process, so its memory is not counted below.
2. ``limix.io.plink.read(prefix, samples_by_variants=True)``: a lazy samples × variants dask
   array (blocks of about 64 MiB).
3. K = ``limix.stats.linear_kinship`` streamed from that lazy array, over the first
   ``--kinship-variants`` variants (default: all of them; 0 means all).
4. The eigendecomposition of K, timed on its own (limix caches it; the scan reuses it).
5. ``limix.qtl.scan(G, y, "normal", K, M)`` on the lazy array: the null LMM, then every variant
   tested, block by block.

It prints the time of each step and the peak resident set size of the process after each
(VmHWM: it includes the interpreter, numpy/scipy/dask and the n×n matrices; target < 2 GiB
whatever m). With ``--compare-m`` the same pipeline is also run in child processes that
scan only the first m′ variants (K from the same ``--kinship-variants``), and a table of peak RSS
against m′ shows whether memory grows with the number of variants.

The machine is shared: times depend on the load, which is printed (1-minute load average).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "peers"))

from simulate import write_cohort  # noqa: E402

MiB = 2**20


def peak_rss() -> int:
    """Peak resident set size of this process so far, in bytes.

    Linux's VmHWM (the high-water mark of this process image). Not ``ru_maxrss``: on Linux that
    survives fork and exec, so a child started by a big parent would report the parent's peak.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} (1/5 min) on {os.cpu_count()} CPUs"


def cohort_dir(args) -> Path:
    return Path(args.cache_dir) / f"stream-n{args.n}-m{args.m}-s{args.seed}"


def generate(args) -> None:
    write_cohort(cohort_dir(args), args.n, {"geno": args.m}, seed=args.seed, h2=0.4, qtl_var=0.1)


def pipeline(args, m_used: int | None) -> dict:
    """Read, kinship, scan; returns the measurements (also printed unless ``--quiet``)."""
    import numpy as np
    from scipy.stats import chi2

    from limix.io import plink
    from limix.qtl import scan
    from limix.stats import DecomposedKinship, linear_kinship

    def say(text: str) -> None:
        if not args.quiet:
            print(text, flush=True)

    out: dict = {"rss_imports": peak_rss()}
    directory = cohort_dir(args)
    prefix = str(directory / "geno")
    cohort = json.loads((directory / "cohort.json").read_text())

    begin = time.perf_counter()
    _, fam, G = plink.read(prefix, verbose=False, samples_by_variants=True)
    y = fam["trait"].astype(float).to_numpy()
    M = np.loadtxt(directory / "covariates.txt", ndmin=2)
    out["read"] = time.perf_counter() - begin
    say(
        f"  read (lazy)          {out['read']:8.1f} s   G {G.shape[0]}×{G.shape[1]} float64 "
        f"= {G.nbytes / 2**30:.1f} GiB if dense, chunks of {G.chunksize[1]} variants "
        f"({G.chunksize[0] * G.chunksize[1] * 8 / MiB:.0f} MiB); peak RSS "
        f"{peak_rss() / MiB:,.0f} MiB"
    )

    mk = args.kinship_variants or G.shape[1]
    begin = time.perf_counter()
    K = linear_kinship(G[:, :mk], verbose=False)
    out["kinship"] = time.perf_counter() - begin
    out["rss_kinship"] = peak_rss()
    say(
        f"  linear_kinship       {out['kinship']:8.1f} s   from {mk:,} variants (streamed); "
        f"peak RSS {out['rss_kinship'] / MiB:,.0f} MiB   [{load()}]"
    )

    # The decomposition is kept on the DecomposedKinship: computing it first times it apart
    # from the scan, which then reuses it.
    begin = time.perf_counter()
    K = DecomposedKinship(K)
    (Q0,), _ = K.qs()
    out["eigh"] = time.perf_counter() - begin
    out["rss_eigh"] = peak_rss()
    say(
        f"  eigh of K            {out['eigh']:8.1f} s   (DecomposedKinship, reused by the "
        f"scan) Q0 {Q0.shape[0]}×{Q0.shape[1]}; peak RSS {out['rss_eigh'] / MiB:,.0f} MiB"
    )
    del Q0

    Gs = G if m_used is None else G[:, :m_used]
    begin = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = scan(Gs, y, "normal", K, M, verbose=False)
    out["scan"] = time.perf_counter() - begin
    out["rss_scan"] = peak_rss()
    out["m"] = Gs.shape[1]
    stats = result.stats
    say(
        f"  limix.qtl.scan       {out['scan']:8.1f} s   {Gs.shape[1]:,} variants, "
        f"{M.shape[1]} covariates, full K (null fit + tests); peak RSS "
        f"{out['rss_scan'] / MiB:,.0f} MiB   [{load()}]"
    )
    variances = result.h0.variances
    v0 = float(variances["fore_covariance"].iloc[0])
    v1 = float(variances["back_covariance"].iloc[0])
    pv = stats["pv20"].to_numpy()
    lambda_gc = np.median(chi2.isf(pv, 1)) / chi2.ppf(0.5, 1)
    say(
        f"  null: v0 = {v0:.4g}, v1 = {v1:.4g} (h2 = {v0 / (v0 + v1):.3f}; simulated 0.4 + 0.1 "
        f"QTLs); lambda_GC = {lambda_gc:.3f}"
    )
    names = np.asarray([f"v{j}" for j in range(Gs.shape[1])])
    qtls = [q for q in cohort["qtl_variants"] if int(q[1:]) < Gs.shape[1]]
    found = sum(pv[int(q[1:])] < 5e-8 for q in qtls)
    top = names[np.argsort(pv)[:5]]
    say(
        f"  result: min p {pv.min():.2e}; {found}/{len(qtls)} simulated QTLs at p < 5e-8; "
        f"top 5 {', '.join(top)}; {int(np.sum(pv < 5e-8))} variants at p < 5e-8"
    )
    out["rss_now"] = current_rss()
    return out


def child(args, m_used: int) -> dict:
    command = [sys.executable, __file__, "--child", str(m_used), "--quiet"]
    command += ["--n", str(args.n), "--m", str(args.m), "--seed", str(args.seed)]
    command += ["--kinship-variants", str(args.kinship_variants), "--cache-dir", args.cache_dir]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="samples (default 5000)")
    parser.add_argument("--m", type=int, default=200_000, help="variants (default 200000)")
    parser.add_argument(
        "--kinship-variants",
        type=int,
        default=0,
        help="K from the first this many variants (default 0: all of them)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--cache-dir",
        default=str(Path(tempfile.gettempdir()) / "limix-bench-cache"),
        help="where the PLINK files are written once and reused",
    )
    parser.add_argument(
        "--compare-m",
        default="",
        help="comma-separated m′: also run the pipeline scanning only the first m′ variants, "
        "each in a child process, and tabulate peak RSS against m′",
    )
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--quiet", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.generate:
        generate(args)
        return
    if args.child is not None:
        print(json.dumps(pipeline(args, args.child)))
        return

    import numpy as np

    print("limix: scan streamed from a PLINK file")
    print(
        f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB "
        f"(shared with other users); python {platform.python_version()}, numpy "
        f"{np.__version__}; {load()}"
    )
    directory = cohort_dir(args)
    begin = time.perf_counter()
    command = [sys.executable, __file__, "--generate", "--n", str(args.n), "--m", str(args.m)]
    command += ["--seed", str(args.seed), "--cache-dir", args.cache_dir]
    subprocess.run(command, check=True)
    print(
        f"  data: {directory} (n={args.n}, m={args.m:,}; ready after "
        f"{time.perf_counter() - begin:.1f} s, in a child process)"
    )
    total = time.perf_counter()
    out = pipeline(args, None)
    print(
        f"  total {time.perf_counter() - total:.1f} s; peak RSS {peak_rss() / MiB:,.0f} MiB "
        f"(after imports {out['rss_imports'] / MiB:,.0f} MiB; RSS now "
        f"{out['rss_now'] / MiB:,.0f} MiB)"
    )
    if args.compare_m:
        sizes = [int(s) for s in args.compare_m.split(",") if s]
        print("\n  peak RSS against the number of variants scanned (child processes):")
        print(
            f"  {'m′':>9} {'kinship s':>10} {'eigh s':>7} {'scan s':>8} {'peak after K':>13} "
            f"{'after eigh':>11} {'peak':>9}"
        )
        for m_used in sizes:
            r = child(args, m_used)
            print(
                f"  {r['m']:>9,} {r['kinship']:>10.1f} {r['eigh']:>7.1f} {r['scan']:>8.1f} "
                f"{r['rss_kinship'] / MiB:>9,.0f} MiB {r['rss_eigh'] / MiB:>7,.0f} MiB "
                f"{r['rss_scan'] / MiB:>5,.0f} MiB"
            )


if __name__ == "__main__":
    main()
